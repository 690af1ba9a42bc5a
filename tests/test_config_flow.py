"""The config flow: user, reauthentication, reconfiguration and options."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from datetime import timedelta
from pathlib import Path
from unittest.mock import patch

from aiohttp import web
from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import SOURCE_USER
from homeassistant.const import CONF_SCAN_INTERVAL, CONF_TOKEN, CONF_URL, CONF_VERIFY_SSL
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResult, FlowResultType
from homeassistant.helpers.translation import async_get_translations
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.plex_butler.const import CONF_CLIENT_IDENTIFIER, DOMAIN

from .conftest import MACHINE_ID, SERVER_NAME, TOKEN, async_settle
from .plex_simulator import PlexSimulator
from .tls import plex_direct_tls


@pytest.fixture(autouse=True)
async def unload_before_the_server_stops(
    hass: HomeAssistant, plex_server: PlexSimulator
) -> AsyncGenerator[None]:
    """Unload the entries a flow created while their server still runs.

    Left loaded, an entry reconnects or refreshes as the server stops, and a connection accepted
    by the closing server fails the test's teardown.
    """
    yield
    for entry in hass.config_entries.async_entries(DOMAIN):
        await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()


def _input(server: PlexSimulator, **changes: object) -> dict[str, object]:
    return {CONF_URL: server.url, CONF_TOKEN: TOKEN, CONF_VERIFY_SSL: True, **changes}


async def _by_hand(hass: HomeAssistant) -> FlowResult:
    """Start a flow and choose "Enter the URL and token" in its menu."""
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    assert result["type"] is FlowResultType.MENU
    assert result["menu_options"] == ["sign_in", "manual"]
    return await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "manual"}
    )


async def _choose(hass: HomeAssistant, menu: FlowResult, step: str) -> FlowResult:
    """Choose a step in a menu."""
    assert menu["type"] is FlowResultType.MENU
    return await hass.config_entries.flow.async_configure(menu["flow_id"], {"next_step_id": step})


async def _shown_errors(hass: HomeAssistant, result: FlowResult) -> dict[str, str]:
    """Return the form's errors as a user reads them, in English."""
    texts = await async_get_translations(hass, "en", "config", {DOMAIN})
    return {
        field: texts[f"component.{DOMAIN}.config.error.{key}"]
        for field, key in result["errors"].items()
    }


async def test_user_flow_creates_an_entry(hass: HomeAssistant, plex_server: PlexSimulator) -> None:
    """A reachable server and the owner's token create an entry named after the server."""
    result = await _by_hand(hass)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "manual"
    assert result["errors"] == {}

    result = await hass.config_entries.flow.async_configure(result["flow_id"], _input(plex_server))
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == SERVER_NAME
    assert result["result"].unique_id == MACHINE_ID
    data = dict(result["data"])
    assert len(data.pop(CONF_CLIENT_IDENTIFIER)) == 32
    assert data == _input(plex_server)
    await hass.async_block_till_done()
    assert ("GET", "/butler") in [(r.method, r.path) for r in plex_server.requests]


async def test_a_token_in_the_url_is_not_kept(
    hass: HomeAssistant, plex_server: PlexSimulator
) -> None:
    """A URL copied with "?X-Plex-Token=..." (and spaces) is stored without the query."""
    result = await _by_hand(hass)
    pasted = f"  {plex_server.url}/?X-Plex-Token={TOKEN}#!/settings  "
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _input(plex_server, **{CONF_URL: pasted})
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_URL] == plex_server.url
    await hass.async_block_till_done()
    assert all("X-Plex-Token" not in request.query for request in plex_server.requests)


