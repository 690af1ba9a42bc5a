"""A small client for a running Home Assistant: onboarding, login, flows, REST and websocket API.

Used by the end-to-end test and by `scripts/develop` (through `scripts/demo.py`); it needs only
aiohttp, and to prepare a config dir the Home Assistant it is for. Everything goes through the
interfaces the frontend uses, nothing through internals.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from importlib.util import find_spec
import itertools
import json
from pathlib import Path
import time
from typing import Any
import uuid

import aiohttp

REQUEST_TIMEOUT = aiohttp.ClientTimeout(total=120)
PROBE_TIMEOUT = aiohttp.ClientTimeout(total=10)
WEBSOCKET_TIMEOUT = 120.0
ONBOARDING_STEPS_AFTER_USER = ("core_config", "analytics")  # then "integration"


DEMO_HOST = "127.0.0.1"
HTTP_PACKAGE = Path("packages") / "http.yaml"


def _write_store(
    storage: Path, key: str, version: int, data: dict[str, Any], minor_version: int = 1
) -> None:
    """Write one of Home Assistant's `.storage` files, as Home Assistant itself does."""
    store = storage / key
    store.touch(mode=0o600)
    store.write_text(
        json.dumps({"version": version, "minor_version": minor_version, "key": key, "data": data})
    )


def _http_settings_schema() -> Callable[[dict[str, Any]], dict[str, Any]] | None:
    """The schema of the HTTP settings Home Assistant stores itself, if this release has one.

    From 2026.10 on (not 2026.2), Home Assistant keeps its `http:` settings in `.storage/http`
    and takes `http:` YAML once, as a trial to confirm, with a "deprecated YAML" repair (and,
    once taken, a repair for YAML still there).
    """
    try:
        from homeassistant.components.http import config
    except ImportError:
        return None
    if not hasattr(config, "KEY_YAML_MIGRATION_DONE"):
        return None
    schema: Callable[[dict[str, Any]], dict[str, Any]] = config.HTTP_STORAGE_SCHEMA
    return schema


def prepare_http(config_dir: Path, port: int) -> None:
    """Have Home Assistant listen on 127.0.0.1:port only, the way its release keeps the setting.

    A release that stores its HTTP settings gets them stored, as confirmed (the `stable` ones),
    with its YAML taken already: no `http:` YAML, no trial, no repair. A release that stores none
    (2026.2) gets `http:` YAML, as a package of configuration.yaml's. Run before every start: a
    config dir moved between releases gets what its release needs; a stored setting Home
    Assistant has once read is its own, and left alone.
    """
    package = config_dir / HTTP_PACKAGE
    if (schema := _http_settings_schema()) is None:
        package.parent.mkdir(parents=True, exist_ok=True)
        package.write_text(
            "# Written by scripts/demo.py prepare: this release keeps no HTTP settings itself.\n"
            f"http:\n  server_host: {DEMO_HOST}\n  server_port: {port}\n"
        )
        return
    package.unlink(missing_ok=True)
    storage = config_dir / ".storage"
    if (storage / "http").exists():
        return
    storage.mkdir(parents=True, exist_ok=True)
    stable = {
        **schema({"server_host": [DEMO_HOST], "server_port": port}),
        "created_at": datetime.now(UTC).isoformat(),
        "error": None,
        "error_message": None,
    }
    # The store's version 2.2: a confirmed setting, none on trial, the YAML taken.
    _write_store(
        storage,
        "http",
        2,
        {"stable": stable, "pending": None, "yaml_migration_done": True},
        minor_version=2,
    )


def _marketplace_entry() -> dict[str, Any] | None:
    """A Marketplace entry disabled by the user, on a release that sets the Marketplace up.

    From 2026.11 on, every start sets Home Assistant's Marketplace up (a default of its own, not
    part of default_config) and, without an entry, adds one that fetches its catalog from GitHub.
    An entry the user disabled keeps it off: none is added, and this one is not loaded.
    The fields a store of minor version 1 holds: Home Assistant adds the others as it loads it.
    """
    if find_spec("homeassistant.components.marketplace") is None:
        return None
    return {
        "entry_id": uuid.uuid4().hex,
        "domain": "marketplace",
        "title": "Marketplace",
        "source": "system",
        "data": {},
        "version": 1,
        "disabled_by": "user",
    }


def prepare_config_dir(config_dir: Path, port: int) -> bool:
    """Settle, before Home Assistant starts in config_dir, what the API cannot.

    - Where it listens: 127.0.0.1:port only (`prepare_http`), before every start.
    - Onboarding's location step (`core_config`) is marked done. Finishing it through the API
      makes Home Assistant add Met.no, Radio Browser, Google Translate and Shopping list entries:
      they install more packages, and Radio Browser (Met.no too, once there is a home location)
      reaches out to the internet. The other steps go through the API.
    - Home Assistant's network adapters (Settings > System > Network) are the loopback one only.
      Its HTTP client resolves `.local` names with an mDNS socket on port 5353 bound to the
      enabled adapters: this keeps those on 127.0.0.1 (one listening socket on all addresses
      remains, which Home Assistant always opens).
    - From 2026.11 on, the Marketplace is off: otherwise it reaches GitHub (`_marketplace_entry`).

    The last three only before the first start: returns False, changing neither, once Home
    Assistant has used config_dir.
    """
    storage = config_dir / ".storage"
    first_start = not storage.exists()
    if first_start:
        storage.mkdir(parents=True)
        _write_store(storage, "onboarding", 4, {"done": ["core_config"]})
        _write_store(storage, "core.network", 1, {"configured_adapters": ["lo"]})
        if (marketplace := _marketplace_entry()) is not None:
            _write_store(storage, "core.config_entries", 1, {"entries": [marketplace]})
    prepare_http(config_dir, port)
    return first_start


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
