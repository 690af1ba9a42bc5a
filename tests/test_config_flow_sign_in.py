"""The config flow's "Sign in with Plex", against a simulated plex.tv and Plex Media Server."""

from __future__ import annotations

from collections.abc import AsyncGenerator
import socket
from unittest.mock import patch
from urllib.parse import parse_qs, urlsplit

from homeassistant.config_entries import SOURCE_USER
from homeassistant.const import CONF_TOKEN, CONF_URL, CONF_VERIFY_SSL
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResult, FlowResultType
from homeassistant.helpers.network import NoURLAvailableError
from homeassistant.helpers.translation import async_get_translations
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.plex_butler.const import CONF_CLIENT_IDENTIFIER, DOMAIN
from custom_components.plex_butler.sign_in_flow import AUTH_CALLBACK_PATH, PLEX_TV_URLS

from .conftest import MACHINE_ID, SERVER_NAME, TOKEN, async_settle
from .flow_helpers import assert_no_token, choose
from .plex_simulator import PlexSimulator
from .plextv_simulator import ACCOUNT_TOKEN, PlexTvSimulator, connection, server_resource

FLOW = "custom_components.plex_butler.sign_in_flow"


def dead(scheme: str = "http") -> str:
    """An address on 127.0.0.1 where nothing listens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"{scheme}://127.0.0.1:{port}"


@pytest.fixture
async def plex_tv(socket_enabled: None) -> AsyncGenerator[PlexTvSimulator]:
    """A simulated plex.tv, where the flow looks for it; polls of the PIN do not wait."""
    simulator = PlexTvSimulator()
    await simulator.start()
    with (
        patch.dict(PLEX_TV_URLS, {"plex_tv": simulator.url, "app": simulator.url}),
        patch(f"{FLOW}.POLL_INTERVAL", 0),
    ):
        yield simulator
    await simulator.stop()


@pytest.fixture(autouse=True)
async def unload_before_the_server_stops(
    hass: HomeAssistant, plex_server: PlexSimulator, caplog: pytest.LogCaptureFixture
) -> AsyncGenerator[None]:
    """Unload the entries a flow created while their server still runs; no token in the log."""
    caplog.set_level("DEBUG")
    yield
    for entry in hass.config_entries.async_entries(DOMAIN):
        await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    assert TOKEN not in caplog.text
    assert ACCOUNT_TOKEN not in caplog.text


def owned(server: PlexSimulator, *uris: str, token: str | None = TOKEN) -> dict[str, object]:
    """The account's own resource for a simulated server, at `uris` (its own URL if none)."""
    return server_resource(
        server.friendly_name,
        server.machine_identifier,
        [connection(uri) for uri in uris or (server.url,)],
        token=token,
    )


async def start(hass: HomeAssistant) -> FlowResult:
    """Start a flow and choose "Sign in with Plex"."""
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    return await choose(hass, result, "sign_in")


async def come_back(
    hass: HomeAssistant,
    client: ClientSessionGenerator,
    plex_tv: PlexTvSimulator,
    result: FlowResult,
    *,
    sign_in: bool = True,
    going_on: dict[str, object] | None = None,
) -> FlowResult:
    """Sign in on plex.tv's page (or not), open the callback it forwards to, go on."""
    assert result["type"] is FlowResultType.EXTERNAL_STEP, result
    assert result["url"].startswith(f"{plex_tv.url}/auth#!?")
    query = parse_qs(urlsplit(result["url"]).fragment.removeprefix("!?"))
    [pin] = [pin for pin in plex_tv.pins.values() if pin.code == query["code"][0]]
    assert query["clientID"] == [pin.client_identifier]
    if sign_in:
        plex_tv.sign_in(pin.code)
    forward = urlsplit(query["forwardUrl"][0])
    assert forward.netloc == "example.com"
    assert forward.path == AUTH_CALLBACK_PATH
    response = await (await client()).get(f"{forward.path}?{forward.query}")
    assert response.status == 200
    assert "closed" in await response.text()
    result = await hass.config_entries.flow.async_configure(result["flow_id"], going_on)
    assert_no_token(result)
    return result


async def shown_error(hass: HomeAssistant, result: FlowResult) -> str:
    """The form's error as a user reads it, in English, placeholders filled in."""
    texts = await async_get_translations(hass, "en", "config", {DOMAIN})
    text = texts[f"component.{DOMAIN}.config.error.{result['errors']['base']}"]
    return text.format(**(result["description_placeholders"] or {}))


