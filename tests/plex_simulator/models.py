"""The data a simulated Plex Media Server holds."""

from dataclasses import dataclass, field
from typing import Literal

SettingType = Literal["bool", "int", "text"]


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
    """A server activity, with the fields `GET /activities` reports.

    `task` names the Butler task the activity belongs to (None for anything else, e.g. a library
    scan); the server never reports it.
    """

    uuid: str
    type: str
    title: str
    subtitle: str = ""
    progress: int = 0
    cancellable: bool = False
    context: dict[str, str] = field(default_factory=dict)
    task: str | None = None


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
