"""The database backup folder (`ButlerDatabaseBackupPath`) as `/services/browse` lists it.

Real (plex-api.md "Butler evidence"): backups are `com.plexapp.plugins.library.db-YYYY-MM-DD`,
up to three kept, rotating. The other files are those of a real server's Databases folder.
"""

from collections.abc import Iterable
from datetime import date

BACKUPS_KEPT = 3
LIBRARY_DB = "com.plexapp.plugins.library.db"
BLOBS_DB = "com.plexapp.plugins.library.blobs.db"
LIVE_FILES = (LIBRARY_DB, f"{LIBRARY_DB}-shm", f"{LIBRARY_DB}-wal", BLOBS_DB)


def newest(dates: Iterable[date]) -> list[date]:
    """The backups a server keeps: the three newest dates, newest first."""
    return sorted(set(dates), reverse=True)[:BACKUPS_KEPT]


def folder_file_names(backups: Iterable[date]) -> list[str]:
    """Every file of the folder: the live databases, and each backup of both (blobs too)."""
    dated = [f"{db}-{day.isoformat()}" for day in backups for db in (LIBRARY_DB, BLOBS_DB)]
    return sorted([*LIVE_FILES, *dated])


def join(folder: str, name: str) -> str:
    """A file's full path, in the folder's own separator (a Windows server's is a backslash)."""
    separator = "\\" if "\\" in folder and "/" not in folder else "/"
    return folder.rstrip("/\\") + separator + name
