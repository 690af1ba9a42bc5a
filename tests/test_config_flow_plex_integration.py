"""The config flow's "Use a server from the Plex integration", also for reauth and reconfigure."""

from __future__ import annotations

from collections.abc import AsyncGenerator

from homeassistant.config_entries import SOURCE_IGNORE, SOURCE_USER
from homeassistant.const import CONF_TOKEN, CONF_URL, CONF_VERIFY_SSL
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResult, FlowResultType
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.plex_butler.const import CONF_CLIENT_IDENTIFIER, DOMAIN

from .conftest import MACHINE_ID, SERVER_NAME, TOKEN, async_settle
from .flow_helpers import assert_no_token, choose, plex_entry
from .plex_simulator import PlexSimulator


@pytest.fixture(autouse=True)
async def unload_before_the_server_stops(
    hass: HomeAssistant, plex_server: PlexSimulator
) -> AsyncGenerator[None]:
    """Unload the entries a flow created while their server still runs."""
    yield
    for entry in hass.config_entries.async_entries(DOMAIN):
        await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()


async def _pick(hass: HomeAssistant, core: MockConfigEntry) -> FlowResult:
    """Start a flow, choose the Plex integration and see its servers."""
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    assert result["menu_options"] == ["plex_integration", "sign_in", "manual"]
    result = await choose(hass, result, "plex_integration")
    assert result["step_id"] == "plex_integration"
    [selector] = result["data_schema"].schema.values()
    assert selector.config["options"] == [{"value": core.entry_id, "label": SERVER_NAME}]
    return result


async def test_a_server_of_the_plex_integration(
    hass: HomeAssistant, plex_server: PlexSimulator
) -> None:
    """The Plex integration's URL and token are checked against the server and stored."""
    core = plex_entry(plex_server.url)
    core.add_to_hass(hass)
    result = await _pick(hass, core)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"server": core.entry_id}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == SERVER_NAME
    assert result["result"].unique_id == MACHINE_ID
    data = dict(result["data"])
    assert len(data.pop(CONF_CLIENT_IDENTIFIER)) == 32
    assert data == {CONF_URL: plex_server.url, CONF_TOKEN: TOKEN, CONF_VERIFY_SSL: True}
    assert ("GET", "/butler") in [(r.method, r.path) for r in plex_server.requests]
    await hass.async_block_till_done()


async def test_a_refused_token_shows_and_a_new_one_is_taken(
    hass: HomeAssistant, plex_server: PlexSimulator
) -> None:
    """A token the server refuses shows on the pick; once the Plex integration has a new one
    (its own reauth), the same pick takes it; the token is never shown."""
    core = plex_entry(plex_server.url, token="stale-token", verify_ssl=False)
    core.add_to_hass(hass)
    result = await _pick(hass, core)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"server": core.entry_id}
    )
    assert result["errors"] == {"base": "invalid_auth"}
    assert_no_token(result)
    assert "stale-token" not in str(result)
    hass.config_entries.async_update_entry(
        core, data={**core.data, "server_config": {"url": plex_server.url, "token": TOKEN}}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"server": core.entry_id}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()


@pytest.mark.parametrize(
    "core",
    [
        plex_entry("http://127.0.0.1:1", token=None),
        plex_entry(None, token=None),
        MockConfigEntry(domain="plex", title="Old Plex", unique_id=MACHINE_ID, data={}),
        MockConfigEntry(domain="plex", title="Odd Plex", data={"server_config": "not a mapping"}),
    ],
)
async def test_an_entry_without_token_or_address_leads_to_the_form(
    hass: HomeAssistant, plex_server: PlexSimulator, core: MockConfigEntry
) -> None:
    """Keys the Plex integration's entry lacks lead to the form, with a note and its URL."""
    core.add_to_hass(hass)
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    result = await choose(hass, result, "plex_integration")
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"server": core.entry_id}
    )
    assert result["step_id"] == "manual"
    assert result["errors"] == {"base": "plex_entry_incomplete"}
    url = core.data.get("server_config", {})
    url = url.get("url", "") if isinstance(url, dict) else ""
    [url_key] = [key for key in result["data_schema"].schema if key == CONF_URL]
    assert url_key.default() == url
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_URL: plex_server.url, CONF_TOKEN: TOKEN, CONF_VERIFY_SSL: True}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()


