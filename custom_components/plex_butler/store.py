"""The remembered runs of an entry, kept across restarts in Home Assistant's storage."""

from __future__ import annotations

from collections.abc import Coroutine
from typing import Any, Final

from homeassistant.core import HomeAssistant
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from .butler.run_log import BUTLER_RUNS, PastRun, RunLog
from .butler.schedule import TaskHistory
from .const import DOMAIN

STORAGE_VERSION: Final = 1
# 2: the Butler's own run beside the tasks' ({"tasks": {...}, "maintenance": {...}}).
# 3: the past runs beside them, for the calendar ({..., "runs": {task: [...], "": [...]}}).
STORAGE_MINOR_VERSION: Final = 3

type StoredRuns = dict[str, Any]


class HistoryStore(Store[StoredRuns]):
    """Each task's runs and the Butler's own: the last ones, and the past ones (`run_log`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Open the storage; the past runs are read with the last ones."""
        super().__init__(*args, **kwargs)
        self.run_log = RunLog()

    async def _async_migrate_func(
        self, old_major_version: int, old_minor_version: int, old_data: StoredRuns
    ) -> StoredRuns:
        """Read versions 1.1 (only the tasks' runs, by name) and 1.2 (no past runs).

        Their last runs become the first past runs; a run going on is logged when it ends.
        """
        data = old_data if old_minor_version >= 2 else {"tasks": old_data, "maintenance": {}}
        tasks, maintenance = _histories(data)
        runs = {
            key: [PastRun.from_history(history).as_dict()]
            for key, history in {**tasks, BUTLER_RUNS: maintenance}.items()
            if not history.running and history.last_run is not None
        }
        return {**data, "runs": runs}

    async def async_load_runs(self) -> tuple[dict[str, TaskHistory], TaskHistory]:
        """Return the tasks' runs and the Butler's own run, and read the past runs."""
        stored = await self.async_load() or {}
        tasks, maintenance = _histories(stored)
        self.run_log = RunLog.from_dict(stored.get("runs"), {**tasks, BUTLER_RUNS: maintenance})
        return tasks, maintenance

    def async_save_runs(
        self, tasks: dict[str, TaskHistory], maintenance: TaskHistory
    ) -> Coroutine[Any, Any, None]:
        """Log the runs that ended at once, and return what stores them all.

        Taken before the coroutine runs, so that the calendar shows a run as the states do.
        """
        self.run_log.take({**tasks, BUTLER_RUNS: maintenance}, dt_util.utcnow())
        return self.async_save(
            {
                "tasks": {name: history.as_dict() for name, history in tasks.items()},
                "maintenance": maintenance.as_dict(),
                "runs": self.run_log.as_dict(),
            }
        )


def _histories(stored: StoredRuns) -> tuple[dict[str, TaskHistory], TaskHistory]:
    """Read the tasks' last runs and the Butler's; unreadable parts count as unknown."""
    tasks = stored.get("tasks")
    maintenance = stored.get("maintenance")
    return (
        {
            name: TaskHistory.from_dict(runs)
            for name, runs in (tasks.items() if isinstance(tasks, dict) else ())
            if isinstance(runs, dict)
        },
        TaskHistory.from_dict(maintenance if isinstance(maintenance, dict) else {}),
    )


def history_store(hass: HomeAssistant, entry_id: str) -> HistoryStore:
    """Open the storage of an entry's remembered runs."""
    return HistoryStore(
        hass, STORAGE_VERSION, f"{DOMAIN}.{entry_id}", minor_version=STORAGE_MINOR_VERSION
    )
