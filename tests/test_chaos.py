"""Chaos: each fault applied, then lifted; nothing crashes, states match the server, truth is kept.

Every case checks the same four things (`assert_recovered`): no error logged with a traceback, the
task states equal what the server runs, the remembered runs unchanged or truthfully extended, and
the token in no log line. The numbered failures of the chaos run are each tested here or where the
feature lives:

1. events lost after an outage: test_push.py::test_events_of_the_poll_after_an_outage_are_all_kept
2. the backup automation's `not_from` (docs/automations.md): test_readme.py
3. next run moving inside the window: test_schedule.py, test_day.py
4. a 226-character title: test_a_very_long_title_breaks_nothing
5. a burst of presses: test_a_burst_of_presses_sends_one_request
6. slow recovery in push mode: test_push_mode_recovers_at_the_next_push
7. no backoff after connect-then-fail: test_websocket_that_fails_once_open_backs_off
8. token in the URL: test_config_flow.py, test_diagnostics.py
9. durations after outages and restarts: test_server_down_while_a_task_ends, the restart tests
10. the size cap before gzip: test_client.py::test_gzip_bomb_is_refused_without_inflating_it
11. odd task names: test_button.py, test_services.py
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
import logging
from pathlib import Path
import time
from typing import Any

import aiohttp
from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import SOURCE_REAUTH
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed

from custom_components.plex_butler.button import TASK_BUTTONS
from custom_components.plex_butler.const import (
    DEFAULT_SCAN_INTERVAL,
    DOMAIN,
    PUSH_SAFETY_INTERVAL,
    RECONNECT_DELAY_MAX,
)
from custom_components.plex_butler.sensor import TASK_SENSORS

from .conftest import (
    MACHINE_ID,
    TOKEN,
    async_settle,
    async_tick,
    async_wait_until,
    config_entry_for,
    entity_id_of,
    simulated_server,
)
from .helpers import async_start_and_wait, last_run, task_status
from .plex_simulator import DEFAULT_TASKS, PlexSimulator
from .plex_simulator.models import SimulatedTask

pytestmark = pytest.mark.butler_names_tasks  # every run shows which task it is

AFTER_BACKOFF = timedelta(seconds=RECONNECT_DELAY_MAX * 1.2 + 1)
# What the coordinator logs of a failed update, once per outage: expected, no traceback.
EXPECTED = ("Error fetching", "Authentication failed while fetching")


@pytest.fixture(autouse=True)
def debug_logs(caplog: pytest.LogCaptureFixture) -> None:
    """Capture the integration's debug lines too: the token must be in none of them."""
    caplog.set_level(logging.DEBUG, logger=f"custom_components.{DOMAIN}")


def _sent(plex_server: PlexSimulator, method: str, path: str) -> bool:
    return any(r.method == method and r.path == path for r in plex_server.requests)


def _record_events(hass: HomeAssistant) -> list[dict[str, Any]]:
    """Collect the task events fired from now on."""
    event_entity = entity_id_of(hass, "event", f"{MACHINE_ID}_task_event")
    fired: list[dict[str, Any]] = []

    # A callback runs in the event loop, in order; a plain function would run in the executor.
    @callback
    def record(event: Event) -> None:
        new_state = event.data["new_state"]
        if event.data["entity_id"] == event_entity and new_state.state != STATE_UNAVAILABLE:
            old = event.data["old_state"]
            # Two events in the same instant share a state (the time): their data tells them apart.
            if old is None or (old.state, old.attributes) != (
                new_state.state,
                new_state.attributes,
            ):
                fired.append(dict(new_state.attributes))

    hass.bus.async_listen("state_changed", record)
    return fired