@pytest.mark.usefixtures("current_request_with_host")
async def test_sign_in_with_one_server(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    plex_tv: PlexTvSimulator,
    plex_server: PlexSimulator,
) -> None:
    """The account's one server, at the first address that answers in Plex apps' order."""
    plex_tv.resources = [
        owned(plex_server, dead("https"), dead(), plex_server.url),
        server_resource("A friend's", "b" * 40, [connection(plex_server.url)], owned=False),
        {"name": "Phone", "clientIdentifier": "c" * 40, "provides": "player", "owned": True},
    ]
    result = await come_back(hass, hass_client_no_auth, plex_tv, await start(hass))
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == SERVER_NAME
    assert result["result"].unique_id == MACHINE_ID
    [pin] = plex_tv.pins.values()
    assert result["data"] == {
        CONF_URL: plex_server.url,
        CONF_TOKEN: TOKEN,
        CONF_VERIFY_SSL: True,
        CONF_CLIENT_IDENTIFIER: pin.client_identifier,
    }
    [resources] = [r for r in plex_tv.requests if r.path == "/api/v2/resources"]
    assert resources.query["includeHttps"] == "1"
    assert resources.query["includeRelay"] == "1"
    assert all("X-Plex-Token" not in r.query for r in plex_tv.requests)
    await hass.async_block_till_done()


@pytest.mark.usefixtures("current_request_with_host")
async def test_every_connection_dead_but_the_relay(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    plex_tv: PlexTvSimulator,
    plex_server: PlexSimulator,
) -> None:
    """Local and remote addresses, https and http, are dead: the relay, tried last, is taken."""
    resource = owned(plex_server)
    resource["connections"] = [
        connection(plex_server.url, local=False, relay=True),
        connection(dead("https"), local=False),
        connection(dead(), local=False),
        connection(dead("https")),
        connection(dead()),
    ]
    plex_tv.resources = [resource]
    result = await come_back(hass, hass_client_no_auth, plex_tv, await start(hass))
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_URL] == plex_server.url
    await hass.async_block_till_done()


@pytest.mark.usefixtures("current_request_with_host")
async def test_two_servers_are_picked_from(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    plex_tv: PlexTvSimulator,
    plex_server: PlexSimulator,
    second_server: PlexSimulator,
) -> None:
    """An account with two servers picks one by name."""
    plex_tv.resources = [owned(plex_server), owned(second_server)]
    # Going on after the external step with {} (as a REST client may) shows the pick too.
    result = await come_back(hass, hass_client_no_auth, plex_tv, await start(hass), going_on={})
    assert result["step_id"] == "plex_server"
    [selector] = result["data_schema"].schema.values()
    assert selector.config["options"] == [
        {"value": MACHINE_ID, "label": SERVER_NAME},
        {"value": "f" * 40, "label": "Basement Plex"},
    ]
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {"server": "f" * 40})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Basement Plex"
    assert result["data"][CONF_URL] == second_server.url
    await hass.async_block_till_done()


@pytest.mark.usefixtures("current_request_with_host")
async def test_a_shared_only_account_then_the_owner(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    plex_tv: PlexTvSimulator,
    plex_server: PlexSimulator,
) -> None:
    """Shared servers cannot run Butler tasks: said so; signing in as the owner works."""
    plex_tv.resources = [server_resource(SERVER_NAME, MACHINE_ID, [], owned=False)]
    result = await come_back(hass, hass_client_no_auth, plex_tv, await start(hass))
    assert result["step_id"] == "sign_in_again"
    assert result["errors"] == {"base": "no_owned_server"}
    assert "shared with you cannot run Butler tasks" in await shown_error(hass, result)

    plex_tv.resources = [owned(plex_server)]
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    assert len(plex_tv.pins) == 2  # signed in again, maybe as another account
    result = await come_back(hass, hass_client_no_auth, plex_tv, result)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()


