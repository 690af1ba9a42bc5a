"""Benchmark: how fresh and how costly the task states are, push against polling.

Run with `scripts/bench`. It talks only to simulated Plex servers on 127.0.0.1 and prints one
table at the end. Latencies are real time on this machine; request counts come from an hour of
Home Assistant's clock moved on in steps (the schedules decide them, not the machine's speed).
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
import random
import statistics
import time
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import CONF_SCAN_INTERVAL
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.plex_butler.const import DEFAULT_SCAN_INTERVAL
from tests.conftest import (
    MACHINE_ID,
    TOKEN,
    async_settle,
    async_tick,
    async_wait_until,
    entity_id_of,
    simulated_server,
)
from tests.plex_simulator import DEFAULT_TASKS, PlexSimulator

PUSH_SAMPLES = 50
POLL_SAMPLES = 20
HOUR = timedelta(hours=1)
RESULTS: dict[str, Any] = {}


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def _watch_running(hass: HomeAssistant, seen: dict[str, float]) -> None:
    """Record the moment each task sensor turns running."""

    @callback
    def record(event: Event) -> None:
        new = event.data["new_state"]
        if new is not None and new.state == "running":
            seen.setdefault(event.data["entity_id"], time.perf_counter())

    hass.bus.async_listen("state_changed", record)


# What is measured is how fast a change reaches Home Assistant, not which task it belongs to: the
# servers title their Butler activity with its task, so that every start counts as that task's.
@pytest.mark.butler_names_tasks
@pytest.mark.timeout(600)
async def test_latency_and_writes(
    hass: HomeAssistant, init_integration: MockConfigEntry, plex_server: PlexSimulator
) -> None:
    """Time from the server's notification to the state change, push and polling only."""
    live = entity_id_of(hass, "binary_sensor", f"{MACHINE_ID}_live_updates")
    await async_wait_until(hass, lambda: hass.states.get(live).state == "on")
    await async_settle(hass)
    seen: dict[str, float] = {}
    _watch_running(hass, seen)

    # Push: one task at a time, started and ended on the server.
    push = []
    sensor = entity_id_of(hass, "sensor", f"{MACHINE_ID}_BackupDatabase_status")
    for _ in range(PUSH_SAMPLES):
        seen.clear()
        sent = time.perf_counter()
        await plex_server.butler.start_task("BackupDatabase")
        await async_wait_until(hass, lambda: sensor in seen)
        push.append(seen[sensor] - sent)
        await plex_server.butler.end_activity(plex_server.butler.running["BackupDatabase"].uuid)
        await async_wait_until(hass, lambda: hass.states.get(sensor).state == "idle")

    # Polling only: a second server without websockets, polled every 30 s. Tasks start at random
    # moments over two intervals; each waits for the poll that finds it.
    other = simulated_server(
        machine_identifier="b" * 40,
        friendly_name="Polled Plex",
        butler_activity_names_task=True,
    )
    other.faults.websockets_enabled = False
    await other.start()
    try:
        entry = MockConfigEntry(
            domain="plex_butler",
            title="Polled Plex",
            unique_id="b" * 40,
            data={**init_integration.data, "url": other.url},
        )
        entry.add_to_hass(hass)
        assert await hass.config_entries.async_setup(entry.entry_id)
        await async_settle(hass)
        names = [task.name for task in DEFAULT_TASKS if task.enabled][:POLL_SAMPLES]
        sensors = {
            name: entity_id_of(hass, "sensor", f"{'b' * 40}_{name}_status") for name in names
        }
        seen.clear()
        sent: dict[str, float] = {}
        window = 2 * DEFAULT_SCAN_INTERVAL.total_seconds()
        offsets = sorted((random.uniform(0, window), name) for name in names)  # noqa: S311
        started = time.perf_counter()
        for offset, name in offsets:
            await asyncio.sleep(max(0.0, started + offset - time.perf_counter()))
            sent[name] = time.perf_counter()
            await other.butler.start_task(name)
        await async_wait_until(
            hass, lambda: all(sensors[name] in seen for name in names), within=window + 30
        )
        polled = [seen[sensors[name]] - sent[name] for name in names]

        # State writes when a poll finds nothing new.
        writes: list[Event] = []
        hass.bus.async_listen("state_changed", writes.append)
        hass.bus.async_listen(
            "state_reported", writes.append, event_filter=callback(lambda _: True)
        )
        polls_before = sum(r.path == "/butler" for r in other.requests)
        await async_wait_until(
            hass,
            lambda: sum(r.path == "/butler" for r in other.requests) >= polls_before + 2,
            within=3 * window,
        )
        await async_settle(hass)
        unchanged_polls = sum(r.path == "/butler" for r in other.requests) - polls_before
        writes_per_unchanged_poll = len(writes) / unchanged_polls
        await hass.config_entries.async_unload(entry.entry_id)
    finally:
        await other.stop()

    RESULTS["latency"] = {"push": push, "polling": polled}
    RESULTS["writes_per_unchanged_poll"] = writes_per_unchanged_poll


