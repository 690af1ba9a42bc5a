"""Tests of the simulated Plex Media Server itself, through plain HTTP and websockets."""

import asyncio
from datetime import datetime, timedelta
import json
import time
import xml.etree.ElementTree as ET

import aiohttp
import pytest

from tests.plex_simulator import PlexSimulator, SimulatedTask
from tests.plex_simulator.catalog import BUTLER
from tests.simulator_helpers import (
    JSON,
    NOTIFICATIONS,
    NOW,
    TOKEN,
    XML,
    get_json,
    next_notification,
    parse_xml,
)


async def test_xml_by_default_json_on_request(session: aiohttp.ClientSession) -> None:
    async with session.get("/identity") as response:
        assert response.status == 200
        assert response.content_type == "text/xml"
        identity = parse_xml(await response.text())
    assert identity.tag == "MediaContainer"
    assert identity.attrib["claimed"] == "1"
    assert identity.attrib["size"] == "0"

    async with session.get("/identity", headers={"Accept": "application/json"}) as response:
        container = (await response.json())["MediaContainer"]
    assert container["claimed"] is True
    assert container["machineIdentifier"] == identity.attrib["machineIdentifier"]

    root = (await get_json(session, "/"))["MediaContainer"]
    assert root["friendlyName"] == "Plex Simulator"
    assert root["platform"] == "Linux"
    assert root["machineIdentifier"] == container["machineIdentifier"]


async def test_butler_tasks_root(session: aiohttp.ClientSession) -> None:
    document = await get_json(session, "/butler")
    assert "MediaContainer" not in document
    tasks = {task["name"]: task for task in document["ButlerTasks"]["ButlerTask"]}
    assert tasks["BackupDatabase"] == {
        "name": "BackupDatabase",
        "interval": 3,
        "scheduleRandomized": False,
        "enabled": True,
        "title": "Backup Database",
        "description": (
            "Create a backup copy of the server's database in the configured backup directory"
        ),
    }
    assert tasks["RefreshLibraries"]["enabled"] is False
    assert "ButlerTaskGenerateIntroMarkers" in tasks

    async with session.get("/butler", headers=XML) as response:
        root = parse_xml(await response.text())
    assert root.tag == "ButlerTasks"
    xml_tasks = {task.attrib["name"]: task.attrib for task in root.iter("ButlerTask")}
    assert xml_tasks.keys() == tasks.keys()
    assert xml_tasks["RefreshLibraries"]["enabled"] == "0"
    assert xml_tasks["DeepMediaAnalysis"]["scheduleRandomized"] == "1"


@pytest.mark.parametrize(
    "headers",
    [{}, {"X-Plex-Token": "wrong", "Accept": "application/json"}],
    ids=["missing", "wrong"],
)
async def test_bad_token_gets_html_401(
    session: aiohttp.ClientSession, headers: dict[str, str]
) -> None:
    for method, path in (("GET", "/butler"), ("POST", "/butler/BackupDatabase"), ("GET", "/")):
        async with session.request(method, path, headers=headers) as response:
            assert response.status == 401
            assert response.content_type == "text/html"
            assert "<h1>401 Unauthorized</h1>" in await response.text()

    async with session.get("/butler", params={"X-Plex-Token": TOKEN}) as response:
        assert response.status == 200


async def test_start_and_stop_one_task(
    simulator: PlexSimulator, session: aiohttp.ClientSession
) -> None:
    simulator.run_seconds = 30
    async with session.post("/butler/BackupDatabase", headers=JSON) as response:
        assert response.status == 200
    async with session.post("/butler/BackupDatabase", headers=JSON) as response:
        assert response.status == 202
    assert simulator.butler.last_run == {"BackupDatabase": NOW.date()}

    activities = (await get_json(session, "/activities"))["MediaContainer"]
    assert activities["size"] == 1
    (activity,) = activities["Activity"]
    assert activity["type"] == "butler"
    assert activity["title"] == BUTLER.title  # nothing public shows a title naming the task
    assert activity["userID"] == 1
    assert activity["cancellable"] is True

    await simulator.butler.start_task("GenerateMediaIndexFiles")
    assert simulator.butler.running["GenerateMediaIndexFiles"].type == "media.generate.bif"
    listed = (await get_json(session, "/activities"))["MediaContainer"]["Activity"]
    assert [item["type"] for item in listed] == ["butler", "media.generate.bif"]
    assert listed[0] == activity  # both runs show under the one butler activity

    async with session.delete("/butler/BackupDatabase", headers=JSON) as response:
        assert response.status == 200
    async with session.delete("/butler/BackupDatabase", headers=JSON) as response:
        assert response.status == 404
    for method in ("POST", "DELETE"):
        async with session.request(method, "/butler/NoSuchTask", headers=JSON) as response:
            assert response.status == 404
    assert list(simulator.butler.running) == ["GenerateMediaIndexFiles"]

    async with session.delete("/butler", headers=JSON) as response:
        assert response.status == 200
    assert (await get_json(session, "/activities")) == {"MediaContainer": {"size": 0}}


