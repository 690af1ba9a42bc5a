"""Tests of the Plex client against the simulated server, over real loopback HTTP."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
import contextlib
from dataclasses import dataclass, field
import gzip
import json
from pathlib import Path
import ssl
import traceback
import tracemalloc
from typing import Any

import aiohttp
from aiohttp import web
import pytest

from custom_components.plex_butler.api import client as plex_client
from custom_components.plex_butler.api.client import PlexButlerClient
from custom_components.plex_butler.api.exceptions import (
    PlexButlerAuthenticationError,
    PlexButlerConnectionError,
    PlexButlerError,
    PlexButlerPlainHttpError,
    PlexButlerResponseError,
    PlexButlerSettingRefusedError,
    PlexButlerSSLError,
    PlexButlerTimeoutError,
    PlexButlerUnknownTaskError,
)
from custom_components.plex_butler.api.models import (
    Activity,
    ActivityEvent,
    ActivityNotification,
    ButlerTask,
    Notification,
    PreferenceNotification,
    ServerIdentity,
    ServerInfo,
    StartResult,
    StopResult,
)
from custom_components.plex_butler.api.parsing import (
    parse_activities,
    parse_butler_tasks,
    parse_document,
    parse_identity,
    parse_server_info,
    parse_settings,
)
from tests.conftest import MACHINE_ID, SERVER_NAME, TOKEN
from tests.plex_simulator import DEFAULT_TASKS, SETTINGS, PlexSimulator
from tests.plex_simulator.catalog import BUTLER
from tests.tls import plex_direct_tls

CLIENT_ID = "plex-butler-test-client"
SIMULATOR_VERSION = "1.41.3.9314-a0bfb8370"
NOTIFICATIONS_PATH = "/:/websockets/notifications"
WAIT = 5.0
"""Seconds a test waits for something the simulator does at once."""

type Serve = Callable[..., Awaitable[str]]


# --- Helpers ---------------------------------------------------------------------------------


def assert_no_token(err: BaseException) -> None:
    """Neither the error nor anything a log would show of it (its chain too) holds the token."""
    assert TOKEN not in str(err)
    assert TOKEN not in repr(err)
    assert TOKEN not in "".join(traceback.format_exception(err))


async def raises[ErrorT: PlexButlerError](kind: type[ErrorT], awaitable: Awaitable[Any]) -> ErrorT:
    """Await, expect exactly `kind`, and check that the error does not leak the token."""
    with pytest.raises(PlexButlerError) as info:
        await awaitable
    assert type(info.value) is kind, repr(info.value)
    assert_no_token(info.value)
    return info.value


async def wait_until(condition: Callable[[], bool]) -> None:
    async with asyncio.timeout(WAIT):
        while not condition():  # noqa: ASYNC110 - the simulator's state has no event to await
            await asyncio.sleep(0.01)


@dataclass
class Listener:
    """Collects what `notifications()` yields, in a task of its own."""

    client: PlexButlerClient
    received: asyncio.Queue[Notification] = field(default_factory=asyncio.Queue)
    task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self.task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        async for notification in self.client.notifications():
            self.received.put_nowait(notification)

    async def next(self) -> Notification:
        async with asyncio.timeout(WAIT):
            return await self.received.get()

    async def outcome(self) -> None:
        """Wait for the iteration to end; re-raise what ended it."""
        assert self.task is not None
        async with asyncio.timeout(WAIT):
            await self.task


@contextlib.asynccontextmanager
async def listening(client: PlexButlerClient, server: PlexSimulator) -> AsyncIterator[Listener]:
    """Listen for notifications; the simulator has the websocket open when this yields."""
    listener = Listener(client)
    before = server.websocket_count
    listener.start()
    try:
        await wait_until(lambda: server.websocket_count > before)
        yield listener
    finally:
        assert listener.task is not None
        listener.task.cancel()
        with contextlib.suppress(asyncio.CancelledError, PlexButlerError):
            await listener.task


def expected_task(name: str) -> ButlerTask:
    task = next(task for task in DEFAULT_TASKS if task.name == name)
    return ButlerTask(
        name=task.name,
        title=task.title,
        description=task.description,
        interval=task.interval,
        schedule_randomized=task.schedule_randomized,
        enabled=task.enabled,
    )


# --- Fixtures --------------------------------------------------------------------------------


@pytest.fixture
async def session(socket_enabled: None) -> AsyncIterator[aiohttp.ClientSession]:
    session = aiohttp.ClientSession()
    yield session
    await session.close()


@pytest.fixture
def make_client(
    session: aiohttp.ClientSession,
) -> Callable[..., PlexButlerClient]:
    def make(url: str, token: str = TOKEN, **kwargs: Any) -> PlexButlerClient:
        return PlexButlerClient(url, token, session, client_identifier=CLIENT_ID, **kwargs)

    return make


@pytest.fixture
def client(
    plex_server: PlexSimulator, make_client: Callable[..., PlexButlerClient]
) -> PlexButlerClient:
    return make_client(plex_server.url)


@pytest.fixture
async def serve(socket_enabled: None) -> AsyncIterator[Serve]:
    """Serve a small aiohttp app on 127.0.0.1, for answers the simulator cannot give."""
    runners: list[web.AppRunner] = []

    async def start(app: web.Application, ssl_context: ssl.SSLContext | None = None) -> str:
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await runner.setup()
        runners.append(runner)
        await web.TCPSite(runner, "127.0.0.1", 0, ssl_context=ssl_context).start()
        scheme = "https" if ssl_context else "http"
        return f"{scheme}://127.0.0.1:{runner.addresses[0][1]}"

    yield start
    for runner in runners:
        await runner.cleanup()


async def get_raw(
    session: aiohttp.ClientSession, url: str, headers: dict[str, str]
) -> tuple[int, str, bytes]:
    async with session.get(url, headers=headers) as response:
        return response.status, response.content_type, await response.read()


# --- Construction ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["127.0.0.1:32400", "plex.local", "ftp://plex.local:32400", "http://", "ws://plex.local"],
)
def test_invalid_url_is_refused(session: aiohttp.ClientSession, url: str) -> None:
    with pytest.raises(ValueError, match="http:// or https://") as info:
        PlexButlerClient(url, TOKEN, session, client_identifier=CLIENT_ID)
    assert_no_token(info.value)


def test_url_loses_only_its_trailing_slash(session: aiohttp.ClientSession) -> None:
    client = PlexButlerClient(
        "https://plex.example:32400/plex/", TOKEN, session, client_identifier=CLIENT_ID
    )
    assert client.url == "https://plex.example:32400/plex"


@pytest.mark.parametrize(
    ("pasted", "base"),
    [
        ("http://192.168.1.10:32400/web/index.html#!/settings/server", "http://192.168.1.10:32400"),
        ("http://192.168.1.10:32400/web", "http://192.168.1.10:32400"),
        ("https://example.org/plex/web/index.html", "https://example.org/plex"),
        ("https://example.org/plex/web/", "https://example.org/plex"),
    ],
)
def test_plex_web_address_leads_to_the_server(
    session: aiohttp.ClientSession, pasted: str, base: str
) -> None:
    """An address copied from Plex Web loses `/web` and what follows, not a proxy's prefix."""
    client = PlexButlerClient(pasted, TOKEN, session, client_identifier=CLIENT_ID)
    assert client.url == base


