"""The simulated server's Butler runs, as a client sees them over HTTP and the websocket.

A run shows under one "Butler tasks" activity (its real title) that names no task, whose progress
is the overall share of its sub-activities that ended, and a task's media work beside it.
"""

import aiohttp
import pytest

from tests.plex_simulator import ACTIVITY_KINDS, PlexSimulator
from tests.plex_simulator.catalog import BUTLER
from tests.simulator_helpers import (
    JSON,
    NOTIFICATIONS,
    NOW,
    XML,
    listed_activities,
    next_activity_events,
)

CREDITS_TASK = "ButlerTaskGenerateCreditsMarkers"
BUTLER_TASKS = BUTLER.title


@pytest.fixture(autouse=True)
def long_runs(simulator: PlexSimulator) -> None:
    """Runs started over HTTP last until a test ends them, and report no progress meanwhile.

    A progress report every half second would slip between the notifications a test awaits
    whenever a loaded machine makes it slower than that.
    """
    simulator.run_seconds = 30
    simulator.progress_interval = 30


def test_catalog_marks_the_titles_seen_on_real_servers() -> None:
    kinds = ACTIVITY_KINDS.values()
    public = {kind.type: kind.title for kind in kinds if kind.evidence == "public"}
    assert public == {
        "library.update.section": "Scanning {section}",
        "media.generate.credits": "Detecting Credits",
        "media.generate.loudness": "Generating loudness data",
        "provider.epg.load": "Refreshing EPG",
        "butler": "Butler tasks",
    }
    assert ACTIVITY_KINDS["media.generate.credits"].progress == -1


async def test_run_with_media_work(
    simulator: PlexSimulator, session: aiohttp.ClientSession
) -> None:
    async with session.ws_connect(NOTIFICATIONS, headers=XML) as socket:
        async with session.post(f"/butler/{CREDITS_TASK}", headers=JSON) as response:
            assert response.status == 200
        assert await next_activity_events(socket, 2) == [
            ("started", "butler", BUTLER_TASKS),
            ("started", "media.generate.credits", "Detecting Credits"),
        ]
        butler, credit_detection = await listed_activities(session)
        assert (butler["type"], credit_detection["type"]) == ("butler", "media.generate.credits")
        assert credit_detection["progress"] == -1

        async with session.delete(f"/butler/{CREDITS_TASK}", headers=JSON) as response:
            assert response.status == 200
        # Its one sub-activity ended: the Butler's progress reads 100 % before it ends.
        assert await next_activity_events(socket, 3) == [
            ("ended", "media.generate.credits", "Detecting Credits"),
            ("updated", "butler", BUTLER_TASKS),
            ("ended", "butler", BUTLER_TASKS),
        ]
    assert await listed_activities(session) == []
    assert simulator.butler.last_run == {CREDITS_TASK: NOW.date()}


async def test_run_without_media_work(
    simulator: PlexSimulator, session: aiohttp.ClientSession
) -> None:
    async with session.post("/butler/BackupDatabase", headers=JSON) as response:
        assert response.status == 200
    (butler,) = await listed_activities(session)
    assert (butler["type"], butler["title"]) == ("butler", BUTLER_TASKS)
    assert simulator.butler.running["BackupDatabase"].uuid == butler["uuid"]


async def test_runs_at_once_share_the_butler_activity(
    simulator: PlexSimulator, session: aiohttp.ClientSession
) -> None:
    async with session.ws_connect(NOTIFICATIONS, headers=XML) as socket:
        for task in ("BackupDatabase", CREDITS_TASK):
            async with session.post(f"/butler/{task}", headers=JSON) as response:
                assert response.status == 200
        assert await next_activity_events(socket, 2) == [
            ("started", "butler", BUTLER_TASKS),
            ("started", "media.generate.credits", "Detecting Credits"),
        ]
        butler = simulator.butler.running["BackupDatabase"]

        # Cancelling the butler activity stops every run under it, each moving its overall
        # progress (1 of 2, 2 of 2); its own end comes last.
        async with session.delete(f"/activities/{butler.uuid}", headers=JSON) as response:
            assert response.status == 200
        assert await next_activity_events(socket, 4) == [
            ("updated", "butler", BUTLER_TASKS),
            ("ended", "media.generate.credits", "Detecting Credits"),
            ("updated", "butler", BUTLER_TASKS),
            ("ended", "butler", BUTLER_TASKS),
        ]
    assert simulator.butler.running == {}


async def test_butler_activity_can_name_its_task(
    simulator: PlexSimulator, session: aiohttp.ClientSession
) -> None:
    simulator.butler_activity_names_task = True
    for task in ("BackupDatabase", "OptimizeDatabase"):
        async with session.post(f"/butler/{task}", headers=JSON) as response:
            assert response.status == 200
    assert [(item["type"], item["title"]) for item in await listed_activities(session)] == [
        ("butler", "Backup Database"),
        ("butler", "Optimize Database"),
    ]
    await simulator.butler.end_activity(simulator.butler.running["BackupDatabase"].uuid)
    assert [item["title"] for item in await listed_activities(session)] == ["Optimize Database"]