def unexpected_errors(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    """Errors beyond a failed update's own line, and tracebacks but asyncio's debug notes."""
    return [
        record
        for record in caplog.records
        if (record.exc_info and record.name != "asyncio" and record.getMessage() != "Full error:")
        or (record.levelno >= logging.ERROR and not record.getMessage().startswith(EXPECTED))
    ]


def assert_recovered(
    hass: HomeAssistant, plex_server: PlexSimulator, caplog: pytest.LogCaptureFixture
) -> None:
    """No traceback, no token in the logs, and every task reads as the server runs it."""
    assert not unexpected_errors(caplog), caplog.text
    assert TOKEN not in caplog.text
    for name in plex_server.tasks:
        expected = "running" if name in plex_server.butler.running else ("idle", "disabled")
        assert task_status(hass, name) in expected, name


async def test_server_down_while_a_task_ends(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    plex_server: PlexSimulator,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Down for 5 minutes: the run that ended meanwhile ends with no invented time or duration."""
    await plex_server.butler.start_task("BackupDatabase")
    await async_start_and_wait(hass, plex_server, "OptimizeDatabase")
    started = last_run(hass, "OptimizeDatabase").attributes["last_started"]
    fired = _record_events(hass)

    await plex_server.go_down()
    for _ in range(10):
        await async_tick(hass, freezer, DEFAULT_SCAN_INTERVAL)
    assert task_status(hass, "BackupDatabase") == STATE_UNAVAILABLE
    await plex_server.butler.end_activity(plex_server.butler.running["BackupDatabase"].uuid)
    await plex_server.come_back()
    await async_tick(hass, freezer, DEFAULT_SCAN_INTERVAL)

    assert_recovered(hass, plex_server, caplog)
    backup = last_run(hass, "BackupDatabase").attributes
    assert backup["last_finished"] is None
    assert backup["last_duration"] is None
    assert [(e["event_type"], e["task"], e["duration"], e["end_observed"]) for e in fired] == [
        ("task_finished", "BackupDatabase", None, False)
    ]
    # The run that went on through the outage keeps its start.
    assert task_status(hass, "OptimizeDatabase") == "running"
    assert last_run(hass, "OptimizeDatabase").attributes["last_started"] == started


async def test_answers_slower_than_the_timeout(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    plex_server: PlexSimulator,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A start whose answer comes too late says it may have happened, and it did."""
    coordinator = init_integration.runtime_data
    coordinator.client._timeout = aiohttp.ClientTimeout(total=0.2)
    plex_server.faults.delay = 0.5

    async def time_out(method: str, path: str) -> None:
        """Once the request reached the server, let a second pass: the client gives up first.

        Not async_wait_until: Home Assistant cannot settle while the request waits for time.
        """
        for _ in range(500):
            if _sent(plex_server, method, path):
                break
            await hass.async_add_executor_job(time.sleep, 0.01)
        freezer.tick(timedelta(seconds=1))
        async_fire_time_changed(hass)

    start = hass.async_create_task(coordinator.async_start_task("BackupDatabase"))
    await time_out("POST", "/butler/BackupDatabase")
    with pytest.raises(HomeAssistantError) as info:
        await start
    assert str(info.value) == (
        f"{plex_server.friendly_name} did not answer in time. The request may still have been "
        "carried out: the next update will show it"
    )
    await async_wait_until(hass, lambda: "BackupDatabase" in plex_server.butler.running)

    plex_server.requests.clear()
    freezer.tick(PUSH_SAFETY_INTERVAL)
    async_fire_time_changed(hass)
    await time_out("GET", "/butler")
    await async_settle(hass)
    assert task_status(hass, "BackupDatabase") == STATE_UNAVAILABLE

    plex_server.faults.delay = 0
    await async_tick(hass, freezer, DEFAULT_SCAN_INTERVAL)
    assert_recovered(hass, plex_server, caplog)
    assert task_status(hass, "BackupDatabase") == "running"


@pytest.mark.parametrize("fault", ["fail_with_500", "garbage", "truncated"])
async def test_push_mode_recovers_at_the_next_push(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    plex_server: PlexSimulator,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
    fault: str,
) -> None:
    """A failed safety poll makes entities unavailable only until the server pushes again."""
    setattr(plex_server.faults, fault, True)
    await async_tick(hass, freezer, PUSH_SAFETY_INTERVAL)
    assert task_status(hass, "BackupDatabase") == STATE_UNAVAILABLE
    assert init_integration.runtime_data.push_connected

    setattr(plex_server.faults, fault, False)
    await plex_server.butler.start_task("BackupDatabase")
    coordinator = init_integration.runtime_data
    await async_wait_until(hass, lambda: coordinator.data.tasks["BackupDatabase"].running)
    await async_tick(hass, freezer, timedelta(seconds=2))  # the debounced refresh
    assert task_status(hass, "BackupDatabase") == "running"
    assert_recovered(hass, plex_server, caplog)


async def test_token_revoked_in_the_middle_of_a_run(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    plex_server: PlexSimulator,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A revoked token asks for reauthentication; nothing crashes, the run is kept."""
    await async_start_and_wait(hass, plex_server, "BackupDatabase")
    plex_server.revoke_token()
    await plex_server.drop_websockets()
    await async_tick(hass, freezer, AFTER_BACKOFF)
    flows = hass.config_entries.flow.async_progress()
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]
    assert not unexpected_errors(caplog)
    assert TOKEN not in caplog.text
    history = init_integration.runtime_data.butler.history["BackupDatabase"]
    assert history.running


async def test_websocket_dropped_100_times(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    plex_server: PlexSimulator,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Reconnects follow the backoff, and no task, socket or listener is left behind."""
    coordinator = init_integration.runtime_data

    def resources() -> tuple[int, int, int]:
        return (
            len(asyncio.all_tasks()),
            len(list(Path("/proc/self/fd").iterdir())),
            len(coordinator._listeners),
        )

    before = resources()
    for _ in range(100):
        await plex_server.drop_websockets()
        await async_wait_until(hass, lambda: not coordinator.push_connected)
        await async_tick(hass, freezer, AFTER_BACKOFF)
        await async_wait_until(hass, lambda: coordinator.push_connected)
        await async_settle(hass)
    assert coordinator.push_disconnects == 100
    assert plex_server.websocket_count == 1
    assert resources() == before
    assert_recovered(hass, plex_server, caplog)


@pytest.mark.parametrize("fault", ["close", "garbage"])
async def test_websocket_that_fails_once_open_backs_off(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    plex_server: PlexSimulator,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
    fault: str,
) -> None:
    """A websocket that opens and fails at once is tried less and less often: 5 s up to 5 min."""
    plex_server.faults.websocket_fault = fault
    await plex_server.drop_websockets()
    handshakes = len(plex_server.requests)
    for _ in range(60):  # half an hour: without backoff, an attempt at every step
        await async_tick(hass, freezer, DEFAULT_SCAN_INTERVAL)
    attempts = sum(
        request.path == "/:/websockets/notifications"
        for request in plex_server.requests[handshakes:]
    )
    # After 5, 10, 20, 40, 80 and 160 s (±20 %), then every 300 s: about 11 in half an hour.
    assert 6 <= attempts <= 14

    plex_server.faults.websocket_fault = None
    await async_tick(hass, freezer, AFTER_BACKOFF)
    await async_wait_until(hass, lambda: init_integration.runtime_data.push_connected)
    # aiohttp may still ping from a websocket it closed (its close reply re-arms the heartbeat);
    # with the clock frozen, two more steps let that ping and its pong timer run out.
    for _ in range(2):
        await async_tick(hass, freezer, DEFAULT_SCAN_INTERVAL)
    assert_recovered(hass, plex_server, caplog)


async def test_server_restart_while_a_task_runs(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    plex_server: PlexSimulator,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The run vanishes with no `ended` frame: it ended at a moment nobody saw."""
    await async_start_and_wait(hass, plex_server, "BackupDatabase")
    fired = _record_events(hass)
    freezer.tick(timedelta(seconds=1))  # the event's time is its state: it must differ
    await plex_server.restart()
    await async_wait_until(hass, lambda: not init_integration.runtime_data.push_connected)
    await async_tick(hass, freezer, AFTER_BACKOFF)
    await async_wait_until(hass, lambda: init_integration.runtime_data.push_connected)
    await async_settle(hass)

    assert_recovered(hass, plex_server, caplog)
    # The Butler's own run vanished with it, as unseen.
    assert [(e["event_type"], e["duration"], e["end_observed"]) for e in fired] == [
        ("task_finished", None, False),
        ("maintenance_finished", None, False),
    ]
    assert last_run(hass, "BackupDatabase").attributes["last_duration"] is None


async def _restart_home_assistant(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Unload and set up the entry again: what a restart does to it, storage kept."""
    await async_settle(hass)
    await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    assert await hass.config_entries.async_setup(entry.entry_id)
    await async_wait_until(hass, lambda: entry.runtime_data.push_connected)
    await async_settle(hass)


async def test_home_assistant_restart_while_a_task_runs_on(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    plex_server: PlexSimulator,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The server still runs the task: the run goes on, and its end is timed from its start."""
    await async_start_and_wait(hass, plex_server, "BackupDatabase")
    started = last_run(hass, "BackupDatabase").attributes["last_started"]
    await async_tick(hass, freezer, timedelta(seconds=100))

    await _restart_home_assistant(hass, init_integration)
    fired = _record_events(hass)
    assert task_status(hass, "BackupDatabase") == "running"
    assert last_run(hass, "BackupDatabase").attributes["last_started"] == started

    freezer.tick(timedelta(seconds=65))
    await plex_server.butler.end_activity(plex_server.butler.running["BackupDatabase"].uuid)
    await async_wait_until(hass, lambda: task_status(hass, "BackupDatabase") == "idle")
    # The Butler's run was found going on at the restart: its end is seen, its start was not.
    assert [(e["event_type"], e["duration"], e["end_observed"]) for e in fired] == [
        ("task_finished", 165.0, True),
        ("maintenance_finished", None, True),
    ]
    assert_recovered(hass, plex_server, caplog)


async def test_home_assistant_restart_while_a_task_ends(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    plex_server: PlexSimulator,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The task ended while Home Assistant was down: finished, at no invented time."""
    await async_start_and_wait(hass, plex_server, "BackupDatabase")
    await async_settle(hass)
    await hass.config_entries.async_unload(init_integration.entry_id)
    await hass.async_block_till_done()
    await plex_server.butler.end_activity(plex_server.butler.running["BackupDatabase"].uuid)
    freezer.tick(timedelta(minutes=10))

    assert await hass.config_entries.async_setup(init_integration.entry_id)
    await async_wait_until(hass, lambda: init_integration.runtime_data.push_connected)
    await async_settle(hass)
    events = init_integration.runtime_data.butler.history["BackupDatabase"]
    assert not events.running
    backup = last_run(hass, "BackupDatabase").attributes
    assert backup["last_finished"] is None
    assert backup["last_duration"] is None
    assert_recovered(hass, plex_server, caplog)


async def test_a_burst_of_presses_sends_one_request(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    plex_server: PlexSimulator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """1000 presses of one start button, then of stop all: one request each reaches the server."""

    async def burst(unique_id: str) -> None:
        entity_id = entity_id_of(hass, "button", unique_id)
        await asyncio.gather(
            *(
                hass.services.async_call("button", "press", {"entity_id": entity_id}, blocking=True)
                for _ in range(1000)
            )
        )

    first = len(plex_server.requests)
    await burst(f"{MACHINE_ID}_BackupDatabase_start")
    sent = [(r.method, r.path) for r in plex_server.requests[first:]]
    assert sent.count(("POST", "/butler/BackupDatabase")) == 1
    assert len(sent) <= 3  # the start, and one refresh of the task list and the activities
    assert task_status(hass, "BackupDatabase") == "running"

    first = len(plex_server.requests)
    await burst(f"{MACHINE_ID}_stop_all")
    sent = [(r.method, r.path) for r in plex_server.requests[first:]]
    assert sent.count(("DELETE", "/butler")) == 1
    # The stop, one refresh, and one read of the backup folder: the Butler's run is over.
    assert len(sent) <= 4
    assert len([path for _, path in sent if path.startswith("/services/browse/")]) == 1
    await async_settle(hass)
    assert_recovered(hass, plex_server, caplog)


async def test_a_very_long_title_breaks_nothing(
    hass: HomeAssistant,
    socket_enabled: None,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A 226-character title: valid entity ids, live updates and actions keep working."""
    title = ("Regenerate Every Thumbnail " * 9)[:226]
    long_task = SimulatedTask(
        name="LongTask",
        title=title,
        description="",
        interval=1,
        schedule_randomized=False,
        enabled=True,
    )
    server = simulated_server(tasks=[*DEFAULT_TASKS, long_task], butler_activity_names_task=True)
    await server.start()
    entry = config_entry_for(server, client_identifier="chaos")
    entry.add_to_hass(hass)
    try:
        assert await hass.config_entries.async_setup(entry.entry_id)
        await async_wait_until(hass, lambda: entry.runtime_data.push_connected)
        await async_settle(hass)
        registry = er.async_get(hass)
        entities = [
            entity
            for entity in er.async_entries_for_config_entry(registry, entry.entry_id)
            if "LongTask" in entity.unique_id
        ]
        assert len(entities) == len(TASK_SENSORS) + len(TASK_BUTTONS)
        for entity in entities:
            assert not entity.entity_id.endswith("_")
            assert len(entity.entity_id) < 255
        status = entity_id_of(hass, "sensor", f"{MACHINE_ID}_LongTask_status")
        assert hass.states.get(status).attributes["friendly_name"].endswith("…")

        await hass.services.async_call(
            "button",
            "press",
            {"entity_id": entity_id_of(hass, "button", f"{MACHINE_ID}_LongTask_start")},
            blocking=True,
        )
        await async_wait_until(hass, lambda: hass.states.get(status).state == "running")
        await server.butler.end_activity(server.butler.running["LongTask"].uuid)
        await async_wait_until(hass, lambda: hass.states.get(status).state == "idle")
        assert_recovered(hass, server, caplog)
    finally:
        await hass.config_entries.async_unload(entry.entry_id)
        await server.stop()


async def test_a_bug_in_handling_a_push_does_not_end_live_updates(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    plex_server: PlexSimulator,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """An unexpected error is logged once; the next push is handled as usual."""
    coordinator = init_integration.runtime_data
    handle = coordinator.butler.notification
    calls = 0

    def fail_once(*args: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise RuntimeError("bug")
        return handle(*args)

    monkeypatch.setattr(coordinator.butler, "notification", fail_once)
    await plex_server.butler.start_task("BackupDatabase")  # its "started" push meets the bug
    await async_wait_until(hass, lambda: calls == 1)
    await plex_server.update_activity(plex_server.butler.running["BackupDatabase"].uuid, 10)
    await async_wait_until(hass, lambda: task_status(hass, "BackupDatabase") == "running")
    assert coordinator.push_connected
    assert [record.getMessage() for record in caplog.records if record.exc_info] == [
        "Unexpected error handling a notification"
    ]