# --- Reads -----------------------------------------------------------------------------------


async def test_identity_needs_no_token(
    plex_server: PlexSimulator, make_client: Callable[..., PlexButlerClient]
) -> None:
    identity = await make_client(plex_server.url, token="not-the-token").identity()
    assert identity == ServerIdentity(
        machine_identifier=MACHINE_ID, version=SIMULATOR_VERSION, claimed=True
    )
    plex_server.revoke_token()
    assert await make_client(plex_server.url).identity() == identity


async def test_server_info(client: PlexButlerClient) -> None:
    assert await client.server_info() == ServerInfo(
        machine_identifier=MACHINE_ID,
        friendly_name=SERVER_NAME,
        version=SIMULATOR_VERSION,
        platform="Linux",
        platform_version="6.8.0-51-generic",
    )


async def test_butler_tasks_as_reported(client: PlexButlerClient) -> None:
    tasks = await client.butler_tasks()
    assert tasks == tuple(expected_task(task.name) for task in DEFAULT_TASKS)
    by_name = {task.name: task for task in tasks}
    # Old names, newer names, and names that themselves begin with "ButlerTask".
    assert {"BackupDatabase", "OptimizeDatabase", "RefreshLibraries"} <= by_name.keys()
    assert {"AutomaticUpdates", "GarbageCollectBlobs", "ProcessAssets"} <= by_name.keys()
    assert {"ButlerTaskGenerateIntroMarkers", "ButlerTaskCleanSupplementalLogFiles"} <= set(by_name)
    assert by_name["BackupDatabase"] == ButlerTask(
        name="BackupDatabase",
        title="Backup Database",
        description="Create a backup copy of the server's database in the configured backup "
        "directory",
        interval=3,
        schedule_randomized=False,
        enabled=True,
    )
    # Booleans both ways.
    assert by_name["ButlerTaskGenerateAdMarkers"].enabled is False
    assert by_name["ButlerTaskGenerateAdMarkers"].schedule_randomized is True
    assert by_name["RefreshLibraries"].enabled is False
    assert by_name["OptimizeDatabase"].interval == 7
    assert by_name["GarbageCollectBlobs"].description == ""


async def test_butler_tasks_follow_the_server(
    client: PlexButlerClient, plex_server: PlexSimulator
) -> None:
    del plex_server.tasks["BackupDatabase"]
    names = [task.name for task in await client.butler_tasks()]
    assert "BackupDatabase" not in names
    assert len(names) == len(DEFAULT_TASKS) - 1


async def test_activities_idle_and_busy(
    client: PlexButlerClient, plex_server: PlexSimulator
) -> None:
    assert await client.activities() == ()

    scan = await plex_server.add_activity(
        "library.update.section",
        "Scanning Photos",
        30,
        subtitle="4th Birthday",
        context={"librarySectionID": "1"},
    )
    await plex_server.butler.start_task("BackupDatabase")
    activities = {activity.uuid: activity for activity in await client.activities()}
    backup = plex_server.butler.running["BackupDatabase"]
    assert activities == {
        scan.uuid: Activity(
            uuid=scan.uuid,
            type="library.update.section",
            title="Scanning Photos",
            subtitle="4th Birthday",
            progress=30,
            cancellable=False,
        ),
        backup.uuid: Activity(
            uuid=backup.uuid,
            type="butler",
            title=BUTLER.title,
            subtitle="",
            progress=0,
            cancellable=True,
        ),
    }

    await plex_server.butler.end_activity(scan.uuid)
    await plex_server.butler.end_activity(backup.uuid)
    assert await client.activities() == ()


