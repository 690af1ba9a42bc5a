"""The client reads the Butler's sub-activities from the server's debug log (`log` frames).

Lines are the real ones (Plex Media Server 1.41.5) with full uuids; the frame shapes are guesses,
so every plausible one must work and none may ever raise.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import aiohttp
from hypothesis import given, settings, strategies as st
import pytest

from custom_components.plex_butler.api.client import PlexButlerClient
from custom_components.plex_butler.api.log_lines import LogReader, parse_sub_activity_line
from custom_components.plex_butler.api.models import (
    ActivityEvent,
    ActivityNotification,
    SubActivityNotification,
)
from custom_components.plex_butler.api.parsing import notifications_in
from tests.api.test_client import CLIENT_ID, Listener, listening, wait_until
from tests.conftest import TOKEN, simulated_server
from tests.plex_simulator import EvidenceLevel, PlexSimulator

SUB = "001e4464-6a2b-4c7e-9f1d-3b5a7c9e1f20"
PARENT = "b5d6ac97-2c4e-4f6a-8b0d-1e3f5a7c9b2d"
REGISTERED = (
    f'Activity: registered new sub-activity {SUB} - "ProcessAssets" parent: {PARENT} '
    "overall progress: 83.3% (5/6)"
)
ENDED = f"Activity: ended sub-activity {SUB} parent: {PARENT} overall progress: 100.0% (6/6)"
STARTED_NOTIFICATION = SubActivityNotification(
    ActivityEvent.STARTED, SUB, PARENT, "ProcessAssets", 5, 6
)
ENDED_NOTIFICATION = SubActivityNotification(ActivityEvent.ENDED, SUB, PARENT, None, 6, 6)
NOISE = (
    f"Activity: updated activity {PARENT} - completed 83.3% - Butler tasks",
    "Butler: Performed sonic analysis on 0 batches of albums.",
    "The butler processed 0 assets.",
    f'Activity: registered new activity {SUB} - "Processing subscriptions"',
)


def log_frame(**container: Any) -> dict[str, Any]:
    return {"NotificationContainer": {**container, "type": "log"}}


@pytest.mark.parametrize(
    "prefix", ["", "DEBUG - ", "Dec 03, 2026 04:05:01.123 [0x7f4d2c] DEBUG - ", "  "]
)
def test_each_line_with_any_prefix(prefix: str) -> None:
    assert parse_sub_activity_line(prefix + REGISTERED) == STARTED_NOTIFICATION
    assert parse_sub_activity_line(prefix + ENDED) == ENDED_NOTIFICATION


def test_a_line_without_its_count() -> None:
    line = REGISTERED.removesuffix(" (5/6)")
    assert parse_sub_activity_line(line) == SubActivityNotification(
        ActivityEvent.STARTED, SUB, PARENT, "ProcessAssets"
    )
    assert parse_sub_activity_line(f"Activity: ended sub-activity {SUB} parent: {PARENT}") == (
        SubActivityNotification(ActivityEvent.ENDED, SUB, PARENT)
    )


@pytest.mark.parametrize("line", [*NOISE, "", "sub-activity", f"ended sub-activity {SUB}"])
def test_other_lines_are_none(line: str) -> None:
    assert parse_sub_activity_line(line) is None


@pytest.mark.parametrize(
    "container",
    [
        {"size": 1, "Log": [{"level": 3, "message": REGISTERED, "source": "Plex Media Server"}]},
        {"size": 1, "Log": {"message": REGISTERED}},
        {"size": 3, "Log": [{"message": NOISE[0]}, {"message": REGISTERED}, {"text": NOISE[1]}]},
        {"size": 1, "LogNotification": [{"text": f"DEBUG - {NOISE[0]}\nDEBUG - {REGISTERED}\n"}]},
        {"message": f"DEBUG - {REGISTERED}"},
        {"Message": [[REGISTERED]]},
    ],
    ids=["one-line", "lone-object", "batch", "text-block", "flat", "nested-lists"],
)
def test_any_shape_holding_the_line(container: dict[str, Any]) -> None:
    reader = LogReader()
    assert notifications_in(log_frame(**container), reader) == [STARTED_NOTIFICATION]
    assert dict(reader.counts) == {
        "frames": 1,
        "unreadable_frames": 0,
        "butler_lines": 1,
        "unreadable_butler_lines": 0,
    }


def test_several_lines_in_one_frame_in_order() -> None:
    text = "\n".join([REGISTERED, *NOISE, ENDED])
    assert notifications_in(log_frame(Log=[{"message": text}])) == [
        STARTED_NOTIFICATION,
        ENDED_NOTIFICATION,
    ]


@pytest.mark.parametrize(
    "container",
    [{}, {"size": 0}, {"size": 1, "Log": []}, {"Log": [{"level": 3}]}, {"Log": None}],
)
def test_a_frame_without_text_is_counted_and_skipped(container: dict[str, Any]) -> None:
    reader = LogReader()
    assert notifications_in(log_frame(**container), reader) == []
    assert reader.counts["unreadable_frames"] == 1
    assert reader.counts["frames"] == 0


def test_a_sub_activity_line_in_new_words_is_counted() -> None:
    reader = LogReader()
    frame = log_frame(Log=[{"message": f"Activity: paused sub-activity {SUB}"}, {"message": ENDED}])
    assert notifications_in(frame, reader) == [ENDED_NOTIFICATION]
    assert reader.counts["unreadable_butler_lines"] == 1
    assert reader.counts["butler_lines"] == 1


def test_counts_are_read_only() -> None:
    reader = LogReader()
    with pytest.raises(TypeError):
        reader.counts["frames"] = 3  # type: ignore[index]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)
line_parts = st.sampled_from(
    [REGISTERED, ENDED, *NOISE, "sub-activity", '"', "parent:", "(", "/", ")", "\n", "DEBUG - "]
)
log_texts = st.lists(line_parts | st.text(max_size=20), max_size=8).map("".join)


@settings(max_examples=300, deadline=None)
@given(container=st.dictionaries(st.text(max_size=12), json_values | log_texts, max_size=5))
def test_no_log_frame_raises(container: dict[str, Any]) -> None:
    reader = LogReader()
    found = notifications_in(log_frame(**container), reader)
    assert all(isinstance(item, SubActivityNotification) for item in found)
    assert reader.counts["frames"] + reader.counts["unreadable_frames"] == 1
    assert reader.counts["butler_lines"] == len(found)


@settings(max_examples=200, deadline=None)
@given(container=json_values | log_texts)
def test_no_log_container_of_any_type_raises(container: Any) -> None:
    frame = {"NotificationContainer": container}
    if isinstance(container, dict):
        container["type"] = "log"
        assert isinstance(notifications_in(frame), list)


# --- Over the websocket ----------------------------------------------------------------------


@pytest.fixture
async def logging_server(socket_enabled: None) -> AsyncIterator[PlexSimulator]:
    server = simulated_server(evidence=EvidenceLevel.DEBUG_LOG)
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def log_client(logging_server: PlexSimulator) -> AsyncIterator[PlexButlerClient]:
    async with aiohttp.ClientSession() as session:
        yield PlexButlerClient(logging_server.url, TOKEN, session, client_identifier=CLIENT_ID)


async def sub_activities(listener: Listener, count: int) -> list[SubActivityNotification]:
    found: list[SubActivityNotification] = []
    while len(found) < count:
        notification = await listener.next()
        if isinstance(notification, SubActivityNotification):
            found.append(notification)
    return found


@pytest.mark.parametrize("shape", ["line", "batch", "text"])
async def test_a_run_over_the_websocket(
    log_client: PlexButlerClient, logging_server: PlexSimulator, shape: Any
) -> None:
    """One socket gets activities and the log; the Butler's run and its sub-activity agree."""
    logging_server.log_frame_shape = shape
    async with listening(log_client, logging_server) as listener:
        await logging_server.butler.start_task("OptimizeDatabase")
        butler = logging_server.butler.running["OptimizeDatabase"]
        (started,) = await sub_activities(listener, 1)
        await logging_server.butler.stop_task("OptimizeDatabase")
        (ended,) = await sub_activities(listener, 1)
    assert started == SubActivityNotification(
        ActivityEvent.STARTED, started.uuid, butler.uuid, "OptimizeDatabase", 0, 1
    )
    assert ended == SubActivityNotification(
        ActivityEvent.ENDED, started.uuid, butler.uuid, None, 1, 1
    )
    counts = log_client.log_frames
    assert counts["butler_lines"] == 2
    assert counts["frames"] >= 2
    assert counts["unreadable_frames"] == 0


