"""What the intents say: they act or look, and answer in one short sentence.

Times are relative ("3 hours ago"), and what the integration does not know is said to be unknown,
never made up. Every answer comes from the language's file (`sentences/<language>.yaml`).
"""

from __future__ import annotations

from datetime import date, timedelta

from homeassistant.util import dt as dt_util

from ..api.models import StartResult, StopResult
from ..butler.evidence import BACKUP_TASK
from ..butler.schedule import LastRunSource
from ..butler.snapshot import TaskState
from ..coordinator import PlexButlerCoordinator
from .phrases import Language


async def start_task(language: Language, coordinator: PlexButlerCoordinator, name: str) -> str:
    """Start a task; say so, or that it runs already."""
    title = language.task(coordinator.data.tasks[name].task.title)
    if await coordinator.async_start_task(name) is StartResult.ALREADY_RUNNING:
        return language.answer("already_running", task=title)
    return language.answer("started", task=title, server=coordinator.server.friendly_name)


async def stop_task(language: Language, coordinator: PlexButlerCoordinator, name: str) -> str:
    """Stop a task; say so, or that it was not running."""
    title = language.task(coordinator.data.tasks[name].task.title)
    if await coordinator.async_stop_task(name) is StopResult.NOT_RUNNING:
        return language.answer("not_running", task=title)
    return language.answer("stopped", task=title, server=coordinator.server.friendly_name)


async def start_all(language: Language, coordinator: PlexButlerCoordinator) -> str:
    """Ask the server to start the tasks that are due."""
    await coordinator.async_start_all_tasks()
    # The server starts only the tasks that are due, as Plex Web's "start all" does.
    return language.answer("started_all", server=coordinator.server.friendly_name)


async def stop_all(language: Language, coordinator: PlexButlerCoordinator) -> str:
    """Stop every running task."""
    await coordinator.async_stop_all_tasks()
    return language.answer("stopped_all", server=coordinator.server.friendly_name)


def _titled(language: Language, state: TaskState) -> str:
    title = language.task(state.task.title)
    if state.progress is None:
        return title
    return language.answer("with_progress", task=title, progress=state.progress)


async def server_status(language: Language, coordinator: PlexButlerCoordinator) -> str:
    """Say which tasks run (with their progress), or that nothing does."""
    server = coordinator.server.friendly_name
    if not coordinator.last_update_success:
        return language.answer("unavailable", server=server)
    data = coordinator.data
    if running := [_titled(language, data.tasks[name]) for name in data.running_tasks]:
        return language.answer("running", server=server, tasks=language.join(running))
    if data.butler_activities:
        return language.answer("running_unnamed", server=server)
    return language.answer("idle", server=server)


async def task_status(language: Language, coordinator: PlexButlerCoordinator, name: str) -> str:
    """Say whether a task runs, with its progress when known."""
    state = coordinator.data.tasks[name]
    title = language.task(state.task.title)
    if not coordinator.last_update_success:
        return language.answer("unavailable", server=coordinator.server.friendly_name)
    if state.running and state.progress is not None:
        return language.answer("task_running_progress", task=title, progress=state.progress)
    if state.running:
        return language.answer("task_running", task=title)
    if not state.task.enabled:
        return language.answer("task_disabled", task=title, server=coordinator.server.friendly_name)
    return language.answer("task_idle", task=title)


async def last_run(language: Language, coordinator: PlexButlerCoordinator, name: str) -> str:
    """Say when a task last ran, as far as Home Assistant saw it run."""
    state = coordinator.data.tasks[name]
    title = language.task(state.task.title)
    if state.running:
        return await task_status(language, coordinator, name)
    if (last_run := state.last_run) is None:
        return _not_seen(language, state)
    if state.last_run_source is LastRunSource.BACKUP_FILE:
        # A day, not a moment: counted in calendar days.
        days = (last_run.date() - dt_util.now().date()).days
        when = language.relative(timedelta(days=days))
        return language.answer("last_run_backup_file", task=title, when=when)
    when = language.relative(last_run - dt_util.utcnow())
    return language.answer("last_run", task=title, when=when)


def _not_seen(language: Language, state: TaskState) -> str:
    # Not seen yet, never "never": and why, where the debug log would have shown it.
    key = "last_run_unknown_debug_log_off" if state.not_seen_reason else "last_run_unknown"
    return language.answer(key, task=language.task(state.task.title))


async def last_duration(language: Language, coordinator: PlexButlerCoordinator, name: str) -> str:
    """Say how long a task's last run took: known when its start and its end were both seen."""
    state = coordinator.data.tasks[name]
    if state.running:
        return await task_status(language, coordinator, name)
    if (duration := state.history.last_duration) is not None:
        took = language.duration(duration)
        return language.answer("last_duration", task=language.task(state.task.title), took=took)
    if state.last_run is None:
        return _not_seen(language, state)
    return language.answer("last_duration_unknown", task=language.task(state.task.title))


async def next_run(language: Language, coordinator: PlexButlerCoordinator, name: str) -> str:
    """Say when a task should next run on the server's schedule."""
    state = coordinator.data.tasks[name]
    title = language.task(state.task.title)
    if state.next_run is None:
        return language.answer("next_run_unknown", task=title)
    # Inside an open window the estimate is the window's start, which may be past: it is due now.
    when = language.relative(max(state.next_run - dt_util.utcnow(), timedelta(0)))
    return language.answer("next_run", task=title, when=when)


def _hour(hour: int) -> str:
    return f"{hour:02d}:00"


async def maintenance_window(language: Language, coordinator: PlexButlerCoordinator) -> str:
    """Say the server's maintenance window, in its hours, and whether it is open now."""
    window = coordinator.data.window
    key = "window_open" if window.is_open(dt_util.now()) else "window"
    return language.answer(
        key,
        server=coordinator.server.friendly_name,
        start=_hour(window.start_hour),
        end=_hour(window.end_hour),
    )


def _day(language: Language, day: date, today: date) -> str:
    ago = (today - day).days
    if ago == 0:
        return language.answers["today"]
    if ago == 1:
        return language.answers["yesterday"]
    return language.answers["on_weekday"].format(weekday=language.weekdays[day.weekday()])


async def backup_this_week(language: Language, coordinator: PlexButlerCoordinator) -> str:
    """Say whether the database was backed up in the last seven days, on what was seen.

    Yes, with the day, from the newest backup file or a run seen. No only where the backup folder
    lists its backups and the newest is older; otherwise what was seen, never a "no".
    """
    server = coordinator.server.friendly_name
    if (state := coordinator.data.tasks.get(BACKUP_TASK)) is None:
        return language.answer("unknown_task", task=language.task("Backup Database"))
    if state.running:
        return await task_status(language, coordinator, BACKUP_TASK)
    if (last := state.last_run) is None:
        return _not_seen(language, state)
    today = dt_util.now().date()
    day = dt_util.as_local(last).date()
    if (today - day).days < 7:
        return language.answer("backup_week_yes", server=server, day=_day(language, day, today))
    when = language.relative(timedelta(days=(day - today).days))
    folder = coordinator.data.backups
    if folder is not None and folder.days:
        return language.answer("backup_week_no", server=server, when=when)
    return language.answer("backup_week_not_seen", server=server, when=when)
