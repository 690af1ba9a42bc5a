"""A simulated Plex Media Server for the tests and the demo (`python -m tests.plex_simulator`)."""

from .catalog import ACTIVITY_KINDS, DEFAULT_TASKS, MEDIA_WORK, TASK_ACTIVITIES
from .models import (
    ActivityKind,
    ButlerRun,
    MediaWork,
    RecordedRequest,
    SettingDefinition,
    SimulatedActivity,
    SimulatedTask,
)
from .replay import load_capture
from .server import PlexSimulator
from .settings import SETTINGS

__all__ = [
    "ACTIVITY_KINDS",
    "DEFAULT_TASKS",
    "MEDIA_WORK",
    "SETTINGS",
    "TASK_ACTIVITIES",
    "ActivityKind",
    "ButlerRun",
    "MediaWork",
    "PlexSimulator",
    "RecordedRequest",
    "SettingDefinition",
    "SimulatedActivity",
    "SimulatedTask",
    "load_capture",
]
