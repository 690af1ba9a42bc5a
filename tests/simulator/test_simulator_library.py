"""The simulated server's library endpoints, as a client sees them (the guesses: libraries.py)."""

import aiohttp

from tests.plex_simulator import PlexSimulator
from tests.simulator_helpers import (
    JSON,
    NOTIFICATIONS,
    XML,
    get_json,
    listed_activities,
    next_activity_events,
    parse_xml,
)

SCANS = [
    ("library.update.section", "Scanning Movies"),
    ("library.update.section", "Scanning TV Shows"),
    ("library.update.section", "Scanning Music"),
]


async def test_sections_in_xml_by_default_and_json(
    simulator: PlexSimulator, session: aiohttp.ClientSession
) -> None:
    """`Directory` elements with key, title and type; XML unless JSON is asked for."""
    async with session.get("/library/sections", headers=XML) as response:
        assert response.content_type == "text/xml"
        root = parse_xml(await response.text())
    assert root.tag == "MediaContainer"
    assert root.get("size") == "3"
    assert [(d.get("key"), d.get("title"), d.get("type")) for d in root] == [
        ("1", "Movies", "movie"),
        ("2", "TV Shows", "show"),
        ("3", "Music", "artist"),
    ]
    simulator.libraries.add_section("Photos", "photo")
    container = (await get_json(session, "/library/sections"))["MediaContainer"]
    assert container["Directory"][-1] == {
        "key": "4",
        "title": "Photos",
        "type": "photo",
        "refreshing": False,
    }
    del simulator.libraries.sections["1"]
    container = (await get_json(session, "/library/sections"))["MediaContainer"]
    assert [d["title"] for d in container["Directory"]] == ["TV Shows", "Music", "Photos"]


async def test_maintenance_answers_200_with_an_empty_body_or_404(
    simulator: PlexSimulator, session: aiohttp.ClientSession
) -> None:
    """What the real server answers; a library it does not have is 404, with an HTML page."""
    for method, path in (
        ("PUT", "/library/sections/1/emptyTrash"),
        ("GET", "/library/sections/2/refresh?force=1"),
        ("GET", "/library/sections/all/refresh"),
        ("PUT", "/library/clean/bundles?async=1"),
        ("PUT", "/library/optimize?async=1"),
    ):
        async with session.request(method, path, headers=JSON) as response:
            assert (response.status, await response.read()) == (200, b""), path
    for method, path in (
        ("PUT", "/library/sections/9/emptyTrash"),
        ("GET", "/library/sections/9/refresh"),
    ):
        async with session.request(method, path, headers=JSON) as response:
            assert response.status == 404, path
            assert response.content_type == "text/html"
    async with session.put("/library/optimize", headers={}) as response:
        assert response.status == 401


async def test_the_activities_library_work_shows(
    simulator: PlexSimulator, session: aiohttp.ClientSession
) -> None:
    """A scan per library (not twice at once), bundles and the database; none is the Butler's.

    Each ends by itself after the server's run time (0.2 s here).
    """
    async with session.ws_connect(NOTIFICATIONS, headers=XML) as socket:
        await simulator.libraries.refresh()
        assert await next_activity_events(socket, 3) == [("started", *scan) for scan in SCANS]
        # Movies is already being scanned: no second scan of it.
        assert await simulator.libraries.refresh("1") == []
        listed = await listed_activities(session)
        assert [activity["Context"] for activity in listed] == [
            {"librarySectionID": key} for key in ("1", "2", "3")
        ]
        assert await next_activity_events(socket, 3) == [("ended", *scan) for scan in SCANS]

        async with session.put("/library/clean/bundles?async=1", headers=JSON):
            pass
        async with session.put("/library/optimize?async=1", headers=JSON):
            pass
        events = await next_activity_events(socket, 4)
        for work in (
            ("library.clean.bundles", "Cleaning bundles"),
            ("database.optimize", "Optimizing database"),
        ):
            assert events.index(("started", *work)) < events.index(("ended", *work))
        async with session.put("/library/sections/1/emptyTrash", headers=JSON):
            pass
    assert simulator.butler.runs == {}
    assert await listed_activities(session) == []


async def test_a_restart_drops_library_work_without_a_frame(simulator: PlexSimulator) -> None:
    """Like every activity, library work vanishes in a restart; its timer goes with it."""
    simulator.run_seconds = 3600
    await simulator.libraries.optimize_database()
    await simulator.restart()
    assert simulator.activities == {}
    assert not simulator.libraries._timers
