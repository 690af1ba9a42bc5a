"""The base entity of Plex Butler: one device per Plex Media Server."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from textwrap import shorten
from typing import Final

from homeassistant.core import callback
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity import Entity, EntityDescription
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .const import DOMAIN, LOGGER
from .coordinator import PlexButlerCoordinator
from .snapshot import TaskState

# Names, and the entity ids made from them, hold at most this much of a task's title: an entity id
# cut at 255 characters can end in "_", which Home Assistant refuses.
TITLE_IN_NAME: Final = 100


class PlexButlerEntity(CoordinatorEntity[PlexButlerCoordinator]):
    """An entity of the server's device."""

    _attr_has_entity_name = True

    def __init__(self, coordinator: PlexButlerCoordinator, description: EntityDescription) -> None:
        """Attach the entity to the server's device."""
        super().__init__(coordinator)
        self.entity_description = description
        server = coordinator.server
        self._attr_unique_id = f"{server.machine_identifier}_{description.key}"
        self._attr_device_info = DeviceInfo(
            identifiers={(DOMAIN, server.machine_identifier)},
            name=server.friendly_name,
            manufacturer="Plex",
            model="Plex Media Server",
            sw_version=server.version,
            # The platform alone ("Linux") is no hardware; with its version it tells what runs Plex.
            hw_version=(
                f"{server.platform} {server.platform_version}"
                if server.platform and server.platform_version
                else None
            ),
            configuration_url=f"{coordinator.client.url}/web",
        )


class PlexButlerTaskEntity(PlexButlerEntity):
    """An entity of one Butler task, named after the task's title on the server."""

    def __init__(
        self, coordinator: PlexButlerCoordinator, description: EntityDescription, task_name: str
    ) -> None:
        """Attach the entity to its task."""
        super().__init__(coordinator, description)
        self.task_name = task_name
        self._last_seen: tuple[bool, TaskState | None] | None = None
        self._attr_unique_id = (
            f"{coordinator.server.machine_identifier}_{task_name}_{description.key}"
        )
        title = coordinator.data.tasks[task_name].task.title
        self._attr_translation_placeholders = {
            "task": shorten(title, TITLE_IN_NAME, placeholder="…")
        }

    @property
    def task_state(self) -> TaskState:
        """The task as the coordinator last saw it."""
        return self.coordinator.data.tasks[self.task_name]

    @property
    def available(self) -> bool:
        """Available while the server is reachable and still reports the task."""
        return super().available and self.task_name in self.coordinator.data.tasks

    @callback
    def _handle_coordinator_update(self) -> None:
        """Write only what changed for this task; leave the registry when the task is gone."""
        data = self.coordinator.data
        if self.coordinator.last_update_success and self.task_name not in data.tasks:
            LOGGER.debug("Removing %s: the server no longer reports its task", self.entity_id)
            er.async_get(self.hass).async_remove(self.entity_id)
            return
        # A push about one task must not rewrite the state of all the others.
        seen = (self.available, data.tasks.get(self.task_name))
        if seen == self._last_seen:
            return
        self._last_seen = seen
        super()._handle_coordinator_update()


@callback
def async_add_task_entities(
    coordinator: PlexButlerCoordinator,
    async_add_entities: AddConfigEntryEntitiesCallback,
    entities_for_task: Callable[[str], Iterable[Entity]],
) -> None:
    """Add the entities of every task now, and of each task the server reports later."""
    known: set[str] = set()

    @callback
    def add_new_tasks() -> None:
        current = set(coordinator.data.tasks)
        # Forget tasks that went away, so that they get entities again if they come back.
        known.intersection_update(current)
        new = [name for name in coordinator.data.tasks if name not in known]
        if new:
            known.update(new)
            async_add_entities(entity for name in new for entity in entities_for_task(name))

    add_new_tasks()
    coordinator.config_entry.async_on_unload(coordinator.async_add_listener(add_new_tasks))
