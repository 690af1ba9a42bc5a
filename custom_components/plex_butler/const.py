"""Constants of the Plex Butler integration."""

from datetime import timedelta
import logging
from typing import Final

DOMAIN: Final = "plex_butler"
LOGGER = logging.getLogger(__package__)

CONF_CLIENT_IDENTIFIER: Final = "client_identifier"

DEFAULT_SCAN_INTERVAL: Final = timedelta(seconds=30)
MIN_SCAN_INTERVAL_SECONDS: Final = 10
MAX_SCAN_INTERVAL_SECONDS: Final = 3600

ATTR_CONFIG_ENTRY_ID: Final = "config_entry_id"
ATTR_TASK: Final = "task"
ATTR_SERVER: Final = "server"
ATTR_LIBRARY: Final = "library"
ATTR_FORCE: Final = "force"

# What a user asked for is echoed in an answer, but not at any length.
MAX_ECHOED: Final = 60

# Fired on Home Assistant's bus for each task event, for the logbook (logbook.py).
EVENT_TASK: Final = "plex_butler_task_event"
# The key of the binary sensor that tells the Butler works: its own runs are logged on it.
MAINTENANCE_RUNNING: Final = "maintenance_running"

SERVICE_START_TASK: Final = "start_task"
SERVICE_STOP_TASK: Final = "stop_task"
SERVICE_START_ALL_TASKS: Final = "start_all_tasks"
SERVICE_STOP_ALL_TASKS: Final = "stop_all_tasks"
SERVICE_EMPTY_TRASH: Final = "empty_trash"
SERVICE_CLEAN_BUNDLES: Final = "clean_bundles"
SERVICE_OPTIMIZE_DATABASE: Final = "optimize_database"
SERVICE_REFRESH_LIBRARY: Final = "refresh_library"

# While the notification websocket is open, polling is only a safety net: pushes bring the
# activities, and a preference notification or a reconnect reads the task list at once.
PUSH_SAFETY_INTERVAL: Final = timedelta(minutes=30)
# The database backup folder is read at load, after each Butler run and each Backup Database run,
# and this often:
# a Butler run started elsewhere (Plex Web) adds a backup without a run seen here.
BACKUP_FOLDER_INTERVAL: Final = timedelta(hours=6)
RECONNECT_DELAY_MIN: Final = 5.0
RECONNECT_DELAY_MAX: Final = 300.0
# The libraries are read this often, and whenever a library scan starts or ends (a new library is
# scanned at once); an action naming a library the list lacks reads it too.
LIBRARY_INTERVAL: Final = timedelta(hours=6)
# Only a websocket that stayed open this long resets the reconnect delay.
STABLE_CONNECTION: Final = timedelta(seconds=RECONNECT_DELAY_MAX)
