"""Problems worth a repair, read from what the server shows; nothing from what it does not show.

- Backup Database is switched off: its setting (`ButlerTaskBackupDatabase`) reads off.
- The newest database backup is overdue: older than twice the task's interval (`/butler`'s
  `interval`, 3 days by default) plus a day. This rests on the backup folder: only a folder the
  server lists, with backups in it, says which backups exist. A run seen later than its newest
  file counts as a newer backup. Runs seen alone prove nothing once they stop: Home Assistant may
  have been away, or the debug log off, while the Butler went on backing up.
- A task's runs were cut short three nights in a row: each ended with the Butler's run while
  its part of it, in the debug log, was still open (`server_log.py`). A run that ended out of
  sight, a stop asked for here, and runs without the log tell nothing of it; any other end seen
  is a run that ended, and starts the count again.

Plain Python without Home Assistant.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Final

from .evidence import BACKUP_TASK, task_switch_setting
from .schedule import MaintenanceWindow
from .snapshot import ButlerSnapshot

NIGHTS_IN_A_ROW: Final = 3


@dataclass(frozen=True, slots=True)
class OverdueBackup:
    """The newest backup known, how many days old it is, and the age past which it is overdue."""

    newest: date
    age_days: int
    limit_days: int


def backup_switched_off(snapshot: ButlerSnapshot) -> bool:
    """Whether the server's setting says that it does not back up its database on its own."""
    return snapshot.settings.get(task_switch_setting(BACKUP_TASK)) == "0"


def overdue_backup(snapshot: ButlerSnapshot, now: datetime) -> OverdueBackup | None:
    """Return the newest backup when the backup folder shows it overdue, else None.

    `now` is aware, in the server's time zone: days are counted there, as the files name them.
    """
    state = snapshot.tasks.get(BACKUP_TASK)
    folder = snapshot.backups
    if state is None or folder is None or not folder.days:
        return None
    newest = folder.days[0]
    if (seen := state.history.last_run) is not None:
        newest = max(newest, seen.astimezone(now.tzinfo).date())
    age = (now.date() - newest).days
    limit = 2 * max(state.task.interval, 1) + 1
    return OverdueBackup(newest, age, limit) if age > limit else None


def night_of(moment: datetime, window: MaintenanceWindow) -> date:
    """Return the night a moment belongs to: the day its maintenance window opened.

    `moment` is in the server's time zone; a window from 23:00 to 04:00 holds 01:00 of the next
    day in the same night.
    """
    return (moment - timedelta(hours=window.start_hour)).date()


class CutShortNights:
    """The nights in a row on which each task's run was cut short."""

    def __init__(self) -> None:
        """Know of no run."""
        self._nights: dict[str, list[date]] = {}

    def run_ended(self, task: str, night: date, *, cut_short: bool) -> bool:
        """Take the end of a task's run; return whether it was cut short nights in a row."""
        if not cut_short:
            self._nights.pop(task, None)
            return False
        nights = self._nights.get(task, [])
        if not nights or not timedelta(0) <= night - nights[-1] <= timedelta(days=1):
            nights = [night]
        elif night != nights[-1]:
            nights = [*nights, night][-NIGHTS_IN_A_ROW:]
        self._nights[task] = nights
        return len(nights) >= NIGHTS_IN_A_ROW