async def test_activity_notifications(
    simulator: PlexSimulator, session: aiohttp.ClientSession
) -> None:
    async with session.ws_connect(NOTIFICATIONS, headers=XML) as socket:
        assert simulator.websocket_count == 1
        async with session.post("/butler/OptimizeDatabase", headers=XML) as response:
            assert response.status == 200
        events: list[tuple[str, int]] = []
        while not events or events[-1][0] != "ended":
            container = await next_notification(socket)
            assert container["type"] == "activity"
            (notification,) = container["ActivityNotification"]
            assert notification["Activity"]["type"] == "butler"
            assert notification["Activity"]["title"] == BUTLER.title
            events.append((notification["event"], notification["Activity"]["progress"]))
    assert events[0] == ("started", 0)
    assert [event for event, _ in events[1:-1]] == ["updated"] * (len(events) - 2)
    assert [progress for _, progress in events] == sorted(progress for _, progress in events)
    assert events[-2:] == [("updated", 100), ("ended", 100)]
    assert simulator.butler.running == {}
    assert simulator.activities == {}


async def test_cancel_activities(simulator: PlexSimulator, session: aiohttp.ClientSession) -> None:
    scan = await simulator.add_activity("library.update.section", "Scanning Movies", 30)
    await simulator.update_activity(scan.uuid, 60)
    (listed,) = (await get_json(session, "/activities"))["MediaContainer"]["Activity"]
    assert (listed["uuid"], listed["progress"], listed["cancellable"]) == (scan.uuid, 60, False)
    async with session.delete(f"/activities/{scan.uuid}", headers=JSON) as response:
        assert response.status == 400
    async with session.delete("/activities/no-such-uuid", headers=JSON) as response:
        assert response.status == 404

    await simulator.butler.start_task("CleanOldBundles", run_seconds=30)
    task_activity = simulator.butler.running["CleanOldBundles"]
    async with session.delete(f"/activities/{task_activity.uuid}", headers=JSON) as response:
        assert response.status == 200
    assert simulator.butler.running == {}

    await simulator.butler.end_activity(scan.uuid)
    assert simulator.activities == {}


@pytest.mark.parametrize(
    ("start_hour", "end_hour", "randomized_waits"),
    [(2, 5, False), (10, 14, True), (22, 13, True), (13, 11, False)],
    ids=["outside", "inside", "inside-across-midnight", "outside-across-midnight"],
)
async def test_start_all_rules(
    simulator: PlexSimulator,
    session: aiohttp.ClientSession,
    start_hour: int,
    end_hour: int,
    randomized_waits: bool,
) -> None:
    """At noon: only enabled tasks due today; randomized ones wait when inside the window."""
    simulator.preferences |= {"ButlerStartHour": str(start_hour), "ButlerEndHour": str(end_hour)}
    simulator.run_seconds = 30
    simulator.tasks = {
        task.name: task
        for task in (
            SimulatedTask("Daily", "Daily", "", 1, False, True),
            SimulatedTask("Randomized", "Randomized", "", 1, True, True),
            SimulatedTask("Disabled", "Disabled", "", 1, False, False),
            SimulatedTask("NotDue", "Not due", "", 3, False, True),
            SimulatedTask("DueAgain", "Due again", "", 3, False, True),
        )
    }
    today = NOW.date()
    simulator.butler.last_run = {"NotDue": today - timedelta(2), "DueAgain": today - timedelta(3)}

    async with session.post("/butler", headers=JSON) as response:
        assert response.status == 200
        assert await response.read() == b""
    waiting = {"Randomized"} if randomized_waits else set()
    assert set(simulator.butler.running) == {"Daily", "Randomized", "DueAgain"} - waiting
    assert simulator.butler.scheduled == waiting
    assert simulator.butler.last_run["DueAgain"] == today

    async with session.delete("/butler", headers=JSON) as response:
        assert response.status == 200
    assert simulator.butler.running == {}
    assert simulator.butler.scheduled == set()


