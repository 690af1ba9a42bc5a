"""The config flow: user, reauthentication, reconfiguration and options."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from datetime import timedelta
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import SOURCE_USER
from homeassistant.const import CONF_SCAN_INTERVAL, CONF_TOKEN, CONF_URL, CONF_VERIFY_SSL
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.plex_butler.const import CONF_CLIENT_IDENTIFIER, DOMAIN

from .conftest import MACHINE_ID, SERVER_NAME, TOKEN, async_settle
from .plex_simulator import PlexSimulator


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


async def test_user_flow_creates_an_entry(hass: HomeAssistant, plex_server: PlexSimulator) -> None:
    """A reachable server and the owner's token create an entry named after the server."""
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
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
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
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
        setattr(plex_server, break_it, True)
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _input(plex_server, **changes)
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == error

    if break_it == "down":
        await plex_server.come_back()
    elif break_it:
        setattr(plex_server, break_it, False)
    result = await hass.config_entries.flow.async_configure(result["flow_id"], _input(plex_server))
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()


async def test_user_flow_tls_failure(hass: HomeAssistant, plex_server: PlexSimulator) -> None:
    """A TLS handshake that fails has its own error, and plain http recovers."""
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        _input(plex_server, **{CONF_URL: plex_server.url.replace("http:", "https:")}),
    )
    assert result["errors"] == {"base": "ssl_error"}
    result = await hass.config_entries.flow.async_configure(result["flow_id"], _input(plex_server))
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()


async def test_user_flow_unexpected_error(hass: HomeAssistant, plex_server: PlexSimulator) -> None:
    """An unexpected error shows 'unknown' and the flow can go on."""
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
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
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    result = await hass.config_entries.flow.async_configure(result["flow_id"], _input(plex_server))
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


async def test_reauth(
    hass: HomeAssistant, init_integration: MockConfigEntry, plex_server: PlexSimulator
) -> None:
    """A new token is checked, stored, and the entry reloads with it."""
    plex_server.set_token("new-token")
    result = await init_integration.start_reauth_flow(hass)
    assert result["step_id"] == "reauth_confirm"

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_TOKEN: "still-wrong"}
    )
    assert result["errors"] == {"base": "invalid_auth"}

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_TOKEN: "new-token"}
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
    result = await init_integration.start_reauth_flow(hass)
    plex_server.machine_identifier = "0" * 40
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {CONF_TOKEN: TOKEN})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_server"


async def test_reconfigure(
    hass: HomeAssistant, init_integration: MockConfigEntry, plex_server: PlexSimulator
) -> None:
    """The URL, token and TLS check can change; errors show on the form first."""
    result = await init_integration.start_reconfigure_flow(hass)
    assert result["step_id"] == "reconfigure"

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _input(plex_server, **{CONF_URL: "bad url"})
    )
    assert result["errors"] == {CONF_URL: "invalid_url"}

    new_url = f"{plex_server.url}/"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _input(plex_server, **{CONF_URL: new_url, CONF_VERIFY_SSL: False})
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    # Stored as the client uses it: without the trailing slash.
    assert init_integration.data[CONF_URL] == plex_server.url
    assert init_integration.data[CONF_VERIFY_SSL] is False
    await async_settle(hass)  # the reload it started


async def test_reconfigure_to_another_server_aborts(
    hass: HomeAssistant, init_integration: MockConfigEntry, plex_server: PlexSimulator
) -> None:
    """Reconfiguring cannot swap the server for another one."""
    result = await init_integration.start_reconfigure_flow(hass)
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