async def test_preferences(client: PlexButlerClient) -> None:
    settings = {setting.id: setting for setting in await client.preferences()}
    assert set(settings) == {setting.id for setting in SETTINGS}
    start_hour = settings["ButlerStartHour"]
    assert (start_hour.type, start_hour.value, start_hour.default) == ("int", "2", "2")
    assert start_hour.label == "Time at which tasks start to run"
    assert start_hour.summary.startswith("The time at which the server starts")
    # JSON booleans come out in the XML spelling.
    backup = settings["ButlerTaskBackupDatabase"]
    assert (backup.type, backup.value, backup.default) == ("bool", "1", "1")
    assert settings["ButlerTaskRefreshLibraries"].value == "0"
    assert settings["GenerateBIFBehavior"].value == "scheduled"


async def test_set_preferences(client: PlexButlerClient, plex_server: PlexSimulator) -> None:
    await client.set_preferences(
        {
            "ButlerStartHour": 3,
            "ButlerTaskRefreshLibraries": True,
            "ButlerTaskBackupDatabase": False,
            "GenerateBIFBehavior": "asap",
        }
    )
    put = plex_server.requests[-1]
    assert (put.method, put.path) == ("PUT", "/:/prefs")
    assert put.query == {
        "ButlerStartHour": "3",
        "ButlerTaskRefreshLibraries": "1",
        "ButlerTaskBackupDatabase": "0",
        "GenerateBIFBehavior": "asap",
    }
    assert plex_server.preferences["ButlerStartHour"] == "3"
    assert plex_server.preferences["ButlerTaskRefreshLibraries"] == "1"
    assert plex_server.preferences["ButlerTaskBackupDatabase"] == "0"
    assert plex_server.preferences["GenerateBIFBehavior"] == "asap"

    settings = {setting.id: setting.value for setting in await client.preferences()}
    assert settings["ButlerStartHour"] == "3"
    assert settings["ButlerTaskRefreshLibraries"] == "1"
    assert settings["ButlerTaskBackupDatabase"] == "0"
    tasks = {task.name: task for task in await client.butler_tasks()}
    assert tasks["RefreshLibraries"].enabled is True
    assert tasks["BackupDatabase"].enabled is False


@pytest.mark.parametrize("status", [400, 403])
async def test_set_unknown_preference_is_refused(
    client: PlexButlerClient, plex_server: PlexSimulator, status: int
) -> None:
    """400 or 403 to a name the server does not know: a refused setting, not a refused token."""
    plex_server.faults.unknown_preference_status = status
    before = dict(plex_server.preferences)
    err = await raises(
        PlexButlerSettingRefusedError,
        client.set_preferences({"ButlerStartHour": 4, "NoSuchSetting": "1"}),
    )
    assert str(status) in str(err)
    assert plex_server.preferences == before
    assert "NoSuchSetting" not in plex_server.preferences


async def test_set_invalid_value_is_refused(
    client: PlexButlerClient, plex_server: PlexSimulator
) -> None:
    await raises(PlexButlerSettingRefusedError, client.set_preferences({"ButlerStartHour": "late"}))
    assert plex_server.preferences["ButlerStartHour"] == "2"


# --- Butler operations -----------------------------------------------------------------------


async def test_start_task(client: PlexButlerClient, plex_server: PlexSimulator) -> None:
    assert await client.start_task("BackupDatabase") is StartResult.STARTED
    assert set(plex_server.butler.running) == {"BackupDatabase"}
    first_run = plex_server.butler.running["BackupDatabase"]

    assert await client.start_task("BackupDatabase") is StartResult.ALREADY_RUNNING
    assert plex_server.butler.running["BackupDatabase"] is first_run
    assert [request.path for request in plex_server.requests] == ["/butler/BackupDatabase"] * 2


async def test_start_task_with_a_butler_task_name(
    client: PlexButlerClient, plex_server: PlexSimulator
) -> None:
    name = "ButlerTaskGenerateIntroMarkers"
    assert await client.start_task(name) is StartResult.STARTED
    assert set(plex_server.butler.running) == {name}


async def test_start_unknown_task(client: PlexButlerClient, plex_server: PlexSimulator) -> None:
    err = await raises(PlexButlerUnknownTaskError, client.start_task("NoSuchTask"))
    assert "NoSuchTask" in str(err)
    assert plex_server.butler.running == {}


@pytest.mark.parametrize("name", ["", ".", "..", "../butler", "a/b", "../../identity"])
async def test_task_names_stay_in_their_path(
    client: PlexButlerClient, plex_server: PlexSimulator, name: str
) -> None:
    """A name that is not one path segment cannot be a task's: it must not reach `/butler`."""
    await plex_server.butler.start_task("BackupDatabase")
    await raises(PlexButlerUnknownTaskError, client.start_task(name))
    await raises(PlexButlerUnknownTaskError, client.stop_task(name))
    assert set(plex_server.butler.running) == {"BackupDatabase"}
    assert plex_server.requests == []


async def test_task_names_are_encoded(client: PlexButlerClient, plex_server: PlexSimulator) -> None:
    await raises(PlexButlerUnknownTaskError, client.start_task("Backup?Database#now"))
    request = plex_server.requests[-1]
    assert (request.method, request.path, request.query) == (
        "POST",
        "/butler/Backup?Database#now",
        {},
    )


