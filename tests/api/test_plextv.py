"""The plex.tv client on its own, without Home Assistant: PINs, resources, connection order."""

from __future__ import annotations

import ast
import asyncio
from collections.abc import AsyncGenerator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import aiohttp
from aiohttp import web
import pytest

from custom_components.plex_butler.api import plextv
from custom_components.plex_butler.api.plextv import (
    Connection,
    Pin,
    PlexTvClient,
    PlexTvConnectionError,
    PlexTvPinExpiredError,
    first_answering,
    owned_servers,
    parse_resources,
)
from tests.plextv_simulator import ACCOUNT_TOKEN, PlexTvSimulator, connection, server_resource


@pytest.fixture
async def plex_tv(socket_enabled: None) -> AsyncGenerator[PlexTvSimulator]:
    """A simulated plex.tv."""
    simulator = PlexTvSimulator()
    await simulator.start()
    yield simulator
    await simulator.stop()


def client(session: aiohttp.ClientSession, url: str) -> PlexTvClient:
    """A client of plex.tv at `url`."""
    return PlexTvClient(
        session,
        client_identifier="client-1",
        product="Plex Butler",
        version="1",
        device_name="Home",
        plex_tv_url=url,
        app_url=f"{url}/",
    )


async def test_a_pin_is_signed_in_and_read(plex_tv: PlexTvSimulator) -> None:
    """A PIN, its sign-in page, and the account's token once signed in."""
    async with aiohttp.ClientSession() as session:
        plex = client(session, plex_tv.url)
        pin = await plex.create_pin()
        url = urlsplit(plex.auth_url(pin, "https://ha.example/cb?flow_id=1"))
        assert f"{url.scheme}://{url.netloc}{url.path}" == f"{plex_tv.url}/auth"
        query = parse_qs(url.fragment.removeprefix("!?"))
        assert query["clientID"] == ["client-1"]
        assert query["code"] == [pin.code]
        assert query["forwardUrl"] == ["https://ha.example/cb?flow_id=1"]
        assert await plex.wait_for_token(pin, tries=2, interval=0) is None
        plex_tv.sign_in(pin.code)
        assert await plex.wait_for_token(pin, tries=1, interval=0) == ACCOUNT_TOKEN
        plex_tv.pins_expired = True
        with pytest.raises(PlexTvPinExpiredError):
            await plex.pin_token(pin)
    [created] = [r for r in plex_tv.requests if r.method == "POST"]
    assert created.query["strong"] == "true"
    assert created.headers["X-Plex-Client-Identifier"] == "client-1"


async def test_the_auth_page_signs_the_pin_in(plex_tv: PlexTvSimulator) -> None:
    """The simulated sign-in page is served, and its button's request signs the PIN in."""
    async with aiohttp.ClientSession() as session:
        pin = await client(session, plex_tv.url).create_pin()
        async with session.get(f"{plex_tv.url}/auth") as response:
            assert 'id="sign-in"' in await response.text()
        await session.post(f"{plex_tv.url}/api/v2/pins/authorize", params={"code": pin.code})
    assert plex_tv.pins[pin.id].signed_in


async def test_resources_need_the_account_token(plex_tv: PlexTvSimulator) -> None:
    """The resources are read with the account's token; another is refused."""
    plex_tv.resources = [server_resource("Home", "a" * 40, [connection("http://127.0.0.1:1")])]
    async with aiohttp.ClientSession() as session:
        plex = client(session, plex_tv.url)
        [resource] = await plex.resources(ACCOUNT_TOKEN)
        assert resource.is_server
        assert resource.owned
        with pytest.raises(PlexTvConnectionError):
            await plex.resources("wrong")


