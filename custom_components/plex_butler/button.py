"""Buttons: start or stop one task, or all of them; the libraries' maintenance beside the Butler."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from homeassistant.components.button import ButtonEntity, ButtonEntityDescription
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .api.client import is_addressable
from .butler.snapshot import ButlerSnapshot
from .coordinator import PlexButlerConfigEntry, PlexButlerCoordinator
from .entity import (
    PlexButlerEntity,
    PlexButlerTaskEntity,
    async_add_part_entities,
    async_add_task_entities,
)
from .library_coordinator import PlexLibraryCoordinator
from .library_entity import PlexButlerLibraryEntity

# Presses run at once: the coordinator sends one request for a burst of the same press.
PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class PlexButlerTaskButtonDescription(ButtonEntityDescription):
    """Describes a button of one task."""

    press_fn: Callable[[PlexButlerCoordinator, str], Awaitable[Any]]


@dataclass(frozen=True, kw_only=True)
class PlexButlerServerButtonDescription(ButtonEntityDescription):
    """Describes a button of the whole server."""

    press_fn: Callable[[PlexButlerCoordinator], Awaitable[Any]]
    attributes_fn: Callable[[ButlerSnapshot], dict[str, Any]] | None = None


@dataclass(frozen=True, kw_only=True)
class PlexButlerLibraryButtonDescription(ButtonEntityDescription):
    """Describes a button of one library."""

    press_fn: Callable[[PlexLibraryCoordinator, str], Awaitable[Any]]


TASK_BUTTONS: tuple[PlexButlerTaskButtonDescription, ...] = (
    PlexButlerTaskButtonDescription(
        key="start",
        translation_key="start_task",
        press_fn=lambda coordinator, name: coordinator.async_start_task(name),
    ),
    PlexButlerTaskButtonDescription(
        key="stop",
        translation_key="stop_task",
        press_fn=lambda coordinator, name: coordinator.async_stop_task(name),
    ),
)

SERVER_BUTTONS: tuple[PlexButlerServerButtonDescription, ...] = (
    PlexButlerServerButtonDescription(
        key="start_all",
        translation_key="start_all_tasks",
        press_fn=lambda coordinator: coordinator.async_start_all_tasks(),
        # With automatic updates on, "start all" can install a server update: say so beforehand.
        attributes_fn=lambda data: {"may_install_server_update": data.automatic_updates},
    ),
    PlexButlerServerButtonDescription(
        key="stop_all",
        translation_key="stop_all_tasks",
        press_fn=lambda coordinator: coordinator.async_stop_all_tasks(),
    ),
    # The server's own maintenance beside the Butler: its work shows as background activity.
    PlexButlerServerButtonDescription(
        key="empty_trash",
        translation_key="empty_all_trash",
        press_fn=lambda coordinator: coordinator.libraries.async_empty_trash(),
    ),
    PlexButlerServerButtonDescription(
        key="clean_bundles",
        translation_key="clean_bundles",
        press_fn=lambda coordinator: coordinator.libraries.async_clean_bundles(),
    ),
    PlexButlerServerButtonDescription(
        key="optimize_database",
        translation_key="optimize_database",
        press_fn=lambda coordinator: coordinator.libraries.async_optimize_database(),
    ),
    PlexButlerServerButtonDescription(
        key="refresh_libraries",
        translation_key="refresh_libraries",
        press_fn=lambda coordinator: coordinator.libraries.async_refresh_libraries(),
    ),
)

LIBRARY_BUTTONS: tuple[PlexButlerLibraryButtonDescription, ...] = (
    PlexButlerLibraryButtonDescription(
        key="empty_trash",
        translation_key="empty_library_trash",
        press_fn=lambda libraries, key: libraries.async_empty_trash(key),
    ),
    PlexButlerLibraryButtonDescription(
        key="refresh",
        translation_key="refresh_library",
        press_fn=lambda libraries, key: libraries.async_refresh_libraries(key),
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: PlexButlerConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the server's buttons, and each task's and library's as the server reports them."""
    coordinator = entry.runtime_data
    async_add_entities(
        PlexButlerServerButton(coordinator, description) for description in SERVER_BUTTONS
    )
    async_add_task_entities(
        coordinator,
        async_add_entities,
        lambda task_name: (
            PlexButlerTaskButton(coordinator, description, task_name)
            for description in TASK_BUTTONS
            # The server cannot be asked to start or stop a name that is not one path segment.
            if is_addressable(task_name)
        ),
    )
    libraries = coordinator.libraries
    async_add_part_entities(
        entry,
        libraries,
        lambda: libraries.data or {},
        async_add_entities,
        lambda key: (
            PlexButlerLibraryButton(libraries, description, key) for description in LIBRARY_BUTTONS
        ),
    )


class PlexButlerServerButton(PlexButlerEntity, ButtonEntity):
    """A button of the whole server."""

    entity_description: PlexButlerServerButtonDescription

    @property
    def extra_state_attributes(self) -> dict[str, Any] | None:
        """What the press may do beyond starting or stopping tasks."""
        if self.entity_description.attributes_fn is None:
            return None
        return self.entity_description.attributes_fn(self.coordinator.data)

    async def async_press(self) -> None:
        """Send the request; the state is refreshed right after."""
        await self.entity_description.press_fn(self.coordinator)


class PlexButlerTaskButton(PlexButlerTaskEntity, ButtonEntity):
    """A button of one task."""

    entity_description: PlexButlerTaskButtonDescription

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """The task's name, which the dashboard card groups by."""
        return {"task_name": self.task_name}

    async def async_press(self) -> None:
        """Send the request; the state is refreshed right after."""
        await self.entity_description.press_fn(self.coordinator, self.task_name)


class PlexButlerLibraryButton(PlexButlerLibraryEntity, ButtonEntity):
    """A button of one library."""

    entity_description: PlexButlerLibraryButtonDescription

    async def async_press(self) -> None:
        """Send the request; the server's activities are read right after."""
        await self.entity_description.press_fn(self.coordinator, self.library_key)