@pytest.mark.parametrize(
    ("break_it", "changes", "error"),
    [
        (None, {CONF_URL: "not a url"}, {CONF_URL: "invalid_url"}),
        (None, {CONF_URL: "ftp://plex.local:32400"}, {CONF_URL: "invalid_url"}),
        (None, {CONF_TOKEN: "wrong"}, {"base": "invalid_auth"}),
        ("garbage", {}, {"base": "cannot_connect"}),
        ("fail_with_500", {}, {"base": "cannot_connect"}),
        ("down", {}, {"base": "cannot_connect"}),
    ],
)
async def test_user_flow_errors_then_recovers(
    hass: HomeAssistant,
    plex_server: PlexSimulator,
    break_it: str | None,
    changes: dict[str, object],
    error: dict[str, str],
) -> None:
    """Each problem is shown on the form, and fixing it creates the entry."""
    if break_it == "down":
        await plex_server.go_down()
    elif break_it:
        setattr(plex_server.faults, break_it, True)
    result = await _by_hand(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _input(plex_server, **changes)
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == error

    if break_it == "down":
        await plex_server.come_back()
    elif break_it:
        setattr(plex_server.faults, break_it, False)
    result = await hass.config_entries.flow.async_configure(result["flow_id"], _input(plex_server))
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()


@pytest.mark.parametrize("verify_ssl", [True, False])
async def test_https_to_a_plain_http_port(
    hass: HomeAssistant, plex_server: PlexSimulator, verify_ssl: bool
) -> None:
    """https:// to a plain-HTTP port says so, also without verification; http:// recovers."""
    result = await _by_hand(hass)
    https = plex_server.url.replace("http:", "https:")
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _input(plex_server, **{CONF_URL: https, CONF_VERIFY_SSL: verify_ssl})
    )
    assert await _shown_errors(hass, result) == {
        CONF_URL: "This port answers plain HTTP, not HTTPS: use http:// instead of https://."
    }
    result = await hass.config_entries.flow.async_configure(result["flow_id"], _input(plex_server))
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()


async def test_certificate_for_another_host(
    hass: HomeAssistant, socket_enabled: None, tmp_path: Path
) -> None:
    """A TLS server whose certificate names another host keeps the certificate message."""
    runner = web.AppRunner(web.Application(), access_log=None, shutdown_timeout=1.0)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0, ssl_context=plex_direct_tls(tmp_path)).start()
    # Python 3.14's asyncio in debug mode reports a client that aborts a TLS handshake with a
    # server of the loop; here that client is the flow, refusing on purpose.
    asyncio.get_running_loop().set_debug(False)
    try:
        result = await _by_hand(hass)
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"],
            {
                CONF_URL: f"https://127.0.0.1:{runner.addresses[0][1]}",
                CONF_TOKEN: TOKEN,
                CONF_VERIFY_SSL: True,
            },
        )
    finally:
        await runner.cleanup()
    assert await _shown_errors(hass, result) == {
        "base": "The secure connection failed: the server's certificate does not match this "
        "address. Use the server's plex.direct address, use http://, or turn off certificate "
        "verification."
    }


async def test_pasted_plex_web_address_and_token(
    hass: HomeAssistant, plex_server: PlexSimulator
) -> None:
    """A Plex Web address and a token with spaces around it are stored cleaned."""
    result = await _by_hand(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        _input(
            plex_server,
            **{
                CONF_URL: f"{plex_server.url}/web/index.html#!/settings/server",
                CONF_TOKEN: f"  {TOKEN}\n",
            },
        ),
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_URL] == plex_server.url
    assert result["data"][CONF_TOKEN] == TOKEN
    await hass.async_block_till_done()


async def test_user_flow_unexpected_error(hass: HomeAssistant, plex_server: PlexSimulator) -> None:
    """An unexpected error shows 'unknown' and the flow can go on."""
    result = await _by_hand(hass)
    with patch(
        "custom_components.plex_butler.config_flow.PlexButlerClient.server_info",
        side_effect=RuntimeError("boom"),
    ):
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], _input(plex_server)
        )
    assert result["errors"] == {"base": "unknown"}
    result = await hass.config_entries.flow.async_configure(result["flow_id"], _input(plex_server))
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()


async def test_same_server_twice_aborts(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, plex_server: PlexSimulator
) -> None:
    """A server that is already set up is not added again."""
    mock_config_entry.add_to_hass(hass)
    result = await _by_hand(hass)
    result = await hass.config_entries.flow.async_configure(result["flow_id"], _input(plex_server))
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


