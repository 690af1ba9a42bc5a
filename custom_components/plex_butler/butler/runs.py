"""The runs remembered of each task and of the Butler itself, and how evidence moves them.

A run starts when evidence of it appears and ends when that evidence ends. Its start and end get
a time only where the server showed them: a run found going on started at an unknown moment, and
one that ended out of sight, or on Butler work other tasks may have shared, ended at one.
Plain Python without Home Assistant; the state machine (machine.py) says what the evidence is.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import replace
from datetime import datetime
from typing import Final

from ..api.models import Activity, ButlerTask
from .evidence import MEDIA_WORK_BY_TYPE, is_butler_activity, progress_of
from .schedule import NO_HISTORY, LastRunSource, TaskHistory
from .snapshot import LAST_RUN_SOURCES, ButlerSnapshot, RunSource, TaskEvent

type Evidence = dict[str, tuple[RunSource, int | None]]

# Evidence that is the task's own, not only a start asked for here.
OWN_EVIDENCE: Final = frozenset(RunSource) - {RunSource.STARTED_HERE, RunSource.BUTLER_WORK}
# The better a source, the more of the run it saw.
SOURCE_RANK: Final = (LastRunSource.STARTED_HERE, LastRunSource.OBSERVED, LastRunSource.SERVER_LOG)


class ServerShows:
    """What the server's activities and log show running, before starts asked for here count.

    A Butler activity naming a task, and a sub-activity of the log naming it, are its run. Media
    work is a run where the task runs by that evidence, was started here, "start all" was asked
    here (`asked_all`), or only the Butler does that work now (`scheduled_only`); elsewhere it is
    background activity.
    """

    def __init__(
        self,
        activities: Iterable[Activity],
        tasks: Collection[str],
        named_by: Callable[[Activity], str | None],
        logged: Collection[str],
        started_here: Collection[str],
        *,
        scheduled_only: Collection[str],
        asked_all: bool,
    ) -> None:
        """Sort the activities into runs, the Butler's own work, and background activity."""
        self.evidence: Evidence = {}
        others = []
        butler, unnamed = [], []
        for activity in activities:
            if not is_butler_activity(activity):
                others.append(activity)
                continue
            butler.append(activity)
            if (name := named_by(activity)) is not None:
                self.evidence.setdefault(name, (RunSource.BUTLER_ACTIVITY, progress_of(activity)))
            else:
                unnamed.append(activity)
        for name in set(logged) & set(tasks):
            self.evidence.setdefault(name, (RunSource.SERVER_LOG, None))
        background = []
        for activity in others:
            work = MEDIA_WORK_BY_TYPE.get(activity.type.casefold())
            if (
                work is not None
                and (task := work.task) in tasks
                and (
                    task in self.evidence
                    or task in started_here
                    or asked_all
                    or task in scheduled_only
                )
            ):
                source, progress = self.evidence.get(task, (RunSource.TASK_ACTIVITY, None))
                progress = progress_of(activity) if progress is None else progress
                self.evidence[task] = (source, progress)
            else:
                background.append(activity)
        self.butler = tuple(butler)
        # The Butler's work that names no task.
        self.unnamed = tuple(unnamed)
        self.background = tuple(background)


