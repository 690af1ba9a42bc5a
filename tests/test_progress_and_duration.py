"""Each task's Progress and Last duration sensors."""

from __future__ import annotations

from datetime import timedelta
from itertools import pairwise

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_UNKNOWN
from homeassistant.core import HomeAssistant, State
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.plex_butler.butler.progress import PROGRESS_INTERVAL, PROGRESS_STEP

from .conftest import MACHINE_ID, async_settle, async_tick, async_wait_until, entity_id_of
from .helpers import states_written
from .plex_simulator import PlexSimulator


def _sensor(hass: HomeAssistant, task: str, key: str) -> str:
    return entity_id_of(hass, "sensor", f"{MACHINE_ID}_{task}_{key}")


async def test_progress_shown_and_duration_hidden_by_default(
    hass: HomeAssistant, init_integration: MockConfigEntry, entity_registry: er.EntityRegistry
) -> None:
    """A task's page gains its progress; its last duration waits to be enabled (for graphs)."""
    progress = entity_registry.async_get(_sensor(hass, "BackupDatabase", "progress"))
    duration = entity_registry.async_get(_sensor(hass, "BackupDatabase", "last_duration"))
    assert progress.disabled_by is None
    assert duration.disabled_by is er.RegistryEntryDisabler.INTEGRATION
    state = hass.states.get(progress.entity_id)
    assert state.state == STATE_UNKNOWN
    assert state.attributes["unit_of_measurement"] == "%"
    assert "state_class" not in state.attributes
    assert state.attributes["friendly_name"].endswith("Backup Database Progress")


@pytest.mark.butler_names_tasks
async def test_progress_while_the_task_runs(
    hass: HomeAssistant, init_integration: MockConfigEntry, plex_server: PlexSimulator
) -> None:
    """The server's progress while the task runs; unknown when the server does not know it."""
    progress = _sensor(hass, "BackupDatabase", "progress")
    await plex_server.butler.start_task("BackupDatabase")
    await async_wait_until(hass, lambda: hass.states.get(progress).state == "0")
    uuid = plex_server.butler.running["BackupDatabase"].uuid
    await plex_server.update_activity(uuid, 45)
    await async_wait_until(hass, lambda: hass.states.get(progress).state == "45")
    await plex_server.update_activity(uuid, -1)
    await async_wait_until(hass, lambda: hass.states.get(progress).state == STATE_UNKNOWN)
    assert hass.states.get(_sensor(hass, "BackupDatabase", "status")).state == "running"
    await plex_server.update_activity(uuid, 60)
    await async_wait_until(hass, lambda: hass.states.get(progress).state == "60")
    await plex_server.butler.end_activity(uuid)
    await async_wait_until(hass, lambda: hass.states.get(progress).state == STATE_UNKNOWN)


def _written_at(states: list[State]) -> list[tuple[str, object, str]]:
    """Each state written, with its progress attribute and when (seconds of the minute)."""
    return [(s.state, s.attributes.get("progress"), f"{s.last_updated:%S.%f}") for s in states]


@pytest.mark.butler_names_tasks
async def test_progress_every_50_ms_is_written_by_steps(
    hass: HomeAssistant, init_integration: MockConfigEntry, plex_server: PlexSimulator
) -> None:
    """A task reporting its progress every 50 ms is written on 5-point steps or after 5 s only."""
    progress = _sensor(hass, "BackupDatabase", "progress")
    status = _sensor(hass, "BackupDatabase", "status")
    progress_written = states_written(hass, progress)
    status_written = states_written(hass, status)
    requests_before = len(plex_server.requests)
    plex_server.progress_interval = 0.05
    await plex_server.butler.start_task("BackupDatabase", run_seconds=2)
    await async_wait_until(
        hass, lambda: "BackupDatabase" not in plex_server.butler.running, within=10
    )
    await async_wait_until(hass, lambda: hass.states.get(status).state == "idle")
    await async_settle(hass)

    # Should this fail, what was written when, and whether a poll came between the pushes.
    seen = (
        f"progress: {_written_at(progress_written)}\nstatus: {_written_at(status_written)}\n"
        f"requests: {[request.path for request in plex_server.requests[requests_before:]]}"
    )
    reports = round(2 / 0.05)
    *shown, after = progress_written
    assert after.state == STATE_UNKNOWN, seen
    assert [state.state for state in shown][:1] == ["0"], seen
    assert len(shown) <= 100 // PROGRESS_STEP + 1 < reports, seen
    for before, later in pairwise(shown):
        assert (
            int(later.state) - int(before.state) >= PROGRESS_STEP
            or later.last_changed - before.last_changed >= PROGRESS_INTERVAL
        ), seen
    # The status, with its progress attribute, is written as often: running, each step, idle.
    assert len(status_written) == len(shown) + 1, seen


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
@pytest.mark.butler_names_tasks
async def test_last_duration_of_a_run_seen_from_start_to_end(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    plex_server: PlexSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Seconds from the start to the end Home Assistant saw; unknown while a new run goes on."""
    duration = _sensor(hass, "BackupDatabase", "last_duration")
    last_run = _sensor(hass, "BackupDatabase", "last_run")
    assert hass.states.get(duration).state == STATE_UNKNOWN

    await plex_server.butler.start_task("BackupDatabase")
    await async_wait_until(hass, lambda: hass.states.get(last_run).state != STATE_UNKNOWN)
    await async_tick(hass, freezer, timedelta(seconds=28))
    await plex_server.butler.end_activity(plex_server.butler.running["BackupDatabase"].uuid)
    await async_wait_until(hass, lambda: hass.states.get(duration).state != STATE_UNKNOWN)
    state = hass.states.get(duration)
    assert float(state.state) == 28
    assert state.attributes["device_class"] == "duration"
    assert state.attributes["unit_of_measurement"] == "s"
    assert state.attributes["state_class"] == "measurement"
    assert state.attributes["task_name"] == "BackupDatabase"
    # The attribute automations read stays, and agrees.
    assert hass.states.get(last_run).attributes["last_duration"] == 28

    await plex_server.butler.start_task("BackupDatabase")
    await async_wait_until(hass, lambda: hass.states.get(duration).state == STATE_UNKNOWN)