async def _requests_in_an_hour(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, server: PlexSimulator
) -> int:
    before = len(server.requests)
    elapsed = timedelta()
    while elapsed < HOUR:
        await async_tick(hass, freezer, DEFAULT_SCAN_INTERVAL)
        elapsed += DEFAULT_SCAN_INTERVAL
    return len(server.requests) - before


@pytest.mark.timeout(600)
async def test_requests_per_hour(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    plex_server: PlexSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Requests to the server in an hour: push, polling every 30 s, and generic REST sensors."""
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await async_settle(hass)
    live = entity_id_of(hass, "binary_sensor", f"{MACHINE_ID}_live_updates")
    await async_wait_until(hass, lambda: hass.states.get(live).state == "on")
    await async_settle(hass)
    push = await _requests_in_an_hour(hass, freezer, plex_server)
    push_connections = plex_server.websocket_count
    await hass.config_entries.async_unload(mock_config_entry.entry_id)
    await async_settle(hass)

    plex_server.faults.websockets_enabled = False
    hass.config_entries.async_update_entry(
        mock_config_entry, options={CONF_SCAN_INTERVAL: int(DEFAULT_SCAN_INTERVAL.total_seconds())}
    )
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await async_settle(hass)
    polling = await _requests_in_an_hour(hass, freezer, plex_server)
    polling -= sum(r.path == "/:/websockets/notifications" for r in plex_server.requests[-polling:])
    await hass.config_entries.async_unload(mock_config_entry.entry_id)
    await async_settle(hass)

    headers = {"X-Plex-Token": TOKEN, "Accept": "application/json"}
    assert await async_setup_component(
        hass,
        "rest",
        {
            "rest": [
                {
                    "resource": f"{plex_server.url}/butler",
                    "headers": headers,
                    "scan_interval": DEFAULT_SCAN_INTERVAL,
                    "sensor": [
                        {
                            "name": "Butler tasks",
                            "value_template": "{{ value_json.ButlerTasks.ButlerTask | count }}",
                        }
                    ],
                },
                {
                    "resource": f"{plex_server.url}/activities",
                    "headers": headers,
                    "scan_interval": DEFAULT_SCAN_INTERVAL,
                    "sensor": [
                        {
                            "name": "Plex activities",
                            "value_template": "{{ value_json.MediaContainer.size }}",
                        }
                    ],
                },
            ]
        },
    )
    await async_settle(hass)
    rest = await _requests_in_an_hour(hass, freezer, plex_server)
    RESULTS["requests_per_hour"] = {
        "push": push,
        "push_websockets": push_connections,
        "polling": polling,
        "rest": rest,
    }


def test_report() -> None:
    """Print the figures side by side."""
    latency = RESULTS["latency"]
    requests = RESULTS["requests_per_hour"]
    push_p95 = _percentile(latency["push"], 0.95)
    # What polling would cost to be as fresh as push: both resources, every push-p95 seconds.
    polling_as_fresh = round(2 * HOUR.total_seconds() / push_p95)
    rows = [
        ("notification to state change, p50", *(
            f"{statistics.median(latency[kind]) * 1000:.1f} ms" for kind in ("push", "polling")
        ), "n/a"),
        ("notification to state change, p95", *(
            f"{_percentile(latency[kind], 0.95) * 1000:.1f} ms" for kind in ("push", "polling")
        ), "n/a"),
        ("requests per hour to the server", str(requests["push"]), str(requests["polling"]),
         str(requests["rest"])),
        ("  ratio to push", "1.0", f"{requests['polling'] / requests['push']:.1f}",
         f"{requests['rest'] / requests['push']:.1f}"),
        ("requests per hour as fresh as push (p95)", str(requests["push"]),
         str(polling_as_fresh), str(polling_as_fresh)),
        ("state writes per unchanged poll", "", f"{RESULTS['writes_per_unchanged_poll']:g}", ""),
    ]  # fmt: skip
    header = ("", "push", "polling 30 s", "REST sensors 30 s")
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(4)]
    print()
    print(f"Samples: push {len(latency['push'])}, polling {len(latency['polling'])}; "
          f"push keeps {requests['push_websockets']} websocket open")  # fmt: skip
    for row in (header, *rows):
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
