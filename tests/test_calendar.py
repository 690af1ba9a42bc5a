"""The maintenance calendar of a server: a simulated week, an outage, and the stored past runs."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from datetime import datetime, timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_OFF, STATE_ON, Platform
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.plex_butler.butler.calendar_events import ServerCalendar
from custom_components.plex_butler.butler.run_log import KEEP
from custom_components.plex_butler.const import DEFAULT_SCAN_INTERVAL

from .conftest import (
    MACHINE_ID,
    async_settle,
    async_tick,
    async_wait_until,
    entity_id_of,
    simulated_server,
)
from .helpers import async_start_and_wait, task_status, writes_of
from .plex_simulator import PlexSimulator

WINDOW = "Maintenance window"
SEEN = "Seen from its start to its end. The server's activities showed it."
# Each night's runs: the task, and how long it runs. Backup Database every third night.
NIGHT = (("ButlerTaskGenerateCreditsMarkers", 12), ("ButlerTaskGenerateVoiceActivity", 7))


@pytest.fixture
def platforms() -> list[Platform]:
    """The calendar, and the sensors the test waits on."""
    return [Platform.CALENDAR, Platform.SENSOR]


@pytest.fixture
async def plex_server(
    socket_enabled: None, freezer: FrozenDateTimeFactory
) -> AsyncGenerator[PlexSimulator]:
    """A server on Home Assistant's clock whose Butler activities name their tasks.

    The week starts on Monday 23 November 2026 at midnight, in Home Assistant's time zone.
    """
    freezer.move_to(datetime(2026, 11, 23, 0, 0, tzinfo=dt_util.get_default_time_zone()))
    server = simulated_server(clock=dt_util.now, butler_activity_names_task=True)
    await server.start()
    yield server
    await server.stop()


def _calendar(hass: HomeAssistant) -> str:
    return entity_id_of(hass, "calendar", f"{MACHINE_ID}_calendar")


async def _events(
    hass: HomeAssistant, start: datetime, end: datetime
) -> list[tuple[datetime, datetime, str, str]]:
    """What `calendar.get_events` answers from `start` to `end`: start, end, summary, text."""
    entity_id = _calendar(hass)
    response: Any = await hass.services.async_call(
        "calendar",
        "get_events",
        {"entity_id": entity_id, "start_date_time": start, "end_date_time": end},
        blocking=True,
        return_response=True,
    )
    return [
        (
            dt_util.parse_datetime(event["start"]) or dt_util.parse_date(event["start"]),
            dt_util.parse_datetime(event["end"]) or dt_util.parse_date(event["end"]),
            event["summary"],
            event.get("description", ""),
        )
        for event in response[entity_id]["events"]
    ]


async def _tick_to(hass: HomeAssistant, freezer: FrozenDateTimeFactory, moment: datetime) -> None:
    """Move time on to `moment` in steps of at most 6 hours (the backup folder's reads)."""
    while (left := moment - dt_util.now()) > timedelta():
        await async_tick(hass, freezer, min(left, timedelta(hours=6)))


async def _run(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    plex_server: PlexSimulator,
    name: str,
    minutes: int,
) -> tuple[datetime, datetime]:
    """Run a task in the open window for `minutes`; return when it started and ended."""
    started = dt_util.now()
    await plex_server.butler.run_in_maintenance(name)
    await async_wait_until(hass, lambda: task_status(hass, name) == "running")
    await async_tick(hass, freezer, timedelta(minutes=minutes))
    ended = dt_util.now()
    await plex_server.butler.end_activity(plex_server.butler.running[name].uuid)
    await async_wait_until(hass, lambda: task_status(hass, name) != "running")
    return started, ended


async def test_a_week_of_nights(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    plex_server: PlexSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Seven nights of runs: each with its true start and end, the window every day, and runs
    expected only for daily tasks at a fixed time; the state follows the window."""
    monday = dt_util.now()
    seen: list[tuple[datetime, datetime, str]] = []
    for night in range(7):
        await _tick_to(hass, freezer, monday + timedelta(days=night, hours=2))
        if night == 0:
            # The calendar is on while the window is open.
            state = hass.states.get(_calendar(hass))
            assert (state.state, state.attributes["message"]) == (STATE_ON, WINDOW)
        await plex_server.butler.begin_maintenance()
        tonight = [*NIGHT, ("BackupDatabase", 20)] if night % 3 == 0 else list(NIGHT)
        runs = []
        for name, minutes in tonight:
            started, ended = await _run(hass, freezer, plex_server, name, minutes)
            title = plex_server.tasks[name].title
            runs.append((started, ended, title))
        await plex_server.butler.end_maintenance()
        await async_settle(hass)
        seen.extend(runs)

    noon = monday + timedelta(days=6, hours=12)
    await _tick_to(hass, freezer, noon)
    state = hass.states.get(_calendar(hass))
    assert state.state == STATE_OFF
    # Off, it names the next event: the window of Monday night.
    assert state.attributes["message"] == WINDOW
    assert state.attributes["start_time"] == "2026-11-30 02:00:00"

    events = await _events(hass, monday, monday + timedelta(days=9))
    runs = [
        (start, end, summary)
        for start, end, summary, text in events
        if text == SEEN and summary != "Maintenance run"
    ]
    assert sorted(runs) == sorted(seen)
    # Each run shows a Butler activity of its own here: the Butler's runs are theirs.
    maintenance = [
        (start, end) for start, end, summary, _ in events if summary == "Maintenance run"
    ]
    assert maintenance == [(start, end) for start, end, _ in seen]
    windows = [(start, end) for start, end, summary, _ in events if summary == WINDOW]
    assert windows == [
        (monday + timedelta(days=day, hours=2), monday + timedelta(days=day, hours=5))
        for day in range(9)
    ]
    expected = {(start, summary) for start, _, summary, _ in events if "(expected)" in summary}
    daily = {
        task.title
        for task in plex_server.tasks.values()
        if task.enabled and not task.schedule_randomized and task.interval == 1
    }
    # From the next night on, every night in the range; never in the past.
    assert expected == {
        (monday + timedelta(days=day, hours=2), f"{title} (expected)")
        for title in daily
        for day in (7, 8)
    }
    # Not for a randomized task, nor one every three days, though they ran every night they could.
    assert "Detect Voice Activity (expected)" not in {summary for _, summary in expected}
    assert "Backup Database (expected)" not in {summary for _, summary in expected}

    # Ranges of every kind: the past, crossing midnight, nothing at all.
    sunday = monday + timedelta(days=6)
    night_range = await _events(hass, sunday - timedelta(hours=1), sunday + timedelta(hours=3))
    assert sorted(summary for _, _, summary, _ in night_range) == [
        "Backup Database",
        "Detect Credits",
        "Detect Voice Activity",
        *["Maintenance run"] * 3,
        WINDOW,
    ]
    assert await _events(hass, sunday + timedelta(hours=13), sunday + timedelta(hours=20)) == []
    assert await _events(hass, monday - timedelta(days=30), monday - timedelta(days=29)) != []


async def test_a_run_cut_by_an_outage_is_a_marker_at_its_start(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    plex_server: PlexSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """The server is unreachable when the backup ends: only its start shows, and says so."""
    await _tick_to(hass, freezer, dt_util.now() + timedelta(hours=14))
    started = dt_util.now()
    await async_start_and_wait(hass, plex_server, "BackupDatabase")
    going_on = await _events(hass, started - timedelta(hours=1), started + timedelta(hours=1))
    assert [(start, summary, text) for start, _, summary, text in going_on] == [
        (
            started,
            "Backup Database",
            "Running: only its start is seen so far. The server's activities showed it.",
        ),
        (
            started,
            "Maintenance run",
            "Running: only its start is seen so far. The server's activities showed it.",
        ),
    ]

    await plex_server.go_down()
    for _ in range(10):
        await async_tick(hass, freezer, DEFAULT_SCAN_INTERVAL)
    await plex_server.butler.end_activity(plex_server.butler.running["BackupDatabase"].uuid)
    await plex_server.come_back()
    await async_tick(hass, freezer, DEFAULT_SCAN_INTERVAL)
    assert task_status(hass, "BackupDatabase") == "idle"

    events = await _events(hass, started - timedelta(hours=1), dt_util.now())
    backup = [event for event in events if event[2] == "Backup Database"]
    assert backup == [
        (
            started,
            started + timedelta(minutes=1),
            "Backup Database",
            "Only its start was seen: it ended while Home Assistant could not see the server, "
            "or at a moment the server did not show. The server's activities showed it.",
        )
    ]


@pytest.mark.parametrize(
    ("stored_version", "stored_data"),
    [
        (
            1,
            {
                "BackupDatabase": {
                    "last_started": "2026-11-22T10:00:00+00:00",
                    "last_finished": "2026-11-22T10:05:30+00:00",
                }
            },
        ),
        (
            2,
            {
                "tasks": {
                    "BackupDatabase": {
                        "last_started": "2026-11-22T10:00:00+00:00",
                        "last_finished": "2026-11-22T10:05:30+00:00",
                        "running": False,
                    }
                },
                "maintenance": {},
            },
        ),
    ],
    ids=["version_1.1", "version_1.2"],
)
async def test_runs_stored_by_an_earlier_version_are_on_the_calendar(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    plex_server: PlexSimulator,
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
    stored_version: int,
    stored_data: dict[str, Any],
) -> None:
    """The last run an earlier version stored is the first past run; it is stored as 1.3."""
    key = f"plex_butler.{mock_config_entry.entry_id}"
    hass_storage[key] = {
        "version": 1,
        "minor_version": stored_version,
        "key": key,
        "data": stored_data,
    }
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await async_settle(hass)

    start = datetime.fromisoformat("2026-11-22T10:00:00+00:00")
    events = await _events(hass, start - timedelta(hours=1), start + timedelta(hours=1))
    assert [event[:3] for event in events if event[2] == "Backup Database"] == [
        (start, start + timedelta(minutes=5, seconds=30), "Backup Database")
    ]

    # A new run is saved with the old one in the new version.
    await async_start_and_wait(hass, plex_server, "CleanOldBundles")
    await async_settle(hass)
    stored = hass_storage[key]
    assert (stored["version"], stored["minor_version"]) == (1, 3)
    assert stored["data"]["runs"] == {
        "BackupDatabase": [
            {
                "started": "2026-11-22T10:00:00+00:00",
                "finished": "2026-11-22T10:05:30+00:00",
                "source": None,
            }
        ]
    }
    await hass.config_entries.async_unload(mock_config_entry.entry_id)


async def test_past_runs_older_than_kept_are_forgotten(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    plex_server: PlexSimulator,
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
) -> None:
    """A stored run older than KEEP leaves the calendar and the store at the next save."""
    key = f"plex_butler.{mock_config_entry.entry_id}"
    old = dt_util.now() - KEEP - timedelta(days=1)
    recent = dt_util.now() - timedelta(days=1)
    runs = [
        {"started": moment.isoformat(), "finished": None, "source": "observed"}
        for moment in (old, recent)
    ]
    hass_storage[key] = {
        "version": 1,
        "minor_version": 3,
        "key": key,
        "data": {"tasks": {}, "maintenance": {}, "runs": {"CleanOldBundles": runs}},
    }
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await async_settle(hass)

    await async_start_and_wait(hass, plex_server, "OptimizeDatabase")
    await async_settle(hass)
    assert hass_storage[key]["data"]["runs"] == {"CleanOldBundles": [runs[1]]}
    events = await _events(hass, old - timedelta(days=1), dt_util.now())
    assert [event[0] for event in events if event[2] == "Clean Old Bundles"] == [recent]
    await hass.config_entries.async_unload(mock_config_entry.entry_id)


async def test_the_calendar_is_written_when_its_events_change_only(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    plex_server: PlexSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """The Butler's progress changes no event: no write. Its run ending adds one: written."""
    await _tick_to(hass, freezer, dt_util.now() + timedelta(hours=12))
    coordinator = init_integration.runtime_data
    butler = await plex_server.add_activity("butler", "Butler tasks")
    await async_wait_until(hass, lambda: coordinator.data.maintenance_running)
    started = dt_util.now()
    await async_tick(hass, freezer, timedelta(minutes=5))
    written = writes_of(hass, _calendar(hass))

    await plex_server.update_activity(butler.uuid, 40)
    await async_wait_until(hass, lambda: coordinator.data.maintenance.progress == 40)
    await async_settle(hass)
    assert written == []

    await plex_server.butler.end_activity(butler.uuid)
    await async_wait_until(hass, lambda: not coordinator.data.maintenance_running)
    await async_settle(hass)
    assert len(written) == 1
    events = await _events(hass, dt_util.now() - timedelta(hours=1), dt_util.now())
    assert [(start, end, summary) for start, end, summary, _ in events] == [
        (started, dt_util.now(), "Maintenance run")
    ]


async def test_the_event_is_worked_out_once_a_change(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    plex_server: PlexSimulator,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A change that moves the event works it out once, for the check and the write alike."""
    await async_wait_until(hass, lambda: init_integration.runtime_data.push_connected)
    await async_settle(hass)
    calendar = _calendar(hass)
    before = hass.states.get(calendar).attributes["start_time"]
    worked_out = 0
    original = ServerCalendar.current_or_next

    def counted(self: ServerCalendar, now: datetime) -> Any:
        nonlocal worked_out
        worked_out += 1
        return original(self, now)

    monkeypatch.setattr(ServerCalendar, "current_or_next", counted)
    await plex_server.set_preference("ButlerStartHour", "1")
    await async_wait_until(
        hass, lambda: hass.states.get(calendar).attributes["start_time"] != before
    )
    assert worked_out == 1
