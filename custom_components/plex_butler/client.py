"""Async client for the Butler of a Plex Media Server.

This module never imports Home Assistant, so that it can be published on its own.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
import json
import ssl
from typing import Any, Final
from xml.etree import ElementTree as ET

import aiohttp
from yarl import URL

DEFAULT_TIMEOUT: Final = 10.0
MAX_RESPONSE_BYTES: Final = 2 * 1024 * 1024
PRODUCT: Final = "Plex Butler for Home Assistant"
PRODUCT_VERSION: Final = "0.1.0"
NOTIFICATION_FILTERS: Final = "activity,preference"


class PlexButlerError(Exception):
    """Base error of the client; its messages never contain the token."""


class PlexButlerConnectionError(PlexButlerError):
    """The server could not be reached, or did not answer in time."""


class PlexButlerSSLError(PlexButlerConnectionError):
    """The TLS handshake failed (for example a certificate for another host name)."""


class PlexButlerAuthenticationError(PlexButlerError):
    """The token was refused (401 or 403): the server owner's token is needed."""


class PlexButlerResponseError(PlexButlerError):
    """The server answered something that is not a valid Plex answer."""


class PlexButlerUnknownTaskError(PlexButlerError):
    """The server does not know the task name."""


class StartResult(StrEnum):
    """What the server said to a start request."""

    STARTED = "started"
    ALREADY_RUNNING = "already_running"


class StopResult(StrEnum):
    """What the server said to a stop request."""

    STOPPED = "stopped"
    NOT_RUNNING = "not_running"


class ActivityEvent(StrEnum):
    """The life cycle events of a server activity."""

    STARTED = "started"
    UPDATED = "updated"
    ENDED = "ended"


@dataclass(frozen=True, slots=True)
class ServerIdentity:
    """The unauthenticated identity of a server (`GET /identity`)."""

    machine_identifier: str
    version: str
    claimed: bool


@dataclass(frozen=True, slots=True)
class ServerInfo:
    """What the server tells about itself to its owner (`GET /`)."""

    machine_identifier: str
    friendly_name: str
    version: str
    platform: str
    platform_version: str


@dataclass(frozen=True, slots=True)
class ButlerTask:
    """A scheduled maintenance task as the server reports it."""

    name: str
    title: str
    description: str
    interval: int
    schedule_randomized: bool
    enabled: bool


@dataclass(frozen=True, slots=True)
class Activity:
    """Work the server is doing right now."""

    uuid: str
    type: str
    title: str
    subtitle: str
    progress: int
    cancellable: bool


@dataclass(frozen=True, slots=True)
class Setting:
    """A server preference."""

    id: str
    type: str
    value: str
    default: str
    label: str
    summary: str


@dataclass(frozen=True, slots=True)
class ActivityNotification:
    """An activity started, changed its progress, or ended."""

    event: ActivityEvent
    activity: Activity


@dataclass(frozen=True, slots=True)
class PreferenceNotification:
    """A server preference changed."""

    setting_id: str
    value: str


type Notification = ActivityNotification | PreferenceNotification


# --- Which task an activity belongs to -------------------------------------------------------
#
# No public source maps Butler tasks to activity types: this table holds what is known. An
# activity matches a task by its type first, then by the start of its title (lower case).
# Anything whose type starts with "butler" is Butler work even when no task matches.


@dataclass(frozen=True, slots=True)
class ActivityRule:
    """How to recognise the activity of one Butler task."""

    task: str
    types: tuple[str, ...] = ()
    title_prefixes: tuple[str, ...] = ()


ACTIVITY_RULES: Final[tuple[ActivityRule, ...]] = (
    ActivityRule("GenerateMediaIndexFiles", ("media.generate.bif",), ("generating video preview",)),
    ActivityRule(
        "GenerateChapterThumbs", ("media.generate.chapter.thumbs",), ("generating chapter",)
    ),
    ActivityRule(
        "ButlerTaskGenerateIntroMarkers", ("media.generate.intros",), ("detecting intros",)
    ),
    ActivityRule(
        "ButlerTaskGenerateCreditsMarkers", ("media.generate.credits",), ("detecting credits",)
    ),
    ActivityRule(
        "ButlerTaskGenerateVoiceActivity", ("media.generate.voice.activity",), ("detecting voice",)
    ),
    ActivityRule("RefreshEpgGuides", ("provider.epg.load",), ("refreshing guide", "loading guide")),
    ActivityRule("BackupDatabase", (), ("backing up database",)),
    ActivityRule("OptimizeDatabase", (), ("optimizing database",)),
)


