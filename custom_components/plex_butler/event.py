"""Task events: a task started, finished or was stopped; the Butler's own run started or finished.

Each is an event of the server's event entity, for automations, and an event on Home Assistant's
bus for the task's device, which the logbook describes in a sentence (logbook.py).
"""

from __future__ import annotations

from homeassistant.components.event import EventEntity, EventEntityDescription
from homeassistant.const import ATTR_DEVICE_ID, ATTR_ENTITY_ID, Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.entity import EntityDescription
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .butler.snapshot import TaskEvent
from .const import DOMAIN, EVENT_TASK, MAINTENANCE_RUNNING
from .coordinator import PlexButlerConfigEntry, PlexButlerCoordinator
from .entity import PlexButlerEntity, task_unique_id

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
    """Add the server's task event entity, and put each task event on the bus."""
    coordinator = entry.runtime_data
    async_add_entities([PlexButlerTaskEvent(coordinator, TASK_EVENT)])

    @callback
    def fire_on_bus(event: TaskEvent) -> None:
        # The logbook lists the line with the task's state and on its device; the Butler's own
        # run with Maintenance running, under the server's name. A task that comes already
        # running has no entities yet when its start is told.
        entities = er.async_get(hass)
        server = coordinator.server
        if event.task:
            platform, unique_id = Platform.SENSOR, task_unique_id(server, event.task, "status")
        else:
            platform, unique_id = (
                Platform.BINARY_SENSOR,
                f"{server.machine_identifier}_{MAINTENANCE_RUNNING}",
            )
        entity_id = entities.async_get_entity_id(platform, DOMAIN, unique_id)
        registered = entities.async_get(entity_id) if entity_id else None
        hass.bus.async_fire(
            EVENT_TASK,
            {
                "type": event.type,
                **event.attributes(),
                "title": event.title or server.friendly_name,
                ATTR_ENTITY_ID: entity_id,
                ATTR_DEVICE_ID: registered.device_id if registered else None,
            },
        )

    entry.async_on_unload(coordinator.async_add_task_event_listener(fire_on_bus))


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
