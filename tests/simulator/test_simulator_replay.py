"""Replaying captures (docs/captures.md) through the simulated server, as a client sees them.

Every shipped capture is replayed: its frames must reach the websocket verbatim, its polls must
notify nobody, and `GET /activities` must list what the capture says the server had. Each capture
also states, in EXPECTED, what a client must see happen in it.
"""

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime
import json
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from custom_components.plex_butler.api.log_lines import LogReader
from custom_components.plex_butler.api.models import ActivityEvent
from tests.plex_simulator import PlexSimulator, load_capture
from tests.simulator_helpers import JSON, NOTIFICATIONS, TOKEN, XML, get_json, listed_activities

CAPTURES = Path(__file__).parents[1] / "captures"
EVIDENCE_KINDS = ("Real", "Inference", "Placeholder", "Reconstructed")


@dataclass(frozen=True)
class Outcome:
    """What a client sees in a capture: activities (type, title) started, and how each left."""

    local_start: str
    started: list[tuple[str, str]]
    ended: set[str]
    vanished: set[str]
    """Types of the activities that left a poll without an `ended` frame."""
    sub_activities: list[tuple[str, str | None]] = field(default_factory=list)
    """The debug log's sub-activities: (event, name), name None for an end."""


EXPECTED = {
    "media-added.json": Outcome(
        "14:00",
        [
            ("library.update.section", "Scanning Movies"),
            ("media.generate.credits", "Detecting Credits"),
            ("media.generate.loudness", "Generating loudness data"),
            ("media.generate.intros", "Detecting intros"),
        ],
        {
            "library.update.section",
            "media.generate.credits",
            "media.generate.loudness",
            "media.generate.intros",
        },
        set(),
    ),
    "dvr-guide-reload.json": Outcome(
        "16:00", [("provider.epg.load", "Refreshing EPG")], {"provider.epg.load"}, set()
    ),
    "manual-analyze.json": Outcome(
        "11:30",
        [
            ("media.generate.loudness", "Generating loudness data"),
            ("media.generate.credits", "Detecting Credits"),
        ],
        {"media.generate.loudness", "media.generate.credits"},
        set(),
    ),
    "nightly-maintenance.json": Outcome(
        "02:05",
        [
            ("butler", "Butler tasks"),
            ("media.generate.credits", "Detecting Credits"),
            ("media.generate.loudness", "Generating loudness data"),
        ],
        {"butler", "media.generate.credits", "media.generate.loudness"},
        set(),
    ),
    "nightly-debug-log.json": Outcome(
        "04:00",
        [("butler", "Butler tasks"), ("media.generate.intros", "Detecting intros")],
        {"butler", "media.generate.intros"},
        set(),
        [
            (event, name)
            for task in (
                "BackupDatabase",
                "OptimizeDatabase",
                "CleanOldBundles",
                "CleanOldCacheFiles",
                "RefreshPeriodicMetadata",
                "ProcessAssets",
                "ButlerTaskGenerateIntroMarkers",
            )
            for event, name in (("started", task), ("ended", None))
        ],
    ),
    "restart-mid-run.json": Outcome(
        "02:10",
        [("butler", "Butler tasks"), ("media.generate.credits", "Detecting Credits")],
        set(),
        {"butler", "media.generate.credits"},
    ),
}
EVERY_KIND = {"filters": "activity,preference,log"}


class ClientView:
    """What a client knows after each capture entry: the activities, and what came and went."""

    def __init__(self) -> None:
        self.table: dict[str, dict[str, Any]] = {}
        self.started: list[tuple[str, str]] = []
        self.ended: set[str] = set()
        self.vanished: set[str] = set()
        self.sub_activities: list[tuple[str, str | None]] = []
        self.log = LogReader()

    def see(self, entry: dict[str, Any]) -> None:
        if "activities" in entry:
            polled = entry["activities"]["MediaContainer"].get("Activity", [])
            gone = self.table.keys() - {activity["uuid"] for activity in polled}
            self.vanished |= {self.table[uuid]["type"] for uuid in gone}
            self.table = {activity["uuid"]: activity for activity in polled}
            return
        container = entry["notification"]["NotificationContainer"]
        for line in self.log.read(container) if container["type"] == "log" else []:
            self.sub_activities.append((str(line.event), line.name))
            # Each sub-activity line names the Butler activity the client knows as its parent.
            assert self.table[line.parent]["title"] == "Butler tasks"
            assert line.event in (ActivityEvent.STARTED, ActivityEvent.ENDED)
        for notification in container.get("ActivityNotification", []):
            activity = notification["Activity"]
            if notification["event"] == "started":
                self.started.append((activity["type"], activity["title"]))
            if notification["event"] == "ended":
                self.ended.add(activity["type"])
                del self.table[notification["uuid"]]
            else:
                self.table[notification["uuid"]] = activity


