"""A day on a busy server: only the Butler's runs become history, events and maintenance."""

from __future__ import annotations

from collections.abc import AsyncGenerator
import contextlib
from datetime import datetime, timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_OFF, STATE_ON
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from .conftest import (
    MACHINE_ID,
    async_press,
    async_settle,
    async_tick,
    async_wait_until,
    entity_id_of,
    simulated_server,
)
from .helpers import state_of, task_status
from .plex_simulator import PlexSimulator

# Media added every hour gets credits detected and loudness analysed at once ("asap"): the same
# activity types the Butler's own runs of those tasks show.
ASAP = {"GenerateCreditsMarkerBehavior": "asap", "LoudnessAnalysisBehavior": "asap"}
NIGHT_RUNS = ("ButlerTaskGenerateCreditsMarkers", "LoudnessAnalysis", "OptimizeDatabase")


@pytest.fixture
async def plex_server(
    request: pytest.FixtureRequest, socket_enabled: None, freezer: FrozenDateTimeFactory
) -> AsyncGenerator[PlexSimulator]:
    """A server on Home Assistant's clock and time zone, its media settings as above."""
    freezer.move_to(datetime(2026, 11, 28, 0, 0, tzinfo=dt_util.get_default_time_zone()))
    server = simulated_server(clock=dt_util.now, butler_activity_names_task=request.param)
    server.preferences.update(ASAP)
    await server.start()
    yield server
    await server.stop()


@pytest.mark.parametrize(
    ("plex_server", "named_night_runs"),
    [
        # A real Butler activity ("Butler tasks") names no task: without its debug log, nothing
        # shows which task ran. The credits and loudness work beside it may be the hourly media's
        # (`asap`): no run is recorded (unknown, not wrong).
        (False, ()),
        # A server whose Butler activity names its task: every nightly run is recorded.
        (True, NIGHT_RUNS),
    ],
    indirect=["plex_server"],
    ids=["butler_names_nothing", "butler_names_tasks"],
)
async def test_a_day_on_a_busy_server(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    plex_server: PlexSimulator,
    freezer: FrozenDateTimeFactory,
    named_night_runs: tuple[str, ...],
) -> None:
    """New media every hour, the nightly window, and one press of *Start Backup Database*."""
    await async_wait_until(
        hass, lambda: state_of(hass, "binary_sensor", "live_updates").state == STATE_ON
    )
    await async_settle(hass)
    event_entity = entity_id_of(hass, "event", f"{MACHINE_ID}_task_event")
    fired: list[tuple[str, str]] = []
    maintenance_events: list[str] = []
    maintenance_seen: list[tuple[datetime, bool, bool]] = []

    @callback
    def record(event: Event) -> None:
        new_state = event.data["new_state"]
        if event.data["entity_id"] == event_entity and "event_type" in new_state.attributes:
            kind = new_state.attributes["event_type"]
            if kind.startswith("maintenance_"):
                maintenance_events.append(kind)
            else:
                fired.append((kind, new_state.attributes["task"]))

    hass.bus.async_listen("state_changed", record)

    def maintenance_on() -> bool:
        return state_of(hass, "binary_sensor", "maintenance_running").state == STATE_ON

    async def step(minutes: float, butler_working: bool) -> None:
        """Let the pushes of what just happened arrive, note what shows, then move time on."""
        # Should it not come true, what shows is noted below, and the test fails on it.
        with contextlib.suppress(AssertionError):
            await async_wait_until(hass, lambda: maintenance_on() is butler_working, within=2)
        await async_settle(hass)
        maintenance_seen.append((dt_util.now(), maintenance_on(), butler_working))
        await async_tick(hass, freezer, timedelta(minutes=minutes))

    for hour in range(24):
        media = await plex_server.traps.add_media("Movies")
        await step(1, butler_working=False)
        assert int(state_of(hass, "sensor", "background_activity").state) == len(media)
        assert state_of(hass, "sensor", "running_tasks").state == "0"
        await plex_server.butler.end_activities(media)
        await step(4, butler_working=False)
        if hour == 2:
            await plex_server.butler.begin_maintenance()
            for name in NIGHT_RUNS:
                await plex_server.butler.run_in_maintenance(name)
            await step(20, butler_working=True)
            assert set(state_of(hass, "sensor", "running_tasks").attributes["task_names"]) == set(
                named_night_runs
            )
            await plex_server.butler.end_maintenance()
            await step(5, butler_working=False)
        if hour == 15:
            await async_press(hass, f"{MACHINE_ID}_BackupDatabase_start")
            await step(4, butler_working=True)
            assert task_status(hass, "BackupDatabase") == "running"
            await plex_server.butler.end_activity(plex_server.butler.running["BackupDatabase"].uuid)
            await step(1, butler_working=False)
        await async_tick(
            hass, freezer, dt_util.now().replace(minute=0) + timedelta(hours=1) - dt_util.now()
        )

    night_events = [(kind, name) for name in named_night_runs for kind in ("task_started",)]
    assert sorted(fired) == sorted(
        [*night_events]
        + [("task_finished", name) for name in named_night_runs]
        + [("task_started", "BackupDatabase"), ("task_finished", "BackupDatabase")]
    )
    recorded = {
        name
        for name in init_integration.runtime_data.data.tasks
        if state_of(hass, "sensor", f"{name}_last_run").state not in ("unknown", "unavailable")
    }
    assert recorded == {*named_night_runs, "BackupDatabase"}
    backup = state_of(hass, "sensor", "BackupDatabase_last_run").attributes
    assert backup["last_duration"] == 240
    # The Butler's own runs: the night's, and the one that carried the backup.
    assert maintenance_events == ["maintenance_started", "maintenance_finished"] * 2
    for at, on, butler_working in maintenance_seen:
        assert on is butler_working, at
    assert state_of(hass, "binary_sensor", "maintenance_running").state == STATE_OFF