async def test_stop_task(client: PlexButlerClient, plex_server: PlexSimulator) -> None:
    await plex_server.butler.start_task("OptimizeDatabase")
    assert await client.stop_task("OptimizeDatabase") is StopResult.STOPPED
    assert plex_server.butler.running == {}
    assert await client.activities() == ()
    assert await client.stop_task("OptimizeDatabase") is StopResult.NOT_RUNNING
    # The server cannot tell an unknown name from a task that is not running.
    assert await client.stop_task("NoSuchTask") is StopResult.NOT_RUNNING


async def test_start_and_stop_all_tasks(
    client: PlexButlerClient, plex_server: PlexSimulator
) -> None:
    await client.start_all_tasks()
    enabled = {task.name for task in DEFAULT_TASKS if task.enabled}
    # Every enabled task is due; randomized ones wait when the test runs in the window.
    assert set(plex_server.butler.running) | plex_server.butler.scheduled == enabled
    assert not set(plex_server.butler.running) & plex_server.butler.scheduled
    # One Butler activity for all the runs, and the media work of those that do some.
    shown = {activity.uuid for activity in await client.activities()}
    assert shown == {activity.uuid for activity in plex_server.butler.running.values()}
    assert [a.type for a in await client.activities()].count("butler") == 1

    await client.stop_all_tasks()
    assert plex_server.butler.running == {}
    assert plex_server.butler.scheduled == set()
    assert await client.activities() == ()
    assert [(request.method, request.path) for request in plex_server.requests[:2]] == [
        ("POST", "/butler"),
        ("GET", "/activities"),
    ]


# --- What goes over the wire -----------------------------------------------------------------


async def test_requests_carry_the_token_only_as_a_header(
    client: PlexButlerClient, plex_server: PlexSimulator
) -> None:
    await client.identity()
    await client.server_info()
    await client.butler_tasks()
    await client.activities()
    await client.preferences()
    await client.set_preferences({"ButlerEndHour": 6})
    await client.start_task("BackupDatabase")
    await client.stop_task("BackupDatabase")
    await client.start_all_tasks()
    await client.stop_all_tasks()
    async with listening(client, plex_server):
        pass

    paths = {(request.method, request.path) for request in plex_server.requests}
    assert paths == {
        ("GET", "/identity"),
        ("GET", "/"),
        ("GET", "/butler"),
        ("GET", "/activities"),
        ("GET", "/:/prefs"),
        ("PUT", "/:/prefs"),
        ("POST", "/butler/BackupDatabase"),
        ("DELETE", "/butler/BackupDatabase"),
        ("POST", "/butler"),
        ("DELETE", "/butler"),
        ("GET", NOTIFICATIONS_PATH),
    }
    for request in plex_server.requests:
        assert TOKEN not in request.path
        assert all(TOKEN not in f"{key}={value}" for key, value in request.query.items())
        assert not any(key.lower() == "x-plex-token" for key in request.query)
        headers = {key.lower(): value for key, value in request.headers.items()}
        assert headers["x-plex-token"] == TOKEN
        assert headers["x-plex-client-identifier"] == CLIENT_ID
        assert headers["x-plex-product"] == plex_client.PRODUCT
        assert headers["x-plex-version"] == plex_client.PRODUCT_VERSION
        assert headers["accept"] == "application/json"
    websocket = next(r for r in plex_server.requests if r.path == NOTIFICATIONS_PATH)
    assert websocket.query == {"filters": "activity,preference,log"}


async def test_base_url_path_is_kept(
    plex_server: PlexSimulator, make_client: Callable[..., PlexButlerClient]
) -> None:
    """Behind a reverse proxy at /plex every call keeps the prefix; the simulator has none."""
    client = make_client(f"{plex_server.url}/plex/")
    assert client.url == f"{plex_server.url}/plex"

    await raises(PlexButlerResponseError, client.identity())
    await raises(PlexButlerResponseError, client.butler_tasks())
    await raises(PlexButlerResponseError, client.set_preferences({"ButlerStartHour": 4}))
    await raises(PlexButlerUnknownTaskError, client.start_task("BackupDatabase"))
    assert await client.stop_task("BackupDatabase") is StopResult.NOT_RUNNING
    await raises(PlexButlerResponseError, client.start_all_tasks())
    await raises(PlexButlerResponseError, client.stop_all_tasks())
    await raises(PlexButlerConnectionError, anext(client.notifications()))

    assert [request.path for request in plex_server.requests] == [
        "/plex/identity",
        "/plex/butler",
        "/plex/:/prefs",
        "/plex/butler/BackupDatabase",
        "/plex/butler/BackupDatabase",
        "/plex/butler",
        "/plex/butler",
        "/plex" + NOTIFICATIONS_PATH,
    ]
    assert plex_server.butler.running == {}
    assert plex_server.preferences["ButlerStartHour"] == "2"


# --- XML answers -----------------------------------------------------------------------------


