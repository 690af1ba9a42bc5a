"""Progress shown by steps: a task's progress is written again only when it moved enough.

Plain Python without Home Assistant.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Final

# Progress pushed every second would rewrite the task's state every second: it is shown again
# only after this many points or this long.
PROGRESS_STEP: Final = 5
PROGRESS_INTERVAL: Final = timedelta(seconds=5)


class ProgressSteps:
    """The progress to show of each task: the last shown until it moved enough or long enough."""

    def __init__(self) -> None:
        """Have shown nothing yet."""
        self._shown: dict[str, tuple[int, datetime]] = {}

    def to_show(self, name: str, progress: int | None, now: datetime) -> int | None:
        """Return the progress to show for the task's `progress` now."""
        shown = self._shown.get(name)
        if progress is None:
            self._shown.pop(name, None)
        elif (
            shown is None
            or abs(progress - shown[0]) >= PROGRESS_STEP
            or now - shown[1] >= PROGRESS_INTERVAL
        ):
            self._shown[name] = (progress, now)
        else:
            return shown[0]
        return progress