async def test_a_server_set_up_meanwhile(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, plex_server: PlexSimulator
) -> None:
    """A server set up (in another flow) after the pick was shown is no longer offered."""
    core = plex_entry(plex_server.url)
    core.add_to_hass(hass)
    result = await _pick(hass, core)
    mock_config_entry.add_to_hass(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"server": core.entry_id}
    )
    assert result["type"] is FlowResultType.FORM
    [selector] = result["data_schema"].schema.values()
    assert selector.config["options"] == []


async def test_ignored_and_configured_servers_are_not_offered(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, plex_server: PlexSimulator
) -> None:
    """No menu choice for the Plex integration's ignored discoveries or servers already set up."""
    MockConfigEntry(domain="plex", source=SOURCE_IGNORE, unique_id="a" * 40).add_to_hass(hass)
    plex_entry(plex_server.url).add_to_hass(hass)
    mock_config_entry.add_to_hass(hass)
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    assert result["menu_options"] == ["sign_in", "manual"]


async def test_reauth_takes_the_new_token_of_the_plex_integration(
    hass: HomeAssistant, init_integration: MockConfigEntry, plex_server: PlexSimulator
) -> None:
    """After a password change, the Plex integration's new token is taken; the URL stays."""
    plex_server.set_token("new-token")
    core = plex_entry("http://192.0.2.1:32400", token="new-token")
    core.add_to_hass(hass)
    result = await init_integration.start_reauth_flow(hass)
    assert result["menu_options"] == ["plex_integration", "sign_in", "reauth_confirm"]
    result = await choose(hass, result, "plex_integration")
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"server": core.entry_id}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert init_integration.data[CONF_TOKEN] == "new-token"
    assert init_integration.data[CONF_URL] == plex_server.url
    assert init_integration.data[CONF_CLIENT_IDENTIFIER] == "test-client-identifier"
    await async_settle(hass)


async def test_reconfigure_takes_the_address_of_the_plex_integration(
    hass: HomeAssistant, init_integration: MockConfigEntry, plex_server: PlexSimulator
) -> None:
    """Reconfigure takes URL, token and certificate check from the Plex integration."""
    core = plex_entry(f"{plex_server.url}/", verify_ssl=False)
    core.add_to_hass(hass)
    result = await init_integration.start_reconfigure_flow(hass)
    assert result["menu_options"] == ["plex_integration", "sign_in", "reconfigure_manual"]
    result = await choose(hass, result, "plex_integration")
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"server": core.entry_id}
    )
    assert result["reason"] == "reconfigure_successful"
    assert init_integration.data[CONF_URL] == plex_server.url
    assert init_integration.data[CONF_VERIFY_SSL] is False
    await async_settle(hass)


@pytest.mark.parametrize(
    ("start", "form"),
    [("start_reauth_flow", "reauth_confirm"), ("start_reconfigure_flow", "reconfigure_manual")],
)
async def test_reauth_and_reconfigure_without_a_token_lead_to_their_form(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    plex_server: PlexSimulator,
    start: str,
    form: str,
) -> None:
    """A Plex integration entry without a token leads to the flow's own form, with a note."""
    core = plex_entry(plex_server.url, token=None)
    core.add_to_hass(hass)
    result = await choose(hass, await getattr(init_integration, start)(hass), "plex_integration")
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"server": core.entry_id}
    )
    assert result["step_id"] == form
    assert result["errors"] == {"base": "plex_entry_incomplete"}
    assert_no_token(result)
