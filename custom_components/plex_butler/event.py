"""Task events: a task started, finished or was stopped; the Butler's own run started or finished.

Each is an event of the server's event entity, for automations. The coordinator also puts each on
Home Assistant's bus for the task's device, which the logbook describes in a sentence (logbook.py).
"""

from __future__ import annotations

from homeassistant.components.event import EventEntity, EventEntityDescription
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity import EntityDescription
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .butler.snapshot import TaskEvent
from .coordinator import PlexButlerConfigEntry, PlexButlerCoordinator
from .entity import PlexButlerEntity

PARALLEL_UPDATES = 0

TASK_EVENT = EventEntityDescription(
    key="task_event",
    translation_key="task_event",
    event_types=[
        "task_started",
        "task_finished",
        "task_stopped",
        "maintenance_started",
        "maintenance_finished",
    ],
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: PlexButlerConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the server's task event entity."""
    async_add_entities([PlexButlerTaskEvent(entry.runtime_data, TASK_EVENT)])


class PlexButlerTaskEvent(PlexButlerEntity, EventEntity):
    """Fires when a task starts, finishes, or is stopped from Home Assistant."""

    def __init__(self, coordinator: PlexButlerCoordinator, description: EntityDescription) -> None:
        """Start with no event waiting."""
        super().__init__(coordinator, description)
        self._waiting: list[TaskEvent] = []

    async def async_added_to_hass(self) -> None:
        """Listen to the coordinator's task events."""
        await super().async_added_to_hass()
        self.async_on_remove(self.coordinator.async_add_task_event_listener(self._on_task_event))

    @callback
    def _on_task_event(self, event: TaskEvent) -> None:
        # The poll that brings the server back tells its events before the entity is available
        # again: written now, all but the last would be lost. They wait for it, in order.
        self._waiting.append(event)
        if self.available:
            self._fire_waiting()

    @callback
    def _handle_coordinator_update(self) -> None:
        if self.available:
            self._fire_waiting()
        super()._handle_coordinator_update()

    @callback
    def _fire_waiting(self) -> None:
        for event in self._waiting:
            self._trigger_event(event.type, event.attributes())
            self.async_write_ha_state()
        self._waiting.clear()
