"""The past runs of each task and of the Butler itself, as the calendar shows them: bounded.

The remembered runs (schedule.TaskHistory) hold only the last run of each. This log keeps the
runs that ended, each with the start and end that were seen (None where one was not), for
`KEEP` and at most `MAX_RUNS` per task. It follows the remembered runs as they change: a run
ends when its task no longer runs, or when a new run of it starts (then at a moment not seen).
Plain Python without Home Assistant.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Final

from .schedule import LastRunSource, TaskHistory

KEEP: Final = timedelta(days=30)
# Two runs a night for the days kept, and starts by hand beside them.
MAX_RUNS: Final = 100
# The key of the Butler's own runs, beside the tasks' names.
BUTLER_RUNS: Final = ""


@dataclass(frozen=True, slots=True)
class PastRun:
    """A run that ended: its start and end where they were seen, and how it was known."""

    started: datetime | None
    finished: datetime | None
    source: LastRunSource | None = None

    @property
    def earliest(self) -> datetime | None:
        """The first moment seen of the run."""
        return self.started or self.finished

    @property
    def latest(self) -> datetime | None:
        """The last moment seen of the run."""
        return self.finished or self.started

    def as_dict(self) -> dict[str, str | None]:
        """Store the run as JSON."""
        return {
            "started": self.started.isoformat() if self.started else None,
            "finished": self.finished.isoformat() if self.finished else None,
            "source": self.source,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PastRun:
        """Read a stored run; what cannot be read counts as not seen."""
        history = TaskHistory.from_dict(
            {
                "last_started": data.get("started"),
                "last_finished": data.get("finished"),
                "source": data.get("source"),
            }
        )
        return cls.from_history(history)

    @classmethod
    def from_history(cls, history: TaskHistory) -> PastRun:
        """Return the last run a task's remembered runs hold."""
        return cls(history.last_started, history.last_finished, history.source)


class RunLog:
    """The past runs of a server's tasks (by name) and of its Butler (`BUTLER_RUNS`)."""

    def __init__(
        self,
        runs: Mapping[str, Iterable[PastRun]] | None = None,
        going_on: Mapping[str, TaskHistory] | None = None,
    ) -> None:
        """Start from the stored runs, and the runs going on when Home Assistant stopped."""
        self._runs = {key: list(past) for key, past in (runs or {}).items()}
        self._going_on = {key: run for key, run in (going_on or {}).items() if run.running}
        # Counts each change of the past runs: what shows them compares it, not the runs.
        self.changes = 0

    @property
    def runs(self) -> Mapping[str, tuple[PastRun, ...]]:
        """Each task's past runs, oldest first."""
        return {key: tuple(past) for key, past in self._runs.items()}

    def take(self, histories: Mapping[str, TaskHistory], now: datetime) -> None:
        """Log the runs that ended since the remembered runs were last taken; forget old ones."""
        for key, history in histories.items():
            going_on = self._going_on.pop(key, None)
            if going_on is not None and going_on.last_started == history.last_started:
                if history.running:
                    self._going_on[key] = history
                    continue
                self._add(key, PastRun.from_history(history))
            elif going_on is not None:
                # A new run began: the one before ended at a moment not seen.
                self._add(key, PastRun(going_on.last_started, None, going_on.source))
            if history.running:
                self._going_on[key] = history
        oldest = now - KEEP
        before = sum(map(len, self._runs.values()))
        self._runs = {
            key: kept[-MAX_RUNS:]
            for key, past in self._runs.items()
            if (kept := [run for run in past if run.latest and run.latest >= oldest])
        }
        if sum(map(len, self._runs.values())) != before:
            self.changes += 1

    def _add(self, key: str, run: PastRun) -> None:
        if run.latest is not None:
            self._runs.setdefault(key, []).append(run)
            self.changes += 1

    def as_dict(self) -> dict[str, list[dict[str, str | None]]]:
        """Store the log as JSON."""
        return {key: [run.as_dict() for run in past] for key, past in self._runs.items()}

    @classmethod
    def from_dict(cls, data: Any, going_on: Mapping[str, TaskHistory]) -> RunLog:
        """Read a stored log; runs that cannot be read are left out."""
        runs: dict[str, list[PastRun]] = {}
        for key, past in data.items() if isinstance(data, dict) else ():
            for stored in past if isinstance(past, list) else ():
                if isinstance(stored, dict) and (run := PastRun.from_dict(stored)).latest:
                    runs.setdefault(key, []).append(run)
        return cls(runs, going_on)
