"""What Plex does not tell: when each task last ran, and when it should run next."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from typing import Any, Final

from ..api.models import ButlerTask


class LastRunSource(StrEnum):
    """How the last run of a task is known."""

    # The server's activities showed the run (a Butler activity naming the task, its media work).
    OBSERVED = "observed"
    # The server's debug log named the task's sub-activity of the Butler's run.
    SERVER_LOG = "server_log"
    # The newest file in the database backup folder: its date, no time.
    BACKUP_FILE = "backup_file"
    # Started from Home Assistant; the server showed only that its Butler worked.
    STARTED_HERE = "started_here"


@dataclass(frozen=True, slots=True)
class TaskHistory:
    """The runs of one task that Home Assistant saw; None where it did not see the moment.

    `running` and `started_here` are stored too, so that a run still going on when Home
    Assistant restarts goes on afterwards instead of ending at the restart. `source` is None for
    runs remembered by versions that did not store it.
    """

    last_started: datetime | None = None
    last_finished: datetime | None = None
    running: bool = False
    started_here: bool = False
    source: LastRunSource | None = None

    @property
    def last_run(self) -> datetime | None:
        """The latest moment a run was seen: its start, or its end when the start was not seen."""
        return self.last_started or self.last_finished

    @property
    def last_duration(self) -> timedelta | None:
        """How long the last finished run took, when both its start and its end were seen."""
        if self.running or self.last_started is None or self.last_finished is None:
            return None
        if self.last_finished < self.last_started:
            return None
        return self.last_finished - self.last_started

    @property
    def last_duration_seconds(self) -> float | None:
        """`last_duration` in seconds, as events, attributes and the duration sensor give it."""
        duration = self.last_duration
        return duration.total_seconds() if duration is not None else None

    def as_dict(self) -> dict[str, str | bool | None]:
        """Store the history as JSON."""
        return {
            "last_started": self.last_started.isoformat() if self.last_started else None,
            "last_finished": self.last_finished.isoformat() if self.last_finished else None,
            "running": self.running,
            "started_here": self.started_here,
            "source": self.source,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TaskHistory:
        """Read stored history; anything unreadable counts as unknown."""

        def parse(key: str) -> datetime | None:
            value = data.get(key)
            try:
                parsed = datetime.fromisoformat(value) if isinstance(value, str) else None
            except ValueError:
                return None
            # Stored times are always aware; a naive one is not ours.
            return parsed if parsed is not None and parsed.tzinfo is not None else None

        started, finished = parse("last_started"), parse("last_finished")
        running = data.get("running")
        if not isinstance(running, bool):
            # Stored before "running" was: a start without a later end was a run going on.
            running = started is not None and (finished is None or finished < started)
        try:
            source = LastRunSource(str(data.get("source")))
        except ValueError:
            source = None
        return cls(
            last_started=started,
            last_finished=finished,
            running=running,
            started_here=data.get("started_here") is True,
            source=source,
        )


# The history of a task never seen to run; shared, as it is frozen (and cheaper than a new one).
NO_HISTORY: Final = TaskHistory()


@dataclass(frozen=True, slots=True)
class MaintenanceWindow:
    """The hours in which the server runs its scheduled tasks (server local time)."""

    start_hour: int = 2
    end_hour: int = 5

    def occurrence(self, day: date, tzinfo: tzinfo | None) -> tuple[datetime, datetime]:
        """Return the window that opens on `day`; it ends the next day if it spans midnight."""
        start = datetime.combine(day, time(self.start_hour), tzinfo=tzinfo)
        hours = (self.end_hour - self.start_hour) % 24 or 24
        return start, start + timedelta(hours=hours)

    def is_open(self, now: datetime) -> bool:
        """Whether the window is open at `now` (aware, in the server's time zone)."""
        for day in (now.date() - timedelta(days=1), now.date()):
            start, end = self.occurrence(day, now.tzinfo)
            if start <= now < end:
                return True
        return False


def estimate_next_run(
    task: ButlerTask,
    last_run: datetime | None,
    window: MaintenanceWindow,
    now: datetime,
) -> datetime | None:
    """Estimate when the server will next run a task on its own schedule.

    A task is due `interval` days after its last run (today if it never ran), and runs in the
    first maintenance window from then that has not closed yet: at its start, or for a
    randomized task at its middle. Inside an open window that is the window's own start or
    middle, even when past, so that the estimate stays put while the window is open (it said
    "now" and changed at every update before). Disabled tasks never run on their own.
    `now` must be aware, in the server's time zone; the answer is in the same zone.
    """
    return _estimate(task, last_run, window, now)[0]


def _estimate(
    task: ButlerTask, last_run: datetime | None, window: MaintenanceWindow, now: datetime
) -> tuple[datetime | None, datetime]:
    """Return the estimate, and until when the clock cannot change it.

    That is the next midnight (the due day is counted from today) or the end of the window
    chosen (the next one is chosen after it), whichever comes first.
    """
    midnight = datetime.combine(now.date() + timedelta(days=1), time(), tzinfo=now.tzinfo)
    if not task.enabled:
        return None, midnight
    if last_run is None:
        due_day = now.date()
    else:
        due_day = last_run.astimezone(now.tzinfo).date() + timedelta(days=max(task.interval, 1))
    # A window that opened yesterday may still be open.
    day = max(due_day, now.date() - timedelta(days=1))
    while True:
        start, end = window.occurrence(day, now.tzinfo)
        if end > now:
            estimate = start + (end - start) / 2 if task.schedule_randomized else start
            return estimate, min(end, midnight)
        day += timedelta(days=1)


class NextRunEstimates:
    """Next-run estimates of a server's tasks, each kept until its inputs or the clock change it.

    Each derivation of a task's state asks again: without this, each would estimate anew.
    """

    def __init__(self) -> None:
        """Know no estimate yet."""
        self._known: dict[
            str,
            tuple[tuple[ButlerTask, datetime | None, MaintenanceWindow], datetime | None, datetime],
        ] = {}

    def get(
        self, task: ButlerTask, last_run: datetime | None, window: MaintenanceWindow, now: datetime
    ) -> datetime | None:
        """Return `estimate_next_run(task, last_run, window, now)`."""
        inputs = (task, last_run, window)
        known = self._known.get(task.name)
        if known is not None and known[0] == inputs and now < known[2]:
            return known[1]
        estimate, valid_until = _estimate(task, last_run, window, now)
        self._known[task.name] = (inputs, estimate, valid_until)
        return estimate

    def valid_until(self, names: Iterable[str]) -> datetime | None:
        """Return when the first estimate of these tasks may change with the clock alone."""
        return min((self._known[name][2] for name in names), default=None)
