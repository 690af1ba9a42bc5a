"""A simulated Plex Media Server for the tests and the demo (`python -m tests.plex_simulator`)."""

from .catalog import DEFAULT_TASKS, SETTINGS, TASK_ACTIVITIES
from .models import RecordedRequest, SettingDefinition, SimulatedActivity, SimulatedTask
from .server import PlexSimulator

__all__ = [
    "DEFAULT_TASKS",
    "SETTINGS",
    "TASK_ACTIVITIES",
    "PlexSimulator",
    "RecordedRequest",
    "SettingDefinition",
    "SimulatedActivity",
    "SimulatedTask",
]
