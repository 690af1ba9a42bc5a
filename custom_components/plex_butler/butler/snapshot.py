"""What the Butler state machine tells: each task's state, the server's work, task events.

Plain Python without Home Assistant, like the machine (machine.py) that produces it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from enum import StrEnum
from typing import Any, Final, Literal

from ..api.models import Activity, ButlerTask
from .evidence import MEDIA_WORK, debug_log_from_preferences
from .schedule import LastRunSource, MaintenanceWindow, TaskHistory

# The Butler task that installs server updates ("Install Automatic Updates"). `/butler` reports its
# `enabled` as the server's settings have it; no public source names another preference for
# automatic updates, so whether they are on rests on this task alone.
AUTOMATIC_UPDATES_TASK: Final = "AutomaticUpdates"


class RunSource(StrEnum):
    """Why a task reads as running."""

    STARTED_HERE = "started_here"
    BUTLER_ACTIVITY = "butler_activity"
    TASK_ACTIVITY = "task_activity"
    SERVER_LOG = "server_log"
    # Started here, and the Butler works on something it does not name: maybe this task.
    BUTLER_WORK = "butler_work"


MEDIA_WORK_TASKS: Final = frozenset(work.task for work in MEDIA_WORK)
# How a run is known once it is over, by what showed it while it ran.
LAST_RUN_SOURCES: Final = {
    RunSource.STARTED_HERE: LastRunSource.STARTED_HERE,
    RunSource.BUTLER_WORK: LastRunSource.STARTED_HERE,
    RunSource.BUTLER_ACTIVITY: LastRunSource.OBSERVED,
    RunSource.TASK_ACTIVITY: LastRunSource.OBSERVED,
    RunSource.SERVER_LOG: LastRunSource.SERVER_LOG,
}

type TaskEventType = Literal[
    "task_started", "task_finished", "task_stopped", "maintenance_started", "maintenance_finished"
]


def not_seen_reason(name: str, debug_log: bool | None) -> str | None:
    """Say why no run of a task may have been seen: its runs show only in the debug log.

    A task with media work shows it as an activity; the others only in the log's lines.
    """
    if debug_log is False and name not in MEDIA_WORK_TASKS:
        return "debug_log_off"
    return None


def latest_run(seen: datetime | None, backup_run: datetime | None) -> datetime | None:
    """Return the run seen, or the start of the newest backup's day when that is a later day."""
    if backup_run is None or (
        seen is not None and seen.astimezone(backup_run.tzinfo) >= backup_run
    ):
        return seen
    return backup_run


@dataclass(frozen=True, slots=True)
class TaskState:
    """A Butler task with what was derived and remembered of it."""

    task: ButlerTask
    history: TaskHistory
    next_run: datetime | None
    source: RunSource | None = None
    progress: int | None = None
    # The task's own settings (its switch, the `*Behavior` setting of its work) as the server
    # stores them; one it does not have is absent. Here, a change to them is a change of the task.
    settings: Mapping[str, str] = field(default_factory=dict)
    # The start of the day of the newest database backup (Backup Database only): a run then.
    backup_run: datetime | None = None
    # Why a run may go unseen (not_seen_reason), while none was seen.
    not_seen_reason: str | None = None

    def made_of(self) -> tuple[object, ...]:
        """Return the fields in their order: `TaskState(*made_of)` is a state equal to this one."""
        return (
            self.task,
            self.history,
            self.next_run,
            self.source,
            self.progress,
            self.settings,
            self.backup_run,
            self.not_seen_reason,
        )

    @property
    def last_run(self) -> datetime | None:
        """The last run: as seen, or the newest backup's day when that is a later day."""
        return latest_run(self.history.last_run, self.backup_run)

    @property
    def last_run_source(self) -> LastRunSource | None:
        """How the last run is known; None where no run was seen yet."""
        if self.last_run is None:
            return None
        if self.last_run is self.backup_run:
            return LastRunSource.BACKUP_FILE
        return self.history.source

    @property
    def running(self) -> bool:
        """Whether there is evidence that the task runs now."""
        return self.source is not None

    @property
    def status(self) -> Literal["idle", "running", "disabled"]:
        """Running wins over disabled: a disabled task can still be started by hand."""
        if self.running:
            return "running"
        return "idle" if self.task.enabled else "disabled"


