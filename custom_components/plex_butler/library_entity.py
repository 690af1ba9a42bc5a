"""The libraries' entities: a device per library of a server, a part of the server's device.

Each library's device holds what concerns that library alone (its trash, its scan): the server's
page lists the libraries beside the tasks, and a server with many libraries keeps a short page.
"""

from __future__ import annotations

from homeassistant.core import callback
from homeassistant.helpers.entity import EntityDescription
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .api.models import ServerInfo
from .const import DOMAIN
from .entity import async_remove_device_of, name_part, part_device_info
from .library_coordinator import PlexLibraryCoordinator


def library_device_identifier(server: ServerInfo, key: str) -> tuple[str, str]:
    """Return the device registry identifier of one library of a server."""
    return (DOMAIN, f"{server.machine_identifier}_library_{key}")


class PlexButlerLibraryEntity(CoordinatorEntity[PlexLibraryCoordinator]):
    """An entity of one library, on the library's device (named after the library)."""

    _attr_has_entity_name = True

    def __init__(
        self, libraries: PlexLibraryCoordinator, description: EntityDescription, key: str
    ) -> None:
        """Attach the entity to the device of the library `key`."""
        super().__init__(libraries)
        self.entity_description = description
        self.library_key = key
        server = libraries.butler.server
        self._attr_unique_id = f"{server.machine_identifier}_library_{key}_{description.key}"
        self._attr_device_info = part_device_info(
            libraries.butler,
            library_device_identifier(server, key),
            name_part(libraries.data[key].title),
            "Library",
        )

    @property
    def available(self) -> bool:
        """Available while the server is reachable and still has the library."""
        return self.coordinator.reachable and self.library_key in self.coordinator.data

    @callback
    def _handle_coordinator_update(self) -> None:
        """Leave the registry, device and all, when the server no longer has the library."""
        if self.coordinator.last_update_success and self.library_key not in self.coordinator.data:
            async_remove_device_of(self, f"library {self.library_key}: the server has it no more")
            return
        super()._handle_coordinator_update()
