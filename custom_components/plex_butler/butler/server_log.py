"""What the server's debug log tells of the Butler's run: the sub-activity of each task.

A real server (1.41.5) logs its Butler's run as one activity, "Butler tasks", and each task it
runs as a sub-activity named by the task, registered and ended with the run's `(k/n)`. Those are
debug lines: they come only while the server's debug logging is on, and only while the websocket
is open. Plain Python without Home Assistant.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from ..api.models import ActivityEvent, SubActivityNotification

# Names that matched no task, for diagnostics: they are how the naming rules grow.
UNKNOWN_NAMES_KEPT: Final = 20


@dataclass(frozen=True, slots=True)
class SubActivity:
    """One task's part of a Butler run, as the log registered it."""

    uuid: str
    parent: str
    name: str
    # The task it names; None for a name no task of the server has (Butler work for no task).
    task: str | None


class ButlerLog:
    """The sub-activities the log registered and has not ended yet, and each run's `(k/n)`.

    A sub-activity still open when its Butler run ends was cut short: the run's `(k/n)` had
    k < n, and this task was among the n - k. Whether a real server ends a run so (a window that
    closes, a task that fails) is not public, nor whether its `ended sub-activity` lines may
    come after the run's end: one that comes later ends the part after all.
    """

    def __init__(self) -> None:
        """Know of no sub-activity."""
        self._running: dict[str, SubActivity] = {}
        self._counts: dict[str, tuple[int, int]] = {}
        self.unknown_names: deque[str] = deque(maxlen=UNKNOWN_NAMES_KEPT)
        # The sub-activities cut short, by uuid: each task's last one only.
        self._cut: dict[str, str] = {}

    def take(self, line: SubActivityNotification, task_of: Callable[[str], str | None]) -> None:
        """Take one sub-activity line; `task_of` names the task of a sub-activity's name."""
        if line.completed is not None and line.total is not None:
            self._counts[line.parent] = (line.completed, line.total)
        if line.event is ActivityEvent.ENDED:
            self._running.pop(line.uuid, None)
            self._cut.pop(line.uuid, None)
        elif line.name is not None and line.uuid not in self._running:
            task = task_of(line.name)
            if task is None and line.name not in self.unknown_names:
                self.unknown_names.append(line.name)
            self._cut = {uuid: cut for uuid, cut in self._cut.items() if cut != task}
            self._running[line.uuid] = SubActivity(line.uuid, line.parent, line.name, task)

    def parent_ended(self, parent: str) -> None:
        """Take the end of an activity: its sub-activities ended with it."""
        self._counts.pop(parent, None)
        for uuid in [uuid for uuid, sub in self._running.items() if sub.parent == parent]:
            if (task := self._running.pop(uuid).task) is not None:
                self._cut[uuid] = task

    def forget(self) -> None:
        """Take a lost websocket: lines until it opens again are not heard."""
        self._running.clear()
        self._counts.clear()
        self._cut.clear()

    @property
    def tasks(self) -> frozenset[str]:
        """The tasks the log shows running."""
        return frozenset(sub.task for sub in self._running.values() if sub.task is not None)

    @property
    def cut_short(self) -> frozenset[str]:
        """The tasks whose last part of a Butler run was still open when the run ended."""
        return frozenset(self._cut.values())

    @property
    def running(self) -> tuple[SubActivity, ...]:
        """The sub-activities going on."""
        return tuple(self._running.values())

    def counts(self, parent: str) -> tuple[int, int] | None:
        """Return the `(k, n)` of a Butler run: k of its n sub-activities done, if logged."""
        return self._counts.get(parent)
