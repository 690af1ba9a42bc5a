"""Keeps the tasks of one Plex Media Server fresh: polls, listens for push, remembers runs."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator, Mapping
import contextlib
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
import random
from typing import Any, Literal

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_SCAN_INTERVAL
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.exceptions import (
    ConfigEntryAuthFailed,
    HomeAssistantError,
    ServiceValidationError,
)
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.debounce import Debouncer
from homeassistant.helpers.storage import Store
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed
from homeassistant.util import dt as dt_util

from .client import (
    Activity,
    ActivityEvent,
    ActivityNotification,
    ButlerTask,
    Notification,
    PlexButlerAuthenticationError,
    PlexButlerClient,
    PlexButlerError,
    PlexButlerUnknownTaskError,
    ServerInfo,
    StartResult,
    StopResult,
    is_butler_activity,
    task_for_activity,
)
from .const import (
    DEFAULT_SCAN_INTERVAL,
    DOMAIN,
    LOGGER,
    PUSH_SAFETY_INTERVAL,
    RECONNECT_DELAY_MAX,
    RECONNECT_DELAY_MIN,
    START_GRACE,
    STORAGE_VERSION,
    TASK_ENTITY_KEYS,
)
from .schedule import (
    TASK_SETTING_PREFIX,
    WINDOW_END_SETTING,
    WINDOW_START_SETTING,
    MaintenanceWindow,
    TaskHistory,
    estimate_next_run,
)

type PlexButlerConfigEntry = ConfigEntry[PlexButlerCoordinator]
type TaskStatus = Literal["idle", "running", "disabled"]
type TaskEventType = Literal["task_started", "task_finished", "task_stopped"]
type TaskEventListener = Callable[[TaskEventType, dict[str, Any]], None]


@dataclass(frozen=True, slots=True)
class TaskState:
    """A Butler task with what the integration derived and remembers of it."""

    task: ButlerTask
    running: bool
    progress: int | None
    history: TaskHistory
    next_run: datetime | None

    @property
    def status(self) -> TaskStatus:
        """Running wins over disabled: a disabled task can still be started by hand."""
        if self.running:
            return "running"
        return "idle" if self.task.enabled else "disabled"


@dataclass(frozen=True, slots=True)
class ButlerData:
    """One snapshot of a server's Butler."""

    tasks: Mapping[str, TaskState]
    activities: tuple[Activity, ...]
    unmatched_activities: tuple[Activity, ...]
    window: MaintenanceWindow

    @property
    def running_tasks(self) -> list[str]:
        """The names of the running tasks, in the server's order."""
        return [name for name, state in self.tasks.items() if state.running]

    @property
    def maintenance_running(self) -> bool:
        """Whether any task runs, or any Butler work we could not tie to a task."""
        return bool(self.running_tasks) or any(
            is_butler_activity(activity) for activity in self.unmatched_activities
        )


@contextlib.contextmanager
def _update_errors() -> Iterator[None]:
    """Report the client's errors as Home Assistant expects from a coordinator."""
    try:
        yield
    except PlexButlerAuthenticationError as err:
        raise ConfigEntryAuthFailed(
            translation_domain=DOMAIN, translation_key="invalid_auth"
        ) from err
    except PlexButlerError as err:
        raise UpdateFailed(
            translation_domain=DOMAIN,
            translation_key="update_failed",
            translation_placeholders={"error": str(err)},
        ) from err


def history_store(hass: HomeAssistant, entry_id: str) -> Store[dict[str, dict[str, str | None]]]:
    """Open the storage of an entry's remembered runs, which survive restarts."""
    return Store(hass, STORAGE_VERSION, f"{DOMAIN}.{entry_id}")


