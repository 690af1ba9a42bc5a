"""The logbook says what happened to a task, in Home Assistant's language."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
import json
from pathlib import Path
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.auth.models import Credentials
from homeassistant.components.logbook import const as logbook_const
from homeassistant.components.recorder import Recorder
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import CLIENT_ID, MockConfigEntry, MockUser
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
)
from pytest_homeassistant_custom_component.typing import (
    RecorderInstanceGenerator,
    WebSocketGenerator,
)

from custom_components.plex_butler.butler.evidence import START_GRACE
from custom_components.plex_butler.const import DEFAULT_SCAN_INTERVAL, DOMAIN

from . import documents
from .conftest import (
    MACHINE_ID,
    async_press,
    async_settle,
    async_tick,
    async_wait_until,
    device_of,
    entity_id_of,
)
from .plex_simulator import PlexSimulator

SERVER = "Living Room Plex"
STRINGS = Path(__file__).parent.parent / "custom_components" / DOMAIN / "strings.json"


@pytest.fixture(autouse=True)
def mock_recorder_before_hass(async_setup_recorder_instance: RecorderInstanceGenerator) -> None:
    """Prepare the recorder's database before Home Assistant starts, as the recorder needs."""


type ReadLogbook = Callable[..., Awaitable[list[dict[str, Any]]]]


@pytest.fixture
def logbook_config() -> dict[str, Any]:
    """The logbook's own settings (configuration.yaml's `logbook:`): none, as by default."""
    return {}


@pytest.fixture
async def read_logbook(
    recorder_mock: Recorder,
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    hass_ws_client: WebSocketGenerator,
    hass_admin_user: MockUser,
    hass_admin_credential: Credentials,
    logbook_config: dict[str, Any],
) -> ReadLogbook:
    """Read the logbook from now on as the frontend does: `await read_logbook(device_ids=...)`."""
    assert await async_setup_component(hass, "logbook", {"logbook": logbook_config})
    # The clock is frozen: what happens next happens at this very moment, which must count.
    since = dt_util.utcnow() - timedelta(seconds=1)

    async def read(**query: Any) -> list[dict[str, Any]]:
        await async_settle(hass)
        await async_wait_recording_done(hass)
        # A token of its own: the test's clock may have moved past the fixture's token's expiry.
        refresh_token = await hass.auth.async_create_refresh_token(
            hass_admin_user, CLIENT_ID, credential=hass_admin_credential
        )
        client = await hass_ws_client(hass, hass.auth.async_create_access_token(refresh_token))
        await client.send_json_auto_id(
            {
                "type": "logbook/get_events",
                "start_time": since.isoformat(),
                "end_time": (dt_util.utcnow() + timedelta(seconds=1)).isoformat(),
                **query,
            }
        )
        response = await client.receive_json()
        assert response["success"], response
        entries: list[dict[str, Any]] = response["result"]
        await client.close()
        return entries

    return read


def _lines(entries: list[dict[str, Any]]) -> list[str]:
    """The integration's lines, as the logbook shows them: the task's title, then the message."""
    return [
        f"{entry['name']} {entry['message']}" for entry in entries if entry.get("domain") == DOMAIN
    ]


async def _run(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    plex_server: PlexSimulator,
    task: str,
    duration: timedelta,
) -> None:
    """Let the server run a task for `duration`, both ends pushed."""
    status = entity_id_of(hass, "sensor", f"{MACHINE_ID}_{task}_status")
    # Longer than the test's time moves on: the run ends when the test ends it.
    await plex_server.butler.start_task(task, run_seconds=2 * duration.total_seconds())
    await async_wait_until(hass, lambda: hass.states.get(status).state == "running")
    await async_tick(hass, freezer, duration)
    await plex_server.butler.end_activity(plex_server.butler.running[task].uuid)
    await async_wait_until(hass, lambda: hass.states.get(status).state == "idle")


