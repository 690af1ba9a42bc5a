"""The data a simulated Plex Media Server holds."""

import asyncio
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal
from uuid import uuid4

SettingType = Literal["bool", "int", "text"]
Evidence = Literal["public", "placeholder"]
LogTaskNames = Literal["bare", "prefixed"]
LogFrameShape = Literal["line", "batch", "text"]


class EvidenceLevel(StrEnum):
    """How much of the Butler's work a server shows (issue 18's levels).

    NONE: no Butler activity, no debug log, no listable backup folder (runs show only their
    media work); ACTIVITY: the "Butler tasks" activity; DEBUG_LOG: that and the debug log
    (`logDebug` on); BACKUP_FOLDER: those and a listable `ButlerDatabaseBackupPath`.
    """

    NONE = "none"
    ACTIVITY = "activity"
    DEBUG_LOG = "debug_log"
    BACKUP_FOLDER = "backup_folder"


@dataclass
class SimulatedTask:
    """A Butler task, with the fields `GET /butler` reports."""

    name: str
    title: str
    description: str
    interval: int
    schedule_randomized: bool
    enabled: bool


@dataclass
class SimulatedActivity:
    """A server activity, with the fields `GET /activities` reports."""

    uuid: str
    type: str
    title: str
    subtitle: str = ""
    progress: int = 0
    cancellable: bool = False
    context: dict[str, str] = field(default_factory=dict)


@dataclass
class SimulatedSection:
    """A library (section), with the fields `GET /library/sections` reports of it."""

    key: str
    title: str
    type: str


@dataclass(frozen=True)
class ActivityKind:
    """How one kind of activity looks when it starts.

    `evidence` says where the title comes from: "public" when a real server was seen using it,
    "placeholder" when it is the simulator's own wording.
    """

    type: str
    title: str
    evidence: Evidence
    progress: int = 0
    cancellable: bool = False


@dataclass(frozen=True)
class MediaWork:
    """Media work a `*Behavior` setting controls: when media is added, by a Butler task, or never.

    `task` is the Butler task that does it on schedule.
    """

    behavior: str
    task: str
    activity: ActivityKind


@dataclass(eq=False)
class ButlerRun:
    """One task the Butler is running: the `butler` activity it shows under, and its media work.

    `butler` is None on a server that shows no Butler activity. `sub_activity` is the uuid of
    the run's sub-activity in the debug log. `timer` drives a run that ends by itself (None: a
    step-wise run that a test ends).
    """

    task: str
    butler: SimulatedActivity | None
    media: SimulatedActivity | None = None
    timer: asyncio.Task[None] | None = None
    sub_activity: str = field(default_factory=lambda: str(uuid4()))

    @property
    def activity(self) -> SimulatedActivity | None:
        """The activity whose end ends the run: its media work if any, else its butler activity."""
        return self.media or self.butler


@dataclass(frozen=True)
class RecordedRequest:
    """One HTTP request the simulator received, headers as the client sent them."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]


@dataclass(frozen=True)
class SettingDefinition:
    """A server preference (`GET /:/prefs`); `enum_values` is Plex's "value:label|..." list."""

    id: str
    label: str
    summary: str
    type: SettingType
    default: str
    group: str = "butler"
    hidden: bool = False
    advanced: bool = False
    enum_values: str = ""

    def allowed_values(self) -> set[str]:
        """Return the values `enum_values` allows, or an empty set when any value is allowed."""
        return {item.split(":", 1)[0] for item in self.enum_values.split("|") if item}
