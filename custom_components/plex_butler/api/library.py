"""The server's library maintenance beside the Butler: its libraries, trash, bundles, database.

Like the client, this never imports Home Assistant. What each endpoint does is public
(python-plexapi, Plex's API spec); which activities the server shows for it is not, but for the
library scan.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Final

from .addressing import is_addressable
from .exceptions import PlexButlerResponseError, PlexButlerUnknownLibraryError
from .models import Library
from .parsing import parse_document, parse_libraries

type Request = Callable[..., Awaitable[tuple[int, bytes]]]

# A library scan, as a real server shows it ("Scanning Photos", with the section's id in its
# context). It is no Butler run, whoever asked for it.
LIBRARY_SCAN_TYPE: Final = "library.update.section"
# With async=1 the server answers at once and works on (python-plexapi sends it; without it the
# answer may wait for the work to end, longer than any timeout).
ASYNC: Final = {"async": "1"}


def _section_path(key: str, action: str) -> str:
    """Return the path of one library's action; a key that is not one path segment is none."""
    if not is_addressable(key):
        raise PlexButlerUnknownLibraryError(f"The server has no library {key:.60}")
    return f"/library/sections/{key}/{action}"


class LibraryMaintenance:
    """Sends the library endpoints through the client's requests (its token, limits, errors)."""

    def __init__(self, request: Request) -> None:
        """Send with `request(method, path, params=...)`, which returns a status and a body."""
        self._request = request

    async def libraries(self) -> tuple[Library, ...]:
        """Read the server's libraries."""
        return parse_libraries(parse_document(await self._ok("GET", "/library/sections")))

    async def empty_trash(self, key: str | None = None) -> tuple[str, ...]:
        """Empty one library's trash, or every library's; return the keys emptied.

        The server has no "empty every trash" endpoint: each library is sent its own, as Plex Web
        and python-plexapi do.
        """
        keys = (key,) if key is not None else tuple(lib.key for lib in await self.libraries())
        for each in keys:
            await self._section("PUT", each, "emptyTrash")
        return keys

    async def clean_bundles(self) -> None:
        """Remove the metadata bundles no library item uses any more."""
        await self._ok("PUT", "/library/clean/bundles", ASYNC)

    async def optimize_database(self) -> None:
        """Optimize the server's database now (not a run of the Butler's Optimize Database)."""
        await self._ok("PUT", "/library/optimize", ASYNC)

    async def refresh(self, key: str | None = None, *, force: bool = False) -> None:
        """Scan one library, or all; `force` also downloads their metadata again."""
        params = {"force": "1"} if force else {}
        if key is None:
            await self._ok("GET", "/library/sections/all/refresh", params)
        else:
            await self._section("GET", key, "refresh", params)

    async def _section(
        self, method: str, key: str, action: str, params: Mapping[str, str] | None = None
    ) -> None:
        status, _ = await self._request(method, _section_path(key, action), params=params)
        if status == 404:
            raise PlexButlerUnknownLibraryError(f"The server has no library {key:.60}")

    async def _ok(self, method: str, path: str, params: Mapping[str, str] | None = None) -> bytes:
        status, body = await self._request(method, path, params=params)
        if status != 200:
            raise PlexButlerResponseError(f"{method} {path} answered {status}")
        return body
