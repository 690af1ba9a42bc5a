"""The simulated server's debug log over the websocket, and the Butler activity's knobs.

The lines are those of a real server's log (Plex Media Server 1.41.5); the frame shapes and the
names of most tasks in the log are knobs, as nobody has shown them.
"""

import asyncio
import re
from typing import Any

import aiohttp
import pytest

from tests.plex_simulator import PLACEHOLDER_BUTLER_TITLE, EvidenceLevel, PlexSimulator
from tests.simulator_helpers import (
    JSON,
    NOTIFICATIONS,
    XML,
    get_json,
    listed_activities,
    next_activity_events,
)

LOG = {"filters": "log"}
QUIET = 0.2
"""Seconds without a frame after which a socket has sent everything."""
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


async def frames(socket: aiohttp.ClientWebSocketResponse) -> list[dict[str, Any]]:
    """Every frame the socket got until it went quiet."""
    received = []
    while True:
        try:
            received.append(await socket.receive_json(timeout=QUIET))
        except TimeoutError:
            return received


def lines_of(frame: dict[str, Any]) -> list[str]:
    """The log lines of a frame, whichever of the simulator's shapes it has."""
    container = frame["NotificationContainer"]
    assert container["type"] == "log"
    if "LogNotification" in container:
        return [
            line.split(" DEBUG - ", 1)[1]
            for item in container["LogNotification"]
            for line in item["text"].split("\n")
        ]
    assert container["size"] == len(container["Log"])
    return [item["message"] for item in container["Log"]]


async def log_lines(socket: aiohttp.ClientWebSocketResponse) -> list[str]:
    return [line for frame in await frames(socket) for line in lines_of(frame)]


def butler_lines(lines: list[str]) -> list[str]:
    """The lines about sub-activities and the Butler activity's progress."""
    return [line for line in lines if "sub-activity" in line or "updated activity" in line]


@pytest.fixture
def logging(simulator: PlexSimulator) -> PlexSimulator:
    simulator.set_evidence(EvidenceLevel.DEBUG_LOG)
    simulator.run_seconds = simulator.progress_interval = 30
    return simulator


async def test_a_night_in_the_log(logging: PlexSimulator, session: aiohttp.ClientSession) -> None:
    """Two runs in the window: the real lines, in order, with the Butler's overall k/n."""
    async with session.ws_connect(NOTIFICATIONS, headers=XML, params=LOG) as socket:
        butler = await logging.butler.begin_maintenance()
        assert butler is not None
        await logging.butler.run_in_maintenance("ProcessAssets")
        await logging.butler.run_in_maintenance("ButlerTaskGenerateIntroMarkers")
        await logging.butler.end_activity(logging.butler.running["ProcessAssets"].uuid)
        await logging.butler.end_maintenance()
        lines = await log_lines(socket)
    process, intros = (run_line for run_line in lines if "registered new sub-activity" in run_line)
    sub_process = process.split()[4]
    sub_intros = intros.split()[4]
    b = butler.uuid
    assert butler_lines(lines) == [
        f"Activity: updated activity {b} - completed 0.0% - Butler tasks",
        f'Activity: registered new sub-activity {sub_process} - "ProcessAssets" parent: {b} '
        "overall progress: 0.0% (0/1)",
        f"Activity: updated activity {b} - completed 0.0% - Butler tasks",
        f'Activity: registered new sub-activity {sub_intros} - "ButlerTaskGenerateIntroMarkers" '
        f"parent: {b} overall progress: 0.0% (0/2)",
        f"Activity: ended sub-activity {sub_process} parent: {b} overall progress: 50.0% (1/2)",
        f"Activity: updated activity {b} - completed 50.0% - Butler tasks",
        f"Activity: ended sub-activity {sub_intros} parent: {b} overall progress: 100.0% (2/2)",
        f"Activity: updated activity {b} - completed 100.0% - Butler tasks",
    ]
    assert re.fullmatch(UUID, sub_process)
    assert "The butler processed 0 assets." in lines  # the real noise of ProcessAssets
    # Ordinary activities log as ordinary activities do: the media work of Detect Intros.
    assert any(
        re.fullmatch(rf'Activity: registered new activity {UUID} - "Detecting intros"', line)
        for line in lines
    )
    assert f"Activity: Ended activity {b}." in lines


