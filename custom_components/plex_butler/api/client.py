"""Async client for the Butler of a Plex Media Server.

This module never imports Home Assistant, so that it can be published on its own.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Mapping
import contextlib
import ssl
from typing import Any, Final

import aiohttp
from yarl import URL

from .addressing import base_url, is_addressable, task_path, tls_error
from .bodies import ACCEPT_ENCODING, read_body
from .exceptions import (
    PlexButlerAuthenticationError,
    PlexButlerConnectionError,
    PlexButlerResponseError,
    PlexButlerSettingRefusedError,
    PlexButlerTimeoutError,
    PlexButlerUnknownTaskError,
)
from .folders import browse_path, folder_error, parse_folder
from .library import LibraryMaintenance
from .log_lines import LogReader
from .models import (
    Activity,
    BrowsedFile,
    ButlerTask,
    Notification,
    ServerIdentity,
    ServerInfo,
    Setting,
    StartResult,
    StopResult,
)
from .parsing import (
    notifications_in,
    parse_activities,
    parse_butler_tasks,
    parse_document,
    parse_frame,
    parse_identity,
    parse_server_info,
    parse_settings,
)

__all__ = ["PlexButlerClient", "is_addressable"]

DEFAULT_TIMEOUT: Final = 10.0
MAX_RESPONSE_BYTES: Final = 2 * 1024 * 1024
PRODUCT: Final = "Plex Butler for Home Assistant"
PRODUCT_VERSION: Final = "0.1.0"
# `log` is never sent unless asked for; one websocket for all three costs less than a second one
# for `log` alone (tests/bench/bench_log_socket.py).
NOTIFICATION_FILTERS: Final = "activity,preference,log"
# A refused token; `PUT /:/prefs` also answers 403 for a setting it does not know.
TOKEN_REFUSED: Final = frozenset({401, 403})
NOT_FOUND: Final = frozenset({404})
SETTING_REFUSED: Final = frozenset({400, 403})
# Every answer to a folder listing but a refused token (401) says what became of the folder.
FOLDER_ANSWERS: Final = frozenset(range(300, 600)) - {401}


class PlexButlerClient:
    """Talks to one Plex Media Server with an injected aiohttp session."""

    def __init__(
        self,
        url: str,
        token: str,
        session: aiohttp.ClientSession,
        *,
        client_identifier: str,
        verify_ssl: bool = True,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        """Set up the client; nothing is sent until a method is called."""
        self._url = base_url(url)
        if self._url.scheme not in ("http", "https") or not self._url.host:
            raise ValueError("The server URL must start with http:// or https:// and name a host")
        self._token = token
        self._session = session
        self._ssl = verify_ssl
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._headers = {
            "Accept": "application/json",
            "Accept-Encoding": ACCEPT_ENCODING,
            "X-Plex-Token": token,
            "X-Plex-Client-Identifier": client_identifier,
            "X-Plex-Product": PRODUCT,
            "X-Plex-Version": PRODUCT_VERSION,
        }
        self._log = LogReader()
        self.library = LibraryMaintenance(self._request)

    @property
    def url(self) -> str:
        """The server's base URL."""
        return str(self._url)

    @property
    def log_frames(self) -> Mapping[str, int]:
        """What the `log` notifications held, read-only (see `LogReader`), for diagnostics."""
        return self._log.counts

    def _endpoint(self, path: str) -> URL:
        """Build the URL of an API path, below any path of the base URL (a reverse proxy's)."""
        return self._url.with_path(self._url.path.rstrip("/") + path)

    async def _request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        answers: frozenset[int] = NOT_FOUND,
    ) -> tuple[int, bytes]:
        """Send a request; return the status and body of a success, or of one of `answers`."""
        url = self._endpoint(path)
        try:
            async with self._session.request(
                method,
                url,
                params=params,
                headers=self._headers,
                ssl=self._ssl,
                timeout=self._timeout,
                allow_redirects=False,
                auto_decompress=False,
            ) as response:
                if response.status in TOKEN_REFUSED - answers:
                    raise PlexButlerAuthenticationError(
                        f"The server refused the token ({response.status})"
                    )
                body = await read_body(response, MAX_RESPONSE_BYTES)
                status = response.status
        except (aiohttp.ClientSSLError, ssl.SSLError) as err:
            raise tls_error(self._url.host, err) from err
        except TimeoutError as err:
            raise PlexButlerTimeoutError(f"{self._url.host} did not answer in time") from err
        except aiohttp.ClientError as err:
            raise PlexButlerConnectionError(
                f"Cannot talk to {self._url.host}: {type(err).__name__}"
            ) from err
        if status >= 300 and status not in answers:
            raise PlexButlerResponseError(f"{method} {path} answered {status}")
        return status, body

    async def get_document(self, path: str) -> dict[str, Any]:
        """GET an API path and return the parsed document, `{root name: content}`."""
        status, body = await self._request("GET", path)
        if status != 200:
            raise PlexButlerResponseError(f"GET {path} answered {status}")
        return parse_document(body)

    async def identity(self) -> ServerIdentity:
        """Read the server's identity; needs no token, so it proves only that Plex answers."""
        return parse_identity(await self.get_document("/identity"))

    async def server_info(self) -> ServerInfo:
        """Read the server's name and version; proves the token works."""
        return parse_server_info(await self.get_document("/"))

    async def butler_tasks(self) -> tuple[ButlerTask, ...]:
        """Read the Butler's task list."""
        return parse_butler_tasks(await self.get_document("/butler"))

    async def activities(self) -> tuple[Activity, ...]:
        """Read what the server is doing right now."""
        return parse_activities(await self.get_document("/activities"))

    async def preferences(self) -> tuple[Setting, ...]:
        """Read the server's preferences (the Butler's among them)."""
        return parse_settings(await self.get_document("/:/prefs"))

    async def browse(self, path: str) -> tuple[BrowsedFile, ...]:
        """List the files of a folder on the server's disk (its subfolders are left out).

        Raises PlexButlerFolderError when the server cannot list it. A 403 here is the folder's,
        not a refused token: the token that reads every other endpoint is the owner's.
        """
        status, body = await self._request(
            "GET", browse_path(path), params={"includeFiles": "1"}, answers=FOLDER_ANSWERS
        )
        if status != 200:
            raise folder_error(status)
        return parse_folder(body)

    async def set_preferences(self, values: Mapping[str, str | int | bool]) -> None:
        """Write preferences; booleans go out as 1 and 0.

        The server answers 400 or 403 to a name or value it does not take: that 403 is no refused
        token (a token the server refuses is 401 here, and fails every poll too).
        """
        params = {
            name: ("1" if value else "0") if isinstance(value, bool) else str(value)
            for name, value in values.items()
        }
        status, _ = await self._request("PUT", "/:/prefs", params=params, answers=SETTING_REFUSED)
        if status in SETTING_REFUSED:
            raise PlexButlerSettingRefusedError(f"The server refused the preferences ({status})")

    async def start_task(self, name: str) -> StartResult:
        """Start one task: 200 started it, 202 means it was already running."""
        status, _ = await self._request("POST", task_path(name))
        if status == 404:
            raise PlexButlerUnknownTaskError(f"The server does not know the task {name}")
        return StartResult.ALREADY_RUNNING if status == 202 else StartResult.STARTED

    async def stop_task(self, name: str) -> StopResult:
        """Stop one task; the server answers 404 for a known task that is not running."""
        status, _ = await self._request("DELETE", task_path(name))
        return StopResult.NOT_RUNNING if status == 404 else StopResult.STOPPED

    async def start_all_tasks(self) -> None:
        """Ask the server to start every task that is due (maintenance-window rules apply)."""
        await self._expect_ok("POST", "/butler")

    async def stop_all_tasks(self) -> None:
        """Stop every running task and forget the scheduled ones."""
        await self._expect_ok("DELETE", "/butler")

    async def _expect_ok(self, method: str, path: str) -> None:
        status, _ = await self._request(method, path)
        if status != 200:
            raise PlexButlerResponseError(f"{method} {path} answered {status}")

    async def notifications(
        self,
        on_connect: Callable[[], None] | None = None,
        *,
        filters: str = NOTIFICATION_FILTERS,
    ) -> AsyncIterator[Notification]:
        """Yield activity, preference and sub-activity notifications until the websocket closes.

        Sub-activities come from `log` frames (the server's debug log); a log frame that cannot
        be read is counted in `log_frames` and skipped. `on_connect`, `filters` and the errors
        are those of `notification_frames`.
        """
        # aclosing: when the caller stops early, the websocket closes now, not when collected.
        async with contextlib.aclosing(
            self.notification_frames(on_connect, filters=filters)
        ) as frames:
            async for frame in frames:
                for notification in notifications_in(frame, self._log):
                    yield notification

    async def notification_frames(
        self,
        on_connect: Callable[[], None] | None = None,
        *,
        filters: str = NOTIFICATION_FILTERS,
    ) -> AsyncGenerator[dict[str, Any]]:
        """Yield each text frame of the notification websocket as its parsed JSON object.

        `filters` names the notification types asked for (the server sends all but `log` when
        none are named). `on_connect` is called once the
        websocket is open, before any frame. Raises PlexButlerAuthenticationError when the upgrade
        is refused with 401 or 403, PlexButlerConnectionError when the connection cannot be made
        or breaks, and PlexButlerResponseError for a frame that is not a JSON object.
        """
        url = self._endpoint("/:/websockets/notifications").with_scheme(
            "wss" if self._url.scheme == "https" else "ws"
        )
        try:
            # The handshake gets the same time limit as every other request.
            async with asyncio.timeout(self._timeout.total):
                websocket = await self._session.ws_connect(
                    url.with_query(filters=filters),
                    headers=self._headers,
                    ssl=self._ssl,
                    timeout=aiohttp.ClientWSTimeout(ws_close=self._timeout.total),
                    heartbeat=30,
                    max_msg_size=MAX_RESPONSE_BYTES,
                )
            async with websocket:
                if on_connect is not None:
                    on_connect()
                async for message in websocket:
                    if message.type is aiohttp.WSMsgType.TEXT:
                        yield parse_frame(message.data)
                    elif message.type is aiohttp.WSMsgType.ERROR:
                        raise PlexButlerConnectionError("The notification websocket broke")
        except aiohttp.WSServerHandshakeError as err:
            if err.status in (401, 403):
                raise PlexButlerAuthenticationError(
                    f"The server refused the token ({err.status})"
                ) from err
            raise PlexButlerConnectionError(
                f"The notification websocket was refused ({err.status})"
            ) from err
        except (aiohttp.ClientSSLError, ssl.SSLError) as err:
            raise tls_error(self._url.host, err) from err
        except (aiohttp.ClientError, TimeoutError) as err:
            raise PlexButlerConnectionError(
                f"The notification websocket to {self._url.host} failed"
            ) from err