async def test_xml_answers_parse_like_json(
    client: PlexButlerClient, plex_server: PlexSimulator, session: aiohttp.ClientSession
) -> None:
    """The server answers XML to clients that do not ask for JSON: the parsers read both."""
    await plex_server.add_activity(
        "library.update.section", "Scanning Photos", 30, context={"librarySectionID": "1"}
    )
    await plex_server.butler.start_task("BackupDatabase")
    await plex_server.set_preference("ButlerTaskRefreshLibraries", "1")

    async def xml(path: str) -> dict[str, Any]:
        status, content_type, body = await get_raw(
            session, plex_server.url + path, {"X-Plex-Token": TOKEN}
        )
        assert (status, content_type) == (200, "text/xml")
        assert body.lstrip().startswith(b"<")
        return parse_document(body)

    assert parse_identity(await xml("/identity")) == await client.identity()
    assert parse_server_info(await xml("/")) == await client.server_info()
    xml_tasks = parse_butler_tasks(await xml("/butler"))
    assert xml_tasks == await client.butler_tasks()
    assert len(xml_tasks) == len(DEFAULT_TASKS)
    assert {task.name: task.enabled for task in xml_tasks}["RefreshLibraries"] is True
    xml_activities = parse_activities(await xml("/activities"))
    assert len(xml_activities) == 2
    assert sorted(xml_activities, key=lambda a: a.uuid) == sorted(
        await client.activities(), key=lambda a: a.uuid
    )
    xml_settings = {setting.id: setting for setting in parse_settings(await xml("/:/prefs"))}
    assert tuple(xml_settings.values()) == await client.preferences()
    assert xml_settings["ButlerTaskRefreshLibraries"].value == "1"

    for uuid in list(plex_server.activities):
        await plex_server.butler.end_activity(uuid)
    idle = await get_raw(session, plex_server.url + "/activities", {"X-Plex-Token": TOKEN})
    assert b"<Activity" not in idle[2]  # no element at all when idle
    assert parse_activities(parse_document(idle[2])) == ()


# --- Authentication --------------------------------------------------------------------------


async def test_revoked_token(
    client: PlexButlerClient, plex_server: PlexSimulator, session: aiohttp.ClientSession
) -> None:
    plex_server.revoke_token()
    # The trap: 401 with an HTML body although JSON was asked for.
    status, content_type, body = await get_raw(
        session, plex_server.url + "/butler", {"X-Plex-Token": TOKEN, "Accept": "application/json"}
    )
    assert (status, content_type) == (401, "text/html")
    assert body.startswith(b"<html>")

    for call in (
        client.server_info(),
        client.butler_tasks(),
        client.activities(),
        client.preferences(),
        client.set_preferences({"ButlerStartHour": 4}),
        client.start_task("BackupDatabase"),
        client.stop_task("BackupDatabase"),
        client.start_all_tasks(),
        client.stop_all_tasks(),
        anext(client.notifications()),
    ):
        err = await raises(PlexButlerAuthenticationError, call)
        assert "401" in str(err)
    assert plex_server.butler.running == {}
    assert await client.identity()  # needs no token

    plex_server.set_token(TOKEN)
    assert (await client.server_info()).machine_identifier == MACHINE_ID


async def test_new_token(
    plex_server: PlexSimulator, make_client: Callable[..., PlexButlerClient]
) -> None:
    plex_server.set_token("a-new-token")
    await raises(PlexButlerAuthenticationError, make_client(plex_server.url).butler_tasks())
    assert await make_client(plex_server.url, token="a-new-token").butler_tasks()


async def test_forbidden(serve: Serve, make_client: Callable[..., PlexButlerClient]) -> None:
    """403 (a token that is not the owner's) is refused like 401; the simulator never sends it.

    Not when writing settings, where 403 is the server's answer to a name it does not know.
    """

    async def forbidden(_request: web.Request) -> web.Response:
        return web.Response(status=403, text="<html><body>Forbidden</body></html>")

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", forbidden)
    client = make_client(await serve(app))
    for call in (
        client.server_info(),
        client.butler_tasks(),
        client.start_task("BackupDatabase"),
        anext(client.notifications()),
    ):
        err = await raises(PlexButlerAuthenticationError, call)
        assert "403" in str(err)
    err = await raises(PlexButlerSettingRefusedError, client.set_preferences({"NoSuchSetting": 1}))
    assert "403" in str(err)


# --- Faults ----------------------------------------------------------------------------------


async def test_server_down(client: PlexButlerClient, plex_server: PlexSimulator) -> None:
    await plex_server.go_down()
    for call in (
        client.identity(),
        client.server_info(),
        client.butler_tasks(),
        client.start_task("BackupDatabase"),
        client.stop_all_tasks(),
        anext(client.notifications()),
    ):
        err = await raises(PlexButlerConnectionError, call)
        assert "127.0.0.1" in str(err)
    await plex_server.come_back()
    assert (await client.server_info()).friendly_name == SERVER_NAME


async def test_slow_server(
    plex_server: PlexSimulator, make_client: Callable[..., PlexButlerClient]
) -> None:
    client = make_client(plex_server.url, timeout=0.2)
    plex_server.faults.delay = 1.0
    for call in (client.identity(), client.butler_tasks(), client.start_task("BackupDatabase")):
        err = await raises(PlexButlerTimeoutError, call)
        assert "in time" in str(err)
    # A real server carries out a request whose answer came too late: the task starts all the same.
    await wait_until(lambda: "BackupDatabase" in plex_server.butler.running)
    plex_server.faults.delay = 0.0
    assert len(await client.butler_tasks()) == len(DEFAULT_TASKS)


async def test_slow_websocket_handshake(
    plex_server: PlexSimulator, make_client: Callable[..., PlexButlerClient]
) -> None:
    """The notification websocket's handshake has the client's time limit too."""
    client = make_client(plex_server.url, timeout=0.2)
    plex_server.faults.delay = 1.0
    with pytest.raises(PlexButlerConnectionError) as err:
        async for _ in client.notifications():
            pass
    assert TOKEN not in str(err.value)


