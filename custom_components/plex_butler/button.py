"""Buttons: start or stop one task, or all of them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from homeassistant.components.button import ButtonEntity, ButtonEntityDescription
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .client import is_addressable
from .coordinator import PlexButlerConfigEntry, PlexButlerCoordinator
from .entity import PlexButlerEntity, PlexButlerTaskEntity, async_add_task_entities
from .snapshot import ButlerSnapshot

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
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: PlexButlerConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the server's buttons, and each task's as the server reports it."""
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
