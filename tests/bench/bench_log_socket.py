"""Benchmark: the server's debug log on the notification websocket that carries activities, or on
a second one of its own (`filters=log`): which costs the client less per frame on its event loop.

Run with `.venv/bin/pytest tests/bench/bench_log_socket.py -s -q -p no:cacheprovider`. The
simulated server runs in a process of its own (127.0.0.1), so that only the client's work is
timed: the CPU time of this process while it reads the same flood of frames either way.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time

import aiohttp
import pytest

from custom_components.plex_butler.api.client import NOTIFICATION_FILTERS, PlexButlerClient
from tests.plex_simulator import EvidenceLevel, PlexSimulator
from tests.plex_simulator.debug_log import (
    activity_lines,
    ended_line,
    log_frames,
    registered_line,
    request_line,
)

TOKEN = "bench"
LOG_FRAMES = 20_000
ACTIVITY_EVERY = 10
"""One activity frame per this many log frames."""
BUTLER_EVERY = 50
"""One sub-activity line per this many log lines: most debug lines are about something else."""
ROUNDS = 7
ONE_SOCKET = (NOTIFICATION_FILTERS,)
TWO_SOCKETS = ("activity,preference", "log")


def _log_line(index: int) -> str:
    uuid = f"{index:08x}-0000-4000-8000-000000000000"
    if index % BUTLER_EVERY == 0:
        return registered_line(uuid, "BackupDatabase", uuid, index, index + 1)
    if index % BUTLER_EVERY == 1:
        return ended_line(uuid, uuid, index, index)
    if index % 3 == 0:
        return activity_lines(uuid, "Scanning Movies")
    return request_line("GET", "/library/metadata/1234/thumb/1700000000", 50000 + index % 1000)


async def _flood(server: PlexSimulator, sockets: int) -> None:
    """Wait for the client's websockets, send every frame, then close them."""
    while server.websocket_count < sockets:  # noqa: ASYNC110 - the simulator has no such event
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.2)
    now = server.now()
    activity = await server.add_activity("library.update.section", "Scanning Movies")
    for index in range(LOG_FRAMES):
        for frame in log_frames([_log_line(index)], "line", now):
            await server.websockets.broadcast(frame)
        if index % ACTIVITY_EVERY == 0:
            await server.update_activity(activity.uuid, index * 100 // LOG_FRAMES)
    await server.drop_websockets()


async def _serve(sockets: int) -> None:
    server = PlexSimulator(token=TOKEN, evidence=EvidenceLevel.DEBUG_LOG)
    print(await server.start(), flush=True)  # the URL, for the benchmark to read
    await _flood(server, sockets)
    await server.stop()


async def _read(filter_sets: tuple[str, ...]) -> dict[str, float]:
    """Start a server process, read its flood on one websocket per filter set, time the client."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.bench.bench_log_socket",
        "--sockets",
        str(len(filter_sets)),
        stdout=asyncio.subprocess.PIPE,
    )
    assert process.stdout is not None
    url = (await process.stdout.readline()).decode().strip()
    counts = {"notifications": 0}
    async with aiohttp.ClientSession() as session:
        client = PlexButlerClient(url, TOKEN, session, client_identifier="bench")

        async def listen(filters: str) -> None:
            async for _notification in client.notifications(filters=filters):
                counts["notifications"] += 1

        # From before the websockets open to their close: the handshakes count too.
        cpu = time.process_time()
        wall = time.perf_counter()
        await asyncio.gather(*(listen(filters) for filters in filter_sets))
        cpu = time.process_time() - cpu
        wall = time.perf_counter() - wall
    await process.wait()
    # The scan's start is one more frame of each kind (its activity, and its line in the log).
    frames = LOG_FRAMES + 1 + LOG_FRAMES // ACTIVITY_EVERY + 1
    return {
        "cpu_us_per_frame": 1e6 * cpu / frames,
        "wall_s": wall,
        "butler_lines": client.log_frames["butler_lines"],
        "log_frames": client.log_frames["frames"],
        "notifications": counts["notifications"],
    }


@pytest.mark.timeout(900)
async def test_one_socket_or_two(socket_enabled: None) -> None:
    """Alternate the two ways, ROUNDS times each, and print the medians."""
    results: dict[str, list[dict[str, float]]] = {"one": [], "two": []}
    for _ in range(ROUNDS):
        results["one"].append(await _read(ONE_SOCKET))
        results["two"].append(await _read(TWO_SOCKETS))
    for runs in results.values():
        assert {run["butler_lines"] for run in runs} == {2 * LOG_FRAMES // BUTLER_EVERY}
        assert {run["log_frames"] for run in runs} == {LOG_FRAMES + 1}
    _print_table(results)


def _median(runs: list[dict[str, float]], key: str) -> float:
    return statistics.median(run[key] for run in runs)


def _print_table(results: dict[str, list[dict[str, float]]]) -> None:
    described: dict[str, str] = {
        "one": f"one websocket, filters={ONE_SOCKET[0]}",
        "two": f"two websockets, filters={TWO_SOCKETS[0]} and {TWO_SOCKETS[1]}",
    }

    def cell(way: str, key: str) -> str:
        values = [run[key] for run in results[way]]
        return f"{_median(results[way], key):.1f} ({min(values):.1f}-{max(values):.1f})"

    rows = [("way", "client CPU per frame, µs (range)", "wall time, s (range)")] + [
        (described[way], cell(way, "cpu_us_per_frame"), cell(way, "wall_s")) for way in results
    ]
    widths = [max(len(row[column]) for row in rows) for column in range(3)]
    print()
    print(
        f"{LOG_FRAMES} log frames (1 in {BUTLER_EVERY // 2} a sub-activity line) and "
        f"{LOG_FRAMES // ACTIVITY_EVERY} activity frames, median of {ROUNDS} rounds"
    )
    for row in rows:
        print("  ".join(text.ljust(width) for text, width in zip(row, widths, strict=True)))


def _main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="The benchmark's server process.")
    parser.add_argument("--sockets", type=int, required=True)
    asyncio.run(_serve(parser.parse_args(argv).sockets))


if __name__ == "__main__":
    _main()
