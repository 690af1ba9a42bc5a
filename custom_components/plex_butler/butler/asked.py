"""What was asked of the server from Home Assistant, and how long it speaks for a run.

A start asked here is a run from the server's answer until the server shows it, a minute at most
when it shows nothing, and while the Butler then works on something it does not name, until
evidence of the task's own ends. "Start all" makes media work beside the Butler's the run asked
for, until that work is over. Plain Python without Home Assistant.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import datetime

from ..api.models import Activity
from .evidence import START_GRACE
from .runs import Evidence, RunBook
from .schedule import TaskHistory
from .snapshot import RunSource


class AskedHere:
    """The starts asked here that the server has not shown yet, and the last "start all"."""

    def __init__(self, history: Mapping[str, TaskHistory]) -> None:
        """Take the starts of runs going on at the last stop: they keep their grace."""
        self.starts: dict[str, datetime] = {
            name: runs.last_started
            for name, runs in history.items()
            if runs.running and runs.started_here and runs.last_started is not None
        }
        self._start_all: datetime | None = None

    def start_all(self, now: datetime) -> None:
        """Take "start all" asked here."""
        self._start_all = now

    def asked_all(self, butler_works: bool, now: datetime) -> bool:
        """Whether the Butler's work now is what "start all" asked for."""
        if (
            self._start_all is not None
            and not butler_works
            and now - self._start_all >= START_GRACE
        ):
            self._start_all = None
        return self._start_all is not None and butler_works

    def started_here(self, tasks: Collection[str], history: Mapping[str, TaskHistory]) -> set[str]:
        """Return the tasks whose run was asked for here, and is not over."""
        asked = {name for name, runs in history.items() if runs.started_here} | self.starts.keys()
        return {name for name in asked if name in tasks}

    def add_runs(
        self,
        evidence: Evidence,
        started_here: set[str],
        unnamed: tuple[Activity, ...],
        runs: RunBook,
        first_seen: Mapping[str, datetime | None],
        now: datetime,
    ) -> None:
        """Add the runs started here that the server does not show as the task's own."""
        for name in started_here - evidence.keys() - runs.shown:
            requested = self.starts.get(name)
            if unnamed:
                # A run started here goes on while the Butler does work it does not name.
                evidence[name] = (RunSource.BUTLER_WORK, None)
                started = requested or runs.history[name].last_started
                uuid = unnamed[0].uuid
                runs.lean(name, uuid, started, first_seen.get(uuid))
            elif requested is not None and now - requested < START_GRACE:
                evidence[name] = (RunSource.STARTED_HERE, None)
        if len(evidence) > 1:
            # Another task runs beside it: the Butler's work may be that task's.
            runs.share_leans()

    def forget_shown(
        self, evidence: Evidence, tasks: Collection[str], in_sight: bool, now: datetime
    ) -> None:
        """Once the server shows a run, or the grace is over, the start no longer speaks for it."""
        self.starts = {
            name: requested
            for name, requested in self.starts.items()
            if evidence.get(name, (RunSource.STARTED_HERE,))[0] is RunSource.STARTED_HERE
            and now - requested < START_GRACE
            and (name in tasks or not in_sight)
        }
