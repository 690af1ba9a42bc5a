"""Each task's state in a snapshot: its runs, next run, evidence, progress and own settings.

The settings-derived parts live here too: which settings are a task's, what the debug log and the
backup folder add, which media work only the Butler does. Plain Python without Home Assistant.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, time
from typing import NamedTuple

from ..api.models import ButlerTask
from .evidence import (
    BACKUP_TASK,
    MEDIA_WORK,
    debug_log_from_preferences,
    task_settings,
)
from .progress import ProgressSteps
from .runs import Evidence
from .schedule import NO_HISTORY, MaintenanceWindow, NextRunEstimates, TaskHistory
from .snapshot import BackupFolder, TaskState, latest_run, not_seen_reason


def scheduled_only(tasks: Mapping[str, ButlerTask], preferences: Mapping[str, str]) -> set[str]:
    """Return the tasks on whose media work only the Butler does (never on media added)."""
    return {
        work.task
        for work in MEDIA_WORK
        if work.behavior_setting is not None
        and work.task in tasks
        and preferences.get(work.behavior_setting) == "scheduled"
        and tasks[work.task].enabled
    }


class _Inputs(NamedTuple):
    """What every task's state is derived from; the first three are new objects when they change."""

    tasks: Mapping[str, ButlerTask]
    preferences: Mapping[str, str]
    backups: BackupFolder | None
    window: MaintenanceWindow


_NO_INPUTS = _Inputs({}, {}, None, MaintenanceWindow())


class TaskStates:
    """Derives the tasks' states; each next-run estimate is kept while its inputs hold.

    A push changes one task or none: while the task list, the preferences, the backups and the
    window stay, only the tasks whose runs or evidence changed are derived anew.
    """

    def __init__(self, progress: ProgressSteps) -> None:
        """Share the progress shown with the Butler's own run, which steps it the same way."""
        self._progress = progress
        self._next_runs = NextRunEstimates()
        # What the last states were derived from, each task's own settings then, the last states,
        # the tasks with evidence then, and until when their estimates hold.
        self._inputs = _NO_INPUTS
        self._settings: Mapping[str, Mapping[str, str]] = {}
        self._derived: Mapping[str, TaskState] = {}
        self._evidenced: set[str] = set()
        self._valid_until: datetime | None = None

    def derive(
        self,
        tasks: Mapping[str, ButlerTask],
        history: Mapping[str, TaskHistory],
        evidence: Evidence,
        preferences: Mapping[str, str],
        backups: BackupFolder | None,
        window: MaintenanceWindow,
        before: Mapping[str, TaskState],
        now: datetime,
    ) -> dict[str, TaskState]:
        """Return each task's state; one made of what it was made of `before` is kept as it was."""
        inputs = _Inputs(tasks, preferences, backups, window)
        if self._unchanged(inputs, before, now):
            names: Iterable[str] = {
                *evidence,
                *self._evidenced,
                *(
                    name
                    for name, state in before.items()
                    if history.get(name, NO_HISTORY) is not state.history
                ),
            }
            states = dict(before)
        else:
            names, states = tasks, {}
            self._valid_until = None
        debug_log = debug_log_from_preferences(preferences)
        backup_day = backups.days[0] if backups and backups.days else None
        backup_run = datetime.combine(backup_day, time(), now.tzinfo) if backup_day else None
        settings = self._settings_of(inputs)
        for name in names:
            task = tasks[name]
            ran = history.get(name, NO_HISTORY)
            backup = backup_run if name == BACKUP_TASK else None
            source, progress = evidence.get(name, (None, None))
            made_of = (
                task,
                ran,
                self._next_runs.get(task, latest_run(ran.last_run, backup), window, now),
                source,
                self._progress.to_show(name, progress, now),
                settings[name],
                backup,
                not_seen_reason(name, debug_log),
            )
            previous = before.get(name)
            states[name] = (
                previous
                if previous is not None and previous.made_of() == made_of
                else TaskState(*made_of)
            )
        valid_until = self._next_runs.valid_until(names)
        if valid_until is not None:
            self._valid_until = min(self._valid_until or valid_until, valid_until)
        self._inputs, self._settings = inputs, settings
        self._derived, self._evidenced = states, set(evidence)
        return states

    def _unchanged(self, inputs: _Inputs, before: Mapping[str, TaskState], now: datetime) -> bool:
        """Whether every task is still made of what it was last derived from, but for its own.

        The same task list, preferences and backups, an equal window, `before` the last states
        derived, and every estimate still valid.
        """
        last = self._inputs
        return (
            inputs.tasks is last.tasks
            and inputs.preferences is last.preferences
            and inputs.backups is last.backups
            and inputs.window == last.window
            and before is self._derived
            and (self._valid_until is None or now < self._valid_until)
        )

    def _settings_of(self, inputs: _Inputs) -> Mapping[str, Mapping[str, str]]:
        """Each task's own settings; taken again only from new preferences or a new task list."""
        last = self._inputs
        if inputs.preferences is last.preferences and inputs.tasks is last.tasks:
            return self._settings
        return {
            name: {
                setting: inputs.preferences[setting]
                for setting in task_settings(name)
                if setting in inputs.preferences
            }
            for name in inputs.tasks
        }
