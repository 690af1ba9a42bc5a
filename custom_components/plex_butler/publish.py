"""How a change of a server reaches Home Assistant beyond the coordinator's own listeners.

Each task's listeners apart, so that a push about one task calls its entities alone; the device
of a task the server dropped removed; each task event put on the bus for the logbook.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from homeassistant.const import ATTR_DEVICE_ID, ATTR_ENTITY_ID, Platform
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers import device_registry as dr, entity_registry as er

from .api.models import ServerInfo
from .butler.snapshot import TaskEvent
from .const import DOMAIN, EVENT_TASK, LOGGER, MAINTENANCE_RUNNING
from .identifiers import server_unique_id, task_device_identifier, task_unique_id


class TaskListeners:
    """The listeners of each task, by the task's name."""

    def __init__(self) -> None:
        """Have no listener yet."""
        self._of_task: dict[str, list[CALLBACK_TYPE]] = {}

    def add(self, name: str, update_callback: CALLBACK_TYPE) -> CALLBACK_TYPE:
        """Call `update_callback` for each change of the task `name`; return the remover."""
        listeners = self._of_task.setdefault(name, [])
        listeners.append(update_callback)

        @callback
        def remove() -> None:
            listeners.remove(update_callback)
            if not listeners:
                del self._of_task[name]

        return remove

    def call(self, names: Iterable[str]) -> None:
        """Call the listeners of each of these tasks."""
        for name in names:
            for update_callback in list(self._of_task.get(name, ())):
                update_callback()


@callback
def async_remove_task_devices(
    hass: HomeAssistant, entry_id: str, server: ServerInfo, names: Collection[str]
) -> None:
    """Remove the devices of tasks the server no longer reports, and their entities."""
    if not names:
        return
    gone = {task_device_identifier(server, name) for name in names}
    devices = dr.async_get(hass)
    # Through the entry's entities: a task's device is a part of the server's from 2026.10.
    for device_id in {
        entity.device_id
        for entity in er.async_entries_for_config_entry(er.async_get(hass), entry_id)
        if entity.device_id
    }:
        device = devices.async_get(device_id)
        if device is not None and not gone.isdisjoint(device.identifiers):
            LOGGER.debug("Removing the device of %s: the server no longer reports it", device.name)
            devices.async_remove_device(device_id)


@callback
def async_fire_task_event(hass: HomeAssistant, server: ServerInfo, event: TaskEvent) -> None:
    """Put a task event on the bus, for the logbook (logbook.py).

    The logbook lists the line with the task's state and on its device; the Butler's own run with
    Maintenance running, under the server's name. A task that comes already running has no
    entities yet when its start is told.
    """
    entities = er.async_get(hass)
    if event.task:
        platform, unique_id = Platform.SENSOR, task_unique_id(server, event.task, "status")
    else:
        platform, unique_id = Platform.BINARY_SENSOR, server_unique_id(server, MAINTENANCE_RUNNING)
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