class PlexButlerCoordinator(DataUpdateCoordinator[ButlerData]):
    """Polls `/butler` and `/activities`, listens to the notification websocket, sends requests."""

    config_entry: PlexButlerConfigEntry
    server: ServerInfo

    def __init__(
        self,
        hass: HomeAssistant,
        config_entry: PlexButlerConfigEntry,
        client: PlexButlerClient,
    ) -> None:
        """Set up polling at the interval the user chose."""
        interval = config_entry.options.get(CONF_SCAN_INTERVAL)
        self.poll_interval = timedelta(seconds=interval) if interval else DEFAULT_SCAN_INTERVAL
        super().__init__(
            hass,
            LOGGER,
            config_entry=config_entry,
            name=f"{DOMAIN} {config_entry.title}",
            update_interval=self.poll_interval,
            always_update=False,
            # Plex Web saves settings in bursts: one refresh a second after the last change.
            request_refresh_debouncer=Debouncer(hass, LOGGER, cooldown=1.0, immediate=False),
        )
        self.client = client
        self.push_connected = False
        self.push_disconnects = 0
        self._tasks: tuple[ButlerTask, ...] = ()
        self._activities: dict[str, Activity] = {}
        self._preferences: dict[str, str] = {}
        self._history: dict[str, TaskHistory] = {}
        self._store = history_store(hass, config_entry.entry_id)
        # Tasks started from Home Assistant, and when: they show as running at once.
        self._started_here: dict[str, datetime] = {}
        # Tasks Home Assistant asked to stop: their end is "stopped", not "finished".
        self._stop_requested: set[str] = set()
        self._task_event_listeners: list[TaskEventListener] = []

    async def _async_setup(self) -> None:
        """Meet the server, load the remembered runs and the maintenance window."""
        with _update_errors():
            self.server = await self.client.server_info()
        stored = await self._store.async_load() or {}
        self._history = {name: TaskHistory.from_dict(runs) for name, runs in stored.items()}
        await self._async_read_preferences()

    async def _async_read_preferences(self) -> None:
        with _update_errors():
            settings = await self.client.preferences()
        self._preferences = {setting.id: setting.value for setting in settings}

    async def _async_update_data(self) -> ButlerData:
        with _update_errors():
            tasks, activities = await asyncio.gather(
                self.client.butler_tasks(), self.client.activities()
            )
        gone = {task.name for task in self._tasks} - {task.name for task in tasks}
        self._tasks = tasks
        self._activities = {activity.uuid: activity for activity in activities}
        data = self._build()
        self._remove_entities_of_gone_tasks(gone)
        return data

    def _build(self) -> ButlerData:
        """Derive the task states, and record the runs that started or ended since last time."""
        tasks_by_name = {task.name: task for task in self._tasks}
        progress_by_task: dict[str, int | None] = {}
        unmatched = []
        for activity in self._activities.values():
            name = task_for_activity(activity, tasks_by_name)
            if name is None:
                unmatched.append(activity)
            else:
                progress_by_task[name] = activity.progress if activity.progress >= 0 else None
                # The server shows the task now: its own activity tells when it ends.
                self._started_here.pop(name, None)
        now = dt_util.utcnow()
        self._started_here = {
            name: started
            for name, started in self._started_here.items()
            if name in tasks_by_name and now - started < START_GRACE
        }
        running = set(progress_by_task) | set(self._started_here)
        self._record_runs(running, now, tasks_by_name)

        window = MaintenanceWindow.from_preferences(self._preferences)
        local_now = dt_util.as_local(now)
        states = {}
        for name, task in tasks_by_name.items():
            history = self._history.get(name, TaskHistory())
            states[name] = TaskState(
                task=task,
                running=name in running,
                progress=progress_by_task.get(name),
                history=history,
                next_run=estimate_next_run(task, history.last_started, window, local_now),
            )
        return ButlerData(
            tasks=states,
            activities=tuple(self._activities.values()),
            unmatched_activities=tuple(unmatched),
            window=window,
        )

    def _record_runs(
        self, running: set[str], now: datetime, tasks_by_name: dict[str, ButlerTask]
    ) -> None:
        """Remember starts and ends, and tell the event listeners about them."""
        changed = False
        for name, task in tasks_by_name.items():
            history = self._history.get(name, TaskHistory())
            was_running = history.running_since is not None
            if name in running and not was_running:
                self._history[name] = replace(history, last_started=now)
                changed = True
                # A task found running at start-up started earlier: no event for it.
                if self.data is not None:
                    self._fire("task_started", task)
            elif name not in running and was_running:
                self._history[name] = finished = replace(history, last_finished=now)
                changed = True
                duration = finished.last_duration
                self._fire(
                    "task_stopped" if name in self._stop_requested else "task_finished",
                    task,
                    duration=duration.total_seconds() if duration else None,
                )
        self._stop_requested &= running
        if changed:
            self.config_entry.async_create_task(
                self.hass,
                self._store.async_save({name: h.as_dict() for name, h in self._history.items()}),
                "plex_butler save history",
            )

    def _fire(self, event_type: TaskEventType, task: ButlerTask, **extra: Any) -> None:
        attributes = {"task": task.name, "title": task.title, **extra}
        for listener in self._task_event_listeners:
            listener(event_type, attributes)

    @callback
    def async_add_task_event_listener(self, listener: TaskEventListener) -> CALLBACK_TYPE:
        """Call `listener` when a task starts, finishes or is stopped; returns the remover."""
        self._task_event_listeners.append(listener)
        return lambda: self._task_event_listeners.remove(listener)

    def _remove_entities_of_gone_tasks(self, gone: set[str]) -> None:
        if not gone:
            return
        machine_id = self.server.machine_identifier
        stale = {f"{machine_id}_{name}_{key}" for name in gone for key in TASK_ENTITY_KEYS}
        registry = er.async_get(self.hass)
        for entry in er.async_entries_for_config_entry(registry, self.config_entry.entry_id):
            if entry.unique_id in stale:
                LOGGER.debug("Removing %s: the server no longer reports its task", entry.entity_id)
                registry.async_remove(entry.entity_id)

    # --- Push ----------------------------------------------------------------------------------

    async def async_listen_for_notifications(self) -> None:
        """Keep the notification websocket open for as long as the entry is loaded.

        While it is open, polling slows to a safety net; while it is not, normal polling covers
        the gap. Reconnects with exponential backoff and jitter; a refused token starts reauth.
        """
        delay = RECONNECT_DELAY_MIN
        while True:
            try:
                async for notification in self.client.notifications(self._push_connected):
                    self._handle_notification(notification)
            except PlexButlerAuthenticationError:
                LOGGER.debug("The server refused the token on the notification websocket")
                self._push_disconnected()
                self.config_entry.async_start_reauth(self.hass)
                return
            except PlexButlerError as err:
                LOGGER.debug("Notification websocket: %s", err)
            if self.push_connected:
                delay = RECONNECT_DELAY_MIN
            self._push_disconnected()
            await asyncio.sleep(delay * random.uniform(0.8, 1.2))  # noqa: S311 - jitter, not crypto
            delay = min(delay * 2, RECONNECT_DELAY_MAX)

    @callback
    def _push_connected(self) -> None:
        LOGGER.debug("Listening to %s for live updates", self.server.friendly_name)
        self.push_connected = True
        self.update_interval = PUSH_SAFETY_INTERVAL
        self.async_update_listeners()
        # Catch up with what happened while disconnected; the window may have changed too.
        self.config_entry.async_create_background_task(
            self.hass, self._async_resync(), "plex_butler resync"
        )

    async def _async_resync(self) -> None:
        # A failure here shows in the refresh below.
        with contextlib.suppress(UpdateFailed, ConfigEntryAuthFailed):
            await self._async_read_preferences()
        await self.async_refresh()

    @callback
    def _push_disconnected(self) -> None:
        if not self.push_connected:
            return
        LOGGER.debug("Live updates from %s stopped; polling instead", self.server.friendly_name)
        self.push_connected = False
        self.push_disconnects += 1
        self.update_interval = self.poll_interval
        self.async_update_listeners()
        self.config_entry.async_create_background_task(
            self.hass, self.async_refresh(), "plex_butler refresh after disconnect"
        )

    @callback
    def _handle_notification(self, notification: Notification) -> None:
        if isinstance(notification, ActivityNotification):
            activity = notification.activity
            if notification.event is ActivityEvent.ENDED:
                self._activities.pop(activity.uuid, None)
            else:
                self._activities[activity.uuid] = activity
        elif notification.setting_id in (WINDOW_START_SETTING, WINDOW_END_SETTING):
            self._preferences[notification.setting_id] = notification.value
        else:
            if notification.setting_id.startswith(TASK_SETTING_PREFIX):
                # A task was switched on or off: the task list says which, so read it now.
                self.config_entry.async_create_background_task(
                    self.hass, self.async_request_refresh(), "plex_butler task setting changed"
                )
            return
        data = self._build()
        # Not async_set_updated_data: that would push the safety-net poll back at every event.
        if data != self.data:
            self.data = data
            self.async_update_listeners()

    # --- Requests --------------------------------------------------------------------------------

    async def _send[ResultT](self, request: Awaitable[ResultT]) -> ResultT:
        """Send a start or stop request, turning the client's errors into translated ones."""
        try:
            return await request
        except PlexButlerUnknownTaskError as err:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="unknown_task_on_server",
                translation_placeholders={"server": self.server.friendly_name},
            ) from err
        except PlexButlerAuthenticationError as err:
            self.config_entry.async_start_reauth(self.hass)
            raise HomeAssistantError(
                translation_domain=DOMAIN, translation_key="invalid_auth"
            ) from err
        except PlexButlerError as err:
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="action_failed",
                translation_placeholders={
                    "server": self.server.friendly_name,
                    "error": str(err),
                },
            ) from err

    async def async_start_task(self, name: str) -> StartResult:
        """Start one task; it shows as running at once."""
        result = await self._send(self.client.start_task(name))
        self._started_here[name] = dt_util.utcnow()
        await self.async_refresh()
        return result

    @contextlib.contextmanager
    def _stopping(self, names: set[str]) -> Iterator[None]:
        """Mark tasks as stopped from here while the stop request is sent.

        Marked before sending, because the server's "ended" push can arrive before its answer;
        unmarked when the request fails, so that their real end counts as finished.
        """
        self._stop_requested |= names
        try:
            yield
        except HomeAssistantError:
            self._stop_requested -= names
            raise

    async def async_stop_task(self, name: str) -> StopResult:
        """Stop one task."""
        with self._stopping({name}):
            result = await self._send(self.client.stop_task(name))
        self._started_here.pop(name, None)
        await self.async_refresh()
        return result

    async def async_start_all_tasks(self) -> None:
        """Ask the server to start every task that is due (maintenance-window rules apply)."""
        await self._send(self.client.start_all_tasks())
        await self.async_refresh()

    async def async_stop_all_tasks(self) -> None:
        """Stop every running task."""
        with self._stopping(set(self.data.running_tasks)):
            await self._send(self.client.stop_all_tasks())
        self._started_here.clear()
        await self.async_refresh()