async def test_unreadable_log_frames_never_break_the_websocket(
    log_client: PlexButlerClient, logging_server: PlexSimulator
) -> None:
    async with listening(log_client, logging_server) as listener:
        for container in ({"type": "log"}, {"type": "log", "Log": [{"level": 3}]}):
            await logging_server.websockets.broadcast({"NotificationContainer": container})
        sentinel = await logging_server.add_activity("library.update.section", "Sentinel")
        notification = await listener.next()
        while not isinstance(notification, ActivityNotification):
            notification = await listener.next()
        assert notification.activity.uuid == sentinel.uuid
        await wait_until(lambda: log_client.log_frames["unreadable_frames"] == 2)
        assert listener.task is not None
        assert not listener.task.done()


async def test_no_log_frames_without_debug_logging(
    make_log_client: Callable[[str], PlexButlerClient], socket_enabled: None
) -> None:
    server = simulated_server()  # the default level: the Butler activity, no debug log
    await server.start()
    try:
        client = make_log_client(server.url)
        async with listening(client, server) as listener:
            await server.butler.start_task("BackupDatabase")
            first = await listener.next()
            assert isinstance(first, ActivityNotification)
            await server.butler.stop_task("BackupDatabase")
            while not (
                isinstance(note := await listener.next(), ActivityNotification)
                and note.event is ActivityEvent.ENDED
            ):
                assert not isinstance(note, SubActivityNotification)
        assert client.log_frames["frames"] == 0
    finally:
        await server.stop()


@pytest.fixture
async def make_log_client() -> AsyncIterator[Callable[[str], PlexButlerClient]]:
    async with aiohttp.ClientSession() as session:
        yield lambda url: PlexButlerClient(url, TOKEN, session, client_identifier=CLIENT_ID)
