"""The base entities of Plex Butler: a device per Plex Media Server, and one per Butler task.

Each task's device is a part of its server's (a child device from Home Assistant 2026.10, linked
with `via_device` before): the server's page lists what concerns the whole server and the tasks,
each task's page its own entities.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from textwrap import shorten
from typing import Any, Final

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import callback
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity import Entity, EntityDescription
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.update_coordinator import CoordinatorEntity, DataUpdateCoordinator

from .butler.snapshot import TaskState
from .const import DOMAIN, LOGGER
from .coordinator import PlexButlerCoordinator
from .identifiers import server_unique_id, task_device_identifier, task_unique_id

# Names, and the entity ids made from them, hold at most this much of a task's title: an entity id
# cut at 255 characters can end in "_", which Home Assistant refuses.
TITLE_IN_NAME: Final = 100


def name_part(text: str) -> str:
    """Return the server's words (a task's title, a setting's label) as short as names take them."""
    return shorten(text, TITLE_IN_NAME, placeholder="…")


def server_device_info(coordinator: PlexButlerCoordinator) -> DeviceInfo:
    """Describe the device of the Plex Media Server itself."""
    server = coordinator.server
    return DeviceInfo(
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


def part_device_info(
    coordinator: PlexButlerCoordinator, identifier: tuple[str, str], name: str, model: str
) -> DeviceInfo | dr.ChildDeviceInfo:
    """Describe a device that is a part of the server's (a task, a library), named `name`."""
    server = coordinator.server
    if hasattr(dr, "ChildDeviceInfo"):
        # Home Assistant 2026.10 and later know a device's parts: their entity ids begin with
        # the server's name, so two servers' "Backup Database" stay apart. A part needs its
        # device registered first, whichever platform comes first.
        parent = dr.async_get(coordinator.hass).async_get_or_create(
            config_entry_id=coordinator.config_entry.entry_id, **server_device_info(coordinator)
        )
        return dr.ChildDeviceInfo(identifiers={identifier}, name=name, parent_device_id=parent.id)
    # `via_device` is deprecated from 2026.10, where the branch above replaces it; type checkers
    # know it as an unknown key up to 2026.10, and from 2026.11 on as an unknown argument.
    return DeviceInfo(  # type: ignore[call-arg,unused-ignore]  # pragma: no cover - before 2026.10
        identifiers={identifier},
        name=name,
        manufacturer="Plex",
        model=model,
        via_device=(DOMAIN, server.machine_identifier),  # type: ignore[typeddict-unknown-key,unused-ignore]
    )


@callback
def async_remove_device_of(entity: Entity, why: str) -> None:
    """Remove the device of an entity whose part of the server is gone, and its entities."""
    devices = dr.async_get(entity.hass)
    entry = entity.registry_entry
    if entry is not None and entry.device_id and devices.async_get(entry.device_id):
        LOGGER.debug("Removing the device of %s", why)
        devices.async_remove_device(entry.device_id)


class PlexButlerEntity(CoordinatorEntity[PlexButlerCoordinator]):
    """An entity of the server's device."""

    _attr_has_entity_name = True

    def __init__(
        self,
        coordinator: PlexButlerCoordinator,
        description: EntityDescription,
        task_name: str | None = None,
    ) -> None:
        """Attach the entity to the server's device; with a task, it hears only of that task.

        The task's name is the context: see `PlexButlerCoordinator.async_add_listener`.
        """
        super().__init__(coordinator, context=task_name)
        self.entity_description = description
        self._attr_unique_id = server_unique_id(coordinator.server, description.key)
        self._attr_device_info = server_device_info(coordinator)
        # What the last write showed; None makes the next update write whatever it shows.
        self._shown: tuple[object, ...] | None = None

    def _what_shows(self) -> tuple[object, ...]:
        """Return what a write shows: an update that changes none of it writes nothing."""
        return (self.available, self.state, self.extra_state_attributes)

    @callback
    def _handle_coordinator_update(self) -> None:
        """Write the state only when what it shows changed: most updates concern one task."""
        shown = self._what_shows()
        if shown == self._shown:
            return
        self._shown = shown
        super()._handle_coordinator_update()


class PlexButlerTaskEntity(PlexButlerEntity):
    """An entity of one Butler task, named after the task's title on the server."""

    def __init__(
        self, coordinator: PlexButlerCoordinator, description: EntityDescription, task_name: str
    ) -> None:
        """Attach the entity to its task."""
        super().__init__(coordinator, description, task_name)
        self.task_name = task_name
        self._attr_unique_id = task_unique_id(coordinator.server, task_name, description.key)
        self._attr_device_info = part_device_info(
            coordinator,
            task_device_identifier(coordinator.server, task_name),
            name_part(coordinator.data.tasks[task_name].task.title),
            "Butler task",
        )

    @property
    def task_state(self) -> TaskState:
        """The task as the coordinator last saw it."""
        return self.coordinator.data.tasks[self.task_name]

    @property
    def available(self) -> bool:
        """Available while the server is reachable and still reports the task."""
        return super().available and self.task_name in self.coordinator.data.tasks


@callback
def async_add_part_entities(
    config_entry: ConfigEntry,
    coordinator: DataUpdateCoordinator[Any],
    parts: Callable[[], Iterable[str]],
    async_add_entities: AddConfigEntryEntitiesCallback,
    entities_for_part: Callable[[str], Iterable[Entity]],
) -> None:
    """Add the entities of every part of the server now (tasks, libraries), and of later ones."""
    known: set[str] = set()

    @callback
    def add_new_parts() -> None:
        current = list(parts())
        # Forget parts that went away, so that they get entities again if they come back.
        known.intersection_update(current)
        new = [name for name in current if name not in known]
        if new:
            known.update(new)
            async_add_entities(entity for name in new for entity in entities_for_part(name))

    add_new_parts()
    config_entry.async_on_unload(coordinator.async_add_listener(add_new_parts))


@callback
def async_add_task_entities(
    coordinator: PlexButlerCoordinator,
    async_add_entities: AddConfigEntryEntitiesCallback,
    entities_for_task: Callable[[str], Iterable[Entity]],
) -> None:
    """Add the entities of every task now, and of each task the server reports later."""
    async_add_part_entities(
        coordinator.config_entry,
        coordinator,
        lambda: coordinator.data.tasks,
        async_add_entities,
        entities_for_task,
    )
