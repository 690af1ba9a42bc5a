"""What a Plex Media Server reports about its Butler.

Like the client, these never import Home Assistant; its errors are in `exceptions.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


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


@dataclass(frozen=True, slots=True)
class SubActivityNotification:
    """A line of the server's debug log: a sub-activity of an activity began or ended.

    The Butler's run is one activity ("Butler tasks"); each task it runs is a sub-activity named
    by the task (a real server's log, Plex Media Server 1.41.5). `name` is only in the line that
    registers it; `completed` and `total` are the `(k/n)` the line ends with, when it has them.
    """

    event: ActivityEvent
    uuid: str
    parent: str
    name: str | None = None
    completed: int | None = None
    total: int | None = None


@dataclass(frozen=True, slots=True)
class Library:
    """A library (section) of the server: `key` addresses it, `type` is movie, show, artist..."""

    key: str
    title: str
    type: str


@dataclass(frozen=True, slots=True)
class BrowsedFile:
    """A file in a folder the server lists (`/services/browse`): no size, no timestamp."""

    path: str
    title: str


type Notification = ActivityNotification | PreferenceNotification | SubActivityNotification
