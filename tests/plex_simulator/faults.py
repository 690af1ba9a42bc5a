"""The simulated server's fault knobs: what a slow, broken or proxied server does to its answers."""

from dataclasses import dataclass
from http import HTTPStatus
from typing import Literal

from aiohttp import WSCloseCode, web

from .responses import content_type

GARBAGE_BODY = b"\x00\xfePlex Media Server <starting up { neither JSON nor XML"

type WebsocketFault = Literal["close", "garbage"]


@dataclass
class Faults:
    """What goes wrong, set by the tests; nothing does by default.

    `delay`: seconds to wait before answering any request. `fail_with_500`: token protected
    endpoints answer 500 with an HTML body, before any side effect. `garbage` and `truncated`: a
    200 from a token protected endpoint gets a body that is neither JSON nor XML, or its own body
    cut in half (side effects still happen). `websockets_enabled` False: the websocket endpoint
    answers 404, as behind a proxy that passes no websockets. `websocket_fault` "close": each
    websocket closes right after it opened, as behind a proxy that drops it; "garbage": each gets
    a frame that is not JSON first. `unknown_preference_status`: what `PUT /:/prefs` answers for
    a setting the server does not have (400, or 403: public sources name both).
    """

    delay: float = 0.0
    fail_with_500: bool = False
    garbage: bool = False
    truncated: bool = False
    websockets_enabled: bool = True
    websocket_fault: WebsocketFault | None = None
    unknown_preference_status: int = 400

    def mangle(self, request: web.Request, response: web.StreamResponse) -> web.StreamResponse:
        """Apply `garbage` and `truncated` to a 200 response."""
        if response.status != HTTPStatus.OK or not isinstance(response, web.Response):
            return response
        if self.garbage:
            return web.Response(body=GARBAGE_BODY, content_type=content_type(request))
        if self.truncated and isinstance(response.body, bytes):
            return web.Response(
                body=response.body[: len(response.body) // 2],
                content_type=response.content_type,
                charset=response.charset,
            )
        return response

    async def spoil_websocket(self, socket: web.WebSocketResponse) -> None:
        """Close a websocket just opened, or send it garbage, as `websocket_fault` says."""
        if self.websocket_fault == "close":
            await socket.close(code=WSCloseCode.GOING_AWAY)
        elif self.websocket_fault == "garbage":
            await socket.send_str("<html>Bad gateway</html>")
