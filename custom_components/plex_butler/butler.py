"""The Butler's state: which tasks run, why we believe so, and the runs and events that follow.

Plex reports no running flag, no last run and no next run. This module derives them from what the
server shows, and records a run of a task only on evidence that the Butler runs that task:

- the task was started from Home Assistant;
- a `butler` activity names the task (its type, title or subtitle holds the task's name or title);
- one of the task's own media activities while a Butler run is in progress: a `butler` activity
  that names no task (or this one) is present, the task's run was started from here, or the
  maintenance window is open and the task's `*Behavior` setting is `scheduled` (only the Butler
  then does that work).

Everything else the server does (media added, a manual analyze, a guide reload, library scans) is
background activity, never a run. Plain Python without Home Assistant: inputs are polls,
notifications, requests made here and the clock; each returns a snapshot and the events it implies.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import datetime
from typing import Final

from .evidence import (
    MEDIA_WORK_BY_TYPE,
    START_GRACE,
    TASK_SETTING_PREFIX,
    MediaWork,
    TaskNamer,
    is_butler_activity,
    is_butler_setting,
    progress_of,
    task_settings,
    window_from_preferences,
)
from .models import (
    Activity,
    ActivityEvent,
    ActivityNotification,
    ButlerTask,
    Notification,
    SubActivityNotification,
)
from .pacing import ProgressSteps
from .schedule import MaintenanceWindow, NextRunEstimates, TaskHistory
from .snapshot import ButlerSnapshot, RunSource, TaskEvent, TaskState, Update

RECENT_ACTIVITIES: Final = 50


class ButlerStateMachine:
    """Derives a server's task states from what it shows and what was asked of it here."""

    def __init__(self, history: Mapping[str, TaskHistory] | None = None) -> None:
        """Start from the remembered runs (a run going on at the last stop included)."""
        self._history: dict[str, TaskHistory] = dict(history or {})
        self._tasks: dict[str, ButlerTask] = {}
        self._task_named_by = TaskNamer(())
        self._next_runs = NextRunEstimates()
        self._activities: dict[str, Activity] = {}
        self._preferences: dict[str, str] = {}
        # Starts asked for here that the server has not shown yet, and when: a start asked just
        # before a restart keeps its grace afterwards.
        self._start_requests: dict[str, datetime] = {
            name: runs.last_started
            for name, runs in self._history.items()
            if runs.running and runs.started_here and runs.last_started is not None
        }
        self._stopping: set[str] = set()
        self._progress = ProgressSteps()
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
        return self._history

    # --- Inputs ------------------------------------------------------------------------------

    def poll(
        self, tasks: Iterable[ButlerTask], activities: Iterable[Activity], now: datetime
    ) -> Update:
        """Take the task list and the activities the server answered."""
        self._tasks = {task.name: task for task in tasks}
        self._task_named_by = TaskNamer(self._tasks.values())
        self._activities = {}
        for activity in activities:
            self._see(activity)
        update = self._derive(now)
        self._in_sight = True
        return update

    def lost_sight(self) -> None:
        """Take a failed poll or a lost websocket: changes until the next poll were not seen."""
        self._in_sight = False

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
            if notification.event is ActivityEvent.ENDED:
                self._activities.pop(notification.activity.uuid, None)
            else:
                self._see(notification.activity)
            return self._derive(now)
        if isinstance(notification, SubActivityNotification):
            # Read by nothing yet: the client does not ask for the log.
            return self._derive(now)
        if is_butler_setting(notification.setting_id):
            self._preferences = {**self._preferences, notification.setting_id: notification.value}
        # Which task a switch belongs to is the task list's to say.
        stale = notification.setting_id.startswith(TASK_SETTING_PREFIX)
        return replace(self._derive(now), task_list_stale=stale)

    def start_requested(self, name: str, now: datetime) -> Update:
        """Take a start asked for here that the server accepted."""
        self._start_requests[name] = now
        return self._derive(now)

    def stop_requested(self, names: Iterable[str]) -> None:
        """Mark a stop about to be sent: the end that follows is a stop, not a finish.

        Marked before sending, because the server's "ended" push can arrive before its answer.
        """
        self._stopping.update(names)

    def stop_failed(self, names: Iterable[str]) -> None:
        """Unmark a stop the server did not carry out: a later end is a finish again."""
        self._stopping.difference_update(names)

    def stop_confirmed(self, names: Iterable[str], now: datetime) -> Update:
        """Take a stop the server carried out: a start asked here no longer keeps a task running."""
        for name in names:
            self._start_requests.pop(name, None)
            if (history := self._history.get(name)) is not None:
                self._history[name] = replace(history, started_here=False)
        return self._derive(now)

    def tick(self, now: datetime) -> Update:
        """Let time pass: a start the server never showed stops counting as a run."""
        return self._derive(now)

    # --- Derivation --------------------------------------------------------------------------

    def _see(self, activity: Activity) -> None:
        if activity.uuid not in self._activities:
            self.recent_activities.append({"type": activity.type, "title": activity.title})
        self._activities[activity.uuid] = activity

    def _derive(self, now: datetime) -> Update:
        window = window_from_preferences(self._preferences)
        evidence, butler, background = self._evidence(now, window)
        events, changed = self._record(evidence, now)
        # Once the server shows a run, or the grace is over, the request no longer speaks for it.
        self._start_requests = {
            name: requested
            for name, requested in self._start_requests.items()
            if evidence.get(name, (RunSource.STARTED_HERE,))[0] is RunSource.STARTED_HERE
            and now - requested < START_GRACE
            and (name in self._tasks or not self._in_sight)
        }
        self.snapshot = ButlerSnapshot(
            tasks={
                name: TaskState(
                    task=task,
                    history=(history := self._history.get(name, TaskHistory())),
                    next_run=self._next_runs.get(task, history.last_run, window, now),
                    source=evidence[name][0] if name in evidence else None,
                    progress=self._progress.to_show(
                        name, evidence[name][1] if name in evidence else None, now
                    ),
                    settings={
                        setting: self._preferences[setting]
                        for setting in task_settings(name)
                        if setting in self._preferences
                    },
                )
                for name, task in self._tasks.items()
            },
            butler_activities=butler,
            background=background,
            window=window,
            settings=self._preferences,
        )
        return Update(self.snapshot, tuple(events), changed)

    def _evidence(
        self, now: datetime, window: MaintenanceWindow
    ) -> tuple[dict[str, tuple[RunSource, int | None]], tuple[Activity, ...], tuple[Activity, ...]]:
        """Which tasks run and why; the Butler's own activities; everything else."""
        evidence: dict[str, tuple[RunSource, int | None]] = {}
        butler = tuple(a for a in self._activities.values() if is_butler_activity(a))
        generic_butler_work = False
        for activity in butler:
            if (name := self._task_named_by(activity)) is not None:
                evidence.setdefault(name, (RunSource.BUTLER_ACTIVITY, progress_of(activity)))
            else:
                generic_butler_work = True
        started_here = {
            name
            for name in self._tasks
            if self._history.get(name, TaskHistory()).started_here or name in self._start_requests
        }
        window_open = window.is_open(now)
        background = []
        for activity in self._activities.values():
            if is_butler_activity(activity):
                continue
            work = MEDIA_WORK_BY_TYPE.get(activity.type.casefold())
            if (
                work is not None
                and work.task in self._tasks
                and (
                    generic_butler_work
                    or work.task in evidence
                    or work.task in started_here
                    or (window_open and self._scheduled_only(work))
                )
            ):
                evidence.setdefault(work.task, (RunSource.TASK_ACTIVITY, progress_of(activity)))
            else:
                background.append(activity)
        for name in started_here - set(evidence):
            requested = self._start_requests.get(name)
            if generic_butler_work:
                # A run started here goes on while the Butler does work it does not name.
                evidence[name] = (RunSource.BUTLER_ACTIVITY, None)
            elif requested is not None and now - requested < START_GRACE:
                evidence[name] = (RunSource.STARTED_HERE, None)
        return evidence, butler, tuple(background)

    def _scheduled_only(self, work: MediaWork) -> bool:
        """Whether only the Butler does this work (never on media added), and the task is on."""
        setting = work.behavior_setting
        return (
            setting is not None
            and self._preferences.get(setting) == "scheduled"
            and self._tasks[work.task].enabled
        )

    def _record(
        self, evidence: Mapping[str, tuple[RunSource, int | None]], now: datetime
    ) -> tuple[list[TaskEvent], bool]:
        """Start and end runs as the evidence changed; return their events."""
        events: list[TaskEvent] = []
        changed = False
        for name, task in self._tasks.items():
            history = self._history.get(name, TaskHistory())
            source = evidence[name][0] if name in evidence else None
            if source is not None and not history.running:
                # A run already going on when we first looked started at an unknown time.
                seen_start = self._in_sight or source is RunSource.STARTED_HERE
                history = TaskHistory(
                    last_started=now if seen_start else None,
                    last_finished=history.last_finished,
                    running=True,
                    started_here=name in self._start_requests,
                )
                if seen_start:
                    events.append(TaskEvent("task_started", name, task.title, source))
            elif source is None and history.running:
                # The end is known only when the server showed the run until now.
                previous = self.snapshot.tasks.get(name) if self.snapshot else None
                seen_end = (
                    self._in_sight
                    and previous is not None
                    and previous.source not in (None, RunSource.STARTED_HERE)
                )
                history = replace(
                    history,
                    last_finished=now if seen_end else None,
                    running=False,
                    started_here=False,
                )
                duration = history.last_duration
                events.append(
                    TaskEvent(
                        "task_stopped" if name in self._stopping else "task_finished",
                        name,
                        task.title,
                        previous.source if previous else None,
                        duration.total_seconds() if duration is not None else None,
                        end_observed=seen_end,
                    )
                )
            else:
                continue
            self._history[name] = history
            changed = True
        self._stopping.intersection_update(evidence)
        return events, changed
