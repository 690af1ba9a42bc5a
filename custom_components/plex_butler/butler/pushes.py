"""What the websocket pushed while a poll's requests were out: newer than the poll's answer.

Plain Python without Home Assistant.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..api.models import Activity


class PushesSincePoll:
    """Each activity's last push, numbered, until a poll sent after it was answered.

    A poll answers with the activities as they were when its requests left; an activity that the
    websocket ended or updated since would otherwise come back, as it was, until the next poll.
    """

    def __init__(self) -> None:
        """Have heard no push yet."""
        self.count = 0
        # By uuid: the number of its last push, and what it showed (None: the activity ended).
        self._last: dict[str, tuple[int, Activity | None]] = {}

    def heard(self, uuid: str, activity: Activity | None) -> None:
        """Take a push of an activity: how it is now, or None when it ended."""
        self.count += 1
        self._last[uuid] = (self.count, activity)

    def applied_to(self, answer: Iterable[Activity], sent_at: int) -> list[Activity]:
        """Return a poll's answer with the pushes heard after `sent_at` (a `count`) applied.

        Pushes heard before are in the answer already: they are forgotten.
        """
        activities = {activity.uuid: activity for activity in answer}
        for uuid, (number, activity) in list(self._last.items()):
            if number <= sent_at:
                del self._last[uuid]
            elif activity is None:
                activities.pop(uuid, None)
            else:
                activities[uuid] = activity
        return list(activities.values())
