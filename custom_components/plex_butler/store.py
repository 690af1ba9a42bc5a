"""The remembered runs of an entry, kept across restarts in Home Assistant's storage."""

from __future__ import annotations

from typing import Any, Final

from homeassistant.core import HomeAssistant
from homeassistant.helpers.storage import Store

from .const import DOMAIN
from .schedule import TaskHistory

STORAGE_VERSION: Final = 1
# 2: the Butler's own run beside the tasks' ({"tasks": {...}, "maintenance": {...}}).
STORAGE_MINOR_VERSION: Final = 2

type StoredRuns = dict[str, Any]


class HistoryStore(Store[StoredRuns]):
    """Each task's runs and the Butler's own."""

    async def _async_migrate_func(
        self, old_major_version: int, old_minor_version: int, old_data: StoredRuns
    ) -> StoredRuns:
        """Read version 1.1, the only older one: it held only the tasks' runs, by name."""
        return {"tasks": old_data, "maintenance": {}}

    async def async_load_runs(self) -> tuple[dict[str, TaskHistory], TaskHistory]:
        """Return the tasks' runs and the Butler's own run; unreadable parts count as unknown."""
        stored = await self.async_load() or {}
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

    async def async_save_runs(
        self, tasks: dict[str, TaskHistory], maintenance: TaskHistory
    ) -> None:
        """Store the tasks' runs and the Butler's own run."""
        await self.async_save(
            {
                "tasks": {name: history.as_dict() for name, history in tasks.items()},
                "maintenance": maintenance.as_dict(),
            }
        )


def history_store(hass: HomeAssistant, entry_id: str) -> HistoryStore:
    """Open the storage of an entry's remembered runs."""
    return HistoryStore(
        hass, STORAGE_VERSION, f"{DOMAIN}.{entry_id}", minor_version=STORAGE_MINOR_VERSION
    )
