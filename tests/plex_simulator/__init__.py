"""A simulated Plex Media Server for the tests and the demo (`python -m tests.plex_simulator`)."""

from .catalog import (
    ACTIVITY_KINDS,
    DEFAULT_TASKS,
    MEDIA_WORK,
    PLACEHOLDER_BUTLER_TITLE,
    TASK_ACTIVITIES,
)
from .models import (
    ActivityKind,
    ButlerRun,
    EvidenceLevel,
    MediaWork,
    RecordedRequest,
    SettingDefinition,
    SimulatedActivity,
    SimulatedSection,
    SimulatedTask,
)
from .replay import load_capture
from .server import PlexSimulator
from .settings import SETTINGS

__all__ = [
    "ACTIVITY_KINDS",
    "DEFAULT_TASKS",
    "MEDIA_WORK",
    "PLACEHOLDER_BUTLER_TITLE",
    "SETTINGS",
    "TASK_ACTIVITIES",
    "ActivityKind",
    "ButlerRun",
    "EvidenceLevel",
    "MediaWork",
    "PlexSimulator",
    "RecordedRequest",
    "SettingDefinition",
    "SimulatedActivity",
    "SimulatedSection",
    "SimulatedTask",
    "load_capture",
]