async def test_reauth(
    hass: HomeAssistant, init_integration: MockConfigEntry, plex_server: PlexSimulator
) -> None:
    """A new token is checked, stored without surrounding spaces, and the entry reloads."""
    plex_server.set_token("new-token")
    result = await init_integration.start_reauth_flow(hass)
    assert result["type"] is FlowResultType.MENU
    assert result["menu_options"] == ["sign_in", "reauth_confirm"]
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "reauth_confirm"}
    )
    assert result["step_id"] == "reauth_confirm"

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_TOKEN: "still-wrong"}
    )
    assert result["errors"] == {"base": "invalid_auth"}

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_TOKEN: " new-token "}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert init_integration.data[CONF_TOKEN] == "new-token"
    assert init_integration.data[CONF_CLIENT_IDENTIFIER] == "test-client-identifier"
    await hass.async_block_till_done()


async def test_reauth_for_another_server_aborts(
    hass: HomeAssistant, init_integration: MockConfigEntry, plex_server: PlexSimulator
) -> None:
    """A token that works, but on another server at that URL, is refused."""
    result = await _choose(hass, await init_integration.start_reauth_flow(hass), "reauth_confirm")
    plex_server.machine_identifier = "0" * 40
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {CONF_TOKEN: TOKEN})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_server"


async def test_reconfigure(
    hass: HomeAssistant, init_integration: MockConfigEntry, plex_server: PlexSimulator
) -> None:
    """The URL and TLS check can change without the token; errors show on the form first."""
    result = await init_integration.start_reconfigure_flow(hass)
    assert result["type"] is FlowResultType.MENU
    assert result["menu_options"] == ["sign_in", "reconfigure_manual"]
    result = await _choose(hass, result, "reconfigure_manual")
    assert result["step_id"] == "reconfigure_manual"

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _input(plex_server, **{CONF_URL: "bad url"})
    )
    assert result["errors"] == {CONF_URL: "invalid_url"}

    new_url = f"{plex_server.url}/"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_URL: new_url, CONF_VERIFY_SSL: False}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    # Stored as the client uses it: without the trailing slash; the token left empty is kept.
    assert init_integration.data[CONF_URL] == plex_server.url
    assert init_integration.data[CONF_VERIFY_SSL] is False
    assert init_integration.data[CONF_TOKEN] == TOKEN
    await async_settle(hass)  # the reload it started


@pytest.mark.parametrize(("typed", "stored"), [("", TOKEN), ("  new-token ", "new-token")])
async def test_reconfigure_token(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    plex_server: PlexSimulator,
    typed: str,
    stored: str,
) -> None:
    """An empty token field keeps the stored token; a typed one is stored trimmed."""
    plex_server.set_token(stored)
    result = await _choose(
        hass, await init_integration.start_reconfigure_flow(hass), "reconfigure_manual"
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _input(plex_server, **{CONF_TOKEN: typed})
    )
    assert result["reason"] == "reconfigure_successful"
    assert init_integration.data[CONF_TOKEN] == stored
    await async_settle(hass)


async def test_reconfigure_to_another_server_aborts(
    hass: HomeAssistant, init_integration: MockConfigEntry, plex_server: PlexSimulator
) -> None:
    """Reconfiguring cannot swap the server for another one."""
    result = await _choose(
        hass, await init_integration.start_reconfigure_flow(hass), "reconfigure_manual"
    )
    plex_server.machine_identifier = "0" * 40
    result = await hass.config_entries.flow.async_configure(result["flow_id"], _input(plex_server))
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_server"


@pytest.mark.polling_only
async def test_options_change_the_polling_interval(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    plex_server: PlexSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """The polling interval is stored and the entry reloads to use it."""
    result = await hass.config_entries.options.async_init(init_integration.entry_id)
    assert result["step_id"] == "init"
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_SCAN_INTERVAL: 120}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert init_integration.options == {CONF_SCAN_INTERVAL: 120}

    async def polls_after(seconds: int) -> int:
        before = len(plex_server.requests)
        freezer.tick(timedelta(seconds=seconds))
        async_fire_time_changed(hass)
        await async_settle(hass)
        return len([r for r in plex_server.requests[before:] if r.path == "/butler"])

    assert await polls_after(60) == 0
    assert await polls_after(60) == 1