async def test_behavior_never_means_no_media_work(
    simulator: PlexSimulator, session: aiohttp.ClientSession
) -> None:
    params = {"GenerateCreditsMarkerBehavior": "never"}
    async with session.put("/:/prefs", params=params, headers=JSON) as response:
        assert response.status == 200
    async with session.post(f"/butler/{CREDITS_TASK}", headers=JSON) as response:
        assert response.status == 200
    assert [item["type"] for item in await listed_activities(session)] == ["butler"]


async def test_maintenance_window(simulator: PlexSimulator, session: aiohttp.ClientSession) -> None:
    simulator.preferences["LoudnessAnalysisBehavior"] = "scheduled"
    simulator.preferences["GenerateCreditsMarkerBehavior"] = "scheduled"
    async with session.ws_connect(NOTIFICATIONS, headers=XML) as socket:
        window = await simulator.butler.begin_maintenance()
        assert window is not None
        assert simulator.butler.in_maintenance
        assert await next_activity_events(socket, 1) == [("started", "butler", BUTLER_TASKS)]

        credit_detection = await simulator.butler.run_in_maintenance(CREDITS_TASK)
        loudness = await simulator.butler.run_in_maintenance("LoudnessAnalysis")
        assert await simulator.butler.run_in_maintenance("BackupDatabase") is None
        assert await simulator.butler.run_in_maintenance("RefreshLibraries") is None  # disabled
        assert credit_detection is not None
        assert loudness is not None
        assert await next_activity_events(socket, 2) == [
            ("started", "media.generate.credits", "Detecting Credits"),
            ("started", "media.generate.loudness", "Generating loudness data"),
        ]
        assert set(simulator.butler.running) == {CREDITS_TASK, "LoudnessAnalysis", "BackupDatabase"}
        assert simulator.butler.running["BackupDatabase"] is window
        assert set(simulator.butler.last_run) == set(simulator.butler.running)

        # A child's end ends its task's run; the window stays open.
        await simulator.update_activity(credit_detection.uuid, 50)
        await simulator.butler.end_activity(credit_detection.uuid)
        assert await next_activity_events(socket, 3) == [
            ("updated", "media.generate.credits", "Detecting Credits"),
            ("ended", "media.generate.credits", "Detecting Credits"),
            ("updated", "butler", BUTLER_TASKS),  # 1 of 3 sub-activities ended
        ]
        assert window.progress == 33
        assert CREDITS_TASK not in simulator.butler.running
        assert [item["uuid"] for item in await listed_activities(session)] == [
            window.uuid,
            loudness.uuid,
        ]

        await simulator.butler.end_maintenance()
        assert await next_activity_events(socket, 4) == [
            ("ended", "media.generate.loudness", "Generating loudness data"),
            ("updated", "butler", BUTLER_TASKS),
            ("updated", "butler", BUTLER_TASKS),
            ("ended", "butler", BUTLER_TASKS),
        ]
    assert simulator.butler.running == {}
    assert not simulator.butler.in_maintenance
    assert await listed_activities(session) == []
    with pytest.raises(RuntimeError):
        await simulator.butler.run_in_maintenance("BackupDatabase")


async def test_maintenance_respects_behavior_never(
    simulator: PlexSimulator, session: aiohttp.ClientSession
) -> None:
    simulator.preferences["LoudnessAnalysisBehavior"] = "never"
    window = await simulator.butler.begin_maintenance()
    assert await simulator.butler.run_in_maintenance("LoudnessAnalysis") is None
    assert simulator.butler.running == {"LoudnessAnalysis": window}
    assert [item["type"] for item in await listed_activities(session)] == ["butler"]


async def test_maintenance_with_butler_activities_naming_tasks(
    simulator: PlexSimulator, session: aiohttp.ClientSession
) -> None:
    simulator.butler_activity_names_task = True
    assert await simulator.butler.begin_maintenance() is None
    assert await listed_activities(session) == []
    credit_detection = await simulator.butler.run_in_maintenance(CREDITS_TASK)
    assert credit_detection is not None
    assert [(item["type"], item["title"]) for item in await listed_activities(session)] == [
        ("butler", "Detect Credits"),
        ("media.generate.credits", "Detecting Credits"),
    ]
    await simulator.butler.end_activity(credit_detection.uuid)
    assert await listed_activities(session) == []


async def test_the_window_outlives_its_runs(
    simulator: PlexSimulator, session: aiohttp.ClientSession
) -> None:
    window = await simulator.butler.begin_maintenance()
    credit_detection = await simulator.butler.run_in_maintenance(CREDITS_TASK)
    assert window is not None
    assert credit_detection is not None
    await simulator.butler.end_activity(credit_detection.uuid)
    assert [item["uuid"] for item in await listed_activities(session)] == [window.uuid]
    assert simulator.butler.in_maintenance

    # An HTTP run inside the window shows under the window's butler activity.
    async with session.post("/butler/BackupDatabase", headers=JSON) as response:
        assert response.status == 200
    assert simulator.butler.running == {"BackupDatabase": window}
    await simulator.butler.end_activity(window.uuid)
    assert simulator.butler.running == {}
    assert not simulator.butler.in_maintenance
    assert await listed_activities(session) == []
