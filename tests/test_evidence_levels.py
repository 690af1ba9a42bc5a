"""A night of the Butler at each level of what a server shows, seen through Home Assistant.

The real log shape (Plex Media Server 1.41.5): one "Butler tasks" activity, and in the debug log
a sub-activity for each task it runs, ProcessAssets among them. Media added at 03:00 with `asap`
settings brings media work beside the Butler's run. Exactly what the server showed is recorded:
no run anywhere that it did not show.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from datetime import date, datetime, timedelta
import logging

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import STATE_ON
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.plex_butler.const import BACKUP_FOLDER_INTERVAL

from .conftest import (
    async_set_up_entry_for,
    async_settle,
    async_tick,
    async_wait_until,
    simulated_server,
)
from .helpers import last_run, state_of
from .plex_simulator import PlexSimulator
from .plex_simulator.models import EvidenceLevel

NIGHT = ("BackupDatabase", "OptimizeDatabase", "CleanOldBundles", "ProcessAssets")
INTROS = "ButlerTaskGenerateIntroMarkers"
OLD_BACKUP = date(2026, 11, 25)


@pytest.fixture
async def plex_server(
    request: pytest.FixtureRequest, socket_enabled: None, freezer: FrozenDateTimeFactory
) -> AsyncGenerator[PlexSimulator]:
    """A server on Home Assistant's clock, at 02:00, showing what the level says."""
    level, debug_log = request.param
    freezer.move_to(datetime(2026, 11, 28, 2, 0, tzinfo=dt_util.get_default_time_zone()))
    server = simulated_server(clock=dt_util.now, evidence=level, backup_dates=(OLD_BACKUP,))
    if debug_log is not None:
        server.preferences["logDebug"] = debug_log
    await server.start()
    yield server
    await server.stop()


@pytest.mark.parametrize(
    ("plex_server", "expected"),
    [
        ((EvidenceLevel.NONE, None), "nothing"),
        ((EvidenceLevel.ACTIVITY, None), "maintenance"),
        ((EvidenceLevel.DEBUG_LOG, None), "runs"),
        ((EvidenceLevel.BACKUP_FOLDER, None), "runs and backup"),
        ((EvidenceLevel.BACKUP_FOLDER, "0"), "maintenance and backup"),
    ],
    indirect=["plex_server"],
    ids=["none", "activity", "debug_log", "backup_folder", "backup_folder_without_log"],
)
async def test_a_night_at_each_evidence_level(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    plex_server: PlexSimulator,
    freezer: FrozenDateTimeFactory,
    expected: str,
) -> None:
    """Each task's run as the server showed it: true starts, ends and durations, or nothing."""
    await async_wait_until(
        hass, lambda: state_of(hass, "binary_sensor", "live_updates").state == STATE_ON
    )
    night = dt_util.now()
    moments: dict[str, tuple[datetime, datetime]] = {}
    log_runs = expected.startswith("runs")

    def status(task: str) -> str:
        return str(state_of(hass, "sensor", f"{task}_status").state)

    async def run(task: str, minutes: int) -> None:
        start = dt_util.now()
        await plex_server.butler.run_in_maintenance(task)
        if log_runs:
            # The push must be in before time moves on: the run starts when it is seen.
            await async_wait_until(hass, lambda: status(task) == "running")
        await async_settle(hass)
        await async_tick(hass, freezer, timedelta(minutes=minutes))
        # The run ends (the simulator's stop ends a run as its own end does, with its log line).
        await plex_server.butler.stop_task(task)
        if log_runs:
            await async_wait_until(hass, lambda: status(task) != "running")
        await async_settle(hass)
        moments[task] = (start, dt_util.now())
        await async_tick(hass, freezer, timedelta(seconds=30))

    def maintenance_on() -> bool:
        return bool(state_of(hass, "binary_sensor", "maintenance_running").state == STATE_ON)

    await plex_server.butler.begin_maintenance()
    if expected != "nothing":
        await async_wait_until(hass, maintenance_on)
    await async_settle(hass)
    for task in NIGHT:
        await run(task, 3)
    # 03:00: media added, its `asap` work (intros, credits, loudness) beside the Butler's run.
    await async_tick(hass, freezer, night + timedelta(hours=1) - dt_util.now())
    media = await plex_server.traps.add_media("Movies")
    await async_wait_until(
        hass, lambda: int(state_of(hass, "sensor", "background_activity").state) == len(media)
    )
    await run(INTROS, 4)
    await plex_server.butler.end_activities(media)
    await plex_server.butler.end_maintenance()
    await async_wait_until(hass, lambda: not maintenance_on())
    await async_settle(hass)
    end = dt_util.now()
    await async_tick(hass, freezer, timedelta(seconds=30))

    for task in (*NIGHT, INTROS):
        sensor = last_run(hass, task)
        state, attributes = sensor.state, sensor.attributes
        if log_runs:
            start, finished = moments[task]
            assert dt_util.parse_datetime(state) == start, task
            assert attributes["last_finished"] == finished, task
            assert attributes["last_duration"] == (finished - start).total_seconds(), task
            assert attributes["source"] == "server_log", task
        elif task == "BackupDatabase" and expected.endswith("backup"):
            # Only the day of the backup the run wrote.
            assert dt_util.parse_datetime(state) == night.replace(hour=0)
            assert (attributes["source"], attributes["precision"]) == ("backup_file", "day")
            assert attributes["last_duration"] is None
        else:
            assert state == "unknown", task
            assert attributes["source"] is None
            # Detect Intros shows media work; the others only in the debug log.
            reason = None if task == INTROS else "debug_log_off"
            assert attributes["not_seen_reason"] == reason, task

    maintenance = state_of(hass, "binary_sensor", "maintenance_running").attributes
    if expected == "nothing":
        assert maintenance["last_started"] is None
    else:
        assert (maintenance["last_started"], maintenance["last_finished"]) == (night, end)

    backup = state_of(hass, "sensor", "last_database_backup")
    if expected.endswith("backup"):
        assert backup.state == night.date().isoformat()
        assert backup.attributes["backups_kept"] == 2
    else:
        assert backup.state == "unknown"
        assert backup.attributes["folder_error"] == "missing"
    # The media work was background activity, never a run of its task.
    for task in ("ButlerTaskGenerateCreditsMarkers", "LoudnessAnalysis"):
        assert last_run(hass, task).state == "unknown"


async def test_a_backup_folder_read_while_the_server_is_down_changes_nothing(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    socket_enabled: None,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The six-hourly read finds the server down: it waits, and once back the backup shows again."""
    freezer.move_to(datetime(2026, 11, 28, 12, 0, tzinfo=dt_util.get_default_time_zone()))
    server = simulated_server(
        clock=dt_util.now, evidence=EvidenceLevel.BACKUP_FOLDER, backup_dates=(OLD_BACKUP,)
    )
    await server.start()
    try:
        entry = await async_set_up_entry_for(hass, server, client_identifier="backup-read")
        assert state_of(hass, "sensor", "last_database_backup").state == OLD_BACKUP.isoformat()
        await server.go_down()
        caplog.set_level(logging.DEBUG, logger="custom_components.plex_butler")
        await async_tick(hass, freezer, BACKUP_FOLDER_INTERVAL)
        assert "Could not read the backup folder" in caplog.text
        assert entry.state is ConfigEntryState.LOADED
        await server.come_back()
        await async_tick(hass, freezer, BACKUP_FOLDER_INTERVAL)
        await async_wait_until(
            hass,
            lambda: (
                state_of(hass, "sensor", "last_database_backup").state == OLD_BACKUP.isoformat()
            ),
        )
    finally:
        await server.stop()
