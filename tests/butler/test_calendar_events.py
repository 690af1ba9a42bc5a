"""The calendar's events, and the bounded log of past runs they are made from, driven directly."""

from __future__ import annotations

from datetime import date, datetime, timedelta
import json
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from custom_components.plex_butler.api.models import Activity, ButlerTask
from custom_components.plex_butler.butler.calendar_events import (
    MARKER,
    CalendarEntry,
    ServerCalendar,
)
from custom_components.plex_butler.butler.machine import ButlerStateMachine
from custom_components.plex_butler.butler.run_log import (
    BUTLER_RUNS,
    KEEP,
    MAX_RUNS,
    PastRun,
    RunLog,
)
from custom_components.plex_butler.butler.schedule import LastRunSource, TaskHistory
from custom_components.plex_butler.butler.snapshot import BackupFolder, ButlerSnapshot

TZ = ZoneInfo("Europe/Berlin")
STRINGS = json.loads(
    (Path(__file__).parents[2] / "custom_components/plex_butler/strings.json").read_text()
)["common"]
BACKUP = ButlerTask("BackupDatabase", "Backup Database", "", 3, False, True)
CREDITS = ButlerTask("ButlerTaskGenerateCreditsMarkers", "Detect Credits", "", 1, False, True)
VOICE = ButlerTask("ButlerTaskGenerateVoiceActivity", "Detect Voice Activity", "", 1, True, True)
ADS = ButlerTask("ButlerTaskGenerateAdMarkers", "Detect Commercials", "", 1, False, False)
TASKS = (BACKUP, CREDITS, VOICE, ADS)


def _text(key: str, **values: Any) -> str:
    return str(STRINGS[key]).format(**values)


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


def _snapshot(
    now: datetime,
    window: tuple[int, int] = (2, 5),
    history: dict[str, TaskHistory] | None = None,
    backups: tuple[date, ...] = (),
    activities: tuple[Activity, ...] = (),
) -> ButlerSnapshot:
    """What the state machine shows of a server with TASKS, its window, runs and backups."""
    machine = ButlerStateMachine(history)
    machine.poll(TASKS, activities, now)
    machine.backups(BackupFolder(backups), now)
    return machine.preferences(
        {"ButlerStartHour": str(window[0]), "ButlerEndHour": str(window[1])}, now
    ).snapshot


def _calendar(
    snapshot: ButlerSnapshot, past: dict[str, list[PastRun]] | None = None
) -> ServerCalendar:
    return ServerCalendar(snapshot, past or {}, _text, TZ)


def _shown(entries: list[CalendarEntry]) -> list[tuple[Any, Any, str]]:
    return [(entry.start, entry.end, entry.summary) for entry in entries]


def test_the_window_is_an_event_every_day_also_across_midnight() -> None:
    """23:00 to 03:00: each night's window, the one begun the day before the range included."""
    now = _at("2026-11-28 12:00")
    calendar = _calendar(_snapshot(now, window=(23, 3)))
    windows = [
        entry
        for entry in calendar.between(_at("2026-11-28 01:00"), _at("2026-11-29 22:00"), now)
        if entry.summary == "Maintenance window"
    ]
    assert _shown(windows) == [
        (_at("2026-11-27 23:00"), _at("2026-11-28 03:00"), "Maintenance window"),
        (_at("2026-11-28 23:00"), _at("2026-11-29 03:00"), "Maintenance window"),
    ]
    assert "as they are set now" in windows[0].description


def test_a_range_with_nothing_in_it() -> None:
    """An afternoon without runs: no window, nothing expected, no event at all."""
    now = _at("2026-11-28 12:00")
    calendar = _calendar(_snapshot(now))
    assert calendar.between(_at("2026-11-28 13:00"), _at("2026-11-28 18:00"), now) == []
    assert calendar.between(_at("2026-11-20 13:00"), _at("2026-11-20 18:00"), now) == []


