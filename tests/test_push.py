"""Live state: the notification websocket, reconnects, events and remembered runs."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import SOURCE_REAUTH
from homeassistant.const import STATE_OFF, STATE_ON, STATE_UNKNOWN
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers import entity_registry as er
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.plex_butler.const import (
    DEFAULT_SCAN_INTERVAL,
    PUSH_SAFETY_INTERVAL,
    RECONNECT_DELAY_MAX,
)

from .conftest import (
    MACHINE_ID,
    async_press,
    async_settle,
    async_tick,
    async_wait_until,
    entity_id_of,
)
from .helpers import state_of, task_status
from .plex_simulator import PlexSimulator

# Long enough for any reconnect delay with its jitter.
AFTER_BACKOFF = timedelta(seconds=RECONNECT_DELAY_MAX * 1.2 + 1)


def _polls(plex_server: PlexSimulator) -> int:
    return sum(request.path == "/butler" for request in plex_server.requests)


async def _live(hass: HomeAssistant) -> None:
    await async_wait_until(
        hass, lambda: state_of(hass, "binary_sensor", "live_updates").state == STATE_ON
    )
    await async_settle(hass)  # the catch-up poll after connecting


async def test_activity_events_update_states_at_once(
    hass: HomeAssistant, init_integration: MockConfigEntry, plex_server: PlexSimulator
) -> None:
    """Started, updated and ended activities reach the task's sensor without any poll."""
    await _live(hass)
    polls = _polls(plex_server)
    sensor = entity_id_of(hass, "sensor", f"{MACHINE_ID}_GenerateChapterThumbs_status")

    await plex_server.butler.start_task("GenerateChapterThumbs")
    await async_wait_until(hass, lambda: hass.states.get(sensor).state == "running")
    assert hass.states.get(sensor).attributes["progress"] == 0
    assert state_of(hass, "binary_sensor", "maintenance_running").state == STATE_ON

    activity = plex_server.butler.running["GenerateChapterThumbs"]
    await plex_server.update_activity(activity.uuid, 40)
    await async_wait_until(hass, lambda: hass.states.get(sensor).attributes.get("progress") == 40)

    await plex_server.butler.end_activity(activity.uuid)
    await async_wait_until(hass, lambda: hass.states.get(sensor).state == "idle")
    assert state_of(hass, "binary_sensor", "maintenance_running").state == STATE_OFF
    assert _polls(plex_server) == polls


async def test_unmatched_butler_work_counts_as_maintenance(
    hass: HomeAssistant, init_integration: MockConfigEntry, plex_server: PlexSimulator
) -> None:
    """Butler work the integration cannot tie to a task still shows as maintenance."""
    await _live(hass)
    activity = await plex_server.add_activity("butler.SomethingNew", "Doing something new")
    await async_wait_until(
        hass, lambda: state_of(hass, "binary_sensor", "maintenance_running").state == STATE_ON
    )
    assert state_of(hass, "sensor", "running_tasks").state == "0"
    await plex_server.butler.end_activity(activity.uuid)
    await async_wait_until(
        hass, lambda: state_of(hass, "binary_sensor", "maintenance_running").state == STATE_OFF
    )


