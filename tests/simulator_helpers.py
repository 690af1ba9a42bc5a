"""Helpers for tests of the simulated Plex Media Server, as a client sees it."""

from datetime import UTC, datetime
from typing import Any
import xml.etree.ElementTree as ET

import aiohttp

TOKEN = "secret-token"
JSON = {"Accept": "application/json", "X-Plex-Token": TOKEN}
XML = {"X-Plex-Token": TOKEN}
NOTIFICATIONS = "/:/websockets/notifications"
NOW = datetime(2025, 3, 14, 12, 0, tzinfo=UTC)
"""The server's local time in these tests."""
FRAME_TIMEOUT = 2.0
"""Seconds to wait for a frame the simulator sends at once."""


def parse_xml(text: str) -> ET.Element:
    return ET.fromstring(text)  # noqa: S314 - the test's own server


async def get_json(session: aiohttp.ClientSession, path: str) -> Any:
    async with session.get(path, headers=JSON) as response:
        assert response.status == 200
        return await response.json()


async def listed_activities(session: aiohttp.ClientSession) -> list[dict[str, Any]]:
    """Return the activities `GET /activities` lists (none when idle)."""
    container = (await get_json(session, "/activities"))["MediaContainer"]
    activities: list[dict[str, Any]] = container.get("Activity", [])
    assert container["size"] == len(activities)
    return activities


async def next_notification(socket: aiohttp.ClientWebSocketResponse) -> dict[str, Any]:
    message = await socket.receive_json(timeout=FRAME_TIMEOUT)
    container: dict[str, Any] = message["NotificationContainer"]
    return container


async def next_activity_events(
    socket: aiohttp.ClientWebSocketResponse, count: int
) -> list[tuple[str, str, str]]:
    """Return the next `count` activity notifications as (event, type, title)."""
    events = []
    for _ in range(count):
        container = await next_notification(socket)
        assert container["type"] == "activity"
        (notification,) = container["ActivityNotification"]
        assert notification["uuid"] == notification["Activity"]["uuid"]
        activity = notification["Activity"]
        events.append((notification["event"], activity["type"], activity["title"]))
    return events


async def assert_closed_without_frames(socket: aiohttp.ClientWebSocketResponse) -> None:
    """Assert that the server closes the websocket and sends nothing before."""
    message = await socket.receive(timeout=FRAME_TIMEOUT)
    assert message.type in {aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED}, message
