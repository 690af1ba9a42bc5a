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


class SubActivities(ServerState):
    """Counts each Butler activity's sub-activities, logs them, and writes database backups."""

    def _sub_counts(self, butler: SimulatedActivity) -> list[int]:
        """The [completed, registered] sub-activities of a Butler activity."""
        return self._sub_activity_counts.setdefault(butler.uuid, [0, 0])

    def _has_open_sub_activities(self, butler: SimulatedActivity) -> bool:
        completed, registered = self._sub_activity_counts.get(butler.uuid, (0, 0))
        return completed < registered

    def _forget_sub_activities(self, butler: SimulatedActivity) -> None:
        self._sub_activity_counts.pop(butler.uuid, None)

    async def _register_sub_activity(self, run: ButlerRun) -> None:
        """Log the run's sub-activity and move its Butler activity's progress (none: nothing)."""
        if run.butler is None:
            return
        counts = self._sub_counts(run.butler)
        counts[1] += 1
        name = log_name(run.task, self.log_task_names)
        # The real log has the parent's "updated activity" line just before the registration.
        await self.log(
            *self._progress_lines(run.butler, counts),
            registered_line(run.sub_activity, name, run.butler.uuid, *counts),
        )
        await self._announce_progress(run.butler, counts)

    async def _end_sub_activity(self, run: ButlerRun) -> None:
        """Log the end of the run's sub-activity, its task's own lines, and move the progress."""
        noise = [TASK_NOISE[run.task]] if run.task in TASK_NOISE else []
        if run.butler is None:
            await self.log(*noise)
        else:
            counts = self._sub_counts(run.butler)
            counts[0] += 1
            ended = ended_line(run.sub_activity, run.butler.uuid, *counts)
            await self.log(ended, *self._progress_lines(run.butler, counts), *noise)
            await self._announce_progress(run.butler, counts)
        if run.task == BACKUP_TASK:
            self.backups = newest([*self.backups, self.now().date()])

    def _progress_lines(self, butler: SimulatedActivity, counts: list[int]) -> list[str]:
        """The parent's "updated activity" line; per-task activities report their own progress."""
        if self.butler_activity_names_task:
            return []
        return [updated_line(butler.uuid, 100 * counts[0] / counts[1], butler.title)]

    async def _announce_progress(self, butler: SimulatedActivity, counts: list[int]) -> None:
        """Show the overall progress, completed of registered, on a shared Butler activity.

        An unchanged progress is no update (an inference: the activity reports whole percents).
        """
        progress = 100 * counts[0] // counts[1]
        if self.butler_activity_names_task or progress == butler.progress:
            return
        butler.progress = progress
        if butler.uuid in self.activities:
            await self.announce("updated", butler)
