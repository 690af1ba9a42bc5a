"""Keeps one Plex Media Server's Butler fresh: fetches, listens, sends, saves, fans out.

What the answers mean (which task runs, runs and events) is the state machine's (butler/machine.py).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Coroutine, Hashable
import contextlib
from datetime import datetime, timedelta
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_SCAN_INTERVAL
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.helpers.debounce import Debouncer
from homeassistant.helpers.event import async_call_later, async_track_time_interval
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed
from homeassistant.util import dt as dt_util

from .api.client import PlexButlerClient
from .api.exceptions import PlexButlerAuthenticationError, PlexButlerError, PlexButlerFolderError
from .api.models import Notification, PreferenceNotification, ServerInfo, StartResult, StopResult
from .api.transport import ReconnectBackoff, SingleFlight
from .butler.evidence import BACKUP_PATH_SETTING, BACKUP_TASK, START_GRACE, backup_dates
from .butler.machine import ButlerStateMachine
from .butler.run_log import RunLog
from .butler.snapshot import BackupFolder, ButlerSnapshot, TaskEvent, Update, what_changed
from .const import (
    BACKUP_FOLDER_INTERVAL,
    DEFAULT_SCAN_INTERVAL,
    DOMAIN,
    LOGGER,
    PUSH_SAFETY_INTERVAL,
    RECONNECT_DELAY_MAX,
    RECONNECT_DELAY_MIN,
    STABLE_CONNECTION,
)
from .errors import action_errors, setting_errors, update_errors
from .library_coordinator import PlexLibraryCoordinator
from .publish import TaskListeners, async_fire_task_event, async_remove_task_devices
from .store import history_store

type PlexButlerConfigEntry = ConfigEntry[PlexButlerCoordinator]
type TaskEventListener = Callable[[TaskEvent], None]


class PlexButlerCoordinator(DataUpdateCoordinator[ButlerSnapshot]):
    """Polls `/butler` and `/activities`, listens to the notification websocket, sends requests."""

    config_entry: PlexButlerConfigEntry
    server: ServerInfo
    # What the server calls each setting (Plex Web's words), for settings no task has.
    setting_labels: dict[str, str]
    libraries: PlexLibraryCoordinator

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
        self.butler = ButlerStateMachine()
        self._store = history_store(hass, config_entry.entry_id)
        self._task_event_listeners: list[TaskEventListener] = []
        self._task_listeners = TaskListeners()
        self._grace_timer: CALLBACK_TYPE | None = None
        self._backoff = ReconnectBackoff(
            RECONNECT_DELAY_MIN, RECONNECT_DELAY_MAX, STABLE_CONNECTION
        )
        self._single_flight = SingleFlight(
            lambda action, name: config_entry.async_create_task(hass, action, f"{DOMAIN} {name}")
        )
        config_entry.async_on_unload(self._cancel_grace_timer)
        config_entry.async_on_unload(
            async_track_time_interval(
                hass, self._async_read_backups, BACKUP_FOLDER_INTERVAL, cancel_on_shutdown=True
            )
        )

    async def _async_setup(self) -> None:
        """Meet the server, load the remembered runs and the Butler's preferences."""
        with update_errors():
            self.server = await self.client.server_info()
        self.butler = ButlerStateMachine(*await self._store.async_load_runs())
        await self._async_read_preferences()
        await self._async_read_backups()

    async def _async_read_preferences(self) -> None:
        with update_errors():
            settings = await self.client.preferences()
        self.setting_labels = {setting.id: setting.label for setting in settings}
        values = {setting.id: setting.value for setting in settings}
        self._apply(self.butler.preferences(values, self._now()))

    async def _async_read_backups(self, _now: datetime | None = None) -> None:
        """Read the database backup folder; what it cannot tell is kept with its reason."""
        folder = (
            self.butler.snapshot.settings.get(BACKUP_PATH_SETTING) if self.butler.snapshot else None
        )
        if not folder:
            return
        try:
            files = await self.client.browse(folder)
        except PlexButlerFolderError as err:
            found = BackupFolder(error=err.reason)
        except PlexButlerError as err:
            # The server is away or refuses the token: the polls say so; try at the next read.
            LOGGER.debug("Could not read the backup folder: %s", err)
            return
        else:
            found = BackupFolder(backup_dates(files))
        self._apply(self.butler.backups(found, self._now()))

    async def _async_update_data(self) -> ButlerSnapshot:
        # A push heard while the requests are out is newer than their answer.
        sent_at = self.butler.activity_pushes
        try:
            with update_errors():
                tasks, activities = await asyncio.gather(
                    self.client.butler_tasks(), self.client.activities()
                )
        except (UpdateFailed, ConfigEntryAuthFailed):
            # Entities are unavailable now: poll as often as without push until a poll succeeds.
            self.update_interval = self.poll_interval
            self.butler.lost_sight()
            raise
        # While the websocket is open, polling is only a safety net.
        self.update_interval = PUSH_SAFETY_INTERVAL if self.push_connected else self.poll_interval
        return self._apply(self.butler.poll(tasks, activities, self._now(), sent_at), publish=False)

    @staticmethod
    def _now() -> datetime:
        # The maintenance window is in the server's local time: Home Assistant's is the best guess.
        return dt_util.now()

    def _apply(self, update: Update, *, publish: bool = True) -> ButlerSnapshot:
        """Save what changed, tell the task events, remove dropped tasks, publish the snapshot."""
        if update.history_changed:
            self.config_entry.async_create_task(
                self.hass,
                self._store.async_save_runs(dict(self.butler.history), self.butler.maintenance),
                "plex_butler save history",
            )
        for event in update.events:
            async_fire_task_event(self.hass, self.server, event)
            for listener in self._task_event_listeners:
                listener(event)
        if any(
            event.type == "maintenance_finished"
            or (event.task == BACKUP_TASK and event.type != "task_started")
            for event in update.events
        ):
            # A new backup is in the folder once the run is over: Backup Database's, or the
            # Butler's, which may have backed up without the debug log saying so.
            self.config_entry.async_create_background_task(
                self.hass, self._async_read_backups(), "plex_butler read backups"
            )
        if self.data is not None:
            # Only a read of the task list drops tasks: their devices go, entities and all.
            dropped = self.data.tasks.keys() - update.snapshot.tasks.keys()
            async_remove_task_devices(self.hass, self.config_entry.entry_id, self.server, dropped)
            if publish:
                self._publish(update.snapshot)
        return update.snapshot

    @callback
    def _publish(self, snapshot: ButlerSnapshot) -> None:
        """Show a new snapshot to the listeners it concerns, without a refresh.

        Not async_set_updated_data: that would push the safety-net poll back at every event.
        """
        tasks, server = what_changed(self.data, snapshot)
        self.data = snapshot
        if server:
            super().async_update_listeners()
        self._task_listeners.call(name for name in tasks if name in snapshot.tasks)

    @callback
    def async_add_listener(
        self, update_callback: CALLBACK_TYPE, context: Any = None
    ) -> Callable[[], None]:
        """Listen to updates; with a task's name as `context`, to those of that task alone.

        Every listener hears of each refresh and each change of the connection. Of a push, an
        action or a setting, a listener of a task hears when that task changed; the others when
        what the whole server shows changed (see `what_changed`).
        """
        if context is None:
            return super().async_add_listener(update_callback)
        return self._task_listeners.add(context, update_callback)

    @callback
    def async_update_listeners(self) -> None:
        """Tell every listener, each task's too (those of a task the server dropped are not)."""
        super().async_update_listeners()
        # No data yet when the first refresh fails: no task has entities then.
        self._task_listeners.call(self.data.tasks if self.data is not None else ())

    @property
    def run_log(self) -> RunLog:
        """The past runs of the server's tasks and of its Butler (the calendar's)."""
        return self._store.run_log

    @callback
    def async_add_task_event_listener(self, listener: TaskEventListener) -> CALLBACK_TYPE:
        """Call `listener` with each task event (started, finished, stopped); return the remover."""
        self._task_event_listeners.append(listener)
        return lambda: self._task_event_listeners.remove(listener)

    # --- Push ----------------------------------------------------------------------------------

    async def async_listen_for_notifications(self) -> None:
        """Keep the notification websocket open for as long as the entry is loaded.

        While it is open, polling slows to a safety net; while it is not, normal polling covers
        the gap. Reconnects with exponential backoff and jitter; a refused token starts reauth.
        """
        while True:
            try:
                async for notification in self.client.notifications(self._push_connected):
                    try:
                        self._handle_notification(notification)
                    except Exception:  # noqa: BLE001 - logged with its traceback
                        # A bug must not end live updates while "Live updates" still reads on.
                        LOGGER.exception("Unexpected error handling a notification")
            except PlexButlerAuthenticationError:
                LOGGER.debug("The server refused the token on the notification websocket")
                self._push_disconnected()
                self.config_entry.async_start_reauth(self.hass)
                return
            except PlexButlerError as err:
                LOGGER.debug("Notification websocket: %s", err)
            self._push_disconnected()
            await asyncio.sleep(self._backoff.next_delay(dt_util.utcnow()))

    @callback
    def _push_connected(self) -> None:
        LOGGER.debug("Listening to %s for live updates", self.server.friendly_name)
        self.push_connected = True
        self._backoff.connected(dt_util.utcnow())
        self.async_update_listeners()
        # Catch up with what happened while disconnected; the window may have changed too. The
        # poll then slows to the safety net.
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
        self.butler.lost_sight()
        self.async_update_listeners()
        self.config_entry.async_create_background_task(
            self.hass, self.async_refresh(), "plex_butler refresh after disconnect"
        )

    @callback
    def _handle_notification(self, notification: Notification) -> None:
        update = self.butler.notification(notification, self._now())
        if update.task_list_stale or not self.last_update_success:
            # The server talks again after a failed poll: no need to wait for the next one.
            # A task was switched on or off: the task list says which, so read it now.
            self.config_entry.async_create_background_task(
                self.hass, self.async_request_refresh(), "plex_butler task setting changed"
            )
        self._apply(update)

    # --- Requests --------------------------------------------------------------------------------

    async def _send[ResultT](
        self, key: Hashable, action: Callable[[], Coroutine[Any, Any, ResultT]]
    ) -> ResultT:
        """Carry out a start or stop once for a burst of it; its errors become translated ones."""
        with action_errors(self.server.friendly_name, self._start_reauth):
            return await self._single_flight.run(key, action)

    @callback
    def _start_reauth(self) -> None:
        self.config_entry.async_start_reauth(self.hass)

    async def async_start_task(self, name: str) -> StartResult:
        """Start one task; it shows as running at once."""
        return await self._send(("start", name), lambda: self._async_start(name))

    async def _async_start(self, name: str) -> StartResult:
        # The run starts when the request leaves: the server may show its work before it answers.
        sent = self._now()
        result = await self.client.start_task(name)
        already_running = result is StartResult.ALREADY_RUNNING
        self._apply(self.butler.start_requested(name, sent, already_running=already_running))
        # Should the server show nothing of the run, it stops counting as running after a while.
        self._cancel_grace_timer()
        self._grace_timer = async_call_later(self.hass, START_GRACE, self._async_grace_over)
        await self.async_refresh()
        return result

    @callback
    def _async_grace_over(self, _now: datetime) -> None:
        self._grace_timer = None
        self._apply(self.butler.tick(self._now()))

    @callback
    def _cancel_grace_timer(self) -> None:
        if self._grace_timer is not None:
            self._grace_timer()
            self._grace_timer = None

    async def _async_stop[ResultT](self, names: set[str], request: Awaitable[ResultT]) -> ResultT:
        """Send a stop, the tasks marked as stopped from here while it is on its way."""
        self.butler.stop_requested(names)
        try:
            result = await request
        except PlexButlerError:
            self.butler.stop_failed(names)
            raise
        self._apply(self.butler.stop_confirmed(names, self._now()))
        await self.async_refresh()
        return result

    async def async_stop_task(self, name: str) -> StopResult:
        """Stop one task."""
        return await self._send(
            ("stop", name), lambda: self._async_stop({name}, self.client.stop_task(name))
        )

    async def async_start_all_tasks(self) -> None:
        """Ask the server to start every task that is due (maintenance-window rules apply)."""

        async def start_all() -> None:
            sent = self._now()
            await self.client.start_all_tasks()
            self._apply(self.butler.start_all_requested(sent))
            await self.async_refresh()

        await self._send("start all", start_all)

    async def async_stop_all_tasks(self) -> None:
        """Stop every running task."""
        await self._send(
            "stop all",
            lambda: self._async_stop(set(self.data.running_tasks), self.client.stop_all_tasks()),
        )

    async def async_write_setting(self, setting: str, value: str, name: str) -> None:
        """Write one Butler setting (`name` is what users call it); show it as a push would."""
        with setting_errors(self.server.friendly_name, name, self._start_reauth):
            await self.client.set_preferences({setting: value})
        self._handle_notification(PreferenceNotification(setting, value))
