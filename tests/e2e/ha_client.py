"""A small client for a running Home Assistant: onboarding, login, flows, REST and websocket API.

Used by the end-to-end test and by `scripts/develop` (through `scripts/demo.py`); it needs only
aiohttp (`ha_config` prepares the config dir before the start). Everything goes through the
interfaces the frontend uses, nothing through internals.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
import itertools
import json
import time
from typing import Any

import aiohttp

REQUEST_TIMEOUT = aiohttp.ClientTimeout(total=120)
PROBE_TIMEOUT = aiohttp.ClientTimeout(total=10)
WEBSOCKET_TIMEOUT = 120.0
ONBOARDING_STEPS_AFTER_USER = ("core_config", "analytics")  # then "integration"


class HomeAssistantError(Exception):
    """Home Assistant answered something it should not have."""


class WebSocketApi:
    """An authenticated websocket connection: one command at a time."""

    def __init__(self, socket: aiohttp.ClientWebSocketResponse) -> None:
        """Wrap an authenticated connection."""
        self._socket = socket
        self._ids = itertools.count(1)

    async def call(self, command: str, **data: Any) -> Any:
        """Send a command and return its result; HomeAssistantError when it fails."""
        message_id = next(self._ids)
        await self._socket.send_json({"id": message_id, "type": command, **data})
        while True:
            message = await asyncio.wait_for(self._socket.receive_json(), WEBSOCKET_TIMEOUT)
            if message.get("id") != message_id or message.get("type") != "result":
                continue
            if not message["success"]:
                raise HomeAssistantError(f"{command}: {message['error']}")
            return message["result"]


class HomeAssistantApi:
    """Home Assistant at `base_url`, as one user once `onboard` or `login` has run."""

    def __init__(self, session: aiohttp.ClientSession, base_url: str) -> None:
        """Talk to Home Assistant at base_url (e.g. http://127.0.0.1:8123) through session."""
        self.session = session
        self.base_url = base_url.rstrip("/")
        # The frontend's own client id: tokens made for it also work in the browser.
        self.client_id = f"{self.base_url}/"
        self.tokens: dict[str, Any] = {}

    # Start-up and onboarding

    async def wait_until_up(
        self, within: float, still_starting: Callable[[], bool] = lambda: True
    ) -> None:
        """Wait until the HTTP API answers (Home Assistant starts it once set up).

        TimeoutError after `within` seconds; `still_starting` returning False (say, the process
        exited) stops the wait at once with HomeAssistantError.
        """
        deadline = time.monotonic() + within
        while True:
            try:
                async with self.session.get(
                    f"{self.base_url}/api/onboarding", timeout=PROBE_TIMEOUT
                ) as response:
                    # 404: onboarding is finished and its views are gone.
                    if response.status in {200, 404}:
                        return
            except (aiohttp.ClientError, TimeoutError):
                pass
            if not still_starting():
                raise HomeAssistantError("Home Assistant stopped before it answered over HTTP")
            if time.monotonic() > deadline:
                raise TimeoutError(
                    f"Home Assistant did not answer at {self.base_url} in {within} s"
                )
            await asyncio.sleep(1)

    async def wait_until_running(self, within: float) -> None:
        """Wait until Home Assistant has finished starting (it answers over HTTP before that).

        Needs a login. TimeoutError after `within` seconds.
        """
        deadline = time.monotonic() + within
        while (state := (await self.request("GET", "/api/config"))["state"]) != "RUNNING":
            if time.monotonic() > deadline:
                raise TimeoutError(f"Home Assistant is still {state} after {within} s")
            await asyncio.sleep(0.5)

    async def onboarding_steps(self) -> dict[str, bool]:
        """Return each onboarding step and whether it is done; empty once onboarding is over."""
        async with self.session.get(
            f"{self.base_url}/api/onboarding", timeout=REQUEST_TIMEOUT
        ) as response:
            if response.status == 404:
                return {}
            if response.status != 200:
                raise HomeAssistantError(f"GET /api/onboarding: {response.status}")
            return {step["step"]: step["done"] for step in await response.json()}

    async def onboard(
        self, name: str, username: str, password: str, language: str = "en", country: str = "US"
    ) -> bool:
        """Finish onboarding as the frontend does, logged in as the owner afterwards.

        Creates the owner account if there is none yet (and returns True); otherwise logs in with
        username and password and finishes the steps left, if any (and returns False). Sets the
        country if none is set, as the frontend's location step does (else Home Assistant raises
        a repair issue).
        """
        steps = await self.onboarding_steps()
        created = steps.get("user") is False
        if created:
            answer = await self.request(
                "POST",
                "/api/onboarding/users",
                {
                    "client_id": self.client_id,
                    "name": name,
                    "username": username,
                    "password": password,
                    "language": language,
                },
                authenticated=False,
            )
            await self._fetch_tokens(answer["auth_code"])
        else:
            await self.login(username, password)
        for step in ONBOARDING_STEPS_AFTER_USER:
            if steps.get(step) is False:
                await self.request("POST", f"/api/onboarding/{step}", {})
        if steps.get("integration") is False:
            await self.request(
                "POST",
                "/api/onboarding/integration",
                {"client_id": self.client_id, "redirect_uri": f"{self.client_id}?auth_callback=1"},
            )
        if (await self.request("GET", "/api/config")).get("country") is None:
            async with self.websocket() as ws:
                await ws.call("config/core/update", country=country)
        return created

    async def login(self, username: str, password: str) -> None:
        """Log in through the login flow of the frontend's login page."""
        flow = await self.request(
            "POST",
            "/auth/login_flow",
            {
                "client_id": self.client_id,
                "handler": ["homeassistant", None],
                "redirect_uri": self.client_id,
            },
            authenticated=False,
        )
        result = await self.request(
            "POST",
            f"/auth/login_flow/{flow['flow_id']}",
            {"client_id": self.client_id, "username": username, "password": password},
            authenticated=False,
        )
        if result.get("type") != "create_entry":
            raise HomeAssistantError(f"login as {username!r} refused: {result.get('errors')}")
        await self._fetch_tokens(result["result"])

    async def _fetch_tokens(self, code: str) -> None:
        async with self.session.post(
            f"{self.base_url}/auth/token",
            data={"grant_type": "authorization_code", "code": code, "client_id": self.client_id},
            timeout=REQUEST_TIMEOUT,
        ) as response:
            if response.status != 200:
                raise HomeAssistantError(f"POST /auth/token: {response.status}")
            self.tokens = await response.json()
        self.tokens["expires"] = int(time.time() * 1000) + 1000 * self.tokens["expires_in"]

    def browser_tokens(self) -> dict[str, Any]:
        """Return the tokens as the frontend keeps them in localStorage (`hassTokens`)."""
        return {**self.tokens, "hassUrl": self.base_url, "clientId": self.client_id}

    # REST

    async def request(
        self,
        method: str,
        path: str,
        data: Any = None,
        *,
        authenticated: bool = True,
        headers: dict[str, str] | None = None,
    ) -> Any:
        """Send a JSON request and return the decoded answer; HomeAssistantError unless 2xx."""
        headers = dict(headers or {})
        if authenticated:
            headers["Authorization"] = f"Bearer {self.tokens['access_token']}"
        async with self.session.request(
            method,
            f"{self.base_url}{path}",
            json=data,
            headers=headers,
            timeout=REQUEST_TIMEOUT,
        ) as response:
            text = await response.text()
            if not 200 <= response.status < 300:
                raise HomeAssistantError(f"{method} {path}: {response.status} {text[:500]}")
            return json.loads(text) if text else None

    async def states(self) -> dict[str, dict[str, Any]]:
        """Return every entity's state, by entity id."""
        return {state["entity_id"]: state for state in await self.request("GET", "/api/states")}

    async def call_service(self, domain: str, service: str, data: dict[str, Any]) -> None:
        """Call an action, as the frontend's REST clients do."""
        await self.request("POST", f"/api/services/{domain}/{service}", data)

    async def press(self, entity_id: str) -> None:
        """Press a button entity."""
        await self.call_service("button", "press", {"entity_id": entity_id})

    async def config_entries(self, domain: str) -> list[dict[str, Any]]:
        """Return the config entries of a domain."""
        return list(await self.request("GET", f"/api/config/config_entries/entry?domain={domain}"))

    async def add_config_entry(
        self, handler: str, user_input: dict[str, Any], entry_id: str | None = None
    ) -> dict[str, Any]:
        """Run a config flow's form with user_input; return the flow's last answer.

        With entry_id, the flow is that entry's reconfiguration. A first step that is a menu
        (Plex Butler's ways to set up) is answered with its last choice, the form by hand. The
        answer's `type` is `create_entry` (its `result` is the entry), `abort` (with a `reason`
        such as `already_configured`) or `form` (with `errors`).
        """
        start: dict[str, Any] = {"handler": handler, "show_advanced_options": False}
        if entry_id is not None:
            start["entry_id"] = entry_id
        form = await self.request("POST", "/api/config/config_entries/flow", start)
        if form["type"] == "menu":
            form = await self.flow_step(form["flow_id"], {"next_step_id": form["menu_options"][-1]})
        if form["type"] != "form":
            return dict(form)
        return dict(
            await self.request(
                "POST", f"/api/config/config_entries/flow/{form['flow_id']}", user_input
            )
        )

    async def start_flow(self, handler: str) -> dict[str, Any]:
        """Start a config flow as the frontend does; return its first step."""
        start = {"handler": handler, "show_advanced_options": False}
        return dict(
            await self.request(
                "POST", "/api/config/config_entries/flow", start, headers=self._frontend_base
            )
        )

    async def flow_step(self, flow_id: str, user_input: dict[str, Any] | None) -> dict[str, Any]:
        """Answer a config flow's step (None for a step without input, such as an external
        step's end); return its next step."""
        path = f"/api/config/config_entries/flow/{flow_id}"
        if user_input is None:  # as the frontend goes on after an external step
            return dict(await self.request("GET", path, headers=self._frontend_base))
        return dict(await self.request("POST", path, user_input, headers=self._frontend_base))

    @property
    def _frontend_base(self) -> dict[str, str]:
        """The header the frontend sends with config flow requests: its own address."""
        return {"HA-Frontend-Base": self.base_url}

    # Websocket

    @asynccontextmanager
    async def websocket(self) -> AsyncIterator[WebSocketApi]:
        """Open an authenticated websocket connection."""
        async with self.session.ws_connect(
            f"{self.base_url}/api/websocket", max_msg_size=0
        ) as socket:
            greeting = await asyncio.wait_for(socket.receive_json(), WEBSOCKET_TIMEOUT)
            if greeting.get("type") != "auth_required":
                raise HomeAssistantError(f"websocket: unexpected greeting {greeting}")
            await socket.send_json({"type": "auth", "access_token": self.tokens["access_token"]})
            answer = await asyncio.wait_for(socket.receive_json(), WEBSOCKET_TIMEOUT)
            if answer.get("type") != "auth_ok":
                raise HomeAssistantError(f"websocket: authentication refused: {answer}")
            yield WebSocketApi(socket)

    async def save_dashboard(
        self, url_path: str, title: str, icon: str, config: dict[str, Any], *, replace: bool
    ) -> bool:
        """Create a dashboard in the sidebar with config; return whether it was written.

        An existing dashboard is left alone unless `replace` is true.
        """
        async with self.websocket() as api:
            existing = {board["url_path"] for board in await api.call("lovelace/dashboards/list")}
            if url_path in existing and not replace:
                return False
            if url_path not in existing:
                await api.call(
                    "lovelace/dashboards/create",
                    url_path=url_path,
                    title=title,
                    icon=icon,
                    show_in_sidebar=True,
                    require_admin=False,
                )
            await api.call("lovelace/config/save", url_path=url_path, config=config)
        return True


def entities_by_unique_id(
    registry: Iterable[dict[str, Any]], config_entry_id: str
) -> dict[str, dict[str, Any]]:
    """Return a config entry's entity registry entries by unique id."""
    return {
        entry["unique_id"]: entry
        for entry in registry
        if entry.get("config_entry_id") == config_entry_id
    }
