"""Each task's state in a snapshot: its runs, next run, evidence, progress and own settings.

The settings-derived parts live here too: which settings are a task's, what the debug log and the
backup folder add, which media work only the Butler does. Plain Python without Home Assistant.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, time
from typing import Final

from ..api.models import ButlerTask
from .evidence import (
    BACKUP_TASK,
    MEDIA_WORK,
    debug_log_from_preferences,
    task_settings,
)
from .progress import ProgressSteps
from .runs import Evidence
from .schedule import MaintenanceWindow, NextRunEstimates, TaskHistory
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


# The history of a task never seen to run; shared, as it is frozen.
NO_HISTORY: Final = TaskHistory()


class TaskStates:
    """Derives the tasks' states; each next-run estimate is kept while its inputs hold."""

    def __init__(self, progress: ProgressSteps) -> None:
        """Share the progress shown with the Butler's own run, which steps it the same way."""
        self._progress = progress
        self._next_runs = NextRunEstimates()
        # Each task's own settings, and the preferences and tasks they were taken from.
        self._settings: tuple[
            Mapping[str, str], Mapping[str, ButlerTask], dict[str, Mapping[str, str]]
        ] = ({}, {}, {})

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
        """Return each task's state; one made of what it was made of `before` is kept as it was.

        A push changes one task or none: building every task's anew was most of its cost.
        """
        debug_log = debug_log_from_preferences(preferences)
        backup_day = backups.days[0] if backups and backups.days else None
        backup_run = datetime.combine(backup_day, time(), now.tzinfo) if backup_day else None
        settings = self._settings_of(tasks, preferences)
        states: dict[str, TaskState] = {}
        for name, task in tasks.items():
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
        return states

    def _settings_of(
        self, tasks: Mapping[str, ButlerTask], preferences: Mapping[str, str]
    ) -> Mapping[str, Mapping[str, str]]:
        """Each task's own settings; taken again only from new preferences or a new task list."""
        taken_from, taken_for, settings = self._settings
        if taken_from is not preferences or taken_for is not tasks:
            settings = {
                name: {
                    setting: preferences[setting]
                    for setting in task_settings(name)
                    if setting in preferences
                }
                for name in tasks
            }
            self._settings = (preferences, tasks, settings)
        return settings
