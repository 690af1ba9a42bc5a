"""What Plex does not tell: when each task last ran, and when it should run next."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

from .client import ButlerTask

WINDOW_START_SETTING = "ButlerStartHour"
WINDOW_END_SETTING = "ButlerEndHour"
# Settings such as "ButlerTaskBackupDatabase" switch a task on or off.
TASK_SETTING_PREFIX = "ButlerTask"


@dataclass(frozen=True, slots=True)
class TaskHistory:
    """The runs of one task that Home Assistant saw."""

    last_started: datetime | None = None
    last_finished: datetime | None = None

    @property
    def running_since(self) -> datetime | None:
        """When the current run started, if the last run has not finished."""
        if self.last_started is None:
            return None
        if self.last_finished is not None and self.last_finished >= self.last_started:
            return None
        return self.last_started

    @property
    def last_duration(self) -> timedelta | None:
        """How long the last finished run took."""
        if self.last_started is None or self.last_finished is None:
            return None
        if self.last_finished < self.last_started:
            return None
        return self.last_finished - self.last_started

    def as_dict(self) -> dict[str, str | None]:
        """Store the history as JSON."""
        return {
            "last_started": self.last_started.isoformat() if self.last_started else None,
            "last_finished": self.last_finished.isoformat() if self.last_finished else None,
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

        return cls(last_started=parse("last_started"), last_finished=parse("last_finished"))


@dataclass(frozen=True, slots=True)
class MaintenanceWindow:
    """The hours in which the server runs its scheduled tasks (server local time)."""

    start_hour: int = 2
    end_hour: int = 5

    @classmethod
    def from_preferences(cls, values: Mapping[str, str]) -> MaintenanceWindow:
        """Read the window from the server's preferences; missing or odd values keep defaults."""
        default = cls()
        return cls(
            start_hour=_hour(values.get(WINDOW_START_SETTING), default.start_hour),
            end_hour=_hour(values.get(WINDOW_END_SETTING), default.end_hour),
        )

    def occurrence(self, day: date, tzinfo: tzinfo | None) -> tuple[datetime, datetime]:
        """Return the window that opens on `day`; it ends the next day if it spans midnight."""
        start = datetime.combine(day, time(self.start_hour), tzinfo=tzinfo)
        hours = (self.end_hour - self.start_hour) % 24 or 24
        return start, start + timedelta(hours=hours)


def _hour(value: str | None, default: int) -> int:
    try:
        hour = int(value) if value is not None else default
    except ValueError:
        return default
    return hour if 0 <= hour <= 23 else default


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
    if not task.enabled:
        return None
    if last_run is None:
        due_day = now.date()
    else:
        due_day = last_run.astimezone(now.tzinfo).date() + timedelta(days=max(task.interval, 1))
    # A window that opened yesterday may still be open.
    day = max(due_day, now.date() - timedelta(days=1))
    while True:
        start, end = window.occurrence(day, now.tzinfo)
        if end > now:
            return start + (end - start) / 2 if task.schedule_randomized else start
        day += timedelta(days=1)
