"""`browse()` lists a folder as python-plexapi does; a folder the server cannot list is an error."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import date
import json
from typing import Any

import aiohttp
from aiohttp import web
from hypothesis import given, settings, strategies as st
import pytest

from custom_components.plex_butler.api.client import PlexButlerClient
from custom_components.plex_butler.api.exceptions import (
    PlexButlerAuthenticationError,
    PlexButlerConnectionError,
    PlexButlerFolderError,
)
from custom_components.plex_butler.api.folders import browse_path, parse_folder
from custom_components.plex_butler.api.models import BrowsedFile
from tests.api.test_client import (
    CLIENT_ID,
    raises,
    serve as serve_fixture,  # noqa: F401 - the `serve` fixture
)
from tests.conftest import TOKEN
from tests.plex_simulator import EvidenceLevel, PlexSimulator
from tests.plex_simulator.settings import BACKUP_FOLDER

BACKUP_DATES = [date(2026, 11, 27), date(2026, 11, 30), date(2026, 12, 3)]


@pytest.fixture
async def make_client(socket_enabled: None) -> AsyncIterator[Callable[[str], PlexButlerClient]]:
    async with aiohttp.ClientSession() as session:
        yield lambda url: PlexButlerClient(url, TOKEN, session, client_identifier=CLIENT_ID)


@pytest.fixture
def client(
    plex_server: PlexSimulator, make_client: Callable[[str], PlexButlerClient]
) -> PlexButlerClient:
    return make_client(plex_server.url)


@pytest.fixture
def folder_server(plex_server: PlexSimulator) -> PlexSimulator:
    plex_server.set_evidence(EvidenceLevel.BACKUP_FOLDER)
    plex_server.backups = sorted(BACKUP_DATES, reverse=True)
    return plex_server


def backup_file(name: str) -> BrowsedFile:
    return BrowsedFile(f"{BACKUP_FOLDER}/{name}", name)


async def test_the_backup_folder(client: PlexButlerClient, folder_server: PlexSimulator) -> None:
    files = await client.browse(BACKUP_FOLDER)
    names = [file.title for file in files]
    for day in BACKUP_DATES:
        assert backup_file(f"com.plexapp.plugins.library.db-{day.isoformat()}") in files
        assert f"com.plexapp.plugins.library.blobs.db-{day.isoformat()}" in names
    assert {"com.plexapp.plugins.library.db", "com.plexapp.plugins.library.db-wal"} <= set(names)
    assert all(file.path == f"{BACKUP_FOLDER}/{file.title}" for file in files)


@pytest.mark.parametrize(
    ("path", "encoded"),
    [
        ("/config/Databases", "L2NvbmZpZy9EYXRhYmFzZXM="),
        ("/srv/plex ~?>", "L3Nydi9wbGV4IH4/Pg=="),  # a "/" in the base64: sent as is
    ],
)
async def test_the_path_is_encoded_as_python_plexapi_does(
    client: PlexButlerClient, plex_server: PlexSimulator, path: str, encoded: str
) -> None:
    await raises(PlexButlerFolderError, client.browse(path))
    request = plex_server.requests[-1]
    assert (request.path, request.query) == (f"/services/browse/{encoded}", {"includeFiles": "1"})


@pytest.mark.parametrize(
    ("status", "reason"), [(404, "missing"), (403, "refused"), (500, "failed")]
)
async def test_a_folder_the_server_cannot_list(
    client: PlexButlerClient, folder_server: PlexSimulator, status: int, reason: str
) -> None:
    folder_server.backup_folder_status = status
    err = await raises(PlexButlerFolderError, client.browse(BACKUP_FOLDER))
    assert err.reason == reason
    assert str(status) in str(err)


async def test_another_folder_is_missing(
    client: PlexButlerClient, folder_server: PlexSimulator
) -> None:
    err = await raises(PlexButlerFolderError, client.browse("/nowhere"))
    assert err.reason == "missing"


@pytest.mark.parametrize("knob", ["garbage", "truncated"])
async def test_an_unreadable_listing(
    client: PlexButlerClient, folder_server: PlexSimulator, knob: str
) -> None:
    setattr(folder_server.faults, knob, True)
    err = await raises(PlexButlerFolderError, client.browse(BACKUP_FOLDER))
    assert err.reason == "unreadable"


async def test_a_refused_token_is_no_folder_error(
    client: PlexButlerClient, folder_server: PlexSimulator
) -> None:
    folder_server.revoke_token()
    await raises(PlexButlerAuthenticationError, client.browse(BACKUP_FOLDER))


async def test_a_server_that_is_down(
    client: PlexButlerClient, folder_server: PlexSimulator
) -> None:
    await folder_server.go_down()
    await raises(PlexButlerConnectionError, client.browse(BACKUP_FOLDER))


async def test_xml_and_json_read_alike(folder_server: PlexSimulator) -> None:
    """The simulator's own answers, in both forms; folders (`Path`) and odd files are left out."""
    url = f"{folder_server.url}{browse_path(BACKUP_FOLDER)}?includeFiles=1"
    headers = {"X-Plex-Token": TOKEN}
    async with aiohttp.ClientSession() as session:
        async with session.get(url, headers=headers) as response:
            xml = await response.read()
        async with session.get(url, headers=headers | {"Accept": "application/json"}) as response:
            json_body = await response.read()
    assert xml.startswith(b"<")
    assert parse_folder(xml) == parse_folder(json_body)
    assert len(parse_folder(xml)) == 4 + 2 * len(BACKUP_DATES)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            b'<MediaContainer size="2"><Path key="/k" path="/d/sub" title="sub"/>'
            b'<File key="/k2" path="/d/a.db" title="a.db"/></MediaContainer>',
            (BrowsedFile("/d/a.db", "a.db"),),
        ),
        (
            b'{"MediaContainer": {"File": {"path": "C:\\\\Plex\\\\b.db"}}}',
            (BrowsedFile("C:\\Plex\\b.db", "b.db"),),
        ),
        (b'{"MediaContainer": {"size": 0}}', ()),
        (b'{"MediaContainer": {"File": [{"title": "no path"}, 3, {"path": ""}]}}', ()),
    ],
    ids=["xml-with-a-folder", "lone-json-file-windows", "empty", "files-without-paths"],
)
def test_listing_shapes(body: bytes, expected: tuple[BrowsedFile, ...]) -> None:
    assert parse_folder(body) == expected