async def test_a_night_cut_short_in_the_log(
    logging: PlexSimulator, session: aiohttp.ClientSession
) -> None:
    """The window closes on a running task: the Butler activity ends, its part never does."""
    async with session.ws_connect(NOTIFICATIONS, headers=XML, params=LOG) as socket:
        butler = await logging.butler.begin_maintenance()
        assert butler is not None
        await logging.butler.run_in_maintenance("OptimizeDatabase")
        await logging.butler.cut_maintenance_short()
        lines = await log_lines(socket)
    [part] = [line for line in lines if "sub-activity" in line]
    assert re.fullmatch(
        rf'Activity: registered new sub-activity {UUID} - "OptimizeDatabase" '
        rf"parent: {butler.uuid} overall progress: 0\.0% \(0/1\)",
        part,
    )
    assert f"Activity: Ended activity {butler.uuid}." in lines
    assert logging.butler.runs == {}
    assert not logging.butler.in_maintenance
    assert await listed_activities(session) == []


async def test_requests_are_in_the_log(
    logging: PlexSimulator, session: aiohttp.ClientSession
) -> None:
    async with session.ws_connect(NOTIFICATIONS, headers=XML, params=LOG) as socket:
        await listed_activities(session)
        lines = await log_lines(socket)
    assert any(
        line.startswith("Request: [127.0.0.1:") and "GET /activities" in line for line in lines
    )
    assert all("secret-token" not in line for line in lines)


@pytest.mark.parametrize(
    ("names", "expected"), [("bare", "BackupDatabase"), ("prefixed", "ButlerTaskBackupDatabase")]
)
async def test_how_other_tasks_are_named(
    logging: PlexSimulator, session: aiohttp.ClientSession, names: Any, expected: str
) -> None:
    logging.log_task_names = names
    async with session.ws_connect(NOTIFICATIONS, headers=XML, params=LOG) as socket:
        for task in ("BackupDatabase", "ButlerTaskGenerateIntroMarkers", "ProcessAssets"):
            await logging.butler.start_task(task)
        lines = await log_lines(socket)
    registered = [line.split('"')[1] for line in lines if "registered new sub-activity" in line]
    assert registered == [expected, "ButlerTaskGenerateIntroMarkers", "ProcessAssets"]


@pytest.mark.parametrize(
    ("shape", "lines_per_frame"), [("line", [1, 1, 1]), ("batch", [1, 2]), ("text", [1, 2])]
)
async def test_frame_shapes(
    logging: PlexSimulator, session: aiohttp.ClientSession, shape: Any, lines_per_frame: list[int]
) -> None:
    """ "line" sends a frame per line; "batch" and "text" carry the lines of one moment together.

    A run's start logs its Butler activity, then (one moment) its progress and its sub-activity.
    """
    logging.log_frame_shape = shape
    async with session.ws_connect(NOTIFICATIONS, headers=XML, params=LOG) as socket:
        await logging.butler.start_task("OptimizeDatabase")
        received = await frames(socket)
    assert [len(lines_of(frame)) for frame in received] == lines_per_frame
    lines = [line for frame in received for line in lines_of(frame)]
    assert len(butler_lines(lines)) == 2
    if shape == "text":
        text = received[-1]["NotificationContainer"]["LogNotification"][0]["text"]
        assert re.match(r"\w{3} \d\d, \d{4} \d\d:\d\d:\d\d\.\d{3} \[0x\w+\] DEBUG - ", text)


