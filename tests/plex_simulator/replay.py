"""Replaying a capture (docs/captures.md): what a recorded server showed, entry by entry."""

from collections.abc import Mapping
from datetime import datetime, timedelta
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .models import SimulatedActivity, SimulatedTask

if TYPE_CHECKING:
    from .server import PlexSimulator

CAPTURE_FORMAT = "plex-butler-capture"
CAPTURE_VERSION = 1

type Capture = dict[str, Any]


def load_capture(path: str | Path) -> Capture:
    """Read a capture file.

    Raises ValueError unless it is a `plex-butler-capture` of version 1 whose timeline is in
    order of `t`.
    """
    capture = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(capture, dict) or capture.get("format") != CAPTURE_FORMAT:
        raise ValueError(f"{path}: not a {CAPTURE_FORMAT} file")
    if capture.get("version") != CAPTURE_VERSION:
        raise ValueError(f"{path}: capture version {capture.get('version')!r} is not 1")
    times = [entry["t"] for entry in capture.get("timeline", [])]
    if times != sorted(times):
        raise ValueError(f"{path}: the timeline is not in order of t")
    return capture


def tasks_from_document(document: Mapping[str, Any]) -> list[SimulatedTask]:
    """Return the tasks of a `GET /butler` JSON document (root `ButlerTasks`)."""
    return [
        SimulatedTask(
            item["name"],
            item.get("title", item["name"]),
            item.get("description", ""),
            int(item["interval"]),
            bool(item["scheduleRandomized"]),
            bool(item["enabled"]),
        )
        for item in document["ButlerTasks"].get("ButlerTask", [])
    ]


def activity_from_json(item: Mapping[str, Any]) -> SimulatedActivity:
    """Return an activity as `GET /activities` or a notification reported it."""
    return SimulatedActivity(
        item["uuid"],
        item["type"],
        item.get("title", ""),
        item.get("subtitle", ""),
        int(item.get("progress", 0)),
        bool(item.get("cancellable", False)),
        {key: str(value) for key, value in item.get("Context", {}).items()},
    )


def _preference_text(value: object) -> str:
    """Return a preference value as the simulator stores it: a string, bools "1"/"0"."""
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


def capture_options(capture: Mapping[str, Any]) -> dict[str, Any]:
    """Return the constructor options a capture gives: version, platform, tasks."""
    server = capture["server"]
    return {
        "version": server["version"],
        "platform": server["platform"],
        "tasks": tasks_from_document(capture["butler"]),
    }


class CaptureReplay:
    """Makes a server show what a capture recorded: its polls, its frames, its task lists."""

    def __init__(self, server: "PlexSimulator") -> None:
        """Replay into `server`."""
        self._server = server
        self.seconds = 0.0
        """The `t` of the last capture entry applied."""

    def load(self, capture: Mapping[str, Any], *, clock_given: bool) -> None:
        """Make the server as the capture found it: its settings, and its clock unless given.

        The captured preferences are merged over the defaults. Unless the server was given a
        clock, its local time becomes `recorded_at` plus `seconds`.
        """
        self._server.preferences |= {
            setting_id: _preference_text(value)
            for setting_id, value in capture.get("preferences", {}).items()
        }
        if not clock_given:
            recorded_at = datetime.fromisoformat(capture["recorded_at"])
            self._server.set_clock(lambda: recorded_at + timedelta(seconds=self.seconds))

    async def apply_entry(self, entry: Mapping[str, Any]) -> None:
        """Make the server show what the capture recorded at this entry of its timeline.

        - `activities` (a poll): the activity table becomes the polled list, silently, as a poll
          notifies nobody; the simulator's own runs and maintenance window are forgotten.
        - `notification` (a frame): it updates the activity table (`started` and `updated` set
          the activity, `ended` removes it) or the preferences, and goes verbatim to every
          websocket whose `filters` let its type through.
        - `butler`: the task list becomes the document's.

        Raises ValueError for an entry of another kind.
        """
        server = self._server
        self.seconds = float(entry["t"])
        if "activities" in entry:
            await server.forget_runs()
            container = entry["activities"]["MediaContainer"]
            activities = map(activity_from_json, container.get("Activity", []))
            server.activities = {activity.uuid: activity for activity in activities}
        elif "notification" in entry:
            self._apply_frame(entry["notification"]["NotificationContainer"])
            await server.websockets.broadcast(entry["notification"])
        elif "butler" in entry:
            server.tasks = {task.name: task for task in tasks_from_document(entry["butler"])}
        else:
            raise ValueError(f"unknown capture entry with keys {sorted(entry)}")

    def _apply_frame(self, container: Mapping[str, Any]) -> None:
        activities = self._server.activities
        if container["type"] == "activity":
            for notification in container.get("ActivityNotification", []):
                if notification["event"] == "ended":
                    activities.pop(notification["uuid"], None)
                else:
                    activity = activity_from_json(notification["Activity"])
                    activities[activity.uuid] = activity
        elif container["type"] == "preference":
            for setting in container.get("Setting", []):
                self._server.apply_preference(setting["id"], _preference_text(setting["value"]))
