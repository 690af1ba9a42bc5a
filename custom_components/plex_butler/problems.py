"""Problems worth a repair, read from what the server shows; nothing from what it does not show.

- Backup Database is switched off: its setting (`ButlerTaskBackupDatabase`) reads off.
- The newest database backup is overdue: older than twice the task's interval (`/butler`'s
  `interval`, 3 days by default) plus a day. This rests on the backup folder: only a folder the
  server lists, with backups in it, says which backups exist. A run seen later than its newest
  file counts as a newer backup. Runs seen alone prove nothing once they stop: Home Assistant may
  have been away, or the debug log off, while the Butler went on backing up.

Plain Python without Home Assistant.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from .evidence import BACKUP_TASK, task_switch_setting
from .snapshot import ButlerSnapshot


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
