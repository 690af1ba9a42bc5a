"""The capture file (docs/captures.md): what it keeps, what it hides, and how it is written."""

from __future__ import annotations

from collections import Counter
import json
import os
from pathlib import Path
import re
import tempfile
from typing import Any, Final

FORMAT: Final = "plex-butler-capture"
FORMAT_VERSION: Final = 1
REDACTED: Final = "[redacted]"
# A value that starts like a POSIX, home, UNC or Windows drive path.
_PATH_START: Final = re.compile(r"[/~\\]|[A-Za-z]:[/\\]")
# Debug-log lines a capture keeps: activities, sub-activities and the Butler's own words (not
# requests to /butler: a request's line names the client's address).
_KEPT_LOG_LINE: Final = re.compile(r"Activity:|sub-activity|Butler:|[Tt]he butler ")
# Fields of a log frame that say what it is, not what happened (the `/log` API's level, source).
_LOG_FRAME_FIELDS: Final = frozenset({"type", "size", "level", "source"})


def is_recorded_preference(setting_id: str) -> bool:
    """Tell whether a capture keeps a preference: the Butler's and the `*Behavior` settings."""
    return setting_id.startswith("Butler") or setting_id.endswith("Behavior")


def redact_preference(setting_id: str, value: str) -> str:
    """Hide a preference value that is a file path: paths name users and their disks."""
    if value and (setting_id.endswith("Path") or _PATH_START.match(value)):
        return REDACTED
    return value


def _redact_field(key: str, value: Any, setting_id: Any) -> Any:
    """Hide a field that names media items (subtitles, contexts) or a path (a setting's value)."""
    if key == "subtitle" and value:
        return REDACTED
    if key == "Context":
        return dict.fromkeys(value, REDACTED) if isinstance(value, dict) else REDACTED
    if key in ("value", "default") and isinstance(setting_id, str) and isinstance(value, str):
        return redact_preference(setting_id, value)
    return value


def redact_log_text(text: str) -> str:
    """Keep the debug-log lines about activities and the Butler; hide every other line.

    Other lines name files, media and client addresses (requests, scans, transcodes).
    """
    return "\n".join(
        line if not line or _KEPT_LOG_LINE.search(line) else REDACTED for line in text.split("\n")
    )


def _redact_log(value: Any) -> Any:
    """Copy a log frame's content with `redact_log_text` applied to every string in it."""
    if isinstance(value, str):
        return redact_log_text(value)
    if isinstance(value, list):
        return [_redact_log(item) for item in value]
    if isinstance(value, dict):
        return {
            key: item if key in _LOG_FRAME_FIELDS else _redact_log(item)
            for key, item in value.items()
        }
    return value


def redact(value: Any, token: str) -> Any:
    """Copy a JSON value with the token, subtitles, contexts and paths replaced by [redacted].

    In a `log` notification only the lines about activities and the Butler are kept.
    """
    if isinstance(value, dict) and value.get("type") == "log":
        value = _redact_log(value)
    if isinstance(value, str):
        # The server never sends the token back; replacing it anyway is belt and braces.
        return value.replace(token, REDACTED)
    if isinstance(value, list):
        return [redact(item, token) for item in value]
    if not isinstance(value, dict):
        return value
    setting_id = value.get("id")
    return {
        redact(key, token): redact(_redact_field(key, item, setting_id), token)
        for key, item in value.items()
    }


def describe(timeline: list[dict[str, Any]]) -> str:
    """Count what a timeline holds, for the progress lines."""
    kinds = Counter(key for entry in timeline for key in entry if key != "t")
    log_frames = sum(
        1
        for entry in timeline
        if isinstance(frame := entry.get("notification"), dict)
        and isinstance(container := frame.get("NotificationContainer"), dict)
        and container.get("type") == "log"
    )
    return (
        f"{kinds['activities']} activity polls, {kinds['notification']} websocket frames "
        f"({log_frames} of the debug log), {kinds['butler']} task list changes"
    )


def write_capture(capture: dict[str, Any], output: Path) -> None:
    """Write atomically: an interrupted write leaves no half file and no broken old one."""
    text = json.dumps(capture, indent=2, ensure_ascii=False) + "\n"
    with tempfile.NamedTemporaryFile(
        dir=output.parent, prefix=f".{output.name}.", suffix=".tmp", delete_on_close=False
    ) as file:
        # A lone surrogate (from a broken frame) is written as its JSON escape, not refused.
        file.write(text.encode("utf-8", "backslashreplace"))
        file.flush()
        os.fsync(file.fileno())
        file.close()
        Path(file.name).replace(output)
