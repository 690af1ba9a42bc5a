"""The Butler's state: which tasks run, why we believe so, and the runs and events that follow.

Plex reports no running flag, no last run and no next run. This module derives them from what the
server shows, and records a run of a task only on evidence that the Butler runs that task:

- the task was started from Home Assistant (for a minute, or while the Butler works on something
  it does not name, until evidence of the task's own ends);
- a Butler activity names the task (its type, title or subtitle holds the task's name or title);
- the server's debug log registers a sub-activity of the Butler's run named by the task;
- one of the task's own media activities while that is its run: the task runs by the evidence
  above, or only the Butler does that work (its `*Behavior` setting is `scheduled`) and the
  maintenance window is open or the Butler works.

Everything else the server does (media added, a manual analyze, a guide reload, library scans) is
background activity, never a run: media work beside the Butler's run may be media just added.
The Butler's own activity ("Butler tasks") is a maintenance run of its own. Plain Python without
Home Assistant: inputs are polls, notifications (the debug log's lines among them), requests made
here, the backup folder and the clock; each returns a snapshot and the events it implies.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import datetime
from typing import Final

from ..api.models import (
    Activity,
    ActivityEvent,
    ActivityNotification,
    ButlerTask,
    Notification,
    SubActivityNotification,
)
from .asked import AskedHere
from .evidence import (
    TASK_SETTING_PREFIX,
    TaskNamer,
    is_butler_activity,
    is_butler_setting,
    progress_of,
    task_of_log_name,
    window_from_preferences,
)
from .progress import ProgressSteps
from .pushes import PushesSincePoll
from .runs import Evidence, RunBook, ServerShows
from .schedule import MaintenanceWindow, TaskHistory
from .server_log import ButlerLog
from .snapshot import BackupFolder, ButlerSnapshot, MaintenanceState, TaskEvent, Update
from .task_states import TaskStates, scheduled_only

RECENT_ACTIVITIES: Final = 50
# The key of the Butler's own run among the progress shown.
MAINTENANCE: Final = ""
MAINTENANCE_ORDER: Final = {"maintenance_started": 0, "maintenance_finished": 2}


class ButlerStateMachine:
    """Derives a server's task states from what it shows and what was asked of it here."""

    def __init__(
        self,
        history: Mapping[str, TaskHistory] | None = None,
        maintenance: TaskHistory | None = None,
    ) -> None:
        """Start from the remembered runs (a run going on at the last stop included)."""
        self._runs = RunBook(history, maintenance)
        self.log = ButlerLog()
        self._backups: BackupFolder | None = None
        # When each activity was first seen, None where it was there when we looked.
        self._first_seen: dict[str, datetime | None] = {}

        self._tasks: dict[str, ButlerTask] = {}
        self._task_named_by = TaskNamer(())
        self._activities: dict[str, Activity] = {}
        self._preferences: dict[str, str] = {}
        self._asked = AskedHere(self._runs.history)
        self._progress = ProgressSteps()
        self._task_states = TaskStates(self._progress)
        self._pushes = PushesSincePoll()
        # Whether the last poll showed everything since the one before: not at the start, nor
        # after a failed poll or a lost websocket. What changed out of sight happened at an
        # unknown moment, so starts and ends seen then get no time.
        self._in_sight = False
        self.snapshot: ButlerSnapshot | None = None
        # What the server did lately, for diagnostics: unknown types are how the rules grow.
        self.recent_activities: deque[dict[str, str]] = deque(maxlen=RECENT_ACTIVITIES)

    @property
    def history(self) -> Mapping[str, TaskHistory]:
        """The remembered runs, to be saved."""
        return self._runs.history

    @property
    def maintenance(self) -> TaskHistory:
        """The Butler's own last run, to be saved."""
        return self._runs.maintenance

    # --- Inputs ------------------------------------------------------------------------------

    @property
    def activity_pushes(self) -> int:
        """How many activity pushes were heard: a poll's `sent_at`."""
        return self._pushes.count

    def poll(
        self,
        tasks: Iterable[ButlerTask],
        activities: Iterable[Activity],
        now: datetime,
        sent_at: int | None = None,
    ) -> Update:
        """Take the task list and the activities the server answered.

        `sent_at` is `activity_pushes` when the requests left (default: now): what was pushed
        since is newer than the answer.
        """
        self._tasks = {task.name: task for task in tasks}
        self._task_named_by = TaskNamer(self._tasks.values())
        self._activities = {}
        sent_at = self._pushes.count if sent_at is None else sent_at
        for activity in self._pushes.applied_to(activities, sent_at):
            self._see(activity, now)
        for sub in self.log.running:
            if sub.parent not in self._activities:
                self.log.parent_ended(sub.parent)
        self._first_seen = {uuid: self._first_seen.get(uuid) for uuid in self._activities}
        update = self._derive(now)
        self._in_sight = True
        return update

    def lost_sight(self) -> None:
        """Take a failed poll or a lost websocket: changes until the next poll were not seen."""
        self._in_sight = False
        self.log.forget()

    def preferences(self, values: Mapping[str, str], now: datetime) -> Update:
        """Take the server's preferences; the Butler's settings among them are kept."""
        # A new dict at every change, never changed in place: snapshots share it.
        self._preferences = {
            name: value for name, value in values.items() if is_butler_setting(name)
        }
        return self._derive(now)

    def notification(self, notification: Notification, now: datetime) -> Update:
        """Take one push from the server."""
        if isinstance(notification, ActivityNotification):
            uuid = notification.activity.uuid
            ended = notification.event is ActivityEvent.ENDED
            self._pushes.heard(uuid, None if ended else notification.activity)
            if ended:
                self._activities.pop(uuid, None)
                self._first_seen.pop(uuid, None)
                self.log.parent_ended(uuid)
            else:
                self._see(notification.activity, now)
            return self._derive(now)
        if isinstance(notification, SubActivityNotification):
            self.log.take(notification, lambda name: task_of_log_name(name, self._tasks))
            return self._derive(now)
        if is_butler_setting(notification.setting_id):
            self._preferences = {**self._preferences, notification.setting_id: notification.value}
        # Which task a switch belongs to is the task list's to say.
        stale = notification.setting_id.startswith(TASK_SETTING_PREFIX)
        return replace(self._derive(now), task_list_stale=stale)

    def start_requested(self, name: str, now: datetime, *, already_running: bool = False) -> Update:
        """Take a start asked for here that the server accepted.

        `now` is when the request left. Unless the server said the task was already running, a
        run that began before and still read as running had ended, at a moment not seen: this
        start is a new run.
        """
        events: list[TaskEvent] = []
        history = self._runs.history.get(name)
        # A run the server showed since the request left (before its answer) is this one.
        if (
            not already_running
            and history is not None
            and history.running
            and (history.last_started is None or history.last_started < now)
        ):
            task = self._tasks.get(name)
            previous = self.snapshot.tasks.get(name) if self.snapshot else None
            source = previous.source if previous else None
            events.append(self._runs.end_unseen(name, task.title if task else name, source))
        self._asked.starts[name] = now
        update = self._derive(now)
        return replace(update, events=(*events, *update.events), history_changed=True)

    def start_all_requested(self, now: datetime) -> Update:
        """Take a start of every due task asked for here: the Butler's work next is theirs."""
        self._asked.start_all(now)
        return self._derive(now)

    def backups(self, folder: BackupFolder, now: datetime) -> Update:
        """Take what the database backup folder shows."""
        self._backups = folder
        return self._derive(now)

    def stop_requested(self, names: Iterable[str]) -> None:
        """Mark a stop about to be sent: the end that follows is a stop, not a finish.

        Marked before sending, because the server's "ended" push can arrive before its answer.
        """
        self._runs.stopping.update(names)

    def stop_failed(self, names: Iterable[str]) -> None:
        """Unmark a stop the server did not carry out: a later end is a finish again."""
        self._runs.stopping.difference_update(names)

    def stop_confirmed(self, names: Iterable[str], now: datetime) -> Update:
        """Take a stop the server carried out: a start asked here no longer keeps a task running."""
        for name in names:
            self._asked.starts.pop(name, None)
            self._runs.stop_confirmed(name)
        return self._derive(now)

    def tick(self, now: datetime) -> Update:
        """Let time pass: a start the server never showed stops counting as a run."""
        return self._derive(now)

    # --- Derivation --------------------------------------------------------------------------

    def _see(self, activity: Activity, now: datetime) -> None:
        if activity.uuid not in self._activities:
            self.recent_activities.append({"type": activity.type, "title": activity.title})
            self._first_seen.setdefault(activity.uuid, now if self._in_sight else None)
        self._activities[activity.uuid] = activity

    def _derive(self, now: datetime) -> Update:
        window = window_from_preferences(self._preferences)
        evidence, butler, background = self._evidence(now, window)
        events, changed = self._runs.record(
            self._tasks,
            evidence,
            self.snapshot,
            in_sight=self._in_sight,
            requested=self._asked.starts.keys(),
            now=now,
        )
        maintenance_events = self._runs.record_maintenance(
            bool(butler),
            shown_before=bool(self.snapshot and self.snapshot.butler_activities),
            in_sight=self._in_sight,
            now=now,
        )
        self._asked.forget_shown(evidence, self._tasks.keys(), self._in_sight, now)
        self.snapshot = ButlerSnapshot(
            tasks=self._task_states.derive(
                self._tasks,
                self._runs.history,
                evidence,
                self._preferences,
                self._backups,
                window,
                self.snapshot.tasks if self.snapshot else {},
                now,
            ),
            butler_activities=butler,
            background=background,
            window=window,
            settings=self._preferences,
            maintenance=self._maintenance_state(butler, now),
            backups=self._backups,
        )
        # The Butler's run begins before, and ends after, the tasks it runs.
        events = sorted(
            [*maintenance_events, *events], key=lambda event: MAINTENANCE_ORDER.get(event.type, 1)
        )
        return Update(self.snapshot, tuple(events), changed or bool(maintenance_events))

    def _evidence(
        self, now: datetime, window: MaintenanceWindow
    ) -> tuple[Evidence, tuple[Activity, ...], tuple[Activity, ...]]:
        """Which tasks run and why; the Butler's own activities; everything else."""
        butler_works = any(
            is_butler_activity(a) and self._task_named_by(a) is None
            for a in self._activities.values()
        ) or bool(self.log.running)
        started_here = self._asked.started_here(self._tasks.keys(), self._runs.history)
        shown = ServerShows(
            self._activities.values(),
            self._tasks,
            self._task_named_by,
            self.log.tasks,
            started_here,
            scheduled_only=scheduled_only(self._tasks, self._preferences)
            if window.is_open(now) or butler_works
            else set(),
            # After "start all" from here, media work beside the Butler's is the run asked for.
            asked_all=self._asked.asked_all(butler_works, now),
        )
        evidence = shown.evidence
        self._asked.add_runs(
            evidence, started_here, shown.unnamed, self._runs, self._first_seen, now
        )
        return evidence, shown.butler, shown.background

    def _maintenance_state(self, butler: tuple[Activity, ...], now: datetime) -> MaintenanceState:
        """Return the Butler's run: its activity's progress, and its `(k/n)` from the log."""
        run = next((a for a in butler if self._task_named_by(a) is None), None)
        counts = self.log.counts(run.uuid) if run else None
        return MaintenanceState(
            history=self._runs.maintenance,
            progress=self._progress.to_show(MAINTENANCE, progress_of(run) if run else None, now),
            completed=counts[0] if counts else None,
            total=counts[1] if counts else None,
        )