class RunBook:
    """Each task's runs and the Butler's own, started and ended as the evidence changes."""

    def __init__(
        self, history: Mapping[str, TaskHistory] | None, maintenance: TaskHistory | None
    ) -> None:
        """Start from the remembered runs (runs going on at the last stop included)."""
        self.history: dict[str, TaskHistory] = dict(history or {})
        self.maintenance = maintenance or TaskHistory()
        # Tasks whose end, when it comes, is a stop asked for here.
        self.stopping: set[str] = set()
        # Runs started here that go on while the Butler works on what it does not name: the
        # activity, and whether the run had it alone (then its end is the run's end).
        self._leans: dict[str, tuple[str, bool]] = {}
        # Running tasks that evidence of their own showed: when it ends, the run has ended.
        self.shown: set[str] = set()

    def lean(self, name: str, uuid: str, started: datetime | None, since: datetime | None) -> None:
        """Let a run started here go on with the Butler's work `uuid`, first seen `since`.

        The run has the work alone when the work began after the start and serves no other run.
        """
        if name in self._leans:
            return
        alone = (
            started is not None
            and since is not None
            and since >= started
            and all(other != uuid for other, _ in self._leans.values())
        )
        self._leans[name] = (uuid, alone)

    def share_leans(self) -> None:
        """Take another task running: the Butler's work may be that task's."""
        self._leans = {name: (uuid, False) for name, (uuid, _) in self._leans.items()}

    def record(
        self,
        tasks: Mapping[str, ButlerTask],
        evidence: Evidence,
        previous: ButlerSnapshot | None,
        *,
        in_sight: bool,
        requested: Collection[str],
        now: datetime,
    ) -> tuple[list[TaskEvent], bool]:
        """Start and end runs as the evidence changed; return their events, and if any did."""
        events: list[TaskEvent] = []
        changed = False
        for name, task in tasks.items():
            history = self.history.get(name, NO_HISTORY)
            source = evidence[name][0] if name in evidence else None
            if source in OWN_EVIDENCE:
                self.shown.add(name)
            if source is not None and not history.running:
                # A run already going on when we first looked started at an unknown time.
                seen_start = in_sight or source is RunSource.STARTED_HERE
                history = TaskHistory(
                    last_started=now if seen_start else None,
                    last_finished=history.last_finished,
                    running=True,
                    started_here=name in requested,
                    source=LAST_RUN_SOURCES[source],
                )
                if seen_start:
                    events.append(TaskEvent("task_started", name, task.title, source))
            elif source is not None and _better(LAST_RUN_SOURCES[source], history.source):
                history = replace(history, source=LAST_RUN_SOURCES[source])
            elif source is None and history.running:
                was = previous.tasks.get(name) if previous else None
                source = was.source if was else None
                events.append(self._end(name, task.title, source, in_sight=in_sight, now=now))
                changed = True
                continue
            else:
                continue
            self.history[name] = history
            changed = True
        self.stopping.intersection_update(evidence)
        return events, changed

    def _end(
        self, name: str, title: str, source: RunSource | None, *, in_sight: bool, now: datetime
    ) -> TaskEvent:
        """End a run; its end is known when the server showed the run, alone, until now."""
        seen_end = (
            in_sight
            and source not in (None, RunSource.STARTED_HERE)
            and (source is not RunSource.BUTLER_WORK or self._leans.get(name, ("", False))[1])
        )
        return self._close(name, title, source, now if seen_end else None)

    def end_unseen(self, name: str, title: str, source: RunSource | None) -> TaskEvent:
        """End a run at a moment not seen (the server took a new start: the run was over)."""
        return self._close(name, title, source, None)

    def _close(
        self, name: str, title: str, source: RunSource | None, finished: datetime | None
    ) -> TaskEvent:
        history = replace(
            self.history[name],
            last_finished=finished,
            running=False,
            started_here=False,
        )
        self.history[name] = history
        self._leans.pop(name, None)
        self.shown.discard(name)
        return TaskEvent(
            "task_stopped" if name in self.stopping else "task_finished",
            name,
            title,
            source,
            history.last_duration_seconds,
            end_observed=finished is not None,
        )

    def stop_confirmed(self, name: str) -> None:
        """Take a stop the server carried out: the start asked here no longer holds the run."""
        if (history := self.history.get(name)) is not None:
            self.history[name] = replace(history, started_here=False)

    def record_maintenance(
        self, running: bool, *, shown_before: bool, in_sight: bool, now: datetime
    ) -> list[TaskEvent]:
        """Start and end the Butler's own run as its activities come and go."""
        history = self.maintenance
        if running and not history.running:
            self.maintenance = TaskHistory(
                now if in_sight else None,
                history.last_finished,
                running=True,
                source=LastRunSource.OBSERVED,
            )
            return [TaskEvent("maintenance_started", "", "", None)] if in_sight else []
        if running or not history.running:
            return []
        seen_end = in_sight and shown_before
        self.maintenance = replace(history, last_finished=now if seen_end else None, running=False)
        seconds = self.maintenance.last_duration_seconds
        return [TaskEvent("maintenance_finished", "", "", None, seconds, end_observed=seen_end)]


def _better(new: LastRunSource, old: LastRunSource | None) -> bool:
    """Whether evidence from `new` tells more of a run than what showed it so far."""
    return old is None or SOURCE_RANK.index(new) > SOURCE_RANK.index(old)
