"""The client's library maintenance against the simulated server, over real loopback HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
from aiohttp import web
import pytest

from custom_components.plex_butler.api.client import PlexButlerClient
from custom_components.plex_butler.api.exceptions import (
    PlexButlerAuthenticationError,
    PlexButlerConnectionError,
    PlexButlerResponseError,
    PlexButlerUnknownLibraryError,
)
from custom_components.plex_butler.api.models import Library
from custom_components.plex_butler.api.parsing import parse_document, parse_libraries
from tests.conftest import TOKEN
from tests.plex_simulator import PlexSimulator

LIBRARIES = (
    Library("1", "Movies", "movie"),
    Library("2", "TV Shows", "show"),
    Library("3", "Music", "artist"),
)


@pytest.fixture
async def client(plex_server: PlexSimulator) -> AsyncIterator[PlexButlerClient]:
    async with aiohttp.ClientSession() as session:
        yield PlexButlerClient(plex_server.url, TOKEN, session, client_identifier="test")


def _sent(server: PlexSimulator) -> list[tuple[str, str, dict[str, str]]]:
    return [(r.method, r.path, r.query) for r in server.requests]


async def test_libraries_in_json_and_xml(
    client: PlexButlerClient, plex_server: PlexSimulator
) -> None:
    """The client asks for JSON; the server's default XML (keys as text) reads the same."""
    assert await client.library.libraries() == LIBRARIES
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"{plex_server.url}/library/sections", headers={"X-Plex-Token": TOKEN}) as xml,
    ):
        assert xml.content_type == "text/xml"
        assert parse_libraries(parse_document(await xml.read())) == LIBRARIES


@pytest.mark.parametrize("directory", [{"title": "Movies"}, {"key": "", "title": "Movies"}])
def test_a_library_without_a_key_is_refused(directory: dict[str, str]) -> None:
    """A `Directory` without a key could not be addressed: the answer is no list of libraries."""
    with pytest.raises(PlexButlerResponseError, match="key"):
        parse_libraries({"MediaContainer": {"Directory": [directory]}})
    assert parse_libraries({"MediaContainer": {"size": 0}}) == ()


async def test_each_action_sends_the_servers_own_request(
    client: PlexButlerClient, plex_server: PlexSimulator
) -> None:
    """The server's endpoints and parameters (as python-plexapi sends them), async=1 included."""
    assert await client.library.empty_trash("2") == ("2",)
    await client.library.clean_bundles()
    await client.library.optimize_database()
    await client.library.refresh()
    await client.library.refresh("3", force=True)
    assert _sent(plex_server) == [
        ("PUT", "/library/sections/2/emptyTrash", {}),
        ("PUT", "/library/clean/bundles", {"async": "1"}),
        ("PUT", "/library/optimize", {"async": "1"}),
        ("GET", "/library/sections/all/refresh", {}),
        ("GET", "/library/sections/3/refresh", {"force": "1"}),
    ]


async def test_emptying_every_trash_sends_one_request_a_library(
    client: PlexButlerClient, plex_server: PlexSimulator
) -> None:
    """The server has no endpoint for every trash at once: each library gets its own."""
    assert await client.library.empty_trash() == ("1", "2", "3")
    assert [(r.method, r.path) for r in plex_server.requests] == [
        ("GET", "/library/sections"),
        *(("PUT", f"/library/sections/{key}/emptyTrash") for key in ("1", "2", "3")),
    ]


async def test_an_unknown_library(client: PlexButlerClient, plex_server: PlexSimulator) -> None:
    """The server answers 404 for a library it does not have; a key of no path is never sent."""
    for send in (client.library.empty_trash("9"), client.library.refresh("9")):
        with pytest.raises(PlexButlerUnknownLibraryError):
            await send
    sent = len(plex_server.requests)
    with pytest.raises(PlexButlerUnknownLibraryError):
        await client.library.empty_trash("../optimize")
    assert len(plex_server.requests) == sent


async def test_a_refused_token_and_a_server_down(
    client: PlexButlerClient, plex_server: PlexSimulator
) -> None:
    """401 is a refused token; a server that does not answer cannot be talked to."""
    plex_server.revoke_token()
    with pytest.raises(PlexButlerAuthenticationError):
        await client.library.optimize_database()
    await plex_server.go_down()
    with pytest.raises(PlexButlerConnectionError):
        await client.library.clean_bundles()


async def test_an_endpoint_the_server_lacks(socket_enabled: None) -> None:
    """A server without the endpoint (404 outside a library) did not do the work: an error."""

    async def not_found(_request: web.Request) -> web.Response:
        return web.Response(status=404)

    app = web.Application()
    app.router.add_put("/library/optimize", not_found)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    try:
        async with aiohttp.ClientSession() as session:
            url = f"http://127.0.0.1:{runner.addresses[0][1]}"
            client = PlexButlerClient(url, TOKEN, session, client_identifier="test")
            with pytest.raises(PlexButlerResponseError, match="answered 404"):
                await client.library.optimize_database()
    finally:
        await runner.cleanup()
