"""Butler runs: each shows a `butler` activity, and its task's media work as a child activity.

Runs start over HTTP or by `start_task` (they end by themselves after `run_seconds`), by
start-all, or step by step in the maintenance window (`begin_maintenance`, `run_in_maintenance`,
`end_maintenance`): those steps never sleep, as integration tests freeze the event loop's clock.
"""

import asyncio
from collections.abc import Iterable
from datetime import date, timedelta
import logging

from .catalog import BUTLER, MEDIA_WORK_BY_TASK, TASK_ACTIVITIES
from .models import ButlerRun, SimulatedActivity, SimulatedTask
from .settings import BEHAVIOR_NEVER
from .state import ServerState
from .sub_activities import SubActivities

_LOGGER = logging.getLogger(__name__)


class Butler:
    """The Butler of a simulated server: task runs, the maintenance window, start-all rules.

    A run shows under a `butler` activity: by default one "Butler tasks" activity shared by
    every run at the time (the maintenance window keeps it open), its progress the overall k/n
    of its sub-activities; with `butler_activity_names_task` one per run, titled with the task's
    title; with `show_butler_activity` off none at all. A task with media work (TASK_ACTIVITIES)
    also shows that work as a child activity, unless its `*Behavior` setting is `never` (an
    inference: the setting says the work is not done). Ending a run's activity (see `running`)
    ends the run; ending a `butler` activity ends every run under it; a `butler` activity ends
    with its last run.

    It holds what is the Butler's own: `runs` (task name to its run: the `butler` activity it
    shows under and its media work), `scheduled` (tasks start-all left for later in the
    maintenance window; nothing starts them by itself), `last_run` (the day each task last
    started; a task never run is due), the maintenance window and the sub-activities
    (`SubActivities`). The tasks, activities, settings and the knobs of what shows (`show_*`,
    `butler_activity_*`, `run_seconds`, `progress_interval`) are the server's (`ServerState`).
    """

    def __init__(self, state: ServerState) -> None:
        """Run the tasks of `state`, showing the runs' activities on it."""
        self._state = state
        self.runs: dict[str, ButlerRun] = {}
        self.scheduled: set[str] = set()
        self.last_run: dict[str, date] = {}
        self._sub_activities = SubActivities(state)
        # The placeholder-titled butler activity runs share, and whether the window holds it open.
        self._generic_butler: SimulatedActivity | None = None
        self._maintenance_open = False

    @property
    def running(self) -> dict[str, SimulatedActivity]:
        """Each running task's activity: its media work, or its `butler` activity if it has none.

        A run that shows no activity at all (no Butler activity, no media work) is only in `runs`.
        """
        return {name: run.activity for name, run in self.runs.items() if run.activity}

    @property
    def in_maintenance(self) -> bool:
        """Tell whether the window is open (from `begin_maintenance` to `end_maintenance`)."""
        return self._maintenance_open

    async def start_task(self, name: str, *, run_seconds: float | None = None) -> None:
        """Start a task as the server's own schedule would; nothing happens if it is running.

        The run ends by itself after `run_seconds` (default: the simulator's `run_seconds`).
        Raises KeyError for an unknown task.
        """
        if name not in self._state.tasks:
            raise KeyError(name)
        if name not in self.runs:
            await self._start_run(
                name, self._state.run_seconds if run_seconds is None else run_seconds
            )

    async def end_activity(self, uuid: str) -> None:
        """End an activity, and the runs it belongs to. Raises KeyError for an unknown uuid."""
        await self._end(self._state.activities[uuid])

    async def end_activities(self, activities: Iterable[SimulatedActivity] | None = None) -> None:
        """End the given activities (default: every one), skipping those already ended."""
        for activity in list(self._state.activities.values() if activities is None else activities):
            await self._end(activity)

    async def start_all(self) -> None:
        """Start every task as `POST /butler` does (SDK doc).

        Disabled tasks and tasks not due today are skipped; inside the maintenance window hours a
        randomized task is only added to `scheduled`.
        """
        now = self._state.now()
        in_window = self._in_maintenance_window(now.hour)
        for task in list(self._state.tasks.values()):
            if not task.enabled or task.name in self.runs or not self._is_due(task, now.date()):
                continue
            if task.schedule_randomized and in_window:
                self.scheduled.add(task.name)
            else:
                await self._start_run(task.name, self._state.run_seconds)

    async def stop_all(self) -> None:
        """Stop every run and forget every scheduled task, as `DELETE /butler` does."""
        self.scheduled.clear()
        await self.end_maintenance()

    async def stop_task(self, name: str) -> bool:
        """Stop a run or unschedule a task as `DELETE /butler/{name}` does; False: neither."""
        if name in self.runs:
            await self._end_run(self.runs[name])
        elif name in self.scheduled:
            self.scheduled.discard(name)
        else:
            return False
        return True

    # The maintenance window, step by step

    async def begin_maintenance(self) -> SimulatedActivity | None:
        """Open the maintenance window, as the server's schedule does at `ButlerStartHour`.

        Returns the generic `butler` activity shown until `end_maintenance`, or None with
        `butler_activity_names_task` (each run then shows its own) or without
        `show_butler_activity`. Nothing runs yet.
        """
        self._maintenance_open = True
        if self._state.butler_activity_names_task or not self._state.show_butler_activity:
            return None
        butler = self._generic_butler_activity()
        await self._state.show(butler)
        return butler

    async def run_in_maintenance(self, task_name: str) -> SimulatedActivity | None:
        """Run a task in the open window until the test ends it; return its media work, if any.

        The run counts as the task's last run. Ending the returned activity ends the run, as
        does `end_maintenance`. A disabled task does not run (None, nothing changes); a running
        task keeps its run. Raises KeyError for an unknown task, RuntimeError outside the window.
        """
        if not self._maintenance_open:
            raise RuntimeError("the maintenance window is closed: call begin_maintenance first")
        if not self._state.tasks[task_name].enabled:
            return None
        run = self.runs.get(task_name) or await self._start_run(task_name, None)
        return run.media

    async def end_maintenance(self) -> None:
        """Close the window: every run ends, then the `butler` activity, each with `ended`."""
        self._maintenance_open = False
        for run in list(self.runs.values()):
            await self._end_run(run)
        if self._generic_butler is not None:
            await self._end_butler_activity(self._generic_butler)

    async def cut_maintenance_short(self) -> None:
        """Close the window with runs going on: the `butler` activity ends, their parts do not.

        Each run's media work ends, but its sub-activity gets no `ended` line: the run's `k/n`
        stays at k < n. What a real server logs when its window closes on a running task, or a
        task fails, is not public; this is the one reading of the log that says "not done".
        """
        self._maintenance_open = False
        for run in list(self.runs.values()):
            del self.runs[run.task]
            if run.timer is not None:
                run.timer.cancel()
            if run.media is not None:
                await self._state.remove_activity(run.media)
        if self._generic_butler is not None:
            await self._end_butler_activity(self._generic_butler)

    # Runs

    async def _start_run(self, name: str, run_seconds: float | None) -> ButlerRun:
        """Start a run; with `run_seconds` it ends by itself, without it a test ends it."""
        task = self._state.tasks[name]
        run = ButlerRun(name, self._butler_activity_for(task), self._media_work_of(name))
        # Registered before the first await, so that a second start finds it running.
        self.runs[name] = run
        self.scheduled.discard(name)
        self.last_run[name] = self._state.now().date()
        _LOGGER.info("Butler task %s started", name)
        await self._state.show(*(activity for activity in (run.butler, run.media) if activity))
        await self._sub_activities.register(run)
        if run_seconds is not None and self.runs.get(name) is run:
            run.timer = asyncio.create_task(
                self._run_for(run, run_seconds), name=f"plex_simulator {name}"
            )
        return run

    def _butler_activity_for(self, task: SimulatedTask) -> SimulatedActivity | None:
        if not self._state.show_butler_activity:
            return None
        if self._state.butler_activity_names_task:
            return self._new_butler_activity(task.title)
        return self._generic_butler_activity()

    def _generic_butler_activity(self) -> SimulatedActivity:
        if self._generic_butler is None:
            self._generic_butler = self._new_butler_activity(self._state.butler_activity_title)
        return self._generic_butler

    def _new_butler_activity(self, title: str) -> SimulatedActivity:
        activity = self._state.new_activity(BUTLER, title=title)
        activity.type = self._state.butler_activity_type
        return activity

    def _media_work_of(self, name: str) -> SimulatedActivity | None:
        kind = TASK_ACTIVITIES.get(name)
        work = MEDIA_WORK_BY_TASK.get(name)
        if kind is None or (work and self._state.preferences.get(work.behavior) == BEHAVIOR_NEVER):
            return None
        return self._state.new_activity(kind)

    async def _run_for(self, run: ButlerRun, run_seconds: float) -> None:
        """Report progress on the run's activity every `progress_interval`, then end the run."""
        steps = max(1, round(run_seconds / self._state.progress_interval))
        # A shared Butler activity shows the overall progress of its sub-activities instead.
        shows_progress = run.media or (
            run.butler if self._state.butler_activity_names_task else None
        )
        for step in range(1, steps + 1):
            await asyncio.sleep(run_seconds / steps)
            if shows_progress is not None:
                shows_progress.progress = 100 * step // steps
                await self._state.announce("updated", shows_progress)
        await self._end_run(run)

    async def _end(self, activity: SimulatedActivity) -> None:
        """End an activity now; the runs it belongs to end first."""
        for run in list(self.runs.values()):
            if activity is run.butler or activity is run.media:
                await self._end_run(run)
        if activity is self._generic_butler:
            self._maintenance_open = False
            await self._end_butler_activity(activity)
        else:
            await self._state.remove_activity(activity)

    async def _end_run(self, run: ButlerRun) -> None:
        """End a run: its media work, then its `butler` activity unless something still uses it."""
        if self.runs.get(run.task) is not run:
            return
        del self.runs[run.task]
        timer, run.timer = run.timer, None
        if timer is not None and timer is not asyncio.current_task():
            timer.cancel()
            await asyncio.wait({timer})
        if run.media is not None:
            await self._state.remove_activity(run.media)
        await self._sub_activities.end(run)
        # Another run may be gone from `runs` and not yet have logged its end (concurrent stops).
        shared = any(other.butler is run.butler for other in self.runs.values()) or (
            run.butler is not None and self._sub_activities.has_open(run.butler)
        )
        held_open = run.butler is self._generic_butler and self._maintenance_open
        if run.butler is not None and not shared and not held_open:
            await self._end_butler_activity(run.butler)
        _LOGGER.info("Butler task %s ended", run.task)

    async def _end_butler_activity(self, butler: SimulatedActivity) -> None:
        if butler is self._generic_butler:
            self._generic_butler = None
        self._sub_activities.forget(butler)
        await self._state.remove_activity(butler)

    async def forget_runs(self) -> None:
        """Drop every run and the maintenance window without a frame, as a restart loses them."""
        timers = [run.timer for run in self.runs.values() if run.timer is not None]
        self.runs.clear()
        self._sub_activities.forget_all()
        self._generic_butler = None
        self._maintenance_open = False
        for timer in timers:
            timer.cancel()
        if timers:
            await asyncio.wait(timers)

    # Schedule

    def _in_maintenance_window(self, hour: int) -> bool:
        start = int(self._state.preferences["ButlerStartHour"])
        end = int(self._state.preferences["ButlerEndHour"])
        if start <= end:
            return start <= hour < end
        return hour >= start or hour < end

    def _is_due(self, task: SimulatedTask, today: date) -> bool:
        last_run = self.last_run.get(task.name)
        return last_run is None or last_run + timedelta(days=task.interval) <= today
