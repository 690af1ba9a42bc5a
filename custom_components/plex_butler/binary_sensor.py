"""Binary sensors: is maintenance running, and are live updates connected."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from homeassistant.components.binary_sensor import (
    BinarySensorDeviceClass,
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .butler.snapshot import MaintenanceState
from .const import MAINTENANCE_RUNNING
from .coordinator import PlexButlerConfigEntry, PlexButlerCoordinator
from .entity import PlexButlerEntity

# Every binary sensor reads the coordinator: no request of its own.
PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class PlexButlerBinarySensorDescription(BinarySensorEntityDescription):
    """Describes a binary sensor of the server."""

    is_on_fn: Callable[[PlexButlerCoordinator], bool]
    attributes_fn: Callable[[PlexButlerCoordinator], Mapping[str, Any] | None] = lambda _: None
    # Live-update status must stay visible while the server is unreachable.
    needs_server: bool = True


def _maintenance_attributes(maintenance: MaintenanceState) -> dict[str, Any]:
    """Tell how far the Butler's own run going on is, and when the last one was."""
    history = maintenance.history
    return {
        "progress": maintenance.progress,
        # "k of n" tasks of the run done, where the server's debug log tells it.
        "tasks_done": maintenance.completed,
        "tasks_in_run": maintenance.total,
        "last_started": history.last_started,
        "last_finished": history.last_finished,
        "last_duration": history.last_duration_seconds,
    }


BINARY_SENSORS: tuple[PlexButlerBinarySensorDescription, ...] = (
    PlexButlerBinarySensorDescription(
        key=MAINTENANCE_RUNNING,
        translation_key=MAINTENANCE_RUNNING,
        device_class=BinarySensorDeviceClass.RUNNING,
        is_on_fn=lambda coordinator: coordinator.data.maintenance_running,
        attributes_fn=lambda coordinator: _maintenance_attributes(coordinator.data.maintenance),
    ),
    PlexButlerBinarySensorDescription(
        key="live_updates",
        translation_key="live_updates",
        device_class=BinarySensorDeviceClass.CONNECTIVITY,
        entity_category=EntityCategory.DIAGNOSTIC,
        is_on_fn=lambda coordinator: coordinator.push_connected,
        needs_server=False,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: PlexButlerConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the server's binary sensors."""
    async_add_entities(
        PlexButlerBinarySensor(entry.runtime_data, description) for description in BINARY_SENSORS
    )


class PlexButlerBinarySensor(PlexButlerEntity, BinarySensorEntity):
    """A binary sensor of the server."""

    entity_description: PlexButlerBinarySensorDescription

    @property
    def available(self) -> bool:
        """Available with the server, except what reports the connection itself."""
        return super().available or not self.entity_description.needs_server

    @property
    def is_on(self) -> bool:
        """Whether the sensor is on."""
        return self.entity_description.is_on_fn(self.coordinator)

    @property
    def extra_state_attributes(self) -> Mapping[str, Any] | None:
        """Details of what the sensor tells, where it has any."""
        return self.entity_description.attributes_fn(self.coordinator)