@pytest.mark.parametrize(
    "body", [b"", b"[]", b'{"Other": {}}', b'{"MediaContainer": {"File": 3}}', b"<html>"]
)
def test_listings_that_are_none(body: bytes) -> None:
    with pytest.raises(PlexButlerFolderError) as info:
        parse_folder(body)
    assert info.value.reason == "unreadable"


async def test_a_folder_answer_from_elsewhere(
    aiohttp_server: Any, make_client: Callable[[str], PlexButlerClient]
) -> None:
    """A 502 from a proxy in front of the server: the folder is unknown, not the token."""

    async def bad_gateway(_request: web.Request) -> web.Response:
        return web.Response(status=502, text="<html>Bad gateway</html>")

    app = web.Application()
    app.router.add_get("/services/browse/{encoded:.+}", bad_gateway)
    server = await aiohttp_server(app, host="127.0.0.1")
    client = make_client(str(server.make_url("")))
    err = await raises(PlexButlerFolderError, client.browse("/data"))
    assert err.reason == "failed"


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(["File", "path", "title", "key", "Path", "x"]), children)
    ),
    max_leaves=15,
)


@settings(max_examples=300, deadline=None)
@given(
    document=st.dictionaries(st.sampled_from(["MediaContainer", "x"]), json_values, max_size=2)
    | json_values,
    raw=st.binary(max_size=40),
)
def test_no_listing_raises_anything_else(document: Any, raw: bytes) -> None:
    for body in (json.dumps(document).encode(), raw):
        try:
            files = parse_folder(body)
        except PlexButlerFolderError:
            continue
        assert all(isinstance(file, BrowsedFile) and file.path for file in files)