async def test_only_sockets_that_ask_for_the_log_get_it(
    logging: PlexSimulator, session: aiohttp.ClientSession
) -> None:
    async with (
        session.ws_connect(NOTIFICATIONS, headers=XML) as everything_but_log,
        session.ws_connect(NOTIFICATIONS, headers=XML, params=LOG) as log_only,
        session.ws_connect(NOTIFICATIONS, headers=XML, params={"filters": "activity,log"}) as both,
    ):
        await logging.butler.start_task("BackupDatabase")
        kinds = [
            {frame["NotificationContainer"]["type"] for frame in await frames(socket)}
            for socket in (everything_but_log, log_only, both)
        ]
    assert kinds == [{"activity"}, {"log"}, {"activity", "log"}]


async def test_no_debug_lines_without_debug_logging(
    simulator: PlexSimulator, session: aiohttp.ClientSession
) -> None:
    assert simulator.preferences["logDebug"] == "0"  # the default level: the activity only
    async with session.ws_connect(NOTIFICATIONS, headers=XML, params=LOG) as socket:
        await simulator.butler.start_task("ProcessAssets")
        await listed_activities(session)
        assert await frames(socket) == []


async def test_debug_logging_is_a_setting(
    simulator: PlexSimulator, session: aiohttp.ClientSession
) -> None:
    settings = (await get_json(session, "/:/prefs"))["MediaContainer"]["Setting"]
    (log_debug,) = [setting for setting in settings if setting["id"] == "logDebug"]
    assert (log_debug["type"], log_debug["value"]) == ("bool", False)
    async with session.put("/:/prefs", params={"logDebug": "1"}, headers=JSON) as response:
        assert response.status == 200
    async with session.ws_connect(NOTIFICATIONS, headers=XML, params=LOG) as socket:
        await simulator.butler.start_task("ProcessAssets")
        assert butler_lines(await log_lines(socket))


# --- The Butler activity's knobs ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("knob", "value", "shown"),
    [
        ("butler_activity_title", PLACEHOLDER_BUTLER_TITLE, ("butler", PLACEHOLDER_BUTLER_TITLE)),
        ("butler_activity_type", "butler.tasks", ("butler.tasks", "Butler tasks")),
        ("butler_activity_type", "maintenance", ("maintenance", "Butler tasks")),
    ],
)
async def test_butler_activity_variants(
    simulator: PlexSimulator, session: aiohttp.ClientSession, knob: str, value: str, shown: Any
) -> None:
    setattr(simulator, knob, value)
    async with session.ws_connect(NOTIFICATIONS, headers=XML) as socket:
        async with session.post("/butler/BackupDatabase", headers=JSON) as response:
            assert response.status == 200
        assert await next_activity_events(socket, 1) == [("started", *shown)]
    assert [(item["type"], item["title"]) for item in await listed_activities(session)] == [shown]


async def test_runs_stopped_at_once_each_log_their_end(
    logging: PlexSimulator, session: aiohttp.ClientSession
) -> None:
    """Two stops in flight together: both ends are logged, and the Butler activity ends last."""
    for task in ("BackupDatabase", "OptimizeDatabase"):
        await logging.butler.start_task(task)

    async def stop(task: str) -> int:
        async with session.delete(f"/butler/{task}", headers=JSON) as response:
            return response.status

    async with session.ws_connect(NOTIFICATIONS, headers=XML, params=LOG) as socket:
        assert await asyncio.gather(stop("BackupDatabase"), stop("OptimizeDatabase")) == [200, 200]
        lines = await log_lines(socket)
    ends = [line for line in lines if "ended sub-activity" in line]
    assert [line.rsplit(" ", 1)[1] for line in ends] == ["(1/2)", "(2/2)"]
    assert [line for line in lines if line.startswith("Activity: Ended activity")][-1].endswith(
        f"{ends[0].split(' parent: ')[1].split()[0]}."
    )
    assert await listed_activities(session) == []