async def test_polling_is_a_safety_net_while_connected(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    plex_server: PlexSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """While the websocket is open the task list is polled every few minutes only."""
    await _live(hass)
    polls = _polls(plex_server)
    for _ in range(4):
        await async_tick(hass, freezer, DEFAULT_SCAN_INTERVAL)
    assert _polls(plex_server) == polls
    await async_tick(hass, freezer, PUSH_SAFETY_INTERVAL)
    assert _polls(plex_server) == polls + 1


async def test_at_most_four_requests_an_hour_while_connected(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    plex_server: PlexSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """With push connected and nothing happening, a server gets at most 4 requests an hour."""
    await _live(hass)
    for _ in range(12):  # settle into the steady state
        await async_tick(hass, freezer, timedelta(minutes=5))
    first = len(plex_server.requests)
    for _ in range(24):  # two hours
        await async_tick(hass, freezer, timedelta(minutes=5))
    assert len(plex_server.requests) - first <= 8


@pytest.mark.butler_names_tasks
async def test_reconnect_after_the_server_drops_the_websocket(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    plex_server: PlexSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A dropped websocket falls back to polling, which covers the gap, then reconnects."""
    await _live(hass)
    plex_server.faults.websockets_enabled = False
    await plex_server.drop_websockets()
    await async_wait_until(
        hass, lambda: state_of(hass, "binary_sensor", "live_updates").state == STATE_OFF
    )
    await async_settle(hass)

    # Disconnected: a task started now shows at the next normal poll.
    await plex_server.butler.start_task("OptimizeDatabase")
    await async_tick(hass, freezer, DEFAULT_SCAN_INTERVAL)
    assert task_status(hass, "OptimizeDatabase") == "running"
    assert state_of(hass, "binary_sensor", "live_updates").state == STATE_OFF

    plex_server.faults.websockets_enabled = True
    await async_tick(hass, freezer, AFTER_BACKOFF)
    await _live(hass)
    assert plex_server.websocket_count == 1

    # Connected again: pushes arrive at once.
    await plex_server.butler.end_activity(plex_server.butler.running["OptimizeDatabase"].uuid)
    await async_wait_until(hass, lambda: task_status(hass, "OptimizeDatabase") == "idle")


async def test_websocket_401_starts_reauth_and_stops_listening(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    plex_server: PlexSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A refused token on the websocket starts reauthentication; no retry loop hammers it."""
    await _live(hass)
    plex_server.revoke_token()
    await plex_server.drop_websockets()
    await async_wait_until(hass, lambda: bool(hass.config_entries.flow.async_progress()))
    await async_tick(hass, freezer, AFTER_BACKOFF)
    attempts = sum(r.path == "/:/websockets/notifications" for r in plex_server.requests)
    await async_tick(hass, freezer, AFTER_BACKOFF)
    await async_tick(hass, freezer, AFTER_BACKOFF)
    assert sum(r.path == "/:/websockets/notifications" for r in plex_server.requests) == attempts
    flows = hass.config_entries.flow.async_progress()
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]


async def test_unload_closes_the_websocket(
    hass: HomeAssistant, init_integration: MockConfigEntry, plex_server: PlexSimulator
) -> None:
    """Unloading the entry closes its websocket; nothing keeps running."""
    await _live(hass)
    assert plex_server.websocket_count == 1
    await hass.config_entries.async_unload(init_integration.entry_id)
    await async_wait_until(hass, lambda: plex_server.websocket_count == 0)


@pytest.mark.butler_names_tasks
async def test_task_events_fire_once_each(
    hass: HomeAssistant, init_integration: MockConfigEntry, plex_server: PlexSimulator
) -> None:
    """The event entity fires task_started, task_finished and task_stopped, once each."""
    await _live(hass)
    event_entity = entity_id_of(hass, "event", f"{MACHINE_ID}_task_event")
    assert event_entity == "event.living_room_plex_last_task_event"  # as in docs/automations.md
    assert hass.states.get(event_entity).state == STATE_UNKNOWN
    fired: list[dict[str, Any]] = []

    @callback
    def record(event: Event) -> None:
        attributes = event.data["new_state"].attributes
        # The Butler's own runs have a test of their own (test_maintenance.py).
        if event.data["entity_id"] == event_entity and attributes.get("task"):
            fired.append(dict(attributes))

    hass.bus.async_listen("state_changed", record)

    await plex_server.butler.start_task("BackupDatabase")
    await async_wait_until(hass, lambda: len(fired) == 1)
    await plex_server.butler.end_activity(plex_server.butler.running["BackupDatabase"].uuid)
    await async_wait_until(hass, lambda: len(fired) == 2)
    await async_press(hass, f"{MACHINE_ID}_CleanOldBundles_start")
    await async_wait_until(hass, lambda: len(fired) == 3)
    await async_press(hass, f"{MACHINE_ID}_CleanOldBundles_stop")
    await async_wait_until(hass, lambda: len(fired) == 4)
    await async_settle(hass)

    assert [(e["event_type"], e["task"]) for e in fired] == [
        ("task_started", "BackupDatabase"),
        ("task_finished", "BackupDatabase"),
        ("task_started", "CleanOldBundles"),
        ("task_stopped", "CleanOldBundles"),
    ]
    assert fired[1]["title"] == "Backup Database"
    assert fired[1]["duration"] >= 0
    assert len(fired) == 4


@pytest.mark.butler_names_tasks
async def test_last_run_is_recorded_and_survives_a_restart(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    plex_server: PlexSimulator,
    hass_storage: dict[str, Any],
) -> None:
    """A finished run sets last run and its duration, is stored, and is there after a reload."""
    await _live(hass)
    last_run = entity_id_of(hass, "sensor", f"{MACHINE_ID}_BackupDatabase_last_run")
    assert hass.states.get(last_run).state == STATE_UNKNOWN

    before = dt_util.utcnow()
    await plex_server.butler.start_task("BackupDatabase")
    await async_wait_until(hass, lambda: hass.states.get(last_run).state != STATE_UNKNOWN)
    started = dt_util.parse_datetime(hass.states.get(last_run).state)
    assert started is not None
    assert started >= before.replace(microsecond=0)
    await plex_server.butler.end_activity(plex_server.butler.running["BackupDatabase"].uuid)
    await async_wait_until(
        hass, lambda: hass.states.get(last_run).attributes.get("last_finished") is not None
    )
    duration = hass.states.get(last_run).attributes["last_duration"]
    assert duration >= 0
    await async_settle(hass)
    stored = hass_storage[f"plex_butler.{init_integration.entry_id}"]
    assert (stored["version"], stored["minor_version"]) == (1, 3)
    assert stored["data"]["tasks"]["BackupDatabase"]["last_started"] is not None
    # The Butler's own run that carried it, too.
    assert stored["data"]["maintenance"]["last_finished"] is not None

    await hass.config_entries.async_reload(init_integration.entry_id)
    await async_settle(hass)
    state = hass.states.get(last_run)
    assert dt_util.parse_datetime(state.state) == started
    assert state.attributes["last_duration"] == duration


@pytest.mark.parametrize(
    "hass_storage_data",
    [
        {
            "BackupDatabase": {
                "last_started": "2026-11-27T10:00:00+00:00",
                "last_finished": "2026-11-27T10:05:30+00:00",
            },
            "OptimizeDatabase": {"last_started": "not a time", "last_finished": None},
        }
    ],
)
async def test_history_from_a_previous_run_of_home_assistant(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    hass_storage: dict[str, Any],
    hass_storage_data: dict[str, Any],
) -> None:
    """Runs stored before a restart (by version 1.1) show; unreadable ones count as unknown."""
    hass_storage[f"plex_butler.{mock_config_entry.entry_id}"] = {
        "version": 1,
        "key": f"plex_butler.{mock_config_entry.entry_id}",
        "data": hass_storage_data,
    }
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await async_settle(hass)

    state = hass.states.get(entity_id_of(hass, "sensor", f"{MACHINE_ID}_BackupDatabase_last_run"))
    assert state.state == "2026-11-27T10:00:00+00:00"
    assert state.attributes["last_duration"] == 330
    optimize = entity_id_of(hass, "sensor", f"{MACHINE_ID}_OptimizeDatabase_last_run")
    assert hass.states.get(optimize).state == STATE_UNKNOWN
    await hass.config_entries.async_unload(mock_config_entry.entry_id)


@pytest.mark.butler_names_tasks
async def test_removing_the_entry_forgets_its_history(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    plex_server: PlexSimulator,
    hass_storage: dict[str, Any],
) -> None:
    """Nothing of a removed server stays behind."""
    await _live(hass)
    await plex_server.butler.start_task("BackupDatabase")
    await async_wait_until(hass, lambda: f"plex_butler.{init_integration.entry_id}" in hass_storage)
    await hass.config_entries.async_remove(init_integration.entry_id)
    await async_settle(hass)
    assert f"plex_butler.{init_integration.entry_id}" not in hass_storage


async def test_window_change_moves_the_next_run(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    plex_server: PlexSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A new maintenance window on the server moves the estimate at once (push)."""
    await _live(hass)
    next_run = entity_id_of(hass, "sensor", f"{MACHINE_ID}_BackupDatabase_next_run")
    before = dt_util.parse_datetime(hass.states.get(next_run).state)
    assert before is not None
    assert dt_util.as_local(before).hour == 2

    await plex_server.set_preference("ButlerStartHour", "4")
    await async_wait_until(
        hass,
        lambda: dt_util.as_local(dt_util.parse_datetime(hass.states.get(next_run).state)).hour == 4,
    )


async def test_next_run_disabled_by_default_for_disabled_tasks(
    hass: HomeAssistant, init_integration: MockConfigEntry, entity_registry: er.EntityRegistry
) -> None:
    """Next run starts enabled only for tasks the server runs on its own."""
    enabled = entity_registry.async_get(
        entity_id_of(hass, "sensor", f"{MACHINE_ID}_BackupDatabase_next_run")
    )
    disabled = entity_registry.async_get(
        entity_id_of(hass, "sensor", f"{MACHINE_ID}_RefreshLibraries_next_run")
    )
    assert enabled.disabled_by is None
    assert disabled.disabled_by is er.RegistryEntryDisabler.INTEGRATION


async def test_task_switched_off_on_the_server_shows_at_once(
    hass: HomeAssistant, init_integration: MockConfigEntry, plex_server: PlexSimulator
) -> None:
    """Turning a task off in the server's settings shows as disabled without waiting for a poll."""
    await _live(hass)
    await plex_server.set_preference("ButlerTaskBackupDatabase", "0")
    await async_wait_until(hass, lambda: task_status(hass, "BackupDatabase") == "disabled")
    # Other settings change nothing here.
    polls = _polls(plex_server)
    await plex_server.set_preference("LogVerbose", "1")
    await plex_server.set_preference("ButlerTaskBackupDatabase", "1")
    await async_wait_until(hass, lambda: task_status(hass, "BackupDatabase") == "idle")
    assert _polls(plex_server) == polls + 1


@pytest.mark.butler_names_tasks
async def test_a_push_that_changes_nothing_writes_nothing(
    hass: HomeAssistant, init_integration: MockConfigEntry, plex_server: PlexSimulator
) -> None:
    """An activity update with the same progress writes no state; the next real change does."""
    await _live(hass)
    sensor = entity_id_of(hass, "sensor", f"{MACHINE_ID}_DeepMediaAnalysis_status")
    await plex_server.butler.start_task("DeepMediaAnalysis")
    await async_wait_until(hass, lambda: hass.states.get(sensor).state == "running")
    writes: list[Event] = []
    hass.bus.async_listen(
        "state_changed",
        lambda event: writes.append(event) if event.data["entity_id"] == sensor else None,
    )
    uuid = plex_server.butler.running["DeepMediaAnalysis"].uuid
    await plex_server.update_activity(uuid, 0)
    await plex_server.update_activity(uuid, 10)
    await async_wait_until(hass, lambda: hass.states.get(sensor).attributes["progress"] == 10)
    assert len(writes) == 1


@pytest.mark.butler_names_tasks
async def test_a_push_about_one_task_writes_only_its_states(
    hass: HomeAssistant, init_integration: MockConfigEntry, plex_server: PlexSimulator
) -> None:
    """Only the state that changed is written, not even as an unchanged report elsewhere."""
    await _live(hass)
    sensor = entity_id_of(hass, "sensor", f"{MACHINE_ID}_DeepMediaAnalysis_status")
    await plex_server.butler.start_task("DeepMediaAnalysis")
    await async_wait_until(hass, lambda: hass.states.get(sensor).state == "running")
    entries = er.async_entries_for_config_entry(er.async_get(hass), init_integration.entry_id)
    other_tasks = {
        entry.entity_id
        for entry in entries
        for name in plex_server.tasks
        if name != "DeepMediaAnalysis" and entry.unique_id.startswith(f"{MACHINE_ID}_{name}_")
    }
    written: set[str] = set()

    @callback
    def record(event: Event) -> None:
        written.add(event.data["entity_id"])

    hass.bus.async_listen("state_changed", record)
    hass.bus.async_listen("state_reported", record, event_filter=callback(lambda _: True))

    await plex_server.update_activity(plex_server.butler.running["DeepMediaAnalysis"].uuid, 40)
    progress = entity_id_of(hass, "sensor", f"{MACHINE_ID}_DeepMediaAnalysis_progress")
    await async_wait_until(hass, lambda: hass.states.get(progress).state == "40")
    assert len(other_tasks) > 50
    # Nor are the task's other entities or the server's: its progress shows on its status and
    # its Progress sensor alone.
    assert written == {sensor, progress}


async def test_task_running_when_home_assistant_starts(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, plex_server: PlexSimulator
) -> None:
    """A task already running at start-up shows as running; its start is unknown, no event."""
    await plex_server.add_activity("butler", "Optimize Database")
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await async_settle(hass)
    assert task_status(hass, "OptimizeDatabase") == "running"
    assert state_of(hass, "sensor", "OptimizeDatabase_last_run").state == STATE_UNKNOWN
    assert state_of(hass, "event", "task_event").state == STATE_UNKNOWN
    await hass.config_entries.async_unload(mock_config_entry.entry_id)


@pytest.mark.polling_only
@pytest.mark.butler_names_tasks
async def test_events_of_the_poll_after_an_outage_are_all_kept(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    plex_server: PlexSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Tasks that ended while the server was away each get their event when it is back."""
    event_entity = entity_id_of(hass, "event", f"{MACHINE_ID}_task_event")
    fired: list[tuple[str, str]] = []

    @callback
    def record(event: Event) -> None:
        new_state = event.data["new_state"]
        if event.data["entity_id"] == event_entity and new_state.attributes.get("task"):
            fired.append((new_state.attributes["event_type"], new_state.attributes["task"]))

    for name in ("BackupDatabase", "OptimizeDatabase"):
        await plex_server.butler.start_task(name)
    await async_tick(hass, freezer, DEFAULT_SCAN_INTERVAL)
    hass.bus.async_listen("state_changed", record)

    await plex_server.go_down()
    await async_tick(hass, freezer, DEFAULT_SCAN_INTERVAL)
    assert hass.states.get(event_entity).state == "unavailable"
    for name in ("BackupDatabase", "OptimizeDatabase"):
        await plex_server.butler.end_activity(plex_server.butler.running[name].uuid)
    await plex_server.come_back()
    await async_tick(hass, freezer, DEFAULT_SCAN_INTERVAL)

    assert sorted(fired) == [
        ("task_finished", "BackupDatabase"),
        ("task_finished", "OptimizeDatabase"),
    ]
    assert hass.states.get(event_entity).state != "unavailable"