@pytest.mark.parametrize(
    "answer",
    [{"id": "1", "code": "x"}, {"code": "x"}, ["not", "a", "pin"], "<html>"],
)
async def test_a_malformed_pin_answer(socket_enabled: None, answer: object) -> None:
    """A PIN answer without an id and a code is plex.tv failing."""

    async def pins(_request: web.Request) -> web.Response:
        if answer == "<html>":
            return web.Response(text="<html>")
        return web.json_response(answer)

    app = web.Application()
    app.router.add_post("/api/v2/pins", pins)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    try:
        async with aiohttp.ClientSession() as session:
            plex = client(session, f"http://127.0.0.1:{runner.addresses[0][1]}")
            with pytest.raises(PlexTvConnectionError):
                await plex.create_pin()
    finally:
        await runner.cleanup()


def test_odd_resources_are_skipped() -> None:
    """Entries that are no resource are skipped; odd connections too."""
    resources = parse_resources(
        [
            "text",
            {"name": "No id", "provides": "server"},
            {"clientIdentifier": "a", "provides": None},
            {"clientIdentifier": "b", "provides": "client,server", "connections": "x"},
            {"clientIdentifier": "c", "provides": "server", "connections": [1, {"uri": None}]},
        ]
    )
    assert [(r.name, r.connections) for r in resources] == [("b", ()), ("c", ())]
    assert owned_servers(resources) == []
    with pytest.raises(PlexTvConnectionError):
        parse_resources({"MediaContainer": {}})


def test_connections_in_the_order_plex_apps_try_them() -> None:
    """Local before remote before relay; https before http; IPv4 before IPv6."""
    raw = [
        {"uri": "https://relay:1", "local": False, "relay": True},
        {"uri": "http://remote:1", "local": False},
        {"uri": "https://remote:1", "local": False},
        {"uri": "http://[fd00::1]:1", "local": True, "IPv6": True},
        {"uri": "http://local:1", "local": True},
        {"uri": "https://local:1", "local": True},
    ]
    [resource] = parse_resources(
        [{"clientIdentifier": "a", "provides": "server", "connections": raw}]
    )
    assert [c.uri for c in resource.preferred_connections()] == [
        "https://local:1",
        "http://local:1",
        "http://[fd00::1]:1",
        "https://remote:1",
        "http://remote:1",
        "https://relay:1",
    ]


async def test_the_first_in_order_that_answers_wins() -> None:
    """All are asked at once; a later one that answers sooner waits for the earlier ones."""
    asked: list[str] = []
    slow_cancelled = asyncio.Event()

    async def answers(name: str) -> bool:
        asked.append(name)
        if name == "never":
            try:
                await asyncio.sleep(60)
            except asyncio.CancelledError:
                slow_cancelled.set()
                raise
        await asyncio.sleep({"first": 0.05, "second": 0, "fails": 0.01}.get(name, 0))
        return name != "fails"

    assert await first_answering(["fails", "first", "second", "never"], answers) == "first"
    assert asked == ["fails", "first", "second", "never"]
    assert slow_cancelled.is_set()
    assert await first_answering(["fails"], answers) is None
    assert await first_answering([], answers) is None


def test_a_connection_knows_its_kind() -> None:
    """The kind of a connection comes from its URI and flags."""
    [resource] = parse_resources(
        [
            {
                "clientIdentifier": "a",
                "provides": "server",
                "connections": [{"uri": "https://x:1", "local": True}],
            }
        ]
    )
    assert resource.connections == (
        Connection(uri="https://x:1", local=True, relay=False, https=True, ipv6=False),
    )
    assert resource.name == "a"
    assert Pin(1, "x").code == "x"


def test_the_client_imports_no_home_assistant() -> None:
    """plextv.py stands on its own, as client.py does: aiohttp and yarl, nothing of ours."""
    source = Path(plextv.__file__).read_text(encoding="utf-8")
    imported = {
        (node.module or "") if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert not {name for name in imported if name.split(".")[0] == "homeassistant"}
    assert not any(
        isinstance(node, ast.ImportFrom) and node.level for node in ast.walk(ast.parse(source))
    )
