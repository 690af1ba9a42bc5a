"""A simulated plex.tv on 127.0.0.1: sign-in PINs, the account's resources, the sign-in page.

It serves both plex.tv's API and app.plex.tv's sign-in page (`/auth`), so one base URL stands
for both. The page reads the PIN's code and the forward URL from its fragment, as the real page
does, and offers a "Sign in" button (id `sign-in`) that a browser test can click: it signs the
PIN in and goes on to the forward URL.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import count
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web

ACCOUNT_TOKEN = "plex-tv-account-token-do-not-leak"

AUTH_PAGE = """<!doctype html>
<html><head><title>Plex</title></head><body>
<h1>Sign in to Plex (simulated)</h1>
<button id="sign-in">Sign in</button>
<script>
const query = new URLSearchParams(location.hash.replace(/^#!?\\??/, ""));
document.getElementById("sign-in").addEventListener("click", async () => {
  await fetch("/api/v2/pins/authorize?code=" + encodeURIComponent(query.get("code")),
              {method: "POST"});
  const forward = query.get("forwardUrl");
  if (forward) { location.href = forward; } else { document.body.textContent = "Signed in"; }
});
</script></body></html>
"""


def connection(uri: str, *, local: bool = True, relay: bool = False) -> dict[str, Any]:
    """One connection of a resource, as plex.tv lists it."""
    return {
        "protocol": uri.split(":", 1)[0],
        "address": "127.0.0.1",
        "port": urlsplit(uri).port,
        "uri": uri,
        "local": local,
        "relay": relay,
        "IPv6": False,
    }


def server_resource(
    name: str,
    machine_identifier: str,
    connections: list[dict[str, Any]],
    *,
    owned: bool = True,
    token: str | None = None,
) -> dict[str, Any]:
    """A Plex Media Server of the account, as `/api/v2/resources` lists it."""
    return {
        "name": name,
        "product": "Plex Media Server",
        "productVersion": "1.41.5.9522",
        "clientIdentifier": machine_identifier,
        "provides": "server",
        "owned": owned,
        "home": not owned,
        "accessToken": token,
        "connections": connections,
    }


@dataclass
class SimulatedPin:
    """A PIN and whether the user signed in with it."""

    id: int
    code: str
    client_identifier: str
    signed_in: bool = False


@dataclass
class PlexTvSimulator:
    """plex.tv as the sign-in sees it; `resources` is what the account's token lists."""

    resources: list[dict[str, Any]] = field(default_factory=list)
    account_token: str = ACCOUNT_TOKEN
    # Knobs: every answer a 503 (plex.tv down), or every PIN gone (expired).
    failing: bool = False
    pins_expired: bool = False
    pins: dict[int, SimulatedPin] = field(default_factory=dict)
    requests: list[web.Request] = field(default_factory=list)
    _ids: count[int] = field(default_factory=lambda: count(1000))
    _runner: web.AppRunner | None = None
    url: str = ""

    async def start(self) -> None:
        """Serve on a free port of 127.0.0.1."""
        app = web.Application(middlewares=[self._middleware])
        app.add_routes(
            [
                web.post("/api/v2/pins", self._create_pin),
                web.post("/api/v2/pins/authorize", self._authorize),
                web.get("/api/v2/pins/{id}", self._get_pin),
                web.get("/api/v2/resources", self._resources),
                web.get("/auth", self._auth_page),
            ]
        )
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.url = f"http://127.0.0.1:{self._runner.addresses[0][1]}"

    async def stop(self) -> None:
        """Stop serving."""
        if self._runner is not None:
            await self._runner.cleanup()

    def sign_in(self, code: str | None = None) -> None:
        """Sign the user in with a PIN (the last one when no code is given)."""
        pin = next(p for p in reversed(self.pins.values()) if code in (None, p.code))
        pin.signed_in = True

    @web.middleware
    async def _middleware(self, request: web.Request, handler: Any) -> web.StreamResponse:
        self.requests.append(request)
        if self.failing:
            return web.Response(status=503, text="<html>Service Unavailable</html>")
        response: web.StreamResponse = await handler(request)
        return response

    def _pin_document(self, pin: SimulatedPin) -> dict[str, Any]:
        return {
            "id": pin.id,
            "code": pin.code,
            "clientIdentifier": pin.client_identifier,
            "expiresIn": 1800,
            "authToken": self.account_token if pin.signed_in else None,
        }

    async def _create_pin(self, request: web.Request) -> web.Response:
        pin_id = next(self._ids)
        pin = SimulatedPin(
            pin_id, f"code{pin_id}", request.headers.get("X-Plex-Client-Identifier", "")
        )
        self.pins[pin_id] = pin
        return web.json_response(self._pin_document(pin), status=201)

    async def _authorize(self, request: web.Request) -> web.Response:
        self.sign_in(request.query["code"])
        return web.Response(status=204)

    async def _get_pin(self, request: web.Request) -> web.Response:
        pin = self.pins.get(int(request.match_info["id"]))
        if pin is None or self.pins_expired or request.query.get("code") != pin.code:
            return web.json_response(
                {"errors": [{"code": 1020, "message": "Code not found or expired"}]}, status=404
            )
        return web.json_response(self._pin_document(pin))

    async def _resources(self, request: web.Request) -> web.Response:
        if request.headers.get("X-Plex-Token") != self.account_token:
            return web.Response(status=401, text="<html>Unauthorized</html>")
        return web.json_response(self.resources)

    async def _auth_page(self, _request: web.Request) -> web.Response:
        return web.Response(text=AUTH_PAGE, content_type="text/html")
