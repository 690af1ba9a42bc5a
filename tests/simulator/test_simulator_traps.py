"""The simulated server's traps: work that looks like the Butler's but is not, and restarts.

Each trap must show what a client would mistake for a Butler run: media work with no `butler`
activity, and, after a restart, activities gone without any `ended` frame.
"""

import asyncio

import aiohttp
import pytest

from tests.plex_simulator import MEDIA_WORK, PlexSimulator
from tests.plex_simulator.catalog import BUTLER
from tests.simulator_helpers import (
    JSON,
    NOTIFICATIONS,
    NOW,
    XML,
    assert_closed_without_frames,
    get_json,
    listed_activities,
    next_activity_events,
    next_notification,
)

SCAN = ("library.update.section", "Scanning Movies")
INTROS = ("media.generate.intros", "Detecting intros")
CREDITS = ("media.generate.credits", "Detecting Credits")
LOUDNESS = ("media.generate.loudness", "Generating loudness data")


def started(*kinds: tuple[str, str]) -> list[tuple[str, str, str]]:
    return [("started", type_, title) for type_, title in kinds]


def ended(*kinds: tuple[str, str]) -> list[tuple[str, str, str]]:
    return [("ended", type_, title) for type_, title in kinds]


async def set_every_behavior(session: aiohttp.ClientSession, value: str) -> None:
    params = {work.behavior: value for work in MEDIA_WORK} | {"MusicAnalysisBehavior": value}
    async with session.put("/:/prefs", params=params, headers=JSON) as response:
        assert response.status == 200


async def test_add_media_with_default_settings(
    simulator: PlexSimulator, session: aiohttp.ClientSession
) -> None:
    """By default only intro and credits detection run as soon as media is added."""
    async with session.ws_connect(NOTIFICATIONS, headers=XML) as socket:
        activities = await simulator.traps.add_media("Movies", section_id="2")
        assert await next_activity_events(socket, 3) == started(SCAN, INTROS, CREDITS)
        listed = await listed_activities(session)
        assert [(item["type"], item["title"]) for item in listed] == [SCAN, INTROS, CREDITS]
        assert listed[0]["Context"] == {"librarySectionID": "2"}
        assert listed[2]["progress"] == -1

        await simulator.butler.end_activities(activities)
        assert await next_activity_events(socket, 3) == ended(SCAN, INTROS, CREDITS)
    assert await listed_activities(session) == []
    assert simulator.butler.last_run == {}


@pytest.mark.parametrize(
    ("behavior", "media_types"),
    [
        ("asap", [work.activity.type for work in MEDIA_WORK]),
        ("scheduled", []),
        ("never", []),
    ],
)
async def test_add_media_follows_the_behavior_settings(
    simulator: PlexSimulator,
    session: aiohttp.ClientSession,
    behavior: str,
    media_types: list[str],
) -> None:
    await set_every_behavior(session, behavior)
    await simulator.traps.add_media("TV Shows")
    listed = await listed_activities(session)
    assert [item["type"] for item in listed] == [SCAN[0], *media_types]
    assert listed[0]["title"] == "Scanning TV Shows"
    assert "butler" not in {item["type"] for item in listed}
    assert simulator.butler.running == {}


async def test_analyze(simulator: PlexSimulator, session: aiohttp.ClientSession) -> None:
    async with session.ws_connect(NOTIFICATIONS, headers=XML) as socket:
        loudness, credit_detection = await simulator.traps.analyze()
        assert await next_activity_events(socket, 2) == started(LOUDNESS, CREDITS)
        await simulator.update_activity(loudness.uuid, 70)
        container = await next_notification(socket)
        assert container["ActivityNotification"][0]["Activity"]["progress"] == 70
        await simulator.butler.end_activities()
        assert await next_activity_events(socket, 2) == ended(LOUDNESS, CREDITS)
    assert credit_detection.type == CREDITS[0]
    assert simulator.butler.running == {}
    assert simulator.butler.last_run == {}

    (bif,) = await simulator.traps.analyze(["media.generate.bif"])
    assert [item["uuid"] for item in await listed_activities(session)] == [bif.uuid]
    with pytest.raises(KeyError):
        await simulator.traps.analyze(["media.generate.everything"])


async def test_reload_guide(simulator: PlexSimulator, session: aiohttp.ClientSession) -> None:
    async with session.ws_connect(NOTIFICATIONS, headers=XML) as socket:
        guide = await simulator.traps.reload_guide()
        assert await next_activity_events(socket, 1) == [
            ("started", "provider.epg.load", "Refreshing EPG")
        ]
        await simulator.update_activity(guide.uuid, 40, subtitle="Downloaded 173 airings")
        (notification,) = (await next_notification(socket))["ActivityNotification"]
        assert notification["event"] == "updated"
        assert notification["Activity"]["subtitle"] == "Downloaded 173 airings"
        assert [item["type"] for item in await listed_activities(session)] == ["provider.epg.load"]
        await simulator.butler.end_activity(guide.uuid)
        assert await next_activity_events(socket, 1) == [
            ("ended", "provider.epg.load", "Refreshing EPG")
        ]
    assert "RefreshEpgGuides" not in simulator.butler.last_run


async def test_restart_drops_everything_without_an_ended_frame(
    simulator: PlexSimulator, session: aiohttp.ClientSession
) -> None:
    simulator.run_seconds = 0.3
    identity = await get_json(session, "/identity")
    async with session.ws_connect(NOTIFICATIONS, headers=XML) as socket:
        async with session.post("/butler/ButlerTaskGenerateCreditsMarkers", headers=JSON):
            pass
        await simulator.butler.begin_maintenance()
        await simulator.butler.run_in_maintenance("BackupDatabase")
        await simulator.traps.add_media()
        assert await next_activity_events(socket, 5) == started(
            ("butler", BUTLER.title), CREDITS, SCAN, INTROS, CREDITS
        )

        await simulator.restart()
        await assert_closed_without_frames(socket)

    assert await listed_activities(session) == []
    assert simulator.butler.running == {}
    assert not simulator.butler.in_maintenance
    assert simulator.websocket_count == 0
    assert await get_json(session, "/identity") == identity
    assert simulator.butler.last_run == {
        "ButlerTaskGenerateCreditsMarkers": NOW.date(),
        "BackupDatabase": NOW.date(),
    }

    # The lost HTTP run's end never comes, even after it would have: the next frame is new work.
    async with session.ws_connect(NOTIFICATIONS, headers=XML) as socket:
        await asyncio.sleep(2 * simulator.run_seconds)
        guide = await simulator.traps.reload_guide()
        (notification,) = (await next_notification(socket))["ActivityNotification"]
        assert (notification["event"], notification["uuid"]) == ("started", guide.uuid)