def test_runs_with_both_ends_one_end_or_going_on() -> None:
    """True start and end; a marker where one end was seen, saying which; a run going on."""
    now = _at("2026-11-28 12:00")
    running = TaskHistory(
        _at("2026-11-28 11:30"), None, running=True, source=LastRunSource.OBSERVED
    )
    # A Butler activity naming the task: it goes on.
    naming = Activity("b1", "butler", "Detect Credits", "", 40, False)
    calendar = _calendar(
        _snapshot(now, history={"ButlerTaskGenerateCreditsMarkers": running}, activities=(naming,)),
        {
            "BackupDatabase": [
                PastRun(_at("2026-11-27 02:10"), _at("2026-11-27 02:31"), LastRunSource.SERVER_LOG),
                PastRun(_at("2026-11-28 02:05"), None, LastRunSource.OBSERVED),
            ],
            "ButlerTaskGenerateCreditsMarkers": [PastRun(None, _at("2026-11-27 03:00"))],
            BUTLER_RUNS: [PastRun(_at("2026-11-27 02:00"), _at("2026-11-27 04:00"))],
        },
    )
    runs = [
        entry
        for entry in calendar.between(_at("2026-11-27 00:00"), now, now)
        if entry.summary != "Maintenance window"
    ]
    assert _shown(runs) == [
        (_at("2026-11-27 02:00"), _at("2026-11-27 04:00"), "Maintenance run"),
        (_at("2026-11-27 02:10"), _at("2026-11-27 02:31"), "Backup Database"),
        (_at("2026-11-27 03:00") - MARKER, _at("2026-11-27 03:00"), "Detect Credits"),
        (_at("2026-11-28 02:05"), _at("2026-11-28 02:05") + MARKER, "Backup Database"),
        (_at("2026-11-28 11:30"), _at("2026-11-28 11:30") + MARKER, "Detect Credits"),
    ]
    assert [entry.description for entry in runs] == [
        "Seen from its start to its end.",
        "Seen from its start to its end. The server's debug log showed it.",
        _text("calendar_run_end_seen"),
        f"{_text('calendar_run_start_seen')} The server's activities showed it.",
        "Running: only its start is seen so far. The server's activities showed it.",
    ]


def test_a_run_going_on_whose_start_was_not_seen_shows_nothing_yet() -> None:
    """Found running at the first look: no moment of it was seen, so no event until it ends."""
    now = _at("2026-11-28 12:00")
    running = TaskHistory(None, _at("2026-11-27 02:30"), running=True)
    calendar = _calendar(_snapshot(now, history={"BackupDatabase": running}))
    assert calendar.between(_at("2026-11-28 06:00"), now + timedelta(hours=1), now) == []


def test_a_backup_file_day_is_an_all_day_event_unless_the_run_was_seen() -> None:
    """The file tells the day, not the time; a day with a Backup Database run seen needs none."""
    now = _at("2026-11-28 12:00")
    backups = (date(2026, 11, 28), date(2026, 11, 25), date(2026, 11, 22))
    calendar = _calendar(
        _snapshot(now, backups=backups),
        {"BackupDatabase": [PastRun(_at("2026-11-25 02:00"), _at("2026-11-25 02:20"))]},
    )
    days = [
        entry
        for entry in calendar.between(_at("2026-11-20 00:00"), _at("2026-11-29 00:00"), now)
        if isinstance(entry.start, date) and not isinstance(entry.start, datetime)
    ]
    assert _shown(days) == [
        (date(2026, 11, 22), date(2026, 11, 23), "Backup Database"),
        (date(2026, 11, 28), date(2026, 11, 29), "Backup Database"),
    ]
    assert days[0].description == _text("calendar_backup_file")
    # An all-day event is in a range that has a part of its day.
    assert calendar.between(_at("2026-11-22 12:00"), _at("2026-11-22 13:00"), now) == [days[0]]


def test_runs_are_expected_only_where_the_schedule_tells_when() -> None:
    """A daily task at a fixed time: at each window's start. Randomized, every 3 days, off: no."""
    now = _at("2026-11-28 12:00")
    history = {"ButlerTaskGenerateCreditsMarkers": TaskHistory(_at("2026-11-28 02:00"), None)}
    calendar = _calendar(_snapshot(now, history=history))
    expected = [
        entry
        for entry in calendar.between(_at("2026-11-25 00:00"), _at("2026-12-01 00:00"), now)
        if entry.summary.endswith("(expected)")
    ]
    # It ran tonight: tomorrow's first; nothing expected in the past.
    assert _shown(expected) == [
        (
            _at(f"2026-11-{day} 02:00"),
            _at(f"2026-11-{day} 02:00") + MARKER,
            "Detect Credits (expected)",
        )
        for day in (29, 30)
    ]
    assert "every day, not at a random time" in expected[0].description


