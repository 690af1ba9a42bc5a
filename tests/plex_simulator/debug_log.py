"""The server's debug log as `log` notifications: the lines a real log has, in a frame shape.

Lines marked real are quoted from a server's log (Plex Media Server 1.41.5, plex-api.md "Butler
evidence"); the frame around them is not public (see `log_frame`).
"""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from .models import LogFrameShape, LogTaskNames
from .settings import TASK_SETTING_PREFIX

LOG_SOURCE = "Plex Media Server"
DEBUG_LEVEL = 3
"""The `/log` endpoint's level for Debug (0 Error ... 4 Verbose), public."""

REAL_LOG_NAMES = {"ProcessAssets": "ProcessAssets"}
"""Tasks whose sub-activity name a real log shows (names starting with ButlerTask show as is)."""

TASK_NOISE = {
    "MusicAnalysis": "Butler: Performed sonic analysis on 0 batches of albums.",
    "ProcessAssets": "The butler processed 0 assets.",
}
"""Real lines logged at the end of a task's run (that they come at its end is an inference)."""


def log_name(task: str, names: LogTaskNames) -> str:
    """The name a task's sub-activity has in the log.

    Real: `ButlerTaskGenerateIntroMarkers` (its own /butler name) and `ProcessAssets`. Unknown
    for the others: `BackupDatabase` ("bare") or `ButlerTaskBackupDatabase` ("prefixed").
    """
    if task in REAL_LOG_NAMES or task.startswith(TASK_SETTING_PREFIX) or names == "bare":
        return REAL_LOG_NAMES.get(task, task)
    return f"{TASK_SETTING_PREFIX}{task}"


def _progress(completed: int, total: int) -> str:
    return f"overall progress: {100 * completed / max(total, 1):.1f}% ({completed}/{total})"


def registered_line(sub: str, name: str, parent: str, completed: int, total: int) -> str:
    """Real: a sub-activity registered under its parent, with the parent's overall progress."""
    return f'Activity: registered new sub-activity {sub} - "{name}" parent: {parent} ' + _progress(
        completed, total
    )


def ended_line(sub: str, parent: str, completed: int, total: int) -> str:
    """Real: a sub-activity ended."""
    return f"Activity: ended sub-activity {sub} parent: {parent} " + _progress(completed, total)


def updated_line(uuid: str, percent: float, title: str) -> str:
    """Real: an activity's progress changed."""
    return f"Activity: updated activity {uuid} - completed {percent:.1f}% - {title}"


def activity_lines(uuid: str, title: str | None) -> str:
    """Real: an ordinary activity registered (with its title) or ended (None)."""
    if title is None:
        return f"Activity: Ended activity {uuid}."
    return f'Activity: registered new activity {uuid} - "{title}"'


def request_line(method: str, path: str, port: int) -> str:
    """The line a debug log has for each request (its shape after a real log; noise here)."""
    return f"Request: [127.0.0.1:{port} (Loopback)] {method} {path} (2 live) GZIP Signed-in"


def log_frames(lines: Sequence[str], shape: LogFrameShape, now: datetime) -> list[dict[str, Any]]:
    """The frames that carry `lines`. The shape of a real one is not public; all are inference.

    "line" (default): one frame per line, `Log: [{level, message, source}]`, the fields of the
    public `/log` endpoint. "batch": every line in one frame, one `Log` item each. "text": one
    frame, `LogNotification: [{text}]`, the lines joined by newlines as the log file writes them,
    timestamp and "DEBUG - " included.
    """

    def item(line: str) -> dict[str, Any]:
        return {"level": DEBUG_LEVEL, "message": line, "source": LOG_SOURCE}

    def frame(key: str, items: list[dict[str, Any]]) -> dict[str, Any]:
        return {"NotificationContainer": {"type": "log", "size": len(items), key: items}}

    if shape == "line":
        return [frame("Log", [item(line)]) for line in lines]
    if shape == "batch":
        return [frame("Log", [item(line) for line in lines])]
    stamp = now.strftime("%b %d, %Y %H:%M:%S.") + f"{now.microsecond // 1000:03d}"
    text = "\n".join(f"{stamp} [0x7f4d2c] DEBUG - {line}" for line in lines)
    return [frame("LogNotification", [{"text": text}])]
