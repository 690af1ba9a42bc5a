"""The simulated server's HTTP endpoints, with the real server's answers and traps."""

import asyncio
from collections.abc import Awaitable, Callable
from http import HTTPStatus
from typing import TYPE_CHECKING

from aiohttp import web

from .folder_listing import browse_folder
from .frames import activity_node
from .library_http import library_routes
from .models import RecordedRequest
from .render import Node
from .responses import (
    document as _document,
    html_error as _html_error,
)
from .settings import SETTINGS, typed_value

if TYPE_CHECKING:
    from .server import PlexSimulator

type Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

AUTH_HEADER = "X-Plex-Token"
PUBLIC_PATHS = frozenset({"/identity"})
WEBSOCKET_CLOSE_TIMEOUT = 1.0


class HttpApi:
    """Answers HTTP requests from a simulated server's state, and applies its fault knobs."""

    def __init__(self, server: "PlexSimulator") -> None:
        """Serve `server`."""
        self._server = server

    def make_app(self) -> web.Application:
        """Return the aiohttp application with every endpoint the simulator offers."""
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
            web.get("/services/browse/{encoded:.+}", self._browse),
            *library_routes(self._server.libraries),
        ]
        app.add_routes(routes)
        return app

    @web.middleware
    async def _middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        server = self._server
        server.requests.append(
            RecordedRequest(
                request.method, request.path, dict(request.query), dict(request.headers)
            )
        )
        await server.log_request(request.method, request.path, request.url.port or 0)
        if server.faults.delay:
            await asyncio.sleep(server.faults.delay)
        if request.path in PUBLIC_PATHS:
            return await handler(request)
        if server.faults.fail_with_500:
            return _html_error(HTTPStatus.INTERNAL_SERVER_ERROR)
        if not server.accepts_token(
            request.headers.get(AUTH_HEADER), request.query.get(AUTH_HEADER)
        ):
            return _html_error(HTTPStatus.UNAUTHORIZED)
        try:
            response = await handler(request)
        except web.HTTPException as error:
            return _html_error(HTTPStatus(error.status))
        return server.faults.mangle(request, response)

    async def _get_identity(self, request: web.Request) -> web.Response:
        return _document(
            request,
            "MediaContainer",
            Node(
                {
                    "size": 0,
                    "claimed": True,
                    "machineIdentifier": self._server.machine_identifier,
                    "version": self._server.version,
                }
            ),
        )

    async def _get_root(self, request: web.Request) -> web.Response:
        server = self._server
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
                    "friendlyName": server.friendly_name,
                    "machineIdentifier": server.machine_identifier,
                    "myPlex": True,
                    "myPlexSubscription": True,
                    "platform": server.platform,
                    "platformVersion": server.platform_version,
                    "transcoderActiveVideoSessions": 0,
                    "version": server.version,
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
            for task in self._server.tasks.values()
        ]
        return _document(request, "ButlerTasks", Node({}, {"ButlerTask": tasks}))

    async def _start_all(self, _request: web.Request) -> web.Response:
        await self._server.butler.start_all()
        return web.Response()

    async def _stop_all(self, _request: web.Request) -> web.Response:
        await self._server.butler.stop_all()
        return web.Response()

    async def _start_one(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        if name not in self._server.tasks:
            return _html_error(HTTPStatus.NOT_FOUND)
        if name in self._server.butler.runs:
            return web.Response(status=HTTPStatus.ACCEPTED)
        await self._server.butler.start_task(name)
        return web.Response()

    async def _stop_one(self, request: web.Request) -> web.Response:
        if not await self._server.butler.stop_task(request.match_info["name"]):
            return _html_error(HTTPStatus.NOT_FOUND)
        return web.Response()

    async def _get_activities(self, request: web.Request) -> web.Response:
        activities = [activity_node(activity) for activity in self._server.activities.values()]
        return _document(
            request,
            "MediaContainer",
            Node({"size": len(activities)}, {"Activity": activities}),
        )

    async def _cancel_activity(self, request: web.Request) -> web.Response:
        activity = self._server.activities.get(request.match_info["uuid"])
        if activity is None:
            return _html_error(HTTPStatus.NOT_FOUND)
        if not activity.cancellable:
            return _html_error(HTTPStatus.BAD_REQUEST)
        await self._server.butler.end_activity(activity.uuid)
        return web.Response()

    async def _get_prefs(self, request: web.Request) -> web.Response:
        settings = [
            Node(
                {
                    "id": setting.id,
                    "label": setting.label,
                    "summary": setting.summary,
                    "type": setting.type,
                    "default": typed_value(setting, setting.default),
                    "value": self._server.typed_preference(setting.id),
                    "hidden": setting.hidden,
                    "advanced": setting.advanced,
                    "group": setting.group,
                }
                | ({"enumValues": setting.enum_values} if setting.enum_values else {})
            )
            for setting in SETTINGS
            if setting.id in self._server.preferences
        ]
        return _document(
            request, "MediaContainer", Node({"size": len(settings)}, {"Setting": settings})
        )

    async def _put_prefs(self, request: web.Request) -> web.Response:
        """Write settings all or nothing; `X-Plex-*` query parameters are not settings.

        A setting the server does not have is refused with 400 or 403 (the knob), a value it
        does not take with 400.
        """
        values = {
            setting_id: value
            for setting_id, value in request.query.items()
            if not setting_id.startswith("X-Plex-")
        }
        try:
            await self._server.write_preferences(values)
        except KeyError:
            return _html_error(HTTPStatus(self._server.faults.unknown_preference_status))
        except ValueError:
            return _html_error(HTTPStatus.BAD_REQUEST)
        return web.Response()

    async def _browse(self, request: web.Request) -> web.Response:
        listing = browse_folder(self._server, request)
        if isinstance(listing, HTTPStatus):
            return _html_error(listing)
        return _document(request, "MediaContainer", listing)

    async def _notifications(self, request: web.Request) -> web.StreamResponse:
        if not self._server.faults.websockets_enabled:
            return _html_error(HTTPStatus.NOT_FOUND)
        requested = frozenset(kind for kind in request.query.get("filters", "").split(",") if kind)
        socket = web.WebSocketResponse(timeout=WEBSOCKET_CLOSE_TIMEOUT)
        await socket.prepare(request)
        subscriber = self._server.websockets.subscribe(socket, requested or None)
        await self._server.faults.spoil_websocket(socket)
        try:
            async for _message in socket:
                pass  # the server ignores what clients send
        finally:
            self._server.websockets.unsubscribe(subscriber)
        return socket