async def test_server_error(client: PlexButlerClient, plex_server: PlexSimulator) -> None:
    plex_server.faults.fail_with_500 = True
    for call in (
        client.server_info(),
        client.butler_tasks(),
        client.activities(),
        client.set_preferences({"ButlerStartHour": 4}),
        client.start_task("BackupDatabase"),
        client.stop_task("BackupDatabase"),
        client.start_all_tasks(),
    ):
        err = await raises(PlexButlerResponseError, call)
        assert "500" in str(err)
    # The upgrade is refused with 500: not a token problem.
    err = await raises(PlexButlerConnectionError, anext(client.notifications()))
    assert "500" in str(err)
    assert plex_server.butler.running == {}
    assert plex_server.preferences["ButlerStartHour"] == "2"


async def test_garbage(client: PlexButlerClient, plex_server: PlexSimulator) -> None:
    plex_server.faults.garbage = True
    for call in (
        client.server_info(),
        client.butler_tasks(),
        client.activities(),
        client.preferences(),
    ):
        await raises(PlexButlerResponseError, call)
    # Operations do not read the body: the answer's status is what counts.
    assert await client.start_task("BackupDatabase") is StartResult.STARTED


async def test_truncated(client: PlexButlerClient, plex_server: PlexSimulator) -> None:
    plex_server.faults.truncated = True
    for call in (client.server_info(), client.butler_tasks(), client.preferences()):
        with pytest.raises(PlexButlerError) as info:
            await call
        assert isinstance(info.value, PlexButlerResponseError | PlexButlerConnectionError)
        assert_no_token(info.value)


async def test_connection_cut_mid_answer(
    socket_enabled: None, make_client: Callable[..., PlexButlerClient]
) -> None:
    """A body shorter than its Content-Length: the connection broke."""

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n"
            b'{"ButlerTasks": {"ButlerTask": ['
        )
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    try:
        port = server.sockets[0].getsockname()[1]
        cut = make_client(f"http://127.0.0.1:{port}")
        await raises(PlexButlerConnectionError, cut.butler_tasks())
    finally:
        server.close()
        await server.wait_closed()


async def test_oversized_answer_with_length(
    client: PlexButlerClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(plex_client, "MAX_RESPONSE_BYTES", 1000)
    assert (await client.identity()).machine_identifier == MACHINE_ID  # a small answer
    err = await raises(PlexButlerResponseError, client.butler_tasks())
    assert "too large" in str(err)


async def test_oversized_streamed_answer(
    serve: Serve, make_client: Callable[..., PlexButlerClient]
) -> None:
    """A chunked answer (no Content-Length) is cut off at the default limit."""
    sent: list[int] = []

    async def endless(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "application/json"})
        await response.prepare(request)
        chunk = b" " * 65536
        with contextlib.suppress(ConnectionError):
            for _ in range(64):  # 4 MiB at most
                await response.write(chunk)
                sent.append(len(chunk))
        return response

    app = web.Application()
    app.router.add_get("/butler", endless)
    err = await raises(PlexButlerResponseError, make_client(await serve(app)).butler_tasks())
    assert "too large" in str(err)
    assert sum(sent) > plex_client.MAX_RESPONSE_BYTES


def _gzip_app(body: bytes, encoding: str = "gzip") -> web.Application:
    """Answer `/butler` with `body` as it is, labelled with a content encoding."""

    async def compressed(request: web.Request) -> web.Response:
        assert request.headers["Accept-Encoding"] == "gzip"
        return web.Response(
            body=body,
            headers={"Content-Type": "application/json", "Content-Encoding": encoding},
        )

    app = web.Application()
    app.router.add_get("/butler", compressed)
    return app


async def test_gzip_answer(serve: Serve, make_client: Callable[..., PlexButlerClient]) -> None:
    document = {"ButlerTasks": {"ButlerTask": [{"name": "BackupDatabase", "title": "Backup"}]}}
    body = gzip.compress(json.dumps(document).encode())
    tasks = await make_client(await serve(_gzip_app(body))).butler_tasks()
    assert [task.name for task in tasks] == ["BackupDatabase"]


async def test_gzip_bomb_is_refused_without_inflating_it(
    serve: Serve, make_client: Callable[..., PlexButlerClient]
) -> None:
    """64 MB of spaces, 64 kB compressed: refused after at most the limit was produced."""
    bomb = gzip.compress(b" " * (64 * 1024 * 1024), compresslevel=9)
    client = make_client(await serve(_gzip_app(bomb)))
    tracemalloc.start()
    try:
        err = await raises(PlexButlerResponseError, client.butler_tasks())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "too large" in str(err)
    assert peak < 3 * plex_client.MAX_RESPONSE_BYTES


@pytest.mark.parametrize(
    ("body", "encoding", "message"),
    [
        (b"\x1f\x8b garbage", "gzip", "garbled"),
        (gzip.compress(b'{"ButlerTasks": {}}')[:-12], "gzip", "cut short"),
        (b"{}", "br", "encoded as br"),
    ],
)
async def test_bad_compressed_answers(
    serve: Serve,
    make_client: Callable[..., PlexButlerClient],
    body: bytes,
    encoding: str,
    message: str,
) -> None:
    client = make_client(await serve(_gzip_app(body, encoding)))
    err = await raises(PlexButlerResponseError, client.butler_tasks())
    assert message in str(err)


# --- TLS -------------------------------------------------------------------------------------


