"""One server's libraries, and the maintenance sent to them beside the Butler.

The libraries are read at set-up, every few hours, whenever a library scan starts or ends (Plex
scans a library it has just been given), and when an action names one the list lacks or the server
no longer has. What the maintenance causes (a scan, the database optimized) shows as background
activity with the server's titles: none of it is a Butler task's run, whatever the task's name
(the Butler's Optimize Database and Refresh Libraries included). Only the Butler's own evidence
(its activity naming the task, its debug log) records a run, as for everything else (the state
machine, butler/machine.py).
"""

from __future__ import annotations

from collections.abc import Coroutine, Hashable
from typing import TYPE_CHECKING, Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator

from .api.exceptions import PlexButlerUnknownLibraryError
from .api.library import LIBRARY_SCAN_TYPE
from .api.models import Library
from .api.transport import SingleFlight
from .const import DOMAIN, LIBRARY_INTERVAL, LOGGER
from .errors import action_errors, update_errors

if TYPE_CHECKING:
    from collections.abc import Callable

    from .coordinator import PlexButlerCoordinator


class PlexLibraryCoordinator(DataUpdateCoordinator[dict[str, Library]]):
    """The libraries of one server by key, and its library maintenance."""

    config_entry: ConfigEntry

    def __init__(self, hass: HomeAssistant, butler: PlexButlerCoordinator) -> None:
        """Read the libraries of the server `butler` keeps."""
        super().__init__(
            hass,
            LOGGER,
            config_entry=butler.config_entry,
            name=f"{DOMAIN} {butler.config_entry.title} libraries",
            update_interval=LIBRARY_INTERVAL,
            always_update=False,
        )
        self.butler = butler
        self._scans: frozenset[str] = frozenset()
        self._butler_reachable = True
        self._single_flight = SingleFlight(
            lambda action, name: butler.config_entry.async_create_task(
                hass, action, f"{DOMAIN} {name}"
            )
        )
        butler.config_entry.async_on_unload(butler.async_add_listener(self._butler_updated))

    async def _async_update_data(self) -> dict[str, Library]:
        with update_errors("libraries_update_failed"):
            libraries = await self.butler.client.library.libraries()
        return {library.key: library for library in libraries}

    @property
    def reachable(self) -> bool:
        """Whether both the libraries and the server's Butler could be read last time."""
        return self.last_update_success and self.butler.last_update_success

    @callback
    def _butler_updated(self) -> None:
        """Read the libraries again when a scan starts or ends; show the server going away."""
        data = self.butler.data
        scans = frozenset(
            activity.uuid
            for activity in (data.background if data else ())
            if activity.type == LIBRARY_SCAN_TYPE
        )
        if scans != self._scans:
            self._scans = scans
            self._read_again()
        # The libraries' buttons are unavailable while the server is.
        if self.butler.last_update_success != self._butler_reachable:
            self._butler_reachable = self.butler.last_update_success
            self.async_update_listeners()

    @callback
    def _read_again(self) -> None:
        self.config_entry.async_create_background_task(
            self.hass, self.async_request_refresh(), f"{DOMAIN} read libraries"
        )

    async def _send[ResultT](
        self, key: Hashable, action: Callable[[], Coroutine[Any, Any, ResultT]]
    ) -> ResultT:
        """Send once for a burst of the same request; errors become translated ones.

        A library the server no longer has is read out of the list (its device goes). The
        activities then read at once show the work that began.
        """
        with action_errors(self.butler.server.friendly_name, self._start_reauth):
            try:
                result = await self._single_flight.run(key, action)
            except PlexButlerUnknownLibraryError:
                self._read_again()
                raise
        await self.butler.async_refresh()
        return result

    @callback
    def _start_reauth(self) -> None:
        self.config_entry.async_start_reauth(self.hass)

    async def async_empty_trash(self, key: str | None = None) -> None:
        """Empty one library's trash, or every library's."""
        await self._send(("empty trash", key), lambda: self.butler.client.library.empty_trash(key))

    async def async_clean_bundles(self) -> None:
        """Remove the bundles no library item uses any more."""
        await self._send("clean bundles", self.butler.client.library.clean_bundles)

    async def async_optimize_database(self) -> None:
        """Optimize the database now: no run of the Butler's Optimize Database task."""
        await self._send("optimize database", self.butler.client.library.optimize_database)

    async def async_refresh_libraries(self, key: str | None = None, *, force: bool = False) -> None:
        """Scan one library, or all; `force` downloads their metadata again."""
        await self._send(
            ("refresh", key, force),
            lambda: self.butler.client.library.refresh(key, force=force),
        )

    def named(self, wanted: str) -> Library | None:
        """Return the library whose title or key is `wanted`, in any case; None for none."""
        folded = wanted.strip().casefold()
        return next(
            (
                library
                for library in (self.data or {}).values()
                if folded in (library.key.casefold(), library.title.strip().casefold())
            ),
            None,
        )