def test_the_current_event_is_the_open_window_else_the_next_one() -> None:
    """The calendar's state: on in the window; off before it, with the window coming next."""
    backups = (date(2026, 11, 28),)
    night = _at("2026-11-28 03:00")
    current = _calendar(_snapshot(night, backups=backups)).current_or_next(night)
    assert current is not None
    assert (current.start, current.end, current.summary) == (
        _at("2026-11-28 02:00"),
        _at("2026-11-28 05:00"),
        "Maintenance window",
    )
    # The backup's day is no timed event: the window of the next night comes next.
    noon = _at("2026-11-28 12:00")
    upcoming = _calendar(_snapshot(noon, backups=backups)).current_or_next(noon)
    assert upcoming is not None
    assert (upcoming.start, upcoming.summary) == (_at("2026-11-29 02:00"), "Maintenance window")


def test_the_log_follows_the_remembered_runs() -> None:
    """A run is logged when it ends; a new start ends the run before at a moment not seen."""
    log = RunLog()
    start = _at("2026-11-28 02:00")
    log.take({"BackupDatabase": TaskHistory(start, None, running=True)}, start)
    assert log.runs == {}
    end = start + timedelta(minutes=20)
    log.take({"BackupDatabase": TaskHistory(start, end, source=LastRunSource.OBSERVED)}, end)
    # Unchanged history, taken again: no second run.
    log.take({"BackupDatabase": TaskHistory(start, end, source=LastRunSource.OBSERVED)}, end)
    again = start + timedelta(hours=10)
    log.take({"BackupDatabase": TaskHistory(again, end, running=True)}, again)
    restart = again + timedelta(minutes=5)
    # Started here again while it read as running: that run ended unseen.
    log.take({"BackupDatabase": TaskHistory(restart, None, running=True)}, restart)
    assert log.runs == {
        "BackupDatabase": (
            PastRun(start, end, LastRunSource.OBSERVED),
            PastRun(again, None),
        )
    }
    # A run with no moment seen is none to log.
    log.take({BUTLER_RUNS: TaskHistory(None, None, running=True)}, restart)
    log.take({BUTLER_RUNS: TaskHistory(None, None)}, restart)
    assert BUTLER_RUNS not in log.runs


def test_a_run_going_on_at_a_restart_is_logged_when_it_ends() -> None:
    """Read back with the run going on when Home Assistant stopped, it ends in the log."""
    start = _at("2026-11-28 02:00")
    going_on = {"BackupDatabase": TaskHistory(start, None, running=True)}
    log = RunLog.from_dict({}, going_on)
    end = start + timedelta(minutes=3)
    log.take({"BackupDatabase": TaskHistory(start, end)}, end)
    assert log.runs == {"BackupDatabase": (PastRun(start, end),)}


def test_the_log_is_bounded() -> None:
    """At most MAX_RUNS a task, none older than KEEP; the newest are kept."""
    log = RunLog()
    first = _at("2026-11-01 02:00")
    for run in range(MAX_RUNS + 20):
        started = first + timedelta(minutes=10 * run)
        log.take({"CleanOldBundles": TaskHistory(started, None, running=True)}, started)
        log.take({"CleanOldBundles": TaskHistory(started, started + timedelta(minutes=1))}, started)
    kept = log.runs["CleanOldBundles"]
    assert len(kept) == MAX_RUNS
    assert kept[-1].started == first + timedelta(minutes=10 * (MAX_RUNS + 19))
    later = first + KEEP + timedelta(days=1)
    log.take({}, later)
    assert log.runs == {}


def test_the_log_is_stored_and_read_back() -> None:
    """As JSON and back; what cannot be read is left out."""
    runs = {
        "BackupDatabase": (
            PastRun(_at("2026-11-27 02:10"), _at("2026-11-27 02:31"), LastRunSource.SERVER_LOG),
            PastRun(None, _at("2026-11-28 02:31")),
        )
    }
    stored = json.loads(json.dumps(RunLog(runs).as_dict()))
    assert RunLog.from_dict(stored, {}).runs == runs
    broken = {
        "BackupDatabase": [{"started": "not a time", "finished": None}, "not a run"],
        "OptimizeDatabase": "not a list",
    }
    assert RunLog.from_dict(broken, {}).runs == {}
    assert RunLog.from_dict(None, {}).runs == {}


@pytest.mark.parametrize("hours", [(2, 5), (23, 3), (0, 0)])
def test_every_event_has_an_end_after_its_start(hours: tuple[int, int]) -> None:
    """Whatever the window (0 to 0 is a whole day), no event ends before it starts."""
    now = _at("2026-11-28 12:00")
    for entry in _calendar(_snapshot(now, window=hours)).between(now, now + timedelta(days=3), now):
        start, end = entry.span(TZ)
        assert start < end