async def test_preferences(simulator: PlexSimulator, session: aiohttp.ClientSession) -> None:
    settings = {
        setting["id"]: setting
        for setting in (await get_json(session, "/:/prefs"))["MediaContainer"]["Setting"]
    }
    assert settings["ButlerStartHour"]["value"] == 2
    assert settings["ButlerTaskBackupDatabase"]["value"] is True
    assert settings["ButlerTaskRefreshLibraries"]["default"] is False
    assert settings["ButlerTaskBackupDatabase"]["group"] == "butler"

    async with session.get("/:/prefs", headers=XML) as response:
        xml_settings = {s.attrib["id"]: s.attrib for s in parse_xml(await response.text())}
    assert xml_settings["ButlerStartHour"]["value"] == "2"
    assert xml_settings["ButlerTaskBackupDatabase"]["value"] == "1"

    async with session.ws_connect(f"{NOTIFICATIONS}?filters=preference", headers=XML) as socket:
        await simulator.butler.start_task("BackupDatabase")  # filtered out
        params = {"ButlerStartHour": "3", "ButlerTaskBackupDatabase": "0", "ButlerEndHour": "5"}
        async with session.put("/:/prefs", params=params, headers=JSON) as response:
            assert response.status == 200
        first, second = await next_notification(socket), await next_notification(socket)
        await simulator.set_preference("ButlerTaskRefreshLibraries", "true")
        third = await next_notification(socket)
    assert first == {
        "type": "preference",
        "size": 1,
        "Setting": [{"id": "ButlerStartHour", "value": 3}],
    }
    assert second["Setting"] == [{"id": "ButlerTaskBackupDatabase", "value": False}]
    assert simulator.preferences["ButlerTaskBackupDatabase"] == "0"
    assert simulator.tasks["BackupDatabase"].enabled is False
    assert third["Setting"] == [{"id": "ButlerTaskRefreshLibraries", "value": True}]
    assert simulator.tasks["RefreshLibraries"].enabled is True

    for bad in (
        {"NoSuchSetting": "1"},
        {"ButlerStartHour": "24"},
        {"ButlerTaskCleanOldBundles": "x"},
    ):
        async with session.put("/:/prefs", params=bad, headers=JSON) as response:
            assert response.status == 400
    assert simulator.preferences["ButlerTaskCleanOldBundles"] == "1"


@pytest.mark.parametrize("status", [400, 403])
async def test_a_setting_the_server_does_not_have(
    simulator: PlexSimulator, session: aiohttp.ClientSession, status: int
) -> None:
    """Not listed; writing it is refused (400, or 403 where the knob says so), nothing changes."""
    del simulator.preferences["ButlerTaskBackupDatabase"]
    simulator.faults.unknown_preference_status = status
    listed = (await get_json(session, "/:/prefs"))["MediaContainer"]
    assert "ButlerTaskBackupDatabase" not in {setting["id"] for setting in listed["Setting"]}
    assert listed["size"] == len(listed["Setting"])

    async with session.ws_connect(f"{NOTIFICATIONS}?filters=preference", headers=XML) as socket:
        params = {"ButlerStartHour": "4", "ButlerTaskBackupDatabase": "0"}
        async with session.put("/:/prefs", params=params, headers=JSON) as response:
            assert response.status == status
            assert response.content_type == "text/html"
        # A value it does not take is 400 whatever the knob says.
        async with session.put("/:/prefs", params={"ButlerEndHour": "x"}, headers=JSON) as response:
            assert response.status == 400
        async with session.put("/:/prefs", params={"ButlerEndHour": "6"}, headers=JSON) as response:
            assert response.status == 200
        # The first notification is of the write that was carried out.
        assert (await next_notification(socket))["Setting"] == [{"id": "ButlerEndHour", "value": 6}]
    assert simulator.preferences["ButlerStartHour"] == "2"
    assert simulator.tasks["BackupDatabase"].enabled is True


async def test_websocket_needs_token(
    simulator: PlexSimulator, session: aiohttp.ClientSession
) -> None:
    with pytest.raises(aiohttp.WSServerHandshakeError) as error:
        await session.ws_connect(NOTIFICATIONS, headers={"X-Plex-Token": "wrong"})
    assert error.value.status == 401
    async with session.ws_connect(NOTIFICATIONS, params={"X-Plex-Token": TOKEN}):
        assert simulator.websocket_count == 1