def _scripted_app(
    frames: list[str | bytes], seen: list[web.Request] | None = None
) -> web.Application:
    """An app with /identity and a websocket that sends `frames`, then closes."""

    async def identity(_request: web.Request) -> web.Response:
        return web.json_response(
            {"MediaContainer": {"machineIdentifier": MACHINE_ID, "version": "1", "claimed": True}}
        )

    async def notifications(request: web.Request) -> web.WebSocketResponse:
        if seen is not None:
            seen.append(request)
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        for frame in frames:
            if isinstance(frame, bytes):
                await socket.send_bytes(frame)
            else:
                await socket.send_str(frame)
        await socket.close()
        return socket

    app = web.Application()
    app.router.add_get("/identity", identity)
    app.router.add_get(NOTIFICATIONS_PATH, notifications)
    return app


ACTIVITY_FRAME = (
    '{"NotificationContainer": {"type": "activity", "size": 1, "ActivityNotification": ['
    '{"event": "started", "uuid": "u1", "Activity": {"uuid": "u1", "type": "butler", '
    '"title": "Backup Database", "progress": 0, "cancellable": true}}]}}'
)


async def test_certificate_for_another_host(
    serve: Serve, make_client: Callable[..., PlexButlerClient], tmp_path: Path
) -> None:
    seen: list[web.Request] = []
    url = await serve(_scripted_app([ACTIVITY_FRAME], seen), plex_direct_tls(tmp_path))
    # In debug mode (the harness's), Python 3.14's asyncio reports every client that aborts a TLS
    # handshake with a server socket of the loop; here that client is ours, refusing on purpose.
    asyncio.get_running_loop().set_debug(False)

    verifying = make_client(url)
    await raises(PlexButlerSSLError, verifying.identity())  # exactly: not a plain-HTTP port
    await raises(PlexButlerSSLError, anext(verifying.notifications()))
    assert seen == []

    trusting = make_client(url, verify_ssl=False)
    assert (await trusting.identity()).machine_identifier == MACHINE_ID
    notifications = [notification async for notification in trusting.notifications()]
    assert [type(n) for n in notifications] == [ActivityNotification]
    assert [request.secure for request in seen] == [True]  # wss, not ws


@pytest.mark.parametrize("verify_ssl", [True, False])
async def test_https_to_a_plain_http_port(
    plex_server: PlexSimulator, make_client: Callable[..., PlexButlerClient], verify_ssl: bool
) -> None:
    """A plain-HTTP port is told apart from a bad certificate, with or without verification."""
    client = make_client(plex_server.url.replace("http://", "https://"), verify_ssl=verify_ssl)
    err = await raises(PlexButlerPlainHttpError, client.server_info())
    assert str(err) == "127.0.0.1 answers plain HTTP, not HTTPS"
    await raises(PlexButlerPlainHttpError, anext(client.notifications()))


# --- Notifications ---------------------------------------------------------------------------


async def test_task_notifications(client: PlexButlerClient, plex_server: PlexSimulator) -> None:
    async with listening(client, plex_server) as listener:
        await plex_server.butler.start_task("BackupDatabase")
        run = plex_server.butler.running["BackupDatabase"]
        started = await listener.next()
        assert started == ActivityNotification(
            ActivityEvent.STARTED,
            Activity(
                uuid=run.uuid,
                type="butler",
                title=BUTLER.title,
                subtitle="",
                progress=0,
                cancellable=True,
            ),
        )

        await plex_server.update_activity(run.uuid, 40)
        updated = await listener.next()
        assert isinstance(updated, ActivityNotification)
        assert (updated.event, updated.activity.uuid, updated.activity.progress) == (
            ActivityEvent.UPDATED,
            run.uuid,
            40,
        )

        assert await client.stop_task("BackupDatabase") is StopResult.STOPPED
        # Its one sub-activity ended: "Butler tasks" reads 100 %, then ends.
        completed = await listener.next()
        assert isinstance(completed, ActivityNotification)
        assert (completed.event, completed.activity.progress) == (ActivityEvent.UPDATED, 100)
        ended = await listener.next()
        assert isinstance(ended, ActivityNotification)
        assert (ended.event, ended.activity.uuid) == (ActivityEvent.ENDED, run.uuid)
        assert listener.received.empty()


async def test_task_runs_to_its_end(client: PlexButlerClient, plex_server: PlexSimulator) -> None:
    """A run with media work: the Butler's activity, and the work beside it, both end."""
    async with listening(client, plex_server) as listener:
        await plex_server.butler.start_task("GenerateMediaIndexFiles", run_seconds=0.01)
        events: list[ActivityNotification] = []
        while sum(n.event is ActivityEvent.ENDED for n in events) < 2:
            notification = await listener.next()
            assert isinstance(notification, ActivityNotification)
            events.append(notification)
    by_type = {
        kind: [n.event for n in events if n.activity.type == kind]
        for kind in ("butler", "media.generate.bif")
    }
    assert by_type["media.generate.bif"] == [
        ActivityEvent.STARTED,
        ActivityEvent.UPDATED,
        ActivityEvent.ENDED,
    ]
    assert by_type["butler"][0] is ActivityEvent.STARTED
    assert by_type["butler"][-1] is ActivityEvent.ENDED
    bif = [n.activity for n in events if n.activity.type == "media.generate.bif"]
    assert bif[1].progress == 100


async def test_preference_notifications(
    client: PlexButlerClient, plex_server: PlexSimulator
) -> None:
    async with listening(client, plex_server) as listener:
        await client.set_preferences({"ButlerStartHour": 4, "ButlerTaskBackupDatabase": False})
        received = {await listener.next(), await listener.next()}
        assert received == {
            PreferenceNotification("ButlerStartHour", "4"),
            PreferenceNotification("ButlerTaskBackupDatabase", "0"),
        }
        # Writing the same value again changes nothing, so nothing is announced.
        await client.set_preferences({"ButlerStartHour": 4})
        await plex_server.set_preference("ButlerEndHour", "7")
        assert await listener.next() == PreferenceNotification("ButlerEndHour", "7")


