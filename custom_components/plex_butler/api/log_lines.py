"""Reading the server's debug log from `log` notifications: the Butler's sub-activity lines.

The JSON shape of a `log` notification is not public, so the text is looked for wherever a frame
keeps strings: every string in its container, split into lines. Almost every debug line is about
something else, so a substring test comes before any regular expression.
"""

from __future__ import annotations

from collections.abc import Mapping
import re
from types import MappingProxyType
from typing import Any, Final

from .models import ActivityEvent, SubActivityNotification

SUB_ACTIVITY_MARK: Final = "sub-activity"
# Real lines (Plex Media Server 1.41.5), after any "DEBUG - " or timestamp prefix:
#   Activity: registered new sub-activity <uuid> - "ProcessAssets" parent: <uuid>
#     overall progress: 83.3% (5/6)
#   Activity: ended sub-activity <uuid> parent: <uuid> overall progress: 100.0% (6/6)
_REGISTERED: Final = re.compile(
    r'registered new sub-activity (?P<uuid>[^\s"]+) - "(?P<name>[^"\n]*)"'
    r' parent: (?P<parent>[^\s"]+)'
)
_ENDED: Final = re.compile(r"ended sub-activity (?P<uuid>[^\s\"]+) parent: (?P<parent>[^\s\"]+)")
_COUNT: Final = re.compile(r"\((?P<completed>\d{1,9})/(?P<total>\d{1,9})\)")


def parse_sub_activity_line(line: str) -> SubActivityNotification | None:
    """Return the sub-activity a debug-log line registers or ends, or None for any other line."""
    if SUB_ACTIVITY_MARK not in line:
        return None
    if match := _REGISTERED.search(line):
        event, name = ActivityEvent.STARTED, match["name"] or None
    elif match := _ENDED.search(line):
        event, name = ActivityEvent.ENDED, None
    else:
        return None
    count = _COUNT.search(line, match.end())
    return SubActivityNotification(
        event,
        match["uuid"],
        match["parent"],
        name,
        int(count["completed"]) if count else None,
        int(count["total"]) if count else None,
    )


def _strings(value: Any) -> list[str]:
    """Every string in a JSON value, in document order; walked without recursion."""
    found: list[str] = []
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            found.append(item)
        elif isinstance(item, dict):
            pending.extend(reversed(list(item.values())))
        elif isinstance(item, list):
            pending.extend(reversed(item))
    return found


class LogReader:
    """Finds sub-activity lines in `log` notifications, and counts what it read.

    Counters (read-only through `counts`): `frames` log frames read, `unreadable_frames` log
    frames without any text, `butler_lines` sub-activity lines found, `unreadable_butler_lines`
    lines that mention a sub-activity in a way this reader does not know (a newer server's words).
    """

    def __init__(self) -> None:
        """Start with every counter at zero."""
        self._counts = dict.fromkeys(
            ("frames", "unreadable_frames", "butler_lines", "unreadable_butler_lines"), 0
        )
        self.counts: Mapping[str, int] = MappingProxyType(self._counts)

    def read(self, container: Mapping[str, Any]) -> list[SubActivityNotification]:
        """Return the sub-activity lines of a `log` frame's container; never raises."""
        texts = _strings({key: value for key, value in container.items() if key != "type"})
        if not texts:
            self._counts["unreadable_frames"] += 1
            return []
        self._counts["frames"] += 1
        found: list[SubActivityNotification] = []
        for text in texts:
            if SUB_ACTIVITY_MARK not in text:
                continue
            for line in text.splitlines():
                if SUB_ACTIVITY_MARK not in line:
                    continue
                if (notification := parse_sub_activity_line(line)) is None:
                    self._counts["unreadable_butler_lines"] += 1
                else:
                    found.append(notification)
        self._counts["butler_lines"] += len(found)
        return found