async def test_drop_websockets(simulator: PlexSimulator, session: aiohttp.ClientSession) -> None:
    async with session.ws_connect(NOTIFICATIONS, headers=XML) as socket:
        receiving = asyncio.create_task(socket.receive(timeout=2))
        await simulator.drop_websockets()
        assert (await receiving).type is aiohttp.WSMsgType.CLOSE
    assert simulator.websocket_count == 0


async def test_delay(simulator: PlexSimulator, session: aiohttp.ClientSession) -> None:
    simulator.faults.delay = 0.3
    started = time.monotonic()
    async with session.get("/identity") as response:
        assert response.status == 200
    assert time.monotonic() - started >= 0.3


async def test_fail_with_500(simulator: PlexSimulator, session: aiohttp.ClientSession) -> None:
    simulator.faults.fail_with_500 = True
    async with session.post("/butler/BackupDatabase", headers=JSON) as response:
        assert response.status == 500
        assert response.content_type == "text/html"
    assert simulator.butler.running == {}
    async with session.get("/identity") as response:
        assert response.status == 200


@pytest.mark.parametrize("headers", [JSON, XML], ids=["json", "xml"])
async def test_garbage_and_truncated(
    simulator: PlexSimulator, session: aiohttp.ClientSession, headers: dict[str, str]
) -> None:
    async with session.get("/butler", headers=headers) as response:
        full = await response.text()

    simulator.faults.truncated = True
    async with session.get("/butler", headers=headers) as response:
        assert response.status == 200
        truncated = await response.text()
    assert full.startswith(truncated)
    assert len(truncated) == len(full) // 2

    simulator.faults.garbage = True
    async with session.get("/butler", headers=headers) as response:
        assert response.status == 200
        garbage = await response.read()
    for body in (truncated.encode(), garbage):
        with pytest.raises((json.JSONDecodeError, UnicodeDecodeError)):
            json.loads(body)
        with pytest.raises(ET.ParseError):
            parse_xml(body.decode("utf-8", "replace"))


async def test_token_changes(simulator: PlexSimulator, session: aiohttp.ClientSession) -> None:
    simulator.revoke_token()
    async with session.get("/butler", headers=JSON) as response:
        assert response.status == 401
    with pytest.raises(aiohttp.WSServerHandshakeError):
        await session.ws_connect(NOTIFICATIONS, headers=XML)

    simulator.set_token("new-token")
    async with session.get("/butler", headers={"X-Plex-Token": "new-token"}) as response:
        assert response.status == 200


async def test_down_and_back(simulator: PlexSimulator, session: aiohttp.ClientSession) -> None:
    url = simulator.url
    await simulator.butler.start_task("BackupDatabase", run_seconds=30)
    await simulator.go_down()
    with pytest.raises(aiohttp.ClientConnectionError):
        await session.get("/identity")
    await simulator.come_back()
    assert simulator.url == url
    assert (await get_json(session, "/activities"))["MediaContainer"]["size"] == 1


async def test_requests_are_recorded(
    simulator: PlexSimulator, session: aiohttp.ClientSession
) -> None:
    async with session.get("/butler", params={"X-Plex-Token": TOKEN, "a": "b"}):
        pass
    async with session.post("/butler/BackupDatabase", headers={**JSON, "X-Plex-Product": "Test"}):
        pass
    first, second = simulator.requests
    assert (first.method, first.path, first.query) == (
        "GET",
        "/butler",
        {"X-Plex-Token": TOKEN, "a": "b"},
    )
    assert "X-Plex-Token" not in first.headers
    assert (second.method, second.path, second.query) == ("POST", "/butler/BackupDatabase", {})
    assert second.headers["X-Plex-Token"] == TOKEN
    assert second.headers["X-Plex-Product"] == "Test"


async def test_stop_cleans_up(socket_enabled: None) -> None:
    simulator = PlexSimulator(run_seconds=30)
    await simulator.start()
    await simulator.butler.start_task("BackupDatabase")
    async with aiohttp.ClientSession() as session:
        socket = await session.ws_connect(
            f"{simulator.url}{NOTIFICATIONS}", headers={"X-Plex-Token": "demo"}
        )
        await simulator.stop()
        assert simulator.websocket_count == 0
        assert (await socket.receive(timeout=2)).type in {
            aiohttp.WSMsgType.CLOSE,
            aiohttp.WSMsgType.CLOSED,
        }
        await socket.close()
    assert simulator.butler.last_run == {"BackupDatabase": datetime.now().astimezone().date()}
