"""The Plex Butler integration: see and control the maintenance tasks of a Plex Media Server."""

from __future__ import annotations

from homeassistant.const import CONF_TOKEN, CONF_URL, CONF_VERIFY_SSL, Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.typing import ConfigType

from .api.client import PlexButlerClient
from .const import CONF_CLIENT_IDENTIFIER, DOMAIN
from .coordinator import PlexButlerConfigEntry, PlexButlerCoordinator
from .frontend import async_register_card
from .library_coordinator import PlexLibraryCoordinator
from .library_services import async_setup_library_services
from .repairs import async_follow_cut_short_runs, async_follow_issues, async_remove_issues
from .services import async_setup_services
from .store import history_store
from .voice.intents import async_setup_intents
from .voice.triggers import async_setup_voice

PLATFORMS: list[Platform] = [
    Platform.BINARY_SENSOR,
    Platform.BUTTON,
    Platform.CALENDAR,
    Platform.EVENT,
    Platform.SELECT,
    Platform.SENSOR,
    Platform.SWITCH,
]
CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register the actions and intents, which work on any loaded server, and the card."""
    async_setup_services(hass)
    async_setup_library_services(hass)
    await async_setup_intents(hass)
    await async_register_card(hass)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: PlexButlerConfigEntry) -> bool:
    """Connect to one Plex Media Server."""
    client = PlexButlerClient(
        entry.data[CONF_URL],
        entry.data[CONF_TOKEN],
        async_get_clientsession(hass, verify_ssl=entry.data[CONF_VERIFY_SSL]),
        client_identifier=entry.data[CONF_CLIENT_IDENTIFIER],
        verify_ssl=entry.data[CONF_VERIFY_SSL],
    )
    coordinator = PlexButlerCoordinator(hass, entry, client)
    await coordinator.async_config_entry_first_refresh()
    coordinator.libraries = PlexLibraryCoordinator(hass, coordinator)
    # A server that cannot list its libraries still has its Butler: the failure is logged.
    await coordinator.libraries.async_refresh()
    entry.runtime_data = coordinator
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    async_setup_voice(hass, entry)

    entry.async_on_unload(async_follow_issues(hass, entry))
    entry.async_on_unload(async_follow_cut_short_runs(hass, entry))
    # Cancelled by Home Assistant when the entry unloads.
    entry.async_create_background_task(
        hass, coordinator.async_listen_for_notifications(), f"{DOMAIN} notifications"
    )
    return True


async def async_unload_entry(hass: HomeAssistant, entry: PlexButlerConfigEntry) -> bool:
    """Disconnect from the server; its repairs cannot be fixed while it is not loaded."""
    async_remove_issues(hass, entry.entry_id)
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


async def async_remove_entry(hass: HomeAssistant, entry: PlexButlerConfigEntry) -> None:
    """Forget the runs remembered for a server that is removed."""
    await history_store(hass, entry.entry_id).async_remove()