def is_butler_activity(activity: Activity) -> bool:
    """Tell whether the server reports the activity as Butler work."""
    return activity.type.lower().startswith("butler")


def task_for_activity(activity: Activity, tasks: Mapping[str, ButlerTask]) -> str | None:
    """Return the name of the reported task an activity belongs to, or None."""
    activity_type = activity.type.lower()
    title = activity.title.lower()
    for rule in ACTIVITY_RULES:
        if rule.task in tasks and activity_type in rule.types:
            return rule.task
    if is_butler_activity(activity):
        # A "butler.<TaskName>" type names its task.
        suffix = activity_type.partition(".")[2]
        for task in tasks.values():
            if suffix and suffix == task.name.lower():
                return task.name
    for task in tasks.values():
        if title and title == task.title.lower():
            return task.name
    for rule in ACTIVITY_RULES:
        if rule.task in tasks and title.startswith(rule.title_prefixes):
            return rule.task
    return None


# --- Parsing ---------------------------------------------------------------------------------


def _as_bool(value: Any) -> bool:
    """Read a boolean in either spelling: JSON true/false, XML "1"/"0"."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value != 0
    if isinstance(value, str) and value.strip().lower() in ("1", "true"):
        return True
    if isinstance(value, str) and value.strip().lower() in ("0", "false", ""):
        return False
    raise PlexButlerResponseError(f"Expected a boolean, got {value!r:.40}")


def _as_int(value: Any) -> int:
    if isinstance(value, bool):
        raise PlexButlerResponseError("Expected a number, got a boolean")
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError) as err:
        raise PlexButlerResponseError(f"Expected a number, got {value!r:.40}") from err


def _as_str(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, (str, int, float)):
        return str(value)
    raise PlexButlerResponseError(f"Expected text, got {type(value).__name__}")


def _xml_to_dict(element: ET.Element) -> dict[str, Any]:
    """Turn XML into the shape of the server's JSON: attributes, and children as lists by tag."""
    result: dict[str, Any] = dict(element.attrib)
    for child in element:
        child_dict = _xml_to_dict(child)
        existing = result.setdefault(child.tag, [])
        if isinstance(existing, list):
            existing.append(child_dict)
    return result


def parse_document(body: bytes) -> dict[str, Any]:
    """Parse a JSON or XML answer into `{root name: content}`."""
    text = body.lstrip()
    try:
        if text.startswith(b"<"):
            # Python's expat expands no external entities and resists entity blow-ups.
            root = ET.fromstring(text)  # noqa: S314
            return {root.tag: _xml_to_dict(root)}
        document = json.loads(text)
    except (ET.ParseError, ValueError, LookupError, RecursionError) as err:
        # LookupError: an XML declaration naming an unknown encoding; RecursionError: nesting
        # deeper than the JSON decoder or _xml_to_dict can follow.
        raise PlexButlerResponseError("The server's answer is neither JSON nor XML") from err
    if not isinstance(document, dict):
        raise PlexButlerResponseError("The server's answer is not an object")
    return document


def _container(document: Mapping[str, Any], root: str) -> Mapping[str, Any]:
    content = document.get(root)
    if not isinstance(content, dict):
        raise PlexButlerResponseError(f"The server's answer has no {root}")
    return content


