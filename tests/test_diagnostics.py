"""Diagnostics."""

from __future__ import annotations

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import CONF_URL
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.plex_butler.const import DEFAULT_SCAN_INTERVAL, DOMAIN

from .conftest import TOKEN, async_settle, server_device
from .plex_simulator import PlexSimulator


@pytest.fixture(autouse=True)
async def diagnostics(hass: HomeAssistant) -> None:
    """Set up diagnostics before the integration, so that its setup does not move time on."""
    assert await async_setup_component(hass, "diagnostics", {})


@pytest.mark.polling_only
async def test_diagnostics_redact_the_token(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    init_integration: MockConfigEntry,
    plex_server: PlexSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Diagnostics show tasks, Butler and background activities, never the token or media titles."""
    await plex_server.add_activity("butler", "Backup Database", 10)
    await plex_server.add_activity(
        "library.update.section", "Scanning Photos", 30, subtitle="4th Birthday"
    )
    freezer.tick(DEFAULT_SCAN_INTERVAL)
    async_fire_time_changed(hass)
    await async_settle(hass)

    result = await get_diagnostics_for_config_entry(hass, hass_client, init_integration)

    assert TOKEN not in str(result)
    assert result["entry"]["data"]["token"] == "**REDACTED**"
    assert result["entry"]["data"]["client_identifier"] == "**REDACTED**"
    assert result["entry"]["data"]["url"] == plex_server.url
    assert result["server"]["friendly_name"] == "Living Room Plex"
    backup = result["tasks"]["BackupDatabase"]
    assert (backup["status"], backup["source"], backup["progress"]) == (
        "running",
        "butler_activity",
        10,
    )
    # Found running at the first poll after start-up: when it started is unknown.
    assert backup["history"]["running"] is True
    assert result["tasks"]["RefreshLibraries"]["status"] == "disabled"
    assert [a["title"] for a in result["butler_activities"]] == ["Backup Database"]
    # Work outside the Butler, without the subtitle that names a media item.
    assert [(a["title"], a["subtitle"]) for a in result["background_activities"]] == [
        ("Scanning Photos", "**REDACTED**")
    ]
    assert "4th Birthday" not in str(result)
    assert result["recent_activities"] == [
        {"type": "butler", "title": "Backup Database"},
        {"type": "library.update.section", "title": "Scanning Photos"},
    ]
    # Polling only: this server offers no websocket.
    assert result["push"]["connected"] is False
    assert result["push"]["poll_interval_seconds"] == 30
    assert result["maintenance_window"] == {"start_hour": 2, "end_hour": 5}
    settings = result["settings"]
    assert (settings["ButlerStartHour"], settings["ButlerTaskRefreshLibraries"]) == ("2", "0")
    assert settings["GenerateBIFBehavior"] == "scheduled"
    assert settings["ButlerDatabaseBackupPath"] == "**REDACTED**"
    assert "LogVerbose" not in settings


async def test_a_token_stored_in_the_url_shows_nowhere(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    mock_config_entry: MockConfigEntry,
    plex_server: PlexSimulator,
) -> None:
    """An entry stored before URLs lost their query: no token in diagnostics or the device link."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=mock_config_entry.title,
        unique_id=mock_config_entry.unique_id,
        data={**mock_config_entry.data, CONF_URL: f"{plex_server.url}/?X-Plex-Token={TOKEN}"},
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await async_settle(hass)

    result = await get_diagnostics_for_config_entry(hass, hass_client, entry)
    assert TOKEN not in str(result)
    assert result["entry"]["data"]["url"] == plex_server.url
    assert server_device(hass, plex_server).configuration_url == f"{plex_server.url}/web"
    assert await hass.config_entries.async_unload(entry.entry_id)
