"""Deriving only the tasks a change concerns gives the states a derivation of every task gives.

Hypothesis changes runs, evidence, progress, preferences, backups and the task list, and moves the
clock across windows and midnights: after each step, the states derived from the last ones (only
the tasks concerned) equal those derived from a copy of them (every task anew), order included.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from hypothesis import given, settings, strategies as st

from custom_components.plex_butler.api.models import ButlerTask
from custom_components.plex_butler.butler.evidence import window_from_preferences
from custom_components.plex_butler.butler.progress import ProgressSteps
from custom_components.plex_butler.butler.runs import Evidence
from custom_components.plex_butler.butler.schedule import LastRunSource, TaskHistory
from custom_components.plex_butler.butler.snapshot import BackupFolder, RunSource, TaskState
from custom_components.plex_butler.butler.task_states import TaskStates
from tests.butler.test_butler import NIGHT

TASKS = (
    ButlerTask("BackupDatabase", "Backup Database", "", 3, False, True),
    ButlerTask("OptimizeDatabase", "Optimize Database", "", 7, False, True),
    ButlerTask("ButlerTaskGenerateIntroMarkers", "Detect Intros", "", 1, True, True),
    ButlerTask("DeepMediaAnalysis", "Perform Deep Media Analysis", "", 1, False, False),
)
NAMES = st.sampled_from([task.name for task in TASKS])
MOMENTS = st.builds(lambda minutes: NIGHT - timedelta(minutes=minutes), st.integers(0, 6000))
HISTORIES = st.builds(
    TaskHistory,
    last_started=st.one_of(st.none(), MOMENTS),
    last_finished=st.one_of(st.none(), MOMENTS),
    running=st.booleans(),
    source=st.one_of(st.none(), st.sampled_from(list(LastRunSource))),
)
PREFERENCES = st.fixed_dictionaries(
    {},
    optional={
        "ButlerStartHour": st.sampled_from(["2", "22", "x"]),
        "ButlerEndHour": st.sampled_from(["5", "3"]),
        "logDebug": st.sampled_from(["0", "1"]),
        "ButlerTaskGenerateIntroMarkers": st.sampled_from(["0", "1"]),
    },
)
STEPS = st.lists(
    st.one_of(
        st.tuples(st.just("runs"), st.tuples(NAMES, HISTORIES)),
        st.tuples(
            st.just("evidence"),
            st.dictionaries(
                NAMES,
                st.tuples(
                    st.sampled_from(list(RunSource)), st.one_of(st.none(), st.integers(0, 100))
                ),
            ),
        ),
        st.tuples(st.just("clock"), st.integers(1, 600)),
        st.tuples(st.just("preferences"), PREFERENCES),
        st.tuples(st.just("backups"), st.lists(st.dates(date(2026, 11, 20), date(2026, 11, 28)))),
        st.tuples(st.just("tasks"), st.lists(st.sampled_from(TASKS), unique=True)),
    ),
    max_size=40,
)


@settings(max_examples=300, deadline=None)
@given(STEPS)
def test_deriving_the_tasks_concerned_equals_deriving_every_task(
    steps: list[tuple[Any, ...]],
) -> None:
    """At every step both ways give equal states, in the task list's order."""
    kept, anew = TaskStates(ProgressSteps()), TaskStates(ProgressSteps())
    tasks = {task.name: task for task in TASKS}
    history: dict[str, TaskHistory] = {}
    evidence: Evidence = {}
    preferences: dict[str, str] = {}
    backups: BackupFolder | None = None
    now = NIGHT
    last_kept: dict[str, TaskState] = {}
    last_anew: dict[str, TaskState] = {}
    for kind, value in steps:
        if kind == "runs":
            history[value[0]] = value[1]
        elif kind == "evidence":
            evidence = {name: ran for name, ran in value.items() if name in tasks}
        elif kind == "clock":
            now += timedelta(minutes=value)
        elif kind == "preferences":
            preferences = value
        elif kind == "backups":
            backups = BackupFolder(tuple(sorted(value, reverse=True)))
        else:
            tasks = {task.name: task for task in value}
            evidence = {name: ran for name, ran in evidence.items() if name in tasks}
        inputs = (
            tasks,
            history,
            evidence,
            preferences,
            backups,
            window_from_preferences(preferences),
        )
        last_kept = kept.derive(*inputs, last_kept, now)
        last_anew = anew.derive(*inputs, dict(last_anew), now)
        assert list(last_kept.items()) == list(last_anew.items()), (kind, value, now)


def test_a_change_of_one_task_keeps_the_others_as_they_were() -> None:
    """A run of one task derives that task alone: the others are the very same states."""
    states = TaskStates(ProgressSteps())
    tasks = {task.name: task for task in TASKS}
    window = window_from_preferences({})
    before = states.derive(tasks, {}, {}, {}, None, window, {}, NIGHT)
    history = {"OptimizeDatabase": replace(TaskHistory(), last_started=NIGHT, running=True)}
    after = states.derive(tasks, history, {}, {}, None, window, before, NIGHT)
    assert after["OptimizeDatabase"].history.running
    assert [name for name in tasks if after[name] is not before[name]] == ["OptimizeDatabase"]