@pytest.mark.usefixtures("current_request_with_host")
@pytest.mark.parametrize("how", ["expired", "window_closed"])
async def test_an_expired_pin_or_a_closed_window(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    plex_tv: PlexTvSimulator,
    plex_server: PlexSimulator,
    how: str,
) -> None:
    """A PIN plex.tv no longer knows, or one nobody signed in with, asks to sign in again."""
    plex_tv.resources = [owned(plex_server)]
    plex_tv.pins_expired = how == "expired"
    with patch(f"{FLOW}.POLL_TRIES", 2):
        result = await come_back(
            hass, hass_client_no_auth, plex_tv, await start(hass), sign_in=how == "expired"
        )
    assert result["step_id"] == "sign_in_again"
    assert result["errors"] == {"base": "sign_in_incomplete"}
    if how == "window_closed":
        assert len([r for r in plex_tv.requests if r.path.startswith("/api/v2/pins/1")]) == 2

    plex_tv.pins_expired = False
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    result = await come_back(hass, hass_client_no_auth, plex_tv, result)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()


@pytest.mark.usefixtures("current_request_with_host")
async def test_plex_tv_down_for_the_pin(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    plex_tv: PlexTvSimulator,
    plex_server: PlexSimulator,
) -> None:
    """plex.tv down when the PIN is asked for: said so; once back, the sign-in works."""
    plex_tv.resources = [owned(plex_server)]
    plex_tv.failing = True
    result = await start(hass)
    assert result["step_id"] == "sign_in_again"
    assert result["errors"] == {"base": "plextv_unreachable"}
    plex_tv.failing = False
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    result = await come_back(hass, hass_client_no_auth, plex_tv, result)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()


@pytest.mark.usefixtures("current_request_with_host")
async def test_plex_tv_unreachable(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    plex_tv: PlexTvSimulator,
    plex_server: PlexSimulator,
) -> None:
    """No plex.tv at all (nothing listens) is the same error."""
    with patch.dict(PLEX_TV_URLS, {"plex_tv": dead()}):
        result = await start(hass)
    assert result["errors"] == {"base": "plextv_unreachable"}


@pytest.mark.usefixtures("current_request_with_host")
async def test_plex_tv_down_after_the_sign_in(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    plex_tv: PlexTvSimulator,
    plex_server: PlexSimulator,
) -> None:
    """plex.tv failing for the resources: trying again keeps the account's token."""
    plex_tv.resources = [owned(plex_server)]
    result = await start(hass)
    plex_tv.sign_in()
    with patch.object(plex_tv, "resources", "not a list"):
        result = await come_back(hass, hass_client_no_auth, plex_tv, result, sign_in=False)
    assert result["errors"] == {"base": "plextv_unreachable"}
    plex_tv.failing = True
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    assert result["errors"] == {"base": "plextv_unreachable"}
    plex_tv.failing = False
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert len(plex_tv.pins) == 1
    await hass.async_block_till_done()


@pytest.mark.usefixtures("current_request_with_host")
async def test_plex_tv_down_while_polling(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    plex_tv: PlexTvSimulator,
    plex_server: PlexSimulator,
) -> None:
    """plex.tv failing when the PIN is read asks to sign in again."""
    result = await start(hass)
    plex_tv.sign_in()
    plex_tv.failing = True
    result = await come_back(hass, hass_client_no_auth, plex_tv, result, sign_in=False)
    assert result["errors"] == {"base": "plextv_unreachable"}


@pytest.mark.usefixtures("current_request_with_host")
async def test_no_connection_answers(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    plex_tv: PlexTvSimulator,
    plex_server: PlexSimulator,
) -> None:
    """No address answers: the error lists what was tried (no token); trying again works."""
    other = dead("https")
    plex_tv.resources = [owned(plex_server, plex_server.url, other)]
    await plex_server.go_down()
    result = await come_back(hass, hass_client_no_auth, plex_tv, await start(hass))
    assert result["errors"] == {"base": "no_connection"}
    assert result["description_placeholders"] == {"tried": f"{other}, {plex_server.url}"}
    assert f"Tried: {other}, {plex_server.url}." in await shown_error(hass, result)
    await plex_server.come_back()
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()


@pytest.mark.usefixtures("current_request_with_host")
async def test_another_server_at_the_address_or_no_address(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    plex_tv: PlexTvSimulator,
    plex_server: PlexSimulator,
    second_server: PlexSimulator,
) -> None:
    """An address where another server answers does not count; no address at all neither."""
    resource = owned(plex_server, second_server.url)
    plex_tv.resources = [resource]
    result = await come_back(hass, hass_client_no_auth, plex_tv, await start(hass))
    assert result["errors"] == {"base": "no_connection"}
    resource["connections"] = []
    result = await come_back(hass, hass_client_no_auth, plex_tv, await start(hass))
    assert result["errors"] == {"base": "no_connection"}
    assert result["description_placeholders"] == {"tried": "-"}


