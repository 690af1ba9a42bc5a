"""Setting up and unloading a server."""

from __future__ import annotations

import logging

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.plex_butler.const import DEFAULT_SCAN_INTERVAL, DOMAIN, EVENT_TASK

from .conftest import (
    MACHINE_ID,
    SERVER_NAME,
    TOKEN,
    async_press,
    async_settle,
    async_wait_until,
    entity_id_of,
    server_device,
)
from .plex_simulator import PlexSimulator


async def test_load_and_unload(
    hass: HomeAssistant, init_integration: MockConfigEntry, plex_server: PlexSimulator
) -> None:
    """A reachable server loads with one device, and unloads cleanly."""
    entry = init_integration
    assert entry.state is ConfigEntryState.LOADED

    device = server_device(hass, plex_server)
    assert device.name == SERVER_NAME
    assert device.manufacturer == "Plex"
    assert device.model == "Plex Media Server"
    assert device.sw_version == "1.41.3.9314-a0bfb8370"
    assert device.hw_version == "Linux 6.8.0-51-generic"
    assert device.configuration_url == f"{plex_server.url}/web"

    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.NOT_LOADED


async def test_the_task_events_entity_listens_only_while_it_is_there(
    hass: HomeAssistant, init_integration: MockConfigEntry, plex_server: PlexSimulator
) -> None:
    """Subscribed when added, unsubscribed when removed; the rest of the entry keeps its own."""
    coordinator = init_integration.runtime_data
    event_entity = entity_id_of(hass, "event", f"{MACHINE_ID}_task_event")
    # The entity's subscription beside the entry's own (the bus, the logbook's; the repairs).
    others = len(coordinator._task_event_listeners) - 1
    assert others >= 1
    on_the_bus: list[Event] = []

    @callback
    def record(event: Event) -> None:
        on_the_bus.append(event)

    hass.bus.async_listen(EVENT_TASK, record)

    er.async_get(hass).async_remove(event_entity)
    await async_settle(hass)
    assert hass.states.get(event_entity) is None
    assert len(coordinator._task_event_listeners) == others

    # A task event after the removal: on the bus as before, and no state for the removed entity.
    await async_press(hass, f"{MACHINE_ID}_CleanOldBundles_start")
    await async_wait_until(hass, lambda: len(on_the_bus) == 2)
    assert [event.data["type"] for event in on_the_bus] == ["maintenance_started", "task_started"]
    assert hass.states.get(event_entity) is None

    assert await hass.config_entries.async_unload(init_integration.entry_id)
    await hass.async_block_till_done()
    assert coordinator._task_event_listeners == []


async def test_no_hardware_from_the_platform_alone(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, plex_server: PlexSimulator
) -> None:
    """A server that reports no platform version gets no hardware line, not "Linux"."""
    plex_server.platform_version = ""
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await async_settle(hass)
    device = server_device(hass, plex_server)
    assert (device.model, device.hw_version) == ("Plex Media Server", None)
    assert await hass.config_entries.async_unload(mock_config_entry.entry_id)
    await hass.async_block_till_done()


async def test_token_travels_only_in_the_header(
    hass: HomeAssistant, init_integration: MockConfigEntry, plex_server: PlexSimulator
) -> None:
    """The token is sent in X-Plex-Token, never in a URL, with the client's identity."""
    assert plex_server.requests
    for request in plex_server.requests:
        if request.path == "/identity":
            continue
        assert request.headers["X-Plex-Token"] == TOKEN
        assert request.headers["X-Plex-Client-Identifier"] == "test-client-identifier"
        assert request.headers["Accept"] == "application/json"
        assert TOKEN not in request.path
        assert TOKEN not in str(request.query)


async def test_server_down_at_start_retries(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, plex_server: PlexSimulator
) -> None:
    """A server that is down at start makes Home Assistant retry later."""
    await plex_server.go_down()
    mock_config_entry.add_to_hass(hass)
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert mock_config_entry.state is ConfigEntryState.SETUP_RETRY


@pytest.mark.parametrize("fault", ["fail_with_500", "garbage", "truncated"])
async def test_bad_answers_at_start_retry(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    plex_server: PlexSimulator,
    fault: str,
) -> None:
    """A server that answers errors or garbage makes Home Assistant retry later."""
    setattr(plex_server.faults, fault, True)
    mock_config_entry.add_to_hass(hass)
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert mock_config_entry.state is ConfigEntryState.SETUP_RETRY


async def test_revoked_token_at_start_asks_for_reauth(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, plex_server: PlexSimulator
) -> None:
    """A refused token fails setup and starts the reauthentication flow."""
    plex_server.revoke_token()
    mock_config_entry.add_to_hass(hass)
    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert mock_config_entry.state is ConfigEntryState.SETUP_ERROR
    flows = hass.config_entries.flow.async_progress()
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]
    assert flows[0]["context"]["entry_id"] == mock_config_entry.entry_id


@pytest.mark.polling_only
async def test_server_lost_and_back(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    plex_server: PlexSimulator,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Entities become unavailable when the server goes, and come back with it; logged once each."""
    caplog.set_level(logging.INFO)
    sensor = entity_id_of(hass, "sensor", f"{MACHINE_ID}_BackupDatabase_status")
    button = entity_id_of(hass, "button", f"{MACHINE_ID}_BackupDatabase_start")
    assert hass.states.get(sensor).state == "idle"

    await plex_server.go_down()
    for _ in range(3):
        freezer.tick(DEFAULT_SCAN_INTERVAL)
        async_fire_time_changed(hass)
        await async_settle(hass)
    assert hass.states.get(sensor).state == STATE_UNAVAILABLE
    assert hass.states.get(button).state == STATE_UNAVAILABLE
    assert caplog.text.count("Error fetching") == 1

    await plex_server.come_back()
    for _ in range(2):
        freezer.tick(DEFAULT_SCAN_INTERVAL)
        async_fire_time_changed(hass)
        await async_settle(hass)
    assert hass.states.get(sensor).state == "idle"
    assert hass.states.get(button).state != STATE_UNAVAILABLE
    assert caplog.text.count("data recovered") == 1
    assert TOKEN not in caplog.text


@pytest.mark.polling_only
async def test_token_revoked_while_running_asks_for_reauth(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    plex_server: PlexSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A token revoked while loaded starts reauthentication at the next poll."""
    plex_server.revoke_token()
    freezer.tick(DEFAULT_SCAN_INTERVAL)
    async_fire_time_changed(hass)
    await async_settle(hass)
    flows = hass.config_entries.flow.async_progress()
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]


async def test_actions_exist_without_entries(hass: HomeAssistant) -> None:
    """The actions are registered with the integration, before any server is set up."""
    assert await async_setup_component(hass, DOMAIN, {})
    assert hass.services.has_service(DOMAIN, "start_task")
