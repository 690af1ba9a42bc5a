"""Reading the server's answers: JSON or XML, in either spelling of its values."""

from __future__ import annotations

from collections.abc import Mapping
import json
from typing import Any
from xml.etree import ElementTree as ET

from .exceptions import PlexButlerResponseError
from .log_lines import LogReader
from .models import (
    Activity,
    ActivityEvent,
    ActivityNotification,
    ButlerTask,
    Library,
    Notification,
    PreferenceNotification,
    ServerIdentity,
    ServerInfo,
    Setting,
)


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


def parse_libraries(document: Mapping[str, Any]) -> tuple[Library, ...]:
    """Parse `GET /library/sections`: a `Directory` per library (its key a number in XML)."""
    libraries = []
    for item in _items(_container(document, "MediaContainer"), "Directory"):
        key = _as_str(_required(item, "key"))
        if not key:
            raise PlexButlerResponseError("The server reported a library without a key")
        title = _as_str(item.get("title")) or key
        libraries.append(Library(key=key, title=title, type=_as_str(item.get("type"))))
    return tuple(libraries)


def parse_frame(text: str) -> dict[str, Any]:
    """Parse one websocket text frame into its JSON object."""
    # "surrogatepass": a lone surrogate becomes bytes that fail to parse, not an encoding crash.
    return parse_document(text.encode("utf-8", "surrogatepass"))


def parse_notification(text: str) -> list[Notification]:
    """Parse one websocket frame; types other than activity, preference and log yield nothing."""
    return notifications_in(parse_frame(text))


def notifications_in(frame: Mapping[str, Any], log: LogReader | None = None) -> list[Notification]:
    """Read the notifications of a parsed frame; types other than activity, preference, log: none.

    A `log` frame yields its sub-activity lines and never raises; `log` counts what it read (a
    new reader by default, whose counts are lost).
    """
    container = _container(frame, "NotificationContainer")
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
    if kind == "log":
        return list((log or LogReader()).read(container))
    return []