@pytest.mark.butler_names_tasks
async def test_lines_say_what_happened_and_how_long_it_took(
    hass: HomeAssistant,
    read_logbook: ReadLogbook,
    init_integration: MockConfigEntry,
    plex_server: PlexSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Starts, ends with their durations, and a stop from Home Assistant, each on its task."""
    await _run(hass, freezer, plex_server, "BackupDatabase", timedelta(seconds=28))
    await _run(hass, freezer, plex_server, "OptimizeDatabase", timedelta(minutes=65))
    await _run(hass, freezer, plex_server, "DeepMediaAnalysis", timedelta(hours=2))
    await async_press(hass, f"{MACHINE_ID}_CleanOldBundles_start")
    await async_tick(hass, freezer, timedelta(minutes=4, seconds=10))
    await async_press(hass, f"{MACHINE_ID}_CleanOldBundles_stop")

    entries = await read_logbook()
    # Each run here is the Butler's own run too: it is told on the server, around the task's.
    assert _lines(entries) == [
        f"{SERVER} maintenance started",
        "Backup Database started",
        "Backup Database finished after 28 s",
        f"{SERVER} maintenance finished after 28 s",
        f"{SERVER} maintenance started",
        "Optimize Database started",
        "Optimize Database finished after 1 h 5 min",
        f"{SERVER} maintenance finished after 1 h 5 min",
        f"{SERVER} maintenance started",
        "Perform Extensive Media Analysis started",
        "Perform Extensive Media Analysis finished after 2 h",
        f"{SERVER} maintenance finished after 2 h",
        f"{SERVER} maintenance started",
        "Clean Old Bundles started",
        "Clean Old Bundles stopped from Home Assistant after 4 min",
        f"{SERVER} maintenance finished after 4 min",
    ]
    # Each line belongs to its task: a click opens the task's state, and its device lists it.
    [finished] = [entry for entry in entries if entry.get("message") == "finished after 28 s"]
    status = entity_id_of(hass, "sensor", f"{MACHINE_ID}_BackupDatabase_status")
    assert finished["entity_id"] == status
    device = device_of(hass, "sensor", f"{MACHINE_ID}_BackupDatabase_status")
    on_the_device = await read_logbook(device_ids=[device.id])
    assert _lines(on_the_device) == [
        "Backup Database started",
        "Backup Database finished after 28 s",
    ]

    # The progress sensor, written while tasks run, is no line of the logbook.
    progress = entity_id_of(hass, "sensor", f"{MACHINE_ID}_BackupDatabase_progress")
    assert not [entry for entry in entries if entry.get("entity_id") == progress]
    # The event entity's own lines: from 2026.10 on, the frontend shows its translated type.
    event_entity = entity_id_of(hass, "event", f"{MACHINE_ID}_task_event")
    shown_types = [
        entry["attributes"]["event_type"]
        for entry in entries
        if entry.get("entity_id") == event_entity and "attributes" in entry
    ]
    translated = json.loads(STRINGS.read_text())["entity"]["event"]["task_event"][
        "state_attributes"
    ]["event_type"]["state"]
    if hasattr(logbook_const, "EXPOSED_STATE_ATTRIBUTES"):
        assert [translated[event_type] for event_type in shown_types] == [
            *("Maintenance started", "Task started", "Task finished", "Maintenance finished") * 3,
            "Maintenance started",
            "Task started",
            "Task stopped",
            "Maintenance finished",
        ]
    else:
        assert shown_types == []


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
@pytest.mark.polling_only
@pytest.mark.butler_names_tasks
async def test_an_end_out_of_sight_gets_no_duration(
    hass: HomeAssistant,
    read_logbook: ReadLogbook,
    init_integration: MockConfigEntry,
    plex_server: PlexSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A run that ended while the server was unreachable says so; no duration is made up."""
    last_duration = entity_id_of(hass, "sensor", f"{MACHINE_ID}_BackupDatabase_last_duration")
    await plex_server.butler.start_task("BackupDatabase")
    await async_tick(hass, freezer, DEFAULT_SCAN_INTERVAL)
    await plex_server.butler.end_activity(plex_server.butler.running["BackupDatabase"].uuid)
    await async_tick(hass, freezer, DEFAULT_SCAN_INTERVAL)
    assert hass.states.get(last_duration).state == "30.0"

    await plex_server.butler.start_task("BackupDatabase")
    await async_tick(hass, freezer, DEFAULT_SCAN_INTERVAL)
    await plex_server.go_down()
    await async_tick(hass, freezer, DEFAULT_SCAN_INTERVAL)
    await plex_server.butler.end_activity(plex_server.butler.running["BackupDatabase"].uuid)
    await plex_server.come_back()
    await async_tick(hass, freezer, DEFAULT_SCAN_INTERVAL)

    assert _lines(await read_logbook()) == [
        f"{SERVER} maintenance started",
        "Backup Database started",
        "Backup Database finished after 30 s",
        f"{SERVER} maintenance finished after 30 s",
        f"{SERVER} maintenance started",
        "Backup Database started",
        "Backup Database finished while Home Assistant could not see the server",
        f"{SERVER} maintenance finished while Home Assistant could not see the server",
    ]
    assert hass.states.get(last_duration).state == "unknown"


@pytest.mark.polling_only
async def test_a_start_the_server_never_showed(
    hass: HomeAssistant,
    read_logbook: ReadLogbook,
    init_integration: MockConfigEntry,
    plex_server: PlexSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A run too short for the first look: it ends with its grace, and the line says why."""
    plex_server.run_seconds = 0
    await async_press(hass, f"{MACHINE_ID}_CleanOldBundles_start")
    await async_tick(hass, freezer, START_GRACE)

    assert _lines(await read_logbook()) == [
        "Clean Old Bundles started",
        "Clean Old Bundles finished without the server showing the run",
    ]


@pytest.mark.polling_only
async def test_two_starts_on_the_same_butler_work(
    hass: HomeAssistant,
    read_logbook: ReadLogbook,
    init_integration: MockConfigEntry,
    plex_server: PlexSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Two starts from here, shown as one unnamed Butler work: its end is neither run's own."""
    # Longer than the test: the test ends the work.
    plex_server.run_seconds = 3600
    await async_press(hass, f"{MACHINE_ID}_BackupDatabase_start")
    await async_press(hass, f"{MACHINE_ID}_OptimizeDatabase_start")
    await async_tick(hass, freezer, DEFAULT_SCAN_INTERVAL)
    await plex_server.butler.end_activities()
    await async_tick(hass, freezer, DEFAULT_SCAN_INTERVAL)

    beside = "finished at a moment the server did not show (its Butler ran other work beside it)"
    assert _lines(await read_logbook()) == [
        "Backup Database started",
        f"{SERVER} maintenance started",
        "Optimize Database started",
        f"Backup Database {beside}",
        f"Optimize Database {beside}",
        f"{SERVER} maintenance finished after 1 min",
    ]


async def test_an_end_whose_start_was_not_seen(
    hass: HomeAssistant,
    read_logbook: ReadLogbook,
    mock_config_entry: MockConfigEntry,
    plex_server: PlexSimulator,
) -> None:
    """A run going on when Home Assistant started: no start line, and no duration at its end."""
    activity = await plex_server.add_activity("butler", "Optimize Database")
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await async_settle(hass)
    await plex_server.butler.end_activity(activity.uuid)
    status = entity_id_of(hass, "sensor", f"{MACHINE_ID}_OptimizeDatabase_status")
    await async_wait_until(hass, lambda: hass.states.get(status).state == "idle")

    assert _lines(await read_logbook()) == [
        "Optimize Database finished",
        f"{SERVER} maintenance finished",
    ]
    await hass.config_entries.async_unload(mock_config_entry.entry_id)


@pytest.fixture
def german(hass: HomeAssistant) -> None:
    """Home Assistant set to German, before the integration is set up."""
    hass.config.language = "de"


@pytest.mark.butler_names_tasks
async def test_a_line_in_german(
    hass: HomeAssistant,
    german: None,
    read_logbook: ReadLogbook,
    init_integration: MockConfigEntry,
    plex_server: PlexSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Home Assistant set to German, the logbook speaks German around the server's own titles."""
    await _run(hass, freezer, plex_server, "BackupDatabase", timedelta(seconds=28))
    assert _lines(await read_logbook())[-2:] == [
        "Backup Database wurde nach 28 s beendet",
        f"{SERVER} Wartung nach 28 s beendet",
    ]


def _all_lines(entries: list[dict[str, Any]]) -> list[str]:
    """Every line of the logbook, sorted: the integration's sentences, each entity's new state.

    A state that is a moment (a press, an event, a last or next run) reads "a moment".
    """
    return sorted(
        f"{entry['name']} {entry['message']}"
        if "message" in entry
        else f"{entry['entity_id']}: "
        + ("a moment" if dt_util.parse_datetime(entry["state"]) else entry["state"])
        for entry in entries
    )


async def _start_from_home_assistant(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, plex_server: PlexSimulator
) -> None:
    """Press Start of Clean Old Bundles; the server runs it for 3 minutes."""
    status = entity_id_of(hass, "sensor", f"{MACHINE_ID}_CleanOldBundles_status")
    await async_press(hass, f"{MACHINE_ID}_CleanOldBundles_start")
    await async_wait_until(hass, lambda: hass.states.get(status).state == "running")
    await async_tick(hass, freezer, timedelta(minutes=3))
    await plex_server.butler.end_activity(plex_server.butler.running["CleanOldBundles"].uuid)
    await async_wait_until(hass, lambda: hass.states.get(status).state == "idle")


async def _run_by_the_butler(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, plex_server: PlexSimulator
) -> None:
    """The server's maintenance window: the Butler runs Backup Database for 28 seconds."""
    status = entity_id_of(hass, "sensor", f"{MACHINE_ID}_BackupDatabase_status")
    await plex_server.butler.begin_maintenance()
    await plex_server.butler.run_in_maintenance("BackupDatabase")
    await async_wait_until(hass, lambda: hass.states.get(status).state == "running")
    await async_tick(hass, freezer, timedelta(seconds=28))
    await plex_server.butler.end_maintenance()
    await async_wait_until(hass, lambda: hass.states.get(status).state == "idle")


async def _lines_of(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    read_logbook: ReadLogbook,
    run: Callable[..., Awaitable[None]],
    plex_server: PlexSimulator,
) -> list[str]:
    """The logbook's lines of one run alone: from a minute after the set-up to its end."""
    await async_tick(hass, freezer, timedelta(minutes=1))
    # The clock is frozen: the run begins at this very moment, which must count.
    start = dt_util.utcnow() - timedelta(seconds=1)
    await run(hass, freezer, plex_server)
    return _all_lines(await read_logbook(start_time=start.isoformat()))


# Home Assistant's own logbook setting in docs/automations.md (Logbook): the list of tasks.
[TASKS_ONLY] = documents.yaml_examples("logbook")


def _ids(hass: HomeAssistant, task: str) -> dict[str, str]:
    """The entity ids the lines name (they differ between releases)."""
    return {
        "press": entity_id_of(hass, "button", f"{MACHINE_ID}_{task}_start"),
        "task": entity_id_of(hass, "sensor", f"{MACHINE_ID}_{task}_status"),
        "last_run": entity_id_of(hass, "sensor", f"{MACHINE_ID}_{task}_last_run"),
        "next_run": entity_id_of(hass, "sensor", f"{MACHINE_ID}_{task}_next_run"),
        "maintenance": entity_id_of(hass, "binary_sensor", f"{MACHINE_ID}_maintenance_running"),
        "events": entity_id_of(hass, "event", f"{MACHINE_ID}_task_event"),
        "calendar": entity_id_of(hass, "calendar", f"{MACHINE_ID}_calendar"),
    }


def _without_events(lines: list[str], events: str) -> list[str]:
    """The lines but the Task events entity's: events of one millisecond are one state, one line."""
    assert f"{events}: a moment" in lines
    return [line for line in lines if not line.startswith(f"{events}: ")]


@pytest.mark.butler_names_tasks
async def test_one_start_from_home_assistant_by_default(
    hass: HomeAssistant,
    read_logbook: ReadLogbook,
    init_integration: MockConfigEntry,
    plex_server: PlexSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Without a logbook setting: the sentences and the press, and each entity that changed.

    The logbook keeps out sensors with a unit, a state class or a numeric device class (Running
    tasks, Progress, Last duration); every other entity's new state is a line of its own.
    """
    lines = await _lines_of(hass, freezer, read_logbook, _start_from_home_assistant, plex_server)
    ids = _ids(hass, "CleanOldBundles")
    assert _without_events(lines, ids["events"]) == sorted(
        [
            f"{ids['press']}: a moment",
            f"{SERVER} maintenance started",
            "Clean Old Bundles started",
            f"{ids['task']}: running",
            f"{ids['last_run']}: a moment",
            f"{ids['next_run']}: a moment",
            f"{ids['maintenance']}: on",
            f"{ids['calendar']}: on",
            "Clean Old Bundles finished after 3 min",
            f"{SERVER} maintenance finished after 3 min",
            f"{ids['task']}: idle",
            f"{ids['maintenance']}: off",
            f"{ids['calendar']}: off",
        ]
    )


@pytest.mark.parametrize("logbook_config", [TASKS_ONLY])
@pytest.mark.butler_names_tasks
async def test_one_start_from_home_assistant_as_a_list_of_tasks(
    hass: HomeAssistant,
    read_logbook: ReadLogbook,
    init_integration: MockConfigEntry,
    plex_server: PlexSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """With the logbook setting of the docs: the press, the task's sentences and its state."""
    lines = await _lines_of(hass, freezer, read_logbook, _start_from_home_assistant, plex_server)
    ids = _ids(hass, "CleanOldBundles")
    assert lines == sorted(
        [
            f"{ids['press']}: a moment",
            "Clean Old Bundles started",
            f"{ids['task']}: running",
            "Clean Old Bundles finished after 3 min",
            f"{ids['task']}: idle",
        ]
    )


@pytest.mark.parametrize("logbook_config", [TASKS_ONLY])
@pytest.mark.butler_names_tasks
async def test_one_run_by_the_butler_as_a_list_of_tasks(
    hass: HomeAssistant,
    read_logbook: ReadLogbook,
    init_integration: MockConfigEntry,
    plex_server: PlexSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A run in the server's maintenance window, with the setting of the docs: four lines."""
    lines = await _lines_of(hass, freezer, read_logbook, _run_by_the_butler, plex_server)
    ids = _ids(hass, "BackupDatabase")
    assert lines == sorted(
        [
            "Backup Database started",
            f"{ids['task']}: running",
            "Backup Database finished after 28 s",
            f"{ids['task']}: idle",
        ]
    )
    # The entities left out keep their states, for the history and automations.
    assert hass.states.get(ids["maintenance"]).state == "off"
    assert hass.states.get(ids["events"]).attributes["event_type"] == "maintenance_finished"


@pytest.mark.butler_names_tasks
async def test_one_run_by_the_butler_by_default(
    hass: HomeAssistant,
    read_logbook: ReadLogbook,
    init_integration: MockConfigEntry,
    plex_server: PlexSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """The same run without a logbook setting: the Butler's own run and the server-wide lines."""
    lines = await _lines_of(hass, freezer, read_logbook, _run_by_the_butler, plex_server)
    ids = _ids(hass, "BackupDatabase")
    assert _without_events(lines, ids["events"]) == sorted(
        [
            f"{SERVER} maintenance started",
            "Backup Database started",
            f"{ids['task']}: running",
            f"{ids['last_run']}: a moment",
            f"{ids['next_run']}: a moment",
            f"{ids['maintenance']}: on",
            f"{ids['calendar']}: on",
            "Backup Database finished after 28 s",
            f"{SERVER} maintenance finished after 28 s",
            f"{ids['task']}: idle",
            f"{ids['maintenance']}: off",
            f"{ids['calendar']}: off",
        ]
    )
