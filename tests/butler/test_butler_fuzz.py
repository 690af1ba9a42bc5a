"""Any sequence of what a server can show never breaks the state machine, nor invents a run.

Hypothesis drives the machine with activities, debug-log lines of any name, polls, lost sight,
starts and stops asked here, and backup folders: no input raises, and every recorded run rests on
evidence that the server or Home Assistant gave.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from hypothesis import given, settings, strategies as st

from custom_components.plex_butler.api.models import (
    Activity,
    ActivityEvent,
    ActivityNotification,
    ButlerTask,
    PreferenceNotification,
    SubActivityNotification,
)
from custom_components.plex_butler.butler.machine import ButlerStateMachine
from custom_components.plex_butler.butler.snapshot import BackupFolder, Update
from tests.butler.test_butler import NIGHT

TASKS = (
    ButlerTask("BackupDatabase", "Backup Database", "", 3, False, True),
    ButlerTask("OptimizeDatabase", "Optimize Database", "", 7, False, True),
    ButlerTask("ButlerTaskGenerateIntroMarkers", "Detect Intros", "", 1, True, True),
    ButlerTask("LoudnessAnalysis", "Perform Loudness Analysis", "", 1, False, False),
)
NAMES = [task.name for task in TASKS]
UUIDS = st.sampled_from(["a", "b", "c", "d"])
ACTIVITIES = st.builds(
    Activity,
    uuid=UUIDS,
    type=st.sampled_from(["butler", "maintenance.x", "media.generate.intros", "library.update"]),
    title=st.sampled_from(["Butler tasks", "Backup Database", "Scanning", ""]),
    subtitle=st.sampled_from(["", "Optimize Database"]),
    progress=st.integers(-1, 100),
    cancellable=st.booleans(),
)
LINES = st.builds(
    SubActivityNotification,
    event=st.sampled_from([ActivityEvent.STARTED, ActivityEvent.ENDED]),
    uuid=st.sampled_from(["s1", "s2", "s3"]),
    parent=UUIDS,
    name=st.one_of(st.none(), st.sampled_from([*NAMES, "GenerateIntroMarkers", "Sonic", ""])),
    completed=st.one_of(st.none(), st.integers(0, 9)),
    total=st.one_of(st.none(), st.integers(0, 9)),
)
STEPS = st.lists(
    st.one_of(
        st.tuples(st.just("push"), st.sampled_from(list(ActivityEvent)), ACTIVITIES),
        st.tuples(st.just("line"), LINES),
        st.tuples(st.just("poll"), st.lists(ACTIVITIES, max_size=3)),
        st.tuples(
            st.just("lost"),
        ),
        st.tuples(st.just("start"), st.sampled_from(NAMES), st.booleans()),
        st.tuples(
            st.just("start_all"),
        ),
        st.tuples(st.just("stop"), st.sampled_from(NAMES), st.booleans()),
        st.tuples(st.just("log"), st.sampled_from(["0", "1", "x"])),
        st.tuples(st.just("backups"), st.lists(st.dates(date(2026, 1, 1), date(2026, 12, 1)))),
        st.tuples(
            st.just("tick"),
        ),
    ),
    max_size=40,
)


def _stop(machine: ButlerStateMachine, name: str, carried_out: bool, now: datetime) -> Update:
    machine.stop_requested({name})
    if carried_out:
        return machine.stop_confirmed({name}, now)
    machine.stop_failed({name})
    return machine.tick(now)


def _lost(machine: ButlerStateMachine, now: datetime) -> Update:
    machine.lost_sight()
    return machine.tick(now)


# What each kind of step does to the machine at `now`.
TAKE: dict[str, Callable[..., Update]] = {
    "push": lambda m, now, event, activity: m.notification(
        ActivityNotification(event, activity), now
    ),
    "line": lambda m, now, line: m.notification(line, now),
    "poll": lambda m, now, activities: m.poll(TASKS, activities, now),
    "lost": _lost,
    "start": lambda m, now, name, running: m.start_requested(name, now, already_running=running),
    "start_all": lambda m, now: m.start_all_requested(now),
    "stop": lambda m, now, name, carried_out: _stop(m, name, carried_out, now),
    "log": lambda m, now, value: m.notification(PreferenceNotification("logDebug", value), now),
    "backups": lambda m, now, days: m.backups(BackupFolder(tuple(sorted(days, reverse=True))), now),
    "tick": lambda m, now: m.tick(now),
}


@settings(max_examples=300, deadline=None)
@given(STEPS)
def test_no_input_breaks_the_machine_or_records_a_run_without_evidence(
    steps: list[tuple[Any, ...]],
) -> None:
    """No step raises; events name tasks; durations are never negative nor made up."""
    machine = ButlerStateMachine()
    now = NIGHT
    machine.poll(TASKS, (), now)
    for kind, *arguments in steps:
        now += timedelta(seconds=17)
        update = TAKE[kind](machine, now, *arguments)
        for event in update.events:
            # Only the Butler's own run has no task; every task event names a task of the list.
            assert event.task in {"", *NAMES}
            if event.type != "task_started" and event.duration is not None:
                assert event.duration >= 0
                assert event.end_observed
        for state in update.snapshot.tasks.values():
            if (duration := state.history.last_duration) is not None:
                assert duration >= timedelta(0)
            assert state.running is (state.source is not None)
    # Never named by a log line, never asked here, no activity of its work, no title of it:
    # Perform Loudness Analysis has no run, whatever else happened.
    named = any(step[0] == "line" and step[1].name == "LoudnessAnalysis" for step in steps)
    asked = any(step[0] == "start" and step[1] == "LoudnessAnalysis" for step in steps)
    if not named and not asked:
        assert "LoudnessAnalysis" not in machine.history
