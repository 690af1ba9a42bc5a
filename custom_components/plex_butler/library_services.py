"""Actions of the server's library maintenance beside the Butler.

Empty the trash and refresh (scan) libraries, chosen by title or key (all of them by default),
clean bundles and optimize the database: on the server chosen with `config_entry_id`, which can
be left out with one server, as for start all and stop all.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from homeassistant.core import HomeAssistant, ServiceCall, callback
from homeassistant.helpers import config_validation as cv
import voluptuous as vol

from .api.models import Library
from .const import (
    ATTR_FORCE,
    ATTR_LIBRARY,
    DOMAIN,
    SERVICE_CLEAN_BUNDLES,
    SERVICE_EMPTY_TRASH,
    SERVICE_OPTIMIZE_DATABASE,
    SERVICE_REFRESH_LIBRARY,
)
from .library_coordinator import PlexLibraryCoordinator
from .services import ENTRY_SCHEMA, server_of_call, validation_error
from .texts import echoed

LIBRARY_SCHEMA = ENTRY_SCHEMA.extend(
    {vol.Optional(ATTR_LIBRARY): vol.All(cv.ensure_list, [cv.string])}
)
REFRESH_SCHEMA = LIBRARY_SCHEMA.extend({vol.Optional(ATTR_FORCE, default=False): cv.boolean})


async def _libraries_named(libraries: PlexLibraryCoordinator, names: list[str]) -> list[Library]:
    """Find libraries by title or key; a name the list lacks has the list read again first."""
    if any(libraries.named(name) is None for name in names):
        await libraries.async_refresh()
    found = []
    for name in names:
        if (library := libraries.named(name)) is None:
            raise validation_error(
                "unknown_library",
                library=echoed(name),
                server=libraries.butler.server.friendly_name,
                libraries=", ".join(sorted(lib.title for lib in (libraries.data or {}).values())),
            )
        found.append(library)
    return list(dict.fromkeys(found))


def _per_library(
    send: Callable[[PlexLibraryCoordinator, str | None, ServiceCall], Awaitable[None]],
) -> Callable[[ServiceCall], Coroutine[Any, Any, None]]:
    """Send to each library named in `library`, or once for all of them."""

    async def handle(call: ServiceCall) -> None:
        libraries = server_of_call(call).libraries
        names: list[str] = call.data.get(ATTR_LIBRARY, [])
        if not names:
            await send(libraries, None, call)
        for library in await _libraries_named(libraries, names):
            await send(libraries, library.key, call)

    return handle


def _server_wide(
    send: Callable[[PlexLibraryCoordinator], Awaitable[None]],
) -> Callable[[ServiceCall], Coroutine[Any, Any, None]]:
    async def handle(call: ServiceCall) -> None:
        await send(server_of_call(call).libraries)

    return handle


async def _empty_trash(libraries: PlexLibraryCoordinator, key: str | None, _: ServiceCall) -> None:
    await libraries.async_empty_trash(key)


async def _refresh(libraries: PlexLibraryCoordinator, key: str | None, call: ServiceCall) -> None:
    await libraries.async_refresh_libraries(key, force=call.data[ATTR_FORCE])


@callback
def async_setup_library_services(hass: HomeAssistant) -> None:
    """Register the library maintenance actions."""
    hass.services.async_register(
        DOMAIN, SERVICE_EMPTY_TRASH, _per_library(_empty_trash), schema=LIBRARY_SCHEMA
    )
    hass.services.async_register(
        DOMAIN, SERVICE_REFRESH_LIBRARY, _per_library(_refresh), schema=REFRESH_SCHEMA
    )
    for service, send in (
        (SERVICE_CLEAN_BUNDLES, PlexLibraryCoordinator.async_clean_bundles),
        (SERVICE_OPTIMIZE_DATABASE, PlexLibraryCoordinator.async_optimize_database),
    ):
        hass.services.async_register(DOMAIN, service, _server_wide(send), schema=ENTRY_SCHEMA)