async def test_on_connect(client: PlexButlerClient, plex_server: PlexSimulator) -> None:
    """`on_connect` runs once the server holds the websocket, before any notification."""
    seen: list[object] = []

    async def consume() -> None:
        def connected() -> None:
            seen.append(("connected", plex_server.websocket_count))

        async for notification in client.notifications(on_connect=connected):
            assert isinstance(notification, ActivityNotification)
            seen.append(notification.event)

    consumer = asyncio.create_task(consume())
    try:
        await wait_until(lambda: bool(seen))
        assert seen == [("connected", 1)]
        await plex_server.butler.start_task("BackupDatabase")
        await wait_until(lambda: len(seen) == 2)
        assert seen == [("connected", 1), ActivityEvent.STARTED]
    finally:
        consumer.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await consumer


async def test_on_connect_not_called_when_refused(
    client: PlexButlerClient, plex_server: PlexSimulator
) -> None:
    calls: list[None] = []
    plex_server.revoke_token()
    await raises(
        PlexButlerAuthenticationError,
        anext(client.notifications(on_connect=lambda: calls.append(None))),
    )
    assert calls == []


async def test_dropped_websocket_ends_the_iteration(
    client: PlexButlerClient, plex_server: PlexSimulator
) -> None:
    async with listening(client, plex_server) as listener:
        await plex_server.drop_websockets()
        await listener.outcome()  # ends without an error
        assert listener.received.empty()
    assert plex_server.websocket_count == 0


async def test_server_going_down_ends_the_iteration(
    client: PlexButlerClient, plex_server: PlexSimulator
) -> None:
    async with listening(client, plex_server) as listener:
        await plex_server.go_down()
        await listener.outcome()
    await raises(PlexButlerConnectionError, anext(client.notifications()))


async def test_oversized_notification(
    client: PlexButlerClient, plex_server: PlexSimulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(plex_client, "MAX_RESPONSE_BYTES", 100)
    async with listening(client, plex_server) as listener:
        await plex_server.butler.start_task("BackupDatabase")
        with pytest.raises(PlexButlerConnectionError) as info:
            await listener.outcome()
        assert_no_token(info.value)


async def test_frames_that_are_not_notifications(
    serve: Serve, make_client: Callable[..., PlexButlerClient]
) -> None:
    """Binary frames and other notification types are skipped."""
    playing = json.dumps(
        {"NotificationContainer": {"type": "playing", "PlaySessionStateNotification": [{}]}}
    )
    client = make_client(await serve(_scripted_app([b"\x00binary", playing, ACTIVITY_FRAME])))
    notifications = [notification async for notification in client.notifications()]
    assert len(notifications) == 1
    assert isinstance(notifications[0], ActivityNotification)
    assert notifications[0].activity.uuid == "u1"


async def test_garbage_notification(
    serve: Serve, make_client: Callable[..., PlexButlerClient]
) -> None:
    client = make_client(await serve(_scripted_app([ACTIVITY_FRAME, "Plex is starting {"])))
    notifications = client.notifications()
    assert isinstance(await anext(notifications), ActivityNotification)
    await raises(PlexButlerResponseError, anext(notifications))


async def test_notification_frames(
    serve: Serve, make_client: Callable[..., PlexButlerClient]
) -> None:
    """Every text frame comes out as its JSON object, whatever its type; binary frames do not."""
    playing = {"NotificationContainer": {"type": "playing", "PlaySessionStateNotification": [{}]}}
    client = make_client(
        await serve(_scripted_app([b"\x00binary", json.dumps(playing), ACTIVITY_FRAME]))
    )
    connected: list[None] = []
    frames = [frame async for frame in client.notification_frames(lambda: connected.append(None))]
    assert frames == [playing, json.loads(ACTIVITY_FRAME)]
    assert connected == [None]


async def test_garbage_frame(serve: Serve, make_client: Callable[..., PlexButlerClient]) -> None:
    client = make_client(await serve(_scripted_app(["[1, 2]"])))
    await raises(PlexButlerResponseError, anext(client.notification_frames()))


# aiohttp re-arms the heartbeat timer when the server's close reply arrives; it does no harm.
@pytest.mark.parametrize("expected_lingering_timers", [True])
async def test_leaving_notifications_early_closes_the_websocket(
    client: PlexButlerClient, plex_server: PlexSimulator
) -> None:
    notifications = client.notifications()
    next_notification = asyncio.ensure_future(anext(notifications))
    await wait_until(lambda: plex_server.websocket_count == 1)
    await plex_server.butler.start_task("BackupDatabase")
    assert isinstance(await next_notification, ActivityNotification)
    await notifications.aclose()
    await wait_until(lambda: plex_server.websocket_count == 0)


async def test_get_document(client: PlexButlerClient, plex_server: PlexSimulator) -> None:
    """Any path, as the server's own JSON; an answer other than 200 is an error."""
    butler = await client.get_document("/butler")
    assert [task["name"] for task in butler["ButlerTasks"]["ButlerTask"]] == list(plex_server.tasks)
    await raises(PlexButlerResponseError, client.get_document("/no/such/path"))


# --- Which task an activity belongs to -------------------------------------------------------
