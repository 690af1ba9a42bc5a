"""A Plex Media Server stand-in: identity, Butler, activities, preferences, notification websocket.

It behaves like the real server, traps included: XML unless JSON is asked for,
`/butler` rooted at `ButlerTasks`, 401 with an HTML body even when JSON was asked for, 202 for a
task already running, 404 when stopping a task that is not running.
"""

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from http import HTTPStatus
import json
import logging
from uuid import uuid4

from aiohttp import WSCloseCode, web

from .catalog import (
    BUTLER_ACTIVITY_TYPE,
    DEFAULT_TASKS,
    SETTINGS,
    SETTINGS_BY_ID,
    TASK_ACTIVITIES,
    TASK_SETTING_PREFIX,
)
from .models import (
    RecordedRequest,
    SettingDefinition,
    SimulatedActivity,
    SimulatedTask,
)
from .render import Node, Scalar, render_xml

_LOGGER = logging.getLogger(__name__)

type Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

DEFAULT_MACHINE_IDENTIFIER = "5d9a7c3e1f0b2a4c6e8d0f1a3b5c7e9d2f4a6b8c"
AUTH_HEADER = "X-Plex-Token"
PUBLIC_PATHS = frozenset({"/identity"})
GARBAGE_BODY = b"\x00\xfePlex Media Server <starting up { neither JSON nor XML"
XML_CONTENT_TYPE = "text/xml"
JSON_CONTENT_TYPE = "application/json"
WEBSOCKET_CLOSE_TIMEOUT = 1.0
SHUTDOWN_TIMEOUT = 1.0


def _local_now() -> datetime:
    return datetime.now().astimezone()


@dataclass(frozen=True)
class _Subscriber:
    """An open notification websocket and the notification types it asked for (None: all)."""

    socket: web.WebSocketResponse
    filters: frozenset[str] | None


