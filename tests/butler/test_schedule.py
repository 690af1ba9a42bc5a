"""The next-run estimate and the remembered runs."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from custom_components.plex_butler.api.models import ButlerTask
from custom_components.plex_butler.butler.schedule import (
    MaintenanceWindow,
    NextRunEstimates,
    TaskHistory,
    estimate_next_run,
)

TZ = ZoneInfo("Europe/Berlin")
WINDOW = MaintenanceWindow(start_hour=2, end_hour=5)


def _task(interval: int = 1, *, randomized: bool = False, enabled: bool = True) -> ButlerTask:
    return ButlerTask("Task", "Task", "", interval, randomized, enabled)


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


@pytest.mark.parametrize(
    ("task", "last_run", "now", "expected"),
    [
        # Daily: the next night's window.
        (_task(1), "2026-11-27 02:10", "2026-11-27 12:00", "2026-11-28 02:00"),
        # Every three days, from the day it last ran.
        (_task(3), "2026-11-27 02:10", "2026-11-27 12:00", "2026-11-30 02:00"),
        # Weekly, due yesterday but the window is gone: tonight's window.
        (_task(7), "2026-11-20 02:30", "2026-11-27 12:00", "2026-11-28 02:00"),
        # Due today and the window is open right now: this window, from its start.
        (_task(7), "2026-11-20 02:30", "2026-11-27 03:00", "2026-11-27 02:00"),
        # Randomized: the middle of the window.
        (_task(1, randomized=True), "2026-11-27 03:00", "2026-11-27 12:00", "2026-11-28 03:30"),
        # Randomized inside an open window: its middle, which does not move as time goes on.
        (_task(7, randomized=True), "2026-11-20 03:00", "2026-11-27 04:00", "2026-11-27 03:30"),
        # Never seen running: the next window.
        (_task(3), None, "2026-11-27 12:00", "2026-11-28 02:00"),
        (_task(3), None, "2026-11-27 01:00", "2026-11-27 02:00"),
    ],
)
def test_estimate_next_run(task: ButlerTask, last_run: str | None, now: str, expected: str) -> None:
    """The first window on or after the due day that has not closed yet."""
    last = _at(last_run) if last_run else None
    assert estimate_next_run(task, last, WINDOW, _at(now)) == _at(expected)


def test_window_across_midnight() -> None:
    """A window from 23:00 to 04:00 that opened yesterday is still open after midnight."""
    window = MaintenanceWindow(start_hour=23, end_hour=4)
    assert window.occurrence(_at("2026-11-27 00:00").date(), TZ) == (
        _at("2026-11-27 23:00"),
        _at("2026-11-28 04:00"),
    )
    estimate = estimate_next_run(_task(1), _at("2026-11-25 23:30"), window, _at("2026-11-27 01:00"))
    assert estimate == _at("2026-11-26 23:00")
    assert window.is_open(_at("2026-11-27 01:00"))
    assert window.is_open(_at("2026-11-27 23:00"))
    assert not window.is_open(_at("2026-11-27 04:00"))
    randomized = estimate_next_run(
        _task(1, randomized=True), _at("2026-11-26 23:30"), window, _at("2026-11-27 12:00")
    )
    assert randomized == _at("2026-11-28 01:30")


def test_disabled_task_has_no_next_run() -> None:
    """A task the server does not run on its own has no estimate."""
    assert estimate_next_run(_task(1, enabled=False), None, WINDOW, _at("2026-11-27 12:00")) is None


def test_last_run_in_another_time_zone() -> None:
    """The last run is compared in the server's (Home Assistant's) time zone."""
    last_run = datetime.fromisoformat("2026-11-27T01:30:00+00:00")  # 02:30 in Berlin
    assert estimate_next_run(_task(1), last_run, WINDOW, _at("2026-11-27 12:00")) == _at(
        "2026-11-28 02:00"
    )


def test_same_start_and_end_hour_is_a_whole_day() -> None:
    """A window that starts and ends at the same hour lasts a day."""
    start, end = MaintenanceWindow(3, 3).occurrence(_at("2026-11-27 00:00").date(), TZ)
    assert end - start == timedelta(hours=24)


def test_history_round_trip_and_bad_data() -> None:
    """Stored history reads back; unreadable or naive times count as unknown."""
    history = TaskHistory(_at("2026-11-27 02:00"), _at("2026-11-27 02:05"))
    assert TaskHistory.from_dict(history.as_dict()) == history
    assert history.last_duration == timedelta(minutes=5)
    assert history.last_run == _at("2026-11-27 02:00")

    running = TaskHistory(_at("2026-11-28 02:00"), _at("2026-11-27 02:05"), running=True)
    assert TaskHistory.from_dict(running.as_dict()) == running
    assert running.last_duration is None

    assert (
        TaskHistory.from_dict({"last_started": "yesterday", "last_finished": "2026-11-27T02:05:00"})
        == TaskHistory()
    )
    assert TaskHistory().as_dict() == {
        "last_started": None,
        "last_finished": None,
        "running": False,
        "started_here": False,
        "source": None,
    }
    assert TaskHistory(last_started=_at("2026-11-27 02:00")).last_duration is None
    # Stored data whose end comes before its start gives no duration.
    odd = {
        "last_started": "2026-11-28T02:00:00+01:00",
        "last_finished": "2026-11-27T02:05:00+01:00",
    }
    assert TaskHistory.from_dict({**odd, "running": False}).last_duration is None
    # Only the end of the last run was seen: it is the last run, without a duration.
    assert TaskHistory(last_finished=_at("2026-11-27 02:05")).last_run == _at("2026-11-27 02:05")


def test_history_stored_before_running_was() -> None:
    """Version 1 history without "running": a start without a later end is a run going on."""
    stored = {"last_started": "2026-11-28T02:00:00+01:00", "last_finished": None}
    assert TaskHistory.from_dict(stored).running
    stored = {
        "last_started": "2026-11-28T02:00:00+01:00",
        "last_finished": "2026-11-27T02:05:00+01:00",
    }
    assert TaskHistory.from_dict(stored).running
    stored = {
        "last_started": "2026-11-28T02:00:00+01:00",
        "last_finished": "2026-11-28T02:05:00+01:00",
    }
    assert not TaskHistory.from_dict(stored).running


def test_remembered_estimates_match_fresh_ones_at_every_moment() -> None:
    """Kept until midnight or its window's end, an estimate never differs from a new one.

    Every 10 minutes over three days, around and inside windows (one across midnight), for tasks
    daily, every three days and randomized, one disabled, with and without a last run.
    """
    estimates = NextRunEstimates()
    tasks = [_task(1), _task(3, randomized=True), _task(7, enabled=False)]
    windows = [WINDOW, MaintenanceWindow(start_hour=22, end_hour=3)]
    now = _at("2026-11-27 00:00")
    while now < _at("2026-11-30 00:00"):
        for window in windows:
            for task in tasks:
                for last_run in (None, _at("2026-11-26 02:10")):
                    named = replace(task, name=f"{task.interval}{window}{last_run}")
                    assert estimates.get(named, last_run, window, now) == estimate_next_run(
                        named, last_run, window, now
                    ), (named, last_run, window, now)
        now += timedelta(minutes=10)