@pytest.mark.usefixtures("current_request_with_host")
async def test_the_server_refuses_the_account_token(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    plex_tv: PlexTvSimulator,
    plex_server: PlexSimulator,
) -> None:
    """Without a server token in the resource the account's is used; a refusal shows."""
    plex_tv.resources = [owned(plex_server, token=None)]
    result = await come_back(hass, hass_client_no_auth, plex_tv, await start(hass))
    assert result["errors"] == {"base": "invalid_auth"}
    plex_server.set_token(ACCOUNT_TOKEN)
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_TOKEN] == ACCOUNT_TOKEN
    await hass.async_block_till_done()


@pytest.mark.usefixtures("current_request_with_host")
async def test_every_owned_server_is_set_up(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    plex_tv: PlexTvSimulator,
    mock_config_entry: MockConfigEntry,
    plex_server: PlexSimulator,
) -> None:
    """An account whose servers Plex Butler all has ends the flow."""
    mock_config_entry.add_to_hass(hass)
    plex_tv.resources = [owned(plex_server)]
    result = await come_back(hass, hass_client_no_auth, plex_tv, await start(hass))
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


@pytest.mark.usefixtures("current_request_with_host")
async def test_reauth_by_sign_in(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    plex_tv: PlexTvSimulator,
    init_integration: MockConfigEntry,
    plex_server: PlexSimulator,
) -> None:
    """Signing in again brings the new token; the entry keeps its URL; another account is
    told it does not own the server."""
    plex_server.set_token("new-token")
    plex_tv.resources = [owned(plex_server, dead(), token="new-token")]
    plex_tv.resources[0]["clientIdentifier"] = "0" * 40
    result = await choose(hass, await init_integration.start_reauth_flow(hass), "sign_in")
    result = await come_back(hass, hass_client_no_auth, plex_tv, result)
    assert result["errors"] == {"base": "server_not_owned"}

    plex_tv.resources[0]["clientIdentifier"] = MACHINE_ID
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    result = await come_back(hass, hass_client_no_auth, plex_tv, result)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    pin = plex_tv.pins[max(plex_tv.pins)]
    assert init_integration.data == {
        CONF_URL: plex_server.url,
        CONF_TOKEN: "new-token",
        CONF_VERIFY_SSL: True,
        CONF_CLIENT_IDENTIFIER: pin.client_identifier,
    }
    await async_settle(hass)


@pytest.mark.usefixtures("current_request_with_host")
async def test_reconfigure_by_sign_in(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    plex_tv: PlexTvSimulator,
    init_integration: MockConfigEntry,
    plex_server: PlexSimulator,
) -> None:
    """Reconfiguring by sign-in takes the address that answers now."""
    plex_tv.resources = [owned(plex_server, dead("https"), f"{plex_server.url}/")]
    result = await choose(hass, await init_integration.start_reconfigure_flow(hass), "sign_in")
    result = await come_back(hass, hass_client_no_auth, plex_tv, result)
    assert result["reason"] == "reconfigure_successful"
    assert init_integration.data[CONF_URL] == plex_server.url
    await async_settle(hass)


@pytest.mark.usefixtures("current_request_with_host")
async def test_the_callback_moves_only_a_waiting_sign_in(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    plex_tv: PlexTvSimulator,
    plex_server: PlexSimulator,
) -> None:
    """The callback needs no login, so it moves no flow but a sign-in that waits for it."""
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    await start(hass)
    client = await hass_client_no_auth()
    for query in (f"?flow_id={result['flow_id']}", "?flow_id=nope", ""):
        response = await client.get(f"{AUTH_CALLBACK_PATH}{query}")
        assert response.status == 400
    assert hass.config_entries.flow.async_get(result["flow_id"])["step_id"] == "user"


async def test_without_the_frontend_address(
    hass: HomeAssistant, plex_tv: PlexTvSimulator, plex_server: PlexSimulator
) -> None:
    """Without the frontend's header the forward URL uses Home Assistant's own address."""
    hass.config.internal_url = "http://ha.local:8123"
    result = await start(hass)
    query = parse_qs(urlsplit(result["url"]).fragment.removeprefix("!?"))
    assert query["forwardUrl"][0].startswith(f"http://ha.local:8123{AUTH_CALLBACK_PATH}?flow_id=")
    with patch(f"{FLOW}.get_url", side_effect=NoURLAvailableError):
        result = await start(hass)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "no_url_available"