class PlexSimulator:
    """A Plex Media Server on 127.0.0.1 whose state tests read and change directly.

    State: `tasks` (by name, ordered), `activities` (by uuid, all of them), `running` (task name to
    its activity), `scheduled` (tasks start-all left for later in the maintenance window; the
    simulator never starts them by itself: call `start_task` to play the window), `last_run` (day
    each task last started; a task never run is due), `preferences` (setting id to its value as a
    string, bools "1"/"0"). Writing a `ButlerTask<name>` setting also enables or disables that task.

    Fault knobs: `delay` (seconds to wait before answering any request), `fail_with_500` (token
    protected endpoints answer 500 with an HTML body, before any side effect), `garbage` and
    `truncated` (a 200 from a token protected endpoint gets a body that is neither JSON nor XML,
    or its own body cut in half; side effects still happen), `revoke_token`, `set_token`,
    `go_down` / `come_back`, `drop_websockets` and `websockets_enabled`.
    """

    def __init__(
        self,
        *,
        token: str = "demo",  # noqa: S107 - the demo's well-known token
        machine_identifier: str = DEFAULT_MACHINE_IDENTIFIER,
        friendly_name: str = "Plex Simulator",
        version: str = "1.41.3.9314-a0bfb8370",
        tasks: list[SimulatedTask] | None = None,
        run_seconds: float = 2.0,
        progress_interval: float = 0.5,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        """Create a stopped server; `clock` gives the server's local time (default: now)."""
        self.machine_identifier = machine_identifier
        self.friendly_name = friendly_name
        self.version = version
        self.run_seconds = run_seconds
        self.progress_interval = progress_interval
        self.tasks: dict[str, SimulatedTask] = {
            task.name: replace(task) for task in (DEFAULT_TASKS if tasks is None else tasks)
        }
        self.activities: dict[str, SimulatedActivity] = {}
        self.running: dict[str, SimulatedActivity] = {}
        self.scheduled: set[str] = set()
        self.last_run: dict[str, date] = {}
        self.preferences: dict[str, str] = {setting.id: setting.default for setting in SETTINGS}
        for task in self.tasks.values():
            switch = f"{TASK_SETTING_PREFIX}{task.name}"
            if switch in self.preferences:
                self.preferences[switch] = "1" if task.enabled else "0"
        self.requests: list[RecordedRequest] = []
        self.delay = 0.0
        self.fail_with_500 = False
        self.garbage = False
        self.truncated = False
        # False: the websocket endpoint answers 404, as behind a proxy that passes no websockets.
        self.websockets_enabled = True
        self.url = ""
        self._token: str | None = token
        self._clock = clock or _local_now
        self._host = "127.0.0.1"
        self._port = 0
        self._runner: web.AppRunner | None = None
        self._task_runners: dict[str, asyncio.Task[None]] = {}
        self._subscribers: list[_Subscriber] = []

    # Lifecycle

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Listen on host:port (0: a free port) and return the base URL."""
        self._host = host
        await self._listen(port)
        return self.url

    async def stop(self) -> None:
        """Stop every task run, close every websocket and stop listening."""
        runners = list(self._task_runners.values())
        self._task_runners.clear()
        for runner in runners:
            runner.cancel()
        if runners:
            await asyncio.wait(runners)
        await self.go_down()

    async def go_down(self) -> None:
        """Stop listening (connections are refused) and drop the websockets; tasks keep running."""
        if self._runner is None:
            return
        await self.drop_websockets()
        runner, self._runner = self._runner, None
        await runner.cleanup()

    async def come_back(self) -> None:
        """Listen again on the same port after `go_down`."""
        if self._runner is None:
            await self._listen(self._port)

    async def _listen(self, port: int) -> None:
        runner = web.AppRunner(self._make_app(), access_log=None, shutdown_timeout=SHUTDOWN_TIMEOUT)
        await runner.setup()
        await web.TCPSite(runner, self._host, port).start()
        self._runner = runner
        self._port = runner.addresses[0][1]
        self.url = f"http://{self._host}:{self._port}"

    # Fault knobs

    def revoke_token(self) -> None:
        """Make the current token stop working: 401 everywhere it is needed."""
        self._token = None

    def set_token(self, token: str) -> None:
        """Make `token` the one valid token."""
        self._token = token

    async def drop_websockets(self) -> None:
        """Close every notification websocket from the server side."""
        for subscriber in list(self._subscribers):
            await subscriber.socket.close(code=WSCloseCode.GOING_AWAY)

    @property
    def websocket_count(self) -> int:
        """Return the number of open notification websockets."""
        return len(self._subscribers)

    # Helpers for tests

    async def start_task(self, name: str, *, run_seconds: float | None = None) -> None:
        """Start a task as the server's own schedule would; nothing happens if it is running.

        `run_seconds` overrides how long this run takes. Raises KeyError for an unknown task.
        """
        if name not in self.tasks:
            raise KeyError(name)
        if name not in self.running:
            self._start_task(name, run_seconds)

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
        self.activities[activity.uuid] = activity
        await self._notify_activity("started", activity)
        return activity

    async def update_activity(self, uuid: str, progress: int) -> None:
        """Set an activity's progress and announce it. Raises KeyError for an unknown uuid."""
        activity = self.activities[uuid]
        activity.progress = progress
        await self._notify_activity("updated", activity)

    async def end_activity(self, uuid: str) -> None:
        """End an activity (a task's run too). Raises KeyError for an unknown uuid."""
        await self._end(self.activities[uuid])

    async def set_preference(self, setting_id: str, value: str) -> None:
        """Change a setting as Plex Web would; KeyError or ValueError where PUT answers 400."""
        if self._apply_preference(setting_id, _normalize(SETTINGS_BY_ID[setting_id], value)):
            await self._notify_preference(setting_id)

    # Butler internals

    def _start_task(self, name: str, run_seconds: float | None = None) -> None:
        task = self.tasks[name]
        activity_type, title = TASK_ACTIVITIES.get(name, (BUTLER_ACTIVITY_TYPE, task.title))
        activity = SimulatedActivity(
            str(uuid4()), activity_type, title, cancellable=True, task=name
        )
        self.activities[activity.uuid] = activity
        self.running[name] = activity
        self.scheduled.discard(name)
        self.last_run[name] = self._clock().date()
        self._task_runners[activity.uuid] = asyncio.create_task(
            self._run_task(activity, self.run_seconds if run_seconds is None else run_seconds),
            name=f"plex_simulator {name}",
        )
        _LOGGER.info("Butler task %s started", name)

    async def _run_task(self, activity: SimulatedActivity, run_seconds: float) -> None:
        await self._notify_activity("started", activity)
        steps = max(1, round(run_seconds / self.progress_interval))
        for step in range(1, steps + 1):
            await asyncio.sleep(run_seconds / steps)
            activity.progress = 100 * step // steps
            await self._notify_activity("updated", activity)
        self._task_runners.pop(activity.uuid, None)
        await self._finish(activity)

    async def _end(self, activity: SimulatedActivity) -> None:
        """End an activity now, stopping the task run behind it."""
        runner = self._task_runners.pop(activity.uuid, None)
        if runner is not None:
            runner.cancel()
            await asyncio.wait({runner})
        await self._finish(activity)

    async def _finish(self, activity: SimulatedActivity) -> None:
        if self.activities.pop(activity.uuid, None) is None:
            return
        if activity.task is not None and self.running.get(activity.task) is activity:
            del self.running[activity.task]
            _LOGGER.info("Butler task %s ended", activity.task)
        await self._notify_activity("ended", activity)

    def _in_maintenance_window(self, hour: int) -> bool:
        start = int(self.preferences["ButlerStartHour"])
        end = int(self.preferences["ButlerEndHour"])
        if start <= end:
            return start <= hour < end
        return hour >= start or hour < end

    def _is_due(self, task: SimulatedTask, today: date) -> bool:
        last_run = self.last_run.get(task.name)
        return last_run is None or last_run + timedelta(days=task.interval) <= today

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

    async def _notify_activity(self, event: str, activity: SimulatedActivity) -> None:
        notification = {
            "event": event,
            "uuid": activity.uuid,
            "Activity": _activity(activity).to_json(),
        }
        await self._notify("activity", {"ActivityNotification": [notification]})

    async def _notify_preference(self, setting_id: str) -> None:
        setting = {"id": setting_id, "value": self._typed_value(setting_id)}
        await self._notify("preference", {"Setting": [setting]})

    async def _notify(self, kind: str, payload: dict[str, object]) -> None:
        message = json.dumps({"NotificationContainer": {"type": kind, "size": 1, **payload}})
        for subscriber in list(self._subscribers):
            if subscriber.filters is not None and kind not in subscriber.filters:
                continue
            if subscriber.socket.closed:
                continue
            try:
                await subscriber.socket.send_str(message)
            except ConnectionError:
                _LOGGER.debug("Notification for a closing websocket dropped")

    # HTTP

    def _make_app(self) -> web.Application:
        app = web.Application(middlewares=[self._middleware])
        routes = [
            web.get("/identity", self._get_identity),
            web.get("/", self._get_root),
            web.get("/butler", self._get_butler),
            web.post("/butler", self._start_all),
            web.delete("/butler", self._stop_all),
            web.post("/butler/{name}", self._start_one),
            web.delete("/butler/{name}", self._stop_one),
            web.get("/activities", self._get_activities),
            web.delete("/activities/{uuid}", self._cancel_activity),
            web.get("/:/prefs", self._get_prefs),
            web.put("/:/prefs", self._put_prefs),
            web.get("/:/websockets/notifications", self._notifications),
        ]
        app.add_routes(routes)
        return app

    @web.middleware
    async def _middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        self.requests.append(
            RecordedRequest(
                request.method, request.path, dict(request.query), dict(request.headers)
            )
        )
        if self.delay:
            await asyncio.sleep(self.delay)
        if request.path in PUBLIC_PATHS:
            return await handler(request)
        if self.fail_with_500:
            return _html_error(HTTPStatus.INTERNAL_SERVER_ERROR)
        if self._token is None or self._token not in (
            request.headers.get(AUTH_HEADER),
            request.query.get(AUTH_HEADER),
        ):
            return _html_error(HTTPStatus.UNAUTHORIZED)
        try:
            response = await handler(request)
        except web.HTTPException as error:
            return _html_error(HTTPStatus(error.status))
        return self._mangle(request, response)

    def _mangle(self, request: web.Request, response: web.StreamResponse) -> web.StreamResponse:
        """Apply the `garbage` and `truncated` knobs to a 200 response."""
        if response.status != HTTPStatus.OK or not isinstance(response, web.Response):
            return response
        if self.garbage:
            return web.Response(body=GARBAGE_BODY, content_type=_content_type(request))
        if self.truncated and isinstance(response.body, bytes):
            return web.Response(
                body=response.body[: len(response.body) // 2],
                content_type=response.content_type,
                charset=response.charset,
            )
        return response

    async def _get_identity(self, request: web.Request) -> web.Response:
        return _document(
            request,
            "MediaContainer",
            Node(
                {
                    "size": 0,
                    "claimed": True,
                    "machineIdentifier": self.machine_identifier,
                    "version": self.version,
                }
            ),
        )

    async def _get_root(self, request: web.Request) -> web.Response:
        directories = [
            Node({"count": 1, "key": key, "title": key})
            for key in ("activities", "butler", "library", "playlists")
        ]
        return _document(
            request,
            "MediaContainer",
            Node(
                {
                    "size": len(directories),
                    "allowSync": True,
                    "friendlyName": self.friendly_name,
                    "machineIdentifier": self.machine_identifier,
                    "myPlex": True,
                    "myPlexSubscription": True,
                    "platform": "Linux",
                    "platformVersion": "6.8.0-51-generic",
                    "transcoderActiveVideoSessions": 0,
                    "version": self.version,
                },
                {"Directory": directories},
            ),
        )

    async def _get_butler(self, request: web.Request) -> web.Response:
        tasks = [
            Node(
                {
                    "name": task.name,
                    "interval": task.interval,
                    "scheduleRandomized": task.schedule_randomized,
                    "enabled": task.enabled,
                    "title": task.title,
                    "description": task.description,
                }
            )
            for task in self.tasks.values()
        ]
        return _document(request, "ButlerTasks", Node({}, {"ButlerTask": tasks}))

    async def _start_all(self, _request: web.Request) -> web.Response:
        """Start-all as the SDK describes it; see the class docstring for `scheduled`."""
        now = self._clock()
        in_window = self._in_maintenance_window(now.hour)
        for task in list(self.tasks.values()):
            if not task.enabled or task.name in self.running or not self._is_due(task, now.date()):
                continue
            if task.schedule_randomized and in_window:
                self.scheduled.add(task.name)
            else:
                self._start_task(task.name)
        return web.Response()

    async def _stop_all(self, _request: web.Request) -> web.Response:
        self.scheduled.clear()
        for activity in list(self.running.values()):
            await self._end(activity)
        return web.Response()

    async def _start_one(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        if name not in self.tasks:
            return _html_error(HTTPStatus.NOT_FOUND)
        if name in self.running:
            return web.Response(status=HTTPStatus.ACCEPTED)
        self._start_task(name)
        return web.Response()

    async def _stop_one(self, request: web.Request) -> web.Response:
        """Stop a running task or unschedule a scheduled one (SDK doc); 404 otherwise."""
        name = request.match_info["name"]
        if name in self.running:
            await self._end(self.running[name])
        elif name in self.scheduled:
            self.scheduled.discard(name)
        else:
            return _html_error(HTTPStatus.NOT_FOUND)
        return web.Response()

    async def _get_activities(self, request: web.Request) -> web.Response:
        activities = [_activity(activity) for activity in self.activities.values()]
        return _document(
            request,
            "MediaContainer",
            Node({"size": len(activities)}, {"Activity": activities}),
        )

    async def _cancel_activity(self, request: web.Request) -> web.Response:
        activity = self.activities.get(request.match_info["uuid"])
        if activity is None:
            return _html_error(HTTPStatus.NOT_FOUND)
        if not activity.cancellable:
            return _html_error(HTTPStatus.BAD_REQUEST)
        await self._end(activity)
        return web.Response()

    async def _get_prefs(self, request: web.Request) -> web.Response:
        settings = [
            Node(
                {
                    "id": setting.id,
                    "label": setting.label,
                    "summary": setting.summary,
                    "type": setting.type,
                    "default": _typed(setting, setting.default),
                    "value": self._typed_value(setting.id),
                    "hidden": setting.hidden,
                    "advanced": setting.advanced,
                    "group": setting.group,
                }
                | ({"enumValues": setting.enum_values} if setting.enum_values else {})
            )
            for setting in SETTINGS
        ]
        return _document(
            request, "MediaContainer", Node({"size": len(settings)}, {"Setting": settings})
        )

    async def _put_prefs(self, request: web.Request) -> web.Response:
        """Write settings all or nothing; `X-Plex-*` query parameters are not settings."""
        try:
            values = {
                setting_id: _normalize(SETTINGS_BY_ID[setting_id], value)
                for setting_id, value in request.query.items()
                if not setting_id.startswith("X-Plex-")
            }
        except (KeyError, ValueError):
            return _html_error(HTTPStatus.BAD_REQUEST)
        for setting_id, value in values.items():
            if self._apply_preference(setting_id, value):
                await self._notify_preference(setting_id)
        return web.Response()

    async def _notifications(self, request: web.Request) -> web.StreamResponse:
        if not self.websockets_enabled:
            return _html_error(HTTPStatus.NOT_FOUND)
        requested = frozenset(kind for kind in request.query.get("filters", "").split(",") if kind)
        socket = web.WebSocketResponse(timeout=WEBSOCKET_CLOSE_TIMEOUT)
        await socket.prepare(request)
        subscriber = _Subscriber(socket, requested or None)
        self._subscribers.append(subscriber)
        try:
            async for _message in socket:
                pass  # the server ignores what clients send
        finally:
            self._subscribers.remove(subscriber)
        return socket

    def _typed_value(self, setting_id: str) -> Scalar:
        return _typed(SETTINGS_BY_ID[setting_id], self.preferences[setting_id])


def _activity(activity: SimulatedActivity) -> Node:
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


def _normalize(setting: SettingDefinition, value: str) -> str:
    """Return a written value as stored ("1"/"0" for bools); ValueError if the server refuses it."""
    if setting.type == "bool":
        if value.lower() in {"1", "true"}:
            return "1"
        if value.lower() in {"0", "false"}:
            return "0"
        raise ValueError(value)
    if setting.type == "int":
        value = str(int(value))
    if setting.enum_values and value not in setting.allowed_values():
        raise ValueError(value)
    return value


def _typed(setting: SettingDefinition, value: str) -> Scalar:
    if setting.type == "bool":
        return value == "1"
    if setting.type == "int":
        return int(value)
    return value


def _content_type(request: web.Request) -> str:
    if JSON_CONTENT_TYPE in request.headers.get("Accept", ""):
        return JSON_CONTENT_TYPE
    return XML_CONTENT_TYPE


def _document(request: web.Request, root: str, node: Node) -> web.Response:
    if _content_type(request) == JSON_CONTENT_TYPE:
        return web.json_response({root: node.to_json()})
    return web.Response(text=render_xml(root, node), content_type=XML_CONTENT_TYPE)


def _html_error(status: HTTPStatus) -> web.Response:
    title = f"{status.value} {status.phrase}"
    return web.Response(
        status=status,
        text=f"<html><head><title>{status.phrase}</title></head><body><h1>{title}</h1></body></html>",
        content_type="text/html",
    )