@pytest.fixture
async def replayed(
    capture_name: str, socket_enabled: None
) -> AsyncIterator[tuple[PlexSimulator, dict[str, Any]]]:
    """A started simulator made from the capture `capture_name`, and the capture."""
    capture = load_capture(CAPTURES / capture_name)
    simulator = PlexSimulator.from_capture(capture, token=TOKEN)
    await simulator.start()
    yield simulator, capture
    await simulator.stop()


async def next_frame(socket: aiohttp.ClientWebSocketResponse) -> Any:
    return json.loads(await socket.receive_str(timeout=2))


def test_every_shipped_capture_is_expected() -> None:
    assert sorted(path.name for path in CAPTURES.glob("*.json")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
async def test_capture_is_reconstructed_from_evidence(
    name: str, session: aiohttp.ClientSession
) -> None:
    capture = load_capture(CAPTURES / name)
    assert capture["origin"] == "reconstructed"
    assert capture["evidence"]
    assert all(line.startswith(EVIDENCE_KINDS) for line in capture["evidence"])
    recorded_at = datetime.fromisoformat(capture["recorded_at"])
    assert recorded_at.utcoffset() is not None
    assert recorded_at.strftime("%H:%M") == EXPECTED[name].local_start
    first = capture["timeline"][0]
    assert (first["t"], list(first)) == (0.0, ["t", "activities"])
    assert capture["butler"] == await get_json(session, "/butler")  # the default task list


@pytest.mark.parametrize("capture_name", sorted(EXPECTED))
async def test_replay(capture_name: str, replayed: tuple[PlexSimulator, dict[str, Any]]) -> None:
    """Frames arrive verbatim, polls stay silent, the table follows the capture."""
    simulator, capture = replayed
    view = ClientView()
    async with (
        aiohttp.ClientSession(base_url=simulator.url) as session,
        session.ws_connect(NOTIFICATIONS, headers=XML, params=EVERY_KIND) as socket,
    ):
        root = (await get_json(session, "/"))["MediaContainer"]
        assert {"version": root["version"], "platform": root["platform"]} == capture["server"]
        for entry in capture["timeline"]:
            await simulator.replay.apply_entry(entry)
            view.see(entry)
            if "notification" in entry:
                # The next frame is this one as recorded: the polls before it sent nothing.
                assert await next_frame(socket) == entry["notification"]
            assert await listed_activities(session) == list(view.table.values())
        sentinel = await simulator.add_activity("library.update.section", "Sentinel")
        (notification,) = (await next_frame(socket))["NotificationContainer"][
            "ActivityNotification"
        ]
        assert notification["uuid"] == sentinel.uuid

    expected = EXPECTED[capture_name]
    assert (view.started, view.ended, view.vanished, view.sub_activities) == (
        expected.started,
        expected.ended,
        expected.vanished,
        expected.sub_activities,
    )
    assert view.log.counts["unreadable_frames"] == 0
    assert view.log.counts["unreadable_butler_lines"] == 0


@pytest.mark.parametrize(
    ("capture_name", "randomized_wait"),
    [("nightly-maintenance.json", True), ("media-added.json", False)],
)
async def test_replay_keeps_the_captures_local_time(
    replayed: tuple[PlexSimulator, dict[str, Any]], randomized_wait: bool
) -> None:
    """Start-all inside the window (02:05) leaves randomized tasks for later; at 14:00 not."""
    simulator, capture = replayed
    simulator.run_seconds = 30
    await simulator.replay.apply_entry(capture["timeline"][0])
    async with (
        aiohttp.ClientSession(base_url=simulator.url) as session,
        session.post("/butler", headers=JSON) as response,
    ):
        assert response.status == 200
    assert ("DeepMediaAnalysis" in simulator.butler.scheduled) is randomized_wait
    assert ("DeepMediaAnalysis" in simulator.butler.running) is not randomized_wait


@pytest.mark.parametrize(
    "change",
    [
        {"format": "plex-capture"},
        {"version": 2},
        {"timeline": [{"t": 5.0, "butler": {}}, {"t": 1.0, "butler": {}}]},
    ],
    ids=["format", "version", "order"],
)
def test_load_capture_refuses(tmp_path: Path, change: dict[str, Any]) -> None:
    capture = load_capture(CAPTURES / "manual-analyze.json") | change
    path = tmp_path / "capture.json"
    path.write_text(json.dumps(capture), encoding="utf-8")
    with pytest.raises(ValueError, match="capture"):
        load_capture(path)
    path.write_text("[]", encoding="utf-8")
    with pytest.raises(ValueError, match="plex-butler-capture"):
        load_capture(path)


@pytest.mark.parametrize("capture_name", ["nightly-maintenance.json"])
async def test_replay_honours_filters_and_applies_preferences(
    replayed: tuple[PlexSimulator, dict[str, Any]],
) -> None:
    simulator, capture = replayed
    preference = {
        "NotificationContainer": {
            "type": "preference",
            "size": 1,
            "Setting": [{"id": "ButlerTaskBackupDatabase", "value": False}],
        }
    }
    activity = next(entry for entry in capture["timeline"] if "notification" in entry)
    async with (
        aiohttp.ClientSession(base_url=simulator.url) as session,
        session.ws_connect(f"{NOTIFICATIONS}?filters=preference", headers=XML) as preferences,
        session.ws_connect(f"{NOTIFICATIONS}?filters=activity", headers=XML) as activities,
    ):
        await simulator.replay.apply_entry(activity)
        await simulator.replay.apply_entry({"t": 30.0, "notification": preference})
        assert await next_frame(activities) == activity["notification"]
        assert await next_frame(preferences) == preference
        settings = (await get_json(session, "/:/prefs"))["MediaContainer"]["Setting"]
        assert {"id": "ButlerTaskBackupDatabase", "value": False}.items() <= next(
            setting for setting in settings if setting["id"] == "ButlerTaskBackupDatabase"
        ).items()
        tasks = (await get_json(session, "/butler"))["ButlerTasks"]["ButlerTask"]
        assert next(task for task in tasks if task["name"] == "BackupDatabase")["enabled"] is False


@pytest.mark.parametrize("capture_name", ["media-added.json"])
async def test_replay_of_task_lists_and_polls(
    replayed: tuple[PlexSimulator, dict[str, Any]],
) -> None:
    """A `butler` entry replaces the tasks; a poll forgets the simulator's own runs silently."""
    simulator, capture = replayed
    simulator.run_seconds = 30
    document = {"ButlerTasks": {"ButlerTask": capture["butler"]["ButlerTasks"]["ButlerTask"][:2]}}
    async with (
        aiohttp.ClientSession(base_url=simulator.url) as session,
        session.ws_connect(NOTIFICATIONS, headers=XML) as socket,
    ):
        await simulator.replay.apply_entry({"t": 0.0, "butler": document})
        assert await get_json(session, "/butler") == document

        async with session.post("/butler/BackupDatabase", headers=JSON) as response:
            assert response.status == 200
        assert (await next_frame(socket))["NotificationContainer"]["ActivityNotification"][0][
            "event"
        ] == "started"
        poll = next(entry for entry in capture["timeline"] if entry["t"] == 5.0)
        await simulator.replay.apply_entry(poll)
        assert simulator.butler.running == {}
        assert await listed_activities(session) == poll["activities"]["MediaContainer"]["Activity"]
        sentinel = await simulator.add_activity("library.update.section", "Sentinel")
        assert (await next_frame(socket))["NotificationContainer"]["ActivityNotification"][0][
            "uuid"
        ] == sentinel.uuid

    with pytest.raises(ValueError, match="unknown capture entry"):
        await simulator.replay.apply_entry({"t": 6.0, "video": {}})
