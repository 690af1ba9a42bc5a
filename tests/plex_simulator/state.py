"""What a simulated Plex Media Server holds, and the notification websockets that announce it."""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from datetime import date, datetime
from uuid import uuid4

from .backups import newest
from .catalog import BUTLER, DEFAULT_TASKS
from .debug_log import activity_lines, log_frames, request_line
from .faults import Faults
from .frames import WebsocketHub, activity_node
from .models import (
    ActivityKind,
    EvidenceLevel,
    LogFrameShape,
    LogTaskNames,
    RecordedRequest,
    SettingDefinition,
    SimulatedActivity,
    SimulatedTask,
)
from .render import Scalar
from .settings import (
    LOG_DEBUG,
    SETTINGS,
    SETTINGS_BY_ID,
    TASK_SETTING_PREFIX,
    normalize_value,
    typed_value,
)

DEFAULT_MACHINE_IDENTIFIER = "5d9a7c3e1f0b2a4c6e8d0f1a3b5c7e9d2f4a6b8c"


def _local_now() -> datetime:
    return datetime.now().astimezone()


class ServerState:
    """Identity, tasks, preferences, activities and websocket subscribers of one server.

    Its parts (the Butler, the libraries, the traps, the replay) change it only through its
    public verbs: `new_activity`, `show` and `remove_activity`, `log`, `announce`,
    `apply_preference`, and read its time with `now`. Every change of an activity or a
    preference is announced to the notification websockets, as the server's own
    `NotificationContainer` frames, honouring each websocket's `filters`.
    """

    def __init__(
        self,
        *,
        token: str = "demo",  # noqa: S107 - the demo's well-known token
        machine_identifier: str = DEFAULT_MACHINE_IDENTIFIER,
        friendly_name: str = "Plex Simulator",
        version: str = "1.41.3.9314-a0bfb8370",
        platform: str = "Linux",
        platform_version: str = "6.8.0-51-generic",
        tasks: list[SimulatedTask] | None = None,
        run_seconds: float = 2.0,
        progress_interval: float = 0.5,
        clock: Callable[[], datetime] | None = None,
        butler_activity_names_task: bool = False,
        evidence: EvidenceLevel = EvidenceLevel.ACTIVITY,
        backup_dates: Iterable[date] = (),
    ) -> None:
        """Create a stopped server; `clock` gives the server's local time (default: now).

        `run_seconds` and `progress_interval` time the runs that end by themselves. By default
        the Butler's runs show under one activity titled "Butler tasks" (real), type `butler`
        (inference): `butler_activity_title` and `butler_activity_type` set others (the old
        placeholder title is `PLACEHOLDER_BUTLER_TITLE`); `butler_activity_names_task` titles
        it with the task's title instead, one activity per run (no public source shows that).
        `evidence` sets what the server shows (`EvidenceLevel`; `set_evidence` changes it),
        `backup_dates` the backups in the backup folder.
        """
        self.machine_identifier = machine_identifier
        self.friendly_name = friendly_name
        self.version = version
        self.platform = platform
        self.platform_version = platform_version
        self.butler_activity_names_task = butler_activity_names_task
        self.butler_activity_title = BUTLER.title
        self.butler_activity_type = BUTLER.type
        # Log knobs (the real answers are unknown, plex-api.md "Butler evidence"): how a task
        # without a ButlerTask name is named in the log, and the shape of a `log` frame.
        self.log_task_names: LogTaskNames = "bare"
        self.log_frame_shape: LogFrameShape = "line"
        self.backups = newest(backup_dates)
        self.run_seconds = run_seconds
        self.progress_interval = progress_interval
        self.tasks: dict[str, SimulatedTask] = {
            task.name: replace(task) for task in (DEFAULT_TASKS if tasks is None else tasks)
        }
        self.activities: dict[str, SimulatedActivity] = {}
        self.preferences: dict[str, str] = {setting.id: setting.default for setting in SETTINGS}
        for task in self.tasks.values():
            switch = f"{TASK_SETTING_PREFIX}{task.name}"
            if switch in self.preferences:
                self.preferences[switch] = "1" if task.enabled else "0"
        self.requests: list[RecordedRequest] = []
        self.faults = Faults()
        self._token: str | None = token
        self._clock = clock or _local_now
        self.websockets = WebsocketHub()
        self.set_evidence(evidence)

    def set_evidence(self, level: EvidenceLevel) -> None:
        """Show as much as `level` says: the Butler activity, the debug log, the backup folder.

        Below BACKUP_FOLDER the folder answers 404 (`backup_folder_status`: what the server
        answers for it, None when it lists it; 403 for a folder it may not read; both inference).
        """
        levels = list(EvidenceLevel)
        shown = levels.index(level)
        self.show_butler_activity = shown >= levels.index(EvidenceLevel.ACTIVITY)
        self.preferences[LOG_DEBUG] = "1" if shown >= levels.index(EvidenceLevel.DEBUG_LOG) else "0"
        self.backup_folder_status: int | None = (
            None if level is EvidenceLevel.BACKUP_FOLDER else 404
        )

    def now(self) -> datetime:
        """Return the server's local time, from its clock."""
        return self._clock()

    def set_clock(self, clock: Callable[[], datetime]) -> None:
        """Make `clock` give the server's local time from now on."""
        self._clock = clock

    @property
    def log_debug(self) -> bool:
        """Tell whether the server writes DEBUG lines (its `logDebug` setting)."""
        return self.preferences.get(LOG_DEBUG) == "1"

    # Websockets

    async def drop_websockets(self) -> None:
        """Close every notification websocket from the server side."""
        await self.websockets.drop_all()

    @property
    def websocket_count(self) -> int:
        """Return the number of open notification websockets."""
        return self.websockets.count

    def accepts_token(self, *candidates: str | None) -> bool:
        """Tell whether one of the tokens a request carries is the valid one."""
        return self._token is not None and self._token in candidates

    # Activities

    async def add_activity(
        self,
        type: str,  # noqa: A002 - the server's own field name
        title: str,
        progress: int = 0,
        *,
        subtitle: str = "",
        cancellable: bool = False,
        context: dict[str, str] | None = None,
    ) -> SimulatedActivity:
        """Add an activity unrelated to the Butler (e.g. a library scan) and announce it."""
        activity = SimulatedActivity(
            str(uuid4()), type, title, subtitle, progress, cancellable, context or {}
        )
        await self.show(activity)
        return activity

    async def update_activity(
        self, uuid: str, progress: int, *, subtitle: str | None = None
    ) -> None:
        """Set an activity's progress (and subtitle) and announce it; KeyError: no such uuid."""
        activity = self.activities[uuid]
        activity.progress = progress
        if subtitle is not None:
            activity.subtitle = subtitle
        await self.announce("updated", activity)

    async def log(self, *lines: str) -> None:
        """Send DEBUG lines to the websockets that asked for `log`; nothing without `logDebug`."""
        if not lines or not self.log_debug or not self.websockets.wanted("log"):
            return
        for frame in log_frames(lines, self.log_frame_shape, self.now()):
            await self.websockets.broadcast(frame)

    async def log_request(self, method: str, path: str, port: int) -> None:
        """Log a request as a debug log does: lines that are about no activity at all."""
        await self.log(request_line(method, path, port))

    def new_activity(
        self, kind: ActivityKind, *, title: str | None = None, context: dict[str, str] | None = None
    ) -> SimulatedActivity:
        """Return a new activity of `kind` (its title unless `title` is given), not yet shown."""
        return SimulatedActivity(
            str(uuid4()),
            kind.type,
            kind.title if title is None else title,
            progress=kind.progress,
            cancellable=kind.cancellable,
            context=dict(context or {}),
        )

    async def show(self, *activities: SimulatedActivity) -> None:
        """Add the activities not yet in the table, announcing each as started."""
        for activity in activities:
            if activity.uuid not in self.activities:
                self.activities[activity.uuid] = activity
                await self.log(activity_lines(activity.uuid, activity.title))
                await self.announce("started", activity)

    async def remove_activity(self, activity: SimulatedActivity) -> bool:
        """Remove an activity and announce its end; return False if it had already gone."""
        if self.activities.pop(activity.uuid, None) is None:
            return False
        await self.log(activity_lines(activity.uuid, None))
        await self.announce("ended", activity)
        return True

    # Preferences

    async def set_preference(self, setting_id: str, value: str) -> None:
        """Change a setting as Plex Web would; KeyError or ValueError where PUT answers 400."""
        await self.write_preferences({setting_id: value})

    async def write_preferences(self, values: Mapping[str, str]) -> None:
        """Write settings all or nothing, as `PUT /:/prefs` does, and announce each change.

        Raises KeyError for an unknown setting and ValueError for a value it refuses, before
        anything changes.
        """
        normalized = {
            setting_id: normalize_value(self._setting(setting_id), value)
            for setting_id, value in values.items()
        }
        for setting_id, value in normalized.items():
            if self.apply_preference(setting_id, value):
                await self._announce_preference(setting_id)

    def _setting(self, setting_id: str) -> SettingDefinition:
        """Return a setting this server has; KeyError for one it has not (a newer server's)."""
        if setting_id not in self.preferences:
            raise KeyError(setting_id)
        return SETTINGS_BY_ID[setting_id]

    def typed_preference(self, setting_id: str) -> Scalar:
        """Return a setting's value as the server reports it (bool, int or text)."""
        return typed_value(SETTINGS_BY_ID[setting_id], self.preferences[setting_id])

    def apply_preference(self, setting_id: str, value: str) -> bool:
        """Store a normalized value silently (no frame); return whether it changed."""
        if self.preferences.get(setting_id) == value:
            return False
        self.preferences[setting_id] = value
        task = self.tasks.get(setting_id.removeprefix(TASK_SETTING_PREFIX))
        if setting_id.startswith(TASK_SETTING_PREFIX) and task is not None:
            task.enabled = value == "1"
        return True

    # Notifications

    async def announce(self, event: str, activity: SimulatedActivity) -> None:
        """Send an activity's `started`, `updated` or `ended` frame to the websockets."""
        notification = {
            "event": event,
            "uuid": activity.uuid,
            "Activity": activity_node(activity).to_json(),
        }
        await self._notify("activity", {"ActivityNotification": [notification]})

    async def _announce_preference(self, setting_id: str) -> None:
        setting = {"id": setting_id, "value": self.typed_preference(setting_id)}
        await self._notify("preference", {"Setting": [setting]})

    async def _notify(self, kind: str, payload: dict[str, object]) -> None:
        await self.websockets.broadcast(
            {"NotificationContainer": {"type": kind, "size": 1, **payload}}
        )
