"""What a simulated Plex Media Server holds, and the notification websockets that announce it."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
import json
import logging
from typing import Any
from uuid import uuid4

from aiohttp import WSCloseCode, web

from .catalog import DEFAULT_TASKS
from .models import (
    ActivityKind,
    ButlerRun,
    RecordedRequest,
    SettingDefinition,
    SimulatedActivity,
    SimulatedTask,
)
from .render import Node, Scalar
from .settings import SETTINGS, SETTINGS_BY_ID, TASK_SETTING_PREFIX, normalize_value, typed_value

_LOGGER = logging.getLogger(__name__)

DEFAULT_MACHINE_IDENTIFIER = "5d9a7c3e1f0b2a4c6e8d0f1a3b5c7e9d2f4a6b8c"


def _local_now() -> datetime:
    return datetime.now().astimezone()


@dataclass(frozen=True)
class Subscriber:
    """An open notification websocket and the notification types it asked for (None: all)."""

    socket: web.WebSocketResponse
    filters: frozenset[str] | None

    def wants(self, kind: str) -> bool:
        """Tell whether the subscriber's filters let a notification of this type through."""
        return self.filters is None or kind in self.filters


class ServerState:
    """Identity, tasks, preferences, activities and websocket subscribers of one server.

    Every change of an activity or a preference is announced to the notification websockets, as
    the server's own `NotificationContainer` frames, honouring each websocket's `filters`.
    """

    def __init__(
        self,
        *,
        token: str = "demo",  # noqa: S107 - the demo's well-known token
        machine_identifier: str = DEFAULT_MACHINE_IDENTIFIER,
        friendly_name: str = "Plex Simulator",
        version: str = "1.41.3.9314-a0bfb8370",
        platform: str = "Linux",
        platform_version: str = "6.8.0-51-generic",
        tasks: list[SimulatedTask] | None = None,
        run_seconds: float = 2.0,
        progress_interval: float = 0.5,
        clock: Callable[[], datetime] | None = None,
        butler_activity_names_task: bool = False,
    ) -> None:
        """Create a stopped server; `clock` gives the server's local time (default: now).

        `run_seconds` and `progress_interval` time the runs that end by themselves. By default a
        Butler run's `butler` activity has a placeholder title naming no task, as nothing public
        shows what a real server calls it; `butler_activity_names_task` titles it with the task's
        title instead, one `butler` activity per run.
        """
        self.machine_identifier = machine_identifier
        self.friendly_name = friendly_name
        self.version = version
        self.platform = platform
        self.platform_version = platform_version
        self.butler_activity_names_task = butler_activity_names_task
        self.run_seconds = run_seconds
        self.progress_interval = progress_interval
        self.tasks: dict[str, SimulatedTask] = {
            task.name: replace(task) for task in (DEFAULT_TASKS if tasks is None else tasks)
        }
        self.activities: dict[str, SimulatedActivity] = {}
        self.runs: dict[str, ButlerRun] = {}
        self.scheduled: set[str] = set()
        self.last_run: dict[str, date] = {}
        self.preferences: dict[str, str] = {setting.id: setting.default for setting in SETTINGS}
        for task in self.tasks.values():
            switch = f"{TASK_SETTING_PREFIX}{task.name}"
            if switch in self.preferences:
                self.preferences[switch] = "1" if task.enabled else "0"
        self.requests: list[RecordedRequest] = []
        # What `PUT /:/prefs` answers for a setting this server does not have: 400 or 403.
        self.unknown_preference_status = 400
        self.delay = 0.0
        self.fail_with_500 = False
        self.garbage = False
        self.truncated = False
        # False: the websocket endpoint answers 404, as behind a proxy that passes no websockets.
        self.websockets_enabled = True
        # "close": each websocket closes right after it opened, as behind a proxy that drops it;
        # "garbage": each gets a frame that is not JSON first.
        self.websocket_fault: str | None = None
        self._token: str | None = token
        self._clock = clock or _local_now
        self._subscribers: list[Subscriber] = []
        # The placeholder-titled butler activity runs share, and whether the window holds it open.
        self._generic_butler: SimulatedActivity | None = None
        self._maintenance_open = False

    # Websockets

    def accepts_token(self, *candidates: str | None) -> bool:
        """Tell whether one of the tokens a request carries is the valid one."""
        return self._token is not None and self._token in candidates

    def subscribe(
        self, socket: web.WebSocketResponse, filters: frozenset[str] | None
    ) -> Subscriber:
        """Send notifications to an open websocket from now on."""
        subscriber = Subscriber(socket, filters)
        self._subscribers.append(subscriber)
        return subscriber

    def unsubscribe(self, subscriber: Subscriber) -> None:
        """Stop sending notifications to a websocket that closed."""
        self._subscribers.remove(subscriber)

    async def drop_websockets(self) -> None:
        """Close every notification websocket from the server side."""
        for subscriber in list(self._subscribers):
            await subscriber.socket.close(code=WSCloseCode.GOING_AWAY)

    @property
    def websocket_count(self) -> int:
        """Return the number of open notification websockets."""
        return len(self._subscribers)

    # Activities

    async def add_activity(
        self,
        type: str,  # noqa: A002 - the server's own field name
        title: str,
        progress: int = 0,
        *,
        subtitle: str = "",
        cancellable: bool = False,
        context: dict[str, str] | None = None,
    ) -> SimulatedActivity:
        """Add an activity unrelated to the Butler (e.g. a library scan) and announce it."""
        activity = SimulatedActivity(
            str(uuid4()), type, title, subtitle, progress, cancellable, context or {}
        )
        await self._show(activity)
        return activity

    async def update_activity(
        self, uuid: str, progress: int, *, subtitle: str | None = None
    ) -> None:
        """Set an activity's progress (and subtitle) and announce it; KeyError: no such uuid."""
        activity = self.activities[uuid]
        activity.progress = progress
        if subtitle is not None:
            activity.subtitle = subtitle
        await self._announce("updated", activity)

    def _new_activity(
        self, kind: ActivityKind, *, title: str | None = None, context: dict[str, str] | None = None
    ) -> SimulatedActivity:
        """Return a new activity of `kind`, not yet shown."""
        return SimulatedActivity(
            str(uuid4()),
            kind.type,
            kind.title if title is None else title,
            progress=kind.progress,
            cancellable=kind.cancellable,
            context=dict(context or {}),
        )

    async def _show(self, *activities: SimulatedActivity) -> None:
        """Add the activities not yet in the table, announcing each as started."""
        for activity in activities:
            if activity.uuid not in self.activities:
                self.activities[activity.uuid] = activity
                await self._announce("started", activity)

    async def _remove_activity(self, activity: SimulatedActivity) -> bool:
        """Remove an activity and announce its end; return False if it had already gone."""
        if self.activities.pop(activity.uuid, None) is None:
            return False
        await self._announce("ended", activity)
        return True

    # Preferences

    async def set_preference(self, setting_id: str, value: str) -> None:
        """Change a setting as Plex Web would; KeyError or ValueError where PUT answers 400."""
        await self.write_preferences({setting_id: value})

    async def write_preferences(self, values: Mapping[str, str]) -> None:
        """Write settings all or nothing, as `PUT /:/prefs` does, and announce each change.

        Raises KeyError for an unknown setting and ValueError for a value it refuses, before
        anything changes.
        """
        normalized = {
            setting_id: normalize_value(self._setting(setting_id), value)
            for setting_id, value in values.items()
        }
        for setting_id, value in normalized.items():
            if self._apply_preference(setting_id, value):
                await self._announce_preference(setting_id)

    def _setting(self, setting_id: str) -> SettingDefinition:
        """Return a setting this server has; KeyError for one it has not (a newer server's)."""
        if setting_id not in self.preferences:
            raise KeyError(setting_id)
        return SETTINGS_BY_ID[setting_id]

    def typed_preference(self, setting_id: str) -> Scalar:
        """Return a setting's value as the server reports it (bool, int or text)."""
        return typed_value(SETTINGS_BY_ID[setting_id], self.preferences[setting_id])

    def _apply_preference(self, setting_id: str, value: str) -> bool:
        """Store a normalized value; return whether it changed."""
        if self.preferences.get(setting_id) == value:
            return False
        self.preferences[setting_id] = value
        task = self.tasks.get(setting_id.removeprefix(TASK_SETTING_PREFIX))
        if setting_id.startswith(TASK_SETTING_PREFIX) and task is not None:
            task.enabled = value == "1"
        return True

    # Notifications

    async def _announce(self, event: str, activity: SimulatedActivity) -> None:
        notification = {
            "event": event,
            "uuid": activity.uuid,
            "Activity": activity_node(activity).to_json(),
        }
        await self._notify("activity", {"ActivityNotification": [notification]})

    async def _announce_preference(self, setting_id: str) -> None:
        setting = {"id": setting_id, "value": self.typed_preference(setting_id)}
        await self._notify("preference", {"Setting": [setting]})

    async def _notify(self, kind: str, payload: dict[str, object]) -> None:
        await self._broadcast({"NotificationContainer": {"type": kind, "size": 1, **payload}})

    async def _broadcast(self, frame: dict[str, Any]) -> None:
        """Send one notification frame to every websocket whose filters let its type through."""
        message = json.dumps(frame)
        kind = frame["NotificationContainer"]["type"]
        for subscriber in list(self._subscribers):
            if not subscriber.wants(kind) or subscriber.socket.closed:
                continue
            try:
                await subscriber.socket.send_str(message)
            except ConnectionError:
                _LOGGER.debug("Notification for a closing websocket dropped")


def activity_node(activity: SimulatedActivity) -> Node:
    """Return an activity as `GET /activities` and the notification websocket report it."""
    return Node(
        {
            "uuid": activity.uuid,
            "type": activity.type,
            "cancellable": activity.cancellable,
            "userID": 1,
            "title": activity.title,
            "subtitle": activity.subtitle,
            "progress": activity.progress,
        },
        {"Context": Node(dict(activity.context))} if activity.context else {},
    )
