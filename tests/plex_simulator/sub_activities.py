"""The Butler activity's sub-activities (one per task run) and what a run leaves behind.

Real (a server's debug log): each task the Butler runs is a sub-activity of the "Butler tasks"
activity, which reports the overall `k/n` of its sub-activities as its progress. Whether the
sub-activities reach `/activities` or the websocket is unknown: here they show only in the log.
"""

from .backups import newest
from .debug_log import TASK_NOISE, ended_line, log_name, registered_line, updated_line
from .models import ButlerRun, SimulatedActivity
from .state import ServerState

BACKUP_TASK = "BackupDatabase"


class SubActivities:
    """Counts each Butler activity's sub-activities, logs them, and writes database backups."""

    def __init__(self, state: ServerState) -> None:
        """Log the sub-activities and show their progress on `state`."""
        self._state = state
        # Each Butler activity's [completed, registered] sub-activities, by its uuid.
        self._counts: dict[str, list[int]] = {}

    def has_open(self, butler: SimulatedActivity) -> bool:
        """Tell whether a Butler activity has sub-activities registered and not yet ended."""
        completed, registered = self._counts.get(butler.uuid, (0, 0))
        return completed < registered

    def forget(self, butler: SimulatedActivity) -> None:
        """Forget the counts of a Butler activity that ends."""
        self._counts.pop(butler.uuid, None)

    def forget_all(self) -> None:
        """Forget every Butler activity's counts, as a restart does."""
        self._counts.clear()

    async def register(self, run: ButlerRun) -> None:
        """Log the run's sub-activity and move its Butler activity's progress (none: nothing)."""
        if run.butler is None:
            return
        counts = self._counts_of(run.butler)
        counts[1] += 1
        name = log_name(run.task, self._state.log_task_names)
        # The real log has the parent's "updated activity" line just before the registration.
        await self._state.log(
            *self._progress_lines(run.butler, counts),
            registered_line(run.sub_activity, name, run.butler.uuid, *counts),
        )
        await self._announce_progress(run.butler, counts)

    async def end(self, run: ButlerRun) -> None:
        """Log the end of the run's sub-activity, its task's own lines, and move the progress."""
        state = self._state
        noise = [TASK_NOISE[run.task]] if run.task in TASK_NOISE else []
        if run.butler is None:
            await state.log(*noise)
        else:
            counts = self._counts_of(run.butler)
            counts[0] += 1
            ended = ended_line(run.sub_activity, run.butler.uuid, *counts)
            await state.log(ended, *self._progress_lines(run.butler, counts), *noise)
            await self._announce_progress(run.butler, counts)
        if run.task == BACKUP_TASK:
            state.backups = newest([*state.backups, state.now().date()])

    def _counts_of(self, butler: SimulatedActivity) -> list[int]:
        """The [completed, registered] sub-activities of a Butler activity."""
        return self._counts.setdefault(butler.uuid, [0, 0])

    def _progress_lines(self, butler: SimulatedActivity, counts: list[int]) -> list[str]:
        """The parent's "updated activity" line; per-task activities report their own progress."""
        if self._state.butler_activity_names_task:
            return []
        return [updated_line(butler.uuid, 100 * counts[0] / counts[1], butler.title)]

    async def _announce_progress(self, butler: SimulatedActivity, counts: list[int]) -> None:
        """Show the overall progress, completed of registered, on a shared Butler activity.

        An unchanged progress is no update (an inference: the activity reports whole percents).
        """
        progress = 100 * counts[0] // counts[1]
        if self._state.butler_activity_names_task or progress == butler.progress:
            return
        butler.progress = progress
        if butler.uuid in self._state.activities:
            await self._state.announce("updated", butler)