def _items(container: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    """Children of a container; absent when empty, and a lone object in some JSON answers."""
    items = container.get(key, [])
    if isinstance(items, dict):
        items = [items]
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise PlexButlerResponseError(f"The server's {key} list is malformed")
    return items


def _required(item: Mapping[str, Any], key: str) -> Any:
    if key not in item:
        raise PlexButlerResponseError(f"The server's answer misses {key}")
    return item[key]


def parse_identity(document: Mapping[str, Any]) -> ServerIdentity:
    """Parse `GET /identity`."""
    container = _container(document, "MediaContainer")
    return ServerIdentity(
        machine_identifier=_as_str(_required(container, "machineIdentifier")),
        version=_as_str(container.get("version")),
        claimed=_as_bool(container.get("claimed", False)),
    )


def parse_server_info(document: Mapping[str, Any]) -> ServerInfo:
    """Parse `GET /`."""
    container = _container(document, "MediaContainer")
    machine_identifier = _as_str(_required(container, "machineIdentifier"))
    return ServerInfo(
        machine_identifier=machine_identifier,
        friendly_name=_as_str(container.get("friendlyName")) or machine_identifier,
        version=_as_str(container.get("version")),
        platform=_as_str(container.get("platform")),
        platform_version=_as_str(container.get("platformVersion")),
    )


def parse_butler_tasks(document: Mapping[str, Any]) -> tuple[ButlerTask, ...]:
    """Parse `GET /butler`, whose root is `ButlerTasks`, not `MediaContainer`."""
    container = _container(document, "ButlerTasks")
    tasks = []
    for item in _items(container, "ButlerTask"):
        name = _as_str(_required(item, "name"))
        if not name:
            raise PlexButlerResponseError("The server reported a task without a name")
        tasks.append(
            ButlerTask(
                name=name,
                title=_as_str(item.get("title")) or name,
                description=_as_str(item.get("description")),
                interval=_as_int(item.get("interval", 0)),
                schedule_randomized=_as_bool(item.get("scheduleRandomized", False)),
                enabled=_as_bool(item.get("enabled", True)),
            )
        )
    return tuple(tasks)


def parse_activity(item: Mapping[str, Any]) -> Activity:
    """Parse one activity, from `GET /activities` or a notification."""
    return Activity(
        uuid=_as_str(_required(item, "uuid")),
        type=_as_str(item.get("type")),
        title=_as_str(item.get("title")),
        subtitle=_as_str(item.get("subtitle")),
        progress=_as_int(item.get("progress", -1)),
        cancellable=_as_bool(item.get("cancellable", False)),
    )


def parse_activities(document: Mapping[str, Any]) -> tuple[Activity, ...]:
    """Parse `GET /activities`; an idle server has no `Activity` key at all."""
    container = _container(document, "MediaContainer")
    return tuple(parse_activity(item) for item in _items(container, "Activity"))


def parse_settings(document: Mapping[str, Any]) -> tuple[Setting, ...]:
    """Parse `GET /:/prefs`."""
    container = _container(document, "MediaContainer")
    return tuple(
        Setting(
            id=_as_str(_required(item, "id")),
            type=_as_str(item.get("type")),
            value=_as_str(item.get("value")),
            default=_as_str(item.get("default")),
            label=_as_str(item.get("label")),
            summary=_as_str(item.get("summary")),
        )
        for item in _items(container, "Setting")
    )


def parse_notification(text: str) -> list[Notification]:
    """Parse one websocket frame; types other than activity and preference yield nothing."""
    # "surrogatepass": a lone surrogate becomes bytes that fail to parse, not an encoding crash.
    container = _container(
        parse_document(text.encode("utf-8", "surrogatepass")), "NotificationContainer"
    )
    kind = container.get("type")
    if kind == "activity":
        notifications: list[Notification] = []
        for item in _items(container, "ActivityNotification"):
            try:
                event = ActivityEvent(_as_str(item.get("event")))
            except ValueError as err:
                raise PlexButlerResponseError("Unknown activity event") from err
            activity = item.get("Activity")
            if not isinstance(activity, dict):
                raise PlexButlerResponseError("An activity notification has no Activity")
            notifications.append(ActivityNotification(event, parse_activity(activity)))
        return notifications
    if kind == "preference":
        return [
            PreferenceNotification(_as_str(_required(item, "id")), _as_str(item.get("value")))
            for item in _items(container, "Setting")
        ]
    return []


# --- The client ------------------------------------------------------------------------------


def _task_path(name: str) -> str:
    """Return the path of one task; a name that is not one path segment is no task's.

    Without this check "../butler" would address `/butler` itself (start or stop every task).
    """
    if name in ("", ".", "..") or "/" in name:
        raise PlexButlerUnknownTaskError(f"The server does not know the task {name}")
    return f"/butler/{name}"


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
        self._url = URL(url.rstrip("/"))
        if self._url.scheme not in ("http", "https") or not self._url.host:
            raise ValueError("The server URL must start with http:// or https:// and name a host")
        self._token = token
        self._session = session
        self._ssl = verify_ssl
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._headers = {
            "Accept": "application/json",
            "X-Plex-Token": token,
            "X-Plex-Client-Identifier": client_identifier,
            "X-Plex-Product": PRODUCT,
            "X-Plex-Version": PRODUCT_VERSION,
        }

    @property
    def url(self) -> str:
        """The server's base URL."""
        return str(self._url)

    def _endpoint(self, path: str) -> URL:
        """Build the URL of an API path, below any path of the base URL (a reverse proxy's)."""
        return self._url.with_path(self._url.path.rstrip("/") + path)

    async def _request(
        self, method: str, path: str, *, params: Mapping[str, str] | None = None
    ) -> tuple[int, bytes]:
        """Send a request; return the status and body of any answer that is not an error."""
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
            ) as response:
                if response.status in (401, 403):
                    raise PlexButlerAuthenticationError(
                        f"The server refused the token ({response.status})"
                    )
                body = await self._read_capped(response)
                status = response.status
        except (aiohttp.ClientSSLError, ssl.SSLError) as err:
            raise PlexButlerSSLError(f"TLS handshake with {self._url.host} failed") from err
        except TimeoutError as err:
            raise PlexButlerConnectionError(f"{self._url.host} did not answer in time") from err
        except aiohttp.ClientError as err:
            raise PlexButlerConnectionError(
                f"Cannot talk to {self._url.host}: {type(err).__name__}"
            ) from err
        if status >= 500 or (status >= 300 and status not in (404,)):
            raise PlexButlerResponseError(f"{method} {path} answered {status}")
        return status, body

    @staticmethod
    async def _read_capped(response: aiohttp.ClientResponse) -> bytes:
        """Read a body, refusing one larger than MAX_RESPONSE_BYTES."""
        chunks: list[bytes] = []
        size = response.content_length or 0
        if size <= MAX_RESPONSE_BYTES:
            size = 0
            async for chunk in response.content.iter_chunked(64 * 1024):
                size += len(chunk)
                if size > MAX_RESPONSE_BYTES:
                    break
                chunks.append(chunk)
        if size > MAX_RESPONSE_BYTES:
            raise PlexButlerResponseError("The server's answer is too large")
        return b"".join(chunks)

    async def _get_document(self, path: str) -> dict[str, Any]:
        status, body = await self._request("GET", path)
        if status != 200:
            raise PlexButlerResponseError(f"GET {path} answered {status}")
        return parse_document(body)

    async def identity(self) -> ServerIdentity:
        """Read the server's identity; needs no token, so it proves only that Plex answers."""
        return parse_identity(await self._get_document("/identity"))

    async def server_info(self) -> ServerInfo:
        """Read the server's name and version; proves the token works."""
        return parse_server_info(await self._get_document("/"))

    async def butler_tasks(self) -> tuple[ButlerTask, ...]:
        """Read the Butler's task list."""
        return parse_butler_tasks(await self._get_document("/butler"))

    async def activities(self) -> tuple[Activity, ...]:
        """Read what the server is doing right now."""
        return parse_activities(await self._get_document("/activities"))

    async def preferences(self) -> tuple[Setting, ...]:
        """Read the server's preferences (the Butler's among them)."""
        return parse_settings(await self._get_document("/:/prefs"))

    async def set_preferences(self, values: Mapping[str, str | int | bool]) -> None:
        """Write preferences; booleans go out as 1 and 0."""
        params = {
            name: ("1" if value else "0") if isinstance(value, bool) else str(value)
            for name, value in values.items()
        }
        status, _ = await self._request("PUT", "/:/prefs", params=params)
        if status != 200:
            raise PlexButlerResponseError(f"The server refused the preferences ({status})")

    async def start_task(self, name: str) -> StartResult:
        """Start one task: 200 started it, 202 means it was already running."""
        status, _ = await self._request("POST", _task_path(name))
        if status == 404:
            raise PlexButlerUnknownTaskError(f"The server does not know the task {name}")
        return StartResult.ALREADY_RUNNING if status == 202 else StartResult.STARTED

    async def stop_task(self, name: str) -> StopResult:
        """Stop one task; the server answers 404 for a known task that is not running."""
        status, _ = await self._request("DELETE", _task_path(name))
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
        self, on_connect: Callable[[], None] | None = None
    ) -> AsyncIterator[Notification]:
        """Yield activity and preference notifications until the server closes the websocket.

        `on_connect` is called once the websocket is open, before any notification. Raises
        PlexButlerAuthenticationError when the upgrade is refused with 401 or 403, and
        PlexButlerConnectionError when the connection cannot be made or breaks.
        """
        url = self._endpoint("/:/websockets/notifications").with_scheme(
            "wss" if self._url.scheme == "https" else "ws"
        )
        try:
            # The handshake gets the same time limit as every other request.
            async with asyncio.timeout(self._timeout.total):
                websocket = await self._session.ws_connect(
                    url.with_query(filters=NOTIFICATION_FILTERS),
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
                        for notification in parse_notification(message.data):
                            yield notification
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
            raise PlexButlerSSLError(f"TLS handshake with {self._url.host} failed") from err
        except (aiohttp.ClientError, TimeoutError) as err:
            raise PlexButlerConnectionError(
                f"The notification websocket to {self._url.host} failed"
            ) from err