@dataclass(frozen=True, slots=True)
class MaintenanceState:
    """The Butler's own run: when it was seen, and how far the one going on is."""

    history: TaskHistory = field(default_factory=TaskHistory)
    progress: int | None = None
    # k of the run's n tasks done, from the debug log's `(k/n)`.
    completed: int | None = None
    total: int | None = None


@dataclass(frozen=True, slots=True)
class BackupFolder:
    """What the database backup folder shows: the backups' days, or why it could not be read."""

    days: tuple[date, ...] = ()
    error: str | None = None


@dataclass(frozen=True, slots=True)
class ButlerSnapshot:
    """One moment of a server's Butler."""

    tasks: Mapping[str, TaskState]
    butler_activities: tuple[Activity, ...]
    background: tuple[Activity, ...]
    window: MaintenanceWindow
    # The Butler's settings as the server stores them ("1"/"0" for switches), by name.
    settings: Mapping[str, str] = field(default_factory=dict)
    maintenance: MaintenanceState = field(default_factory=MaintenanceState)
    # None until the folder was read.
    backups: BackupFolder | None = None

    @property
    def debug_log(self) -> bool | None:
        """Whether the server logs at debug level, where the Butler's tasks show; None: unknown."""
        return debug_log_from_preferences(self.settings)

    @property
    def running_tasks(self) -> list[str]:
        """The names of the running tasks, in the server's order."""
        return [name for name, state in self.tasks.items() if state.running]

    @property
    def maintenance_running(self) -> bool:
        """Whether the Butler works: a task runs, or the server shows Butler activity."""
        return bool(self.butler_activities) or bool(self.running_tasks)

    @property
    def automatic_updates(self) -> bool:
        """Whether the server installs updates in a Butler run, and so in "start all"."""
        updates = self.tasks.get(AUTOMATIC_UPDATES_TASK)
        return updates is not None and updates.task.enabled


@dataclass(frozen=True, slots=True)
class TaskEvent:
    """A task started, finished, or was stopped from here; or the Butler's run (task "")."""

    type: TaskEventType
    task: str
    title: str
    source: RunSource | None
    duration: float | None = None
    # False when the run ended out of sight (Home Assistant down, the server unreachable): the
    # moment, and so the duration, are unknown.
    end_observed: bool = True

    def attributes(self) -> dict[str, Any]:
        """Return the event's data, as automations see it."""
        data: dict[str, Any] = {"task": self.task, "title": self.title, "source": self.source}
        if self.type not in ("task_started", "maintenance_started"):
            data["duration"] = self.duration
            data["end_observed"] = self.end_observed
        return data


@dataclass(frozen=True, slots=True)
class Update:
    """What an input changed: the new snapshot, its events, and whether history must be saved."""

    snapshot: ButlerSnapshot
    events: tuple[TaskEvent, ...] = ()
    history_changed: bool = False
    task_list_stale: bool = False


def what_changed(before: ButlerSnapshot, after: ButlerSnapshot) -> tuple[set[str], bool]:
    """Return the tasks whose state changed, and whether what the whole server shows did.

    A task's progress, runs and estimate concern its own entities alone; the task itself (title,
    settings) and whether it runs also concern the server's (running tasks, start all, voice).
    Of the Butler's own activities, the server's entities show only whether there are any.
    """
    # A state kept as it was is the same object: most tasks, most of the time.
    tasks = {
        name
        for name, state in after.tasks.items()
        if (old := before.tasks.get(name)) is not state and old != state
    }
    tasks.update(before.tasks.keys() - after.tasks.keys())
    server = (
        before.maintenance_running != after.maintenance_running
        or any(
            getattr(before, part.name) != getattr(after, part.name)
            for part in fields(ButlerSnapshot)
            if part.name not in {"tasks", "butler_activities"}
        )
    ) or any(
        (old := before.tasks.get(name)) is None
        or (new := after.tasks.get(name)) is None
        or (old.task, old.running) != (new.task, new.running)
        for name in tasks
    )
    return tasks, server
