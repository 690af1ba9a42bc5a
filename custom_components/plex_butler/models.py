"""What a Plex Media Server reports about its Butler, and the client's errors.

Like the client, these never import Home Assistant.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class PlexButlerError(Exception):
    """Base error of the client; its messages never contain the token."""


class PlexButlerConnectionError(PlexButlerError):
    """The server could not be reached, or did not answer in time."""


class PlexButlerTimeoutError(PlexButlerConnectionError):
    """The server did not answer in time; it may still have carried out the request."""


class PlexButlerSSLError(PlexButlerConnectionError):
    """The TLS handshake failed (for example a certificate for another host name)."""


class PlexButlerPlainHttpError(PlexButlerSSLError):
    """An https:// URL leads to a port that answers plain HTTP."""


class PlexButlerAuthenticationError(PlexButlerError):
    """The token was refused (401 or 403): the server owner's token is needed."""


class PlexButlerResponseError(PlexButlerError):
    """The server answered something that is not a valid Plex answer."""


class PlexButlerUnknownTaskError(PlexButlerError):
    """The server does not know the task name."""


class PlexButlerUnknownLibraryError(PlexButlerError):
    """The server has no library (section) of that key: it answered 404."""


class PlexButlerSettingRefusedError(PlexButlerResponseError):
    """The server refused a preference (400 or 403): a name or a value it does not take."""


class PlexButlerFolderError(PlexButlerResponseError):
    """The server cannot list a folder (`/services/browse`); `reason` says why, in one word.

    Reasons: "missing" (404), "refused" (403: the owner's token is fine, the folder is not
    readable), "failed" (another status, such as 500), "unreadable" (an answer that is no listing).
    """

    def __init__(self, reason: str, detail: str) -> None:
        """Keep the reason apart from the message, for diagnostics to show."""
        super().__init__(f"The server cannot list the folder: {detail}")
        self.reason = reason


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
