"""The task sensors and the running-tasks sensor."""

from __future__ import annotations

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.plex_butler.const import DEFAULT_SCAN_INTERVAL

from .conftest import (
    MACHINE_ID,
    async_press,
    async_settle,
    async_wait_until,
    device_of,
    entity_id_of,
)
from .helpers import writes_of
from .plex_simulator import PlexSimulator, SimulatedTask


async def _poll(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    freezer.tick(DEFAULT_SCAN_INTERVAL)
    async_fire_time_changed(hass)
    await async_settle(hass)


async def test_a_sensor_for_every_reported_task(
    hass: HomeAssistant, init_integration: MockConfigEntry, plex_server: PlexSimulator
) -> None:
    """Each task the server reports has a status sensor named after its title."""
    for name, task in plex_server.tasks.items():
        state = hass.states.get(entity_id_of(hass, "sensor", f"{MACHINE_ID}_{name}_status"))
        assert state is not None
        assert state.attributes["friendly_name"].endswith(task.title)
        assert state.attributes["task_name"] == name
        assert state.attributes["interval_days"] == task.interval
        assert state.attributes["schedule_randomized"] == task.schedule_randomized
        assert state.state == ("idle" if task.enabled else "disabled")


@pytest.mark.polling_only
async def test_running_task_from_activities(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    plex_server: PlexSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A task the server runs on its own shows as running with progress, then idle again."""
    sensor = entity_id_of(hass, "sensor", f"{MACHINE_ID}_GenerateChapterThumbs_status")
    running = entity_id_of(hass, "sensor", f"{MACHINE_ID}_running_tasks")
    assert hass.states.get(running).state == "0"

    await plex_server.butler.start_task("GenerateChapterThumbs")
    await _poll(hass, freezer)
    state = hass.states.get(sensor)
    assert state.state == "running"
    assert state.attributes["progress"] == 0
    assert hass.states.get(running).state == "1"
    assert hass.states.get(running).attributes["tasks"] == ["Generate Chapter Thumbnails"]
    assert hass.states.get(running).attributes["task_names"] == ["GenerateChapterThumbs"]
    assert "state_class" not in hass.states.get(running).attributes

    await plex_server.butler.end_activity(plex_server.butler.running["GenerateChapterThumbs"].uuid)
    await _poll(hass, freezer)
    assert hass.states.get(sensor).state == "idle"
    assert "progress" not in hass.states.get(sensor).attributes
    assert hass.states.get(running).state == "0"


@pytest.mark.polling_only
@pytest.mark.butler_names_tasks
async def test_butler_activity_matched_by_title(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    plex_server: PlexSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A task the server's Butler activity names is running, and says why."""
    await plex_server.butler.start_task("BackupDatabase")
    await _poll(hass, freezer)
    state = hass.states.get(entity_id_of(hass, "sensor", f"{MACHINE_ID}_BackupDatabase_status"))
    assert (state.state, state.attributes["source"]) == ("running", "butler_activity")


async def test_butler_work_that_names_no_task(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    plex_server: PlexSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """The nightly backup as Butler work that names nothing: maintenance, but no task's run."""
    await plex_server.butler.start_task("BackupDatabase")
    maintenance = entity_id_of(hass, "binary_sensor", f"{MACHINE_ID}_maintenance_running")
    await async_wait_until(hass, lambda: hass.states.get(maintenance).state == "on")
    await _poll(hass, freezer)
    sensor = entity_id_of(hass, "sensor", f"{MACHINE_ID}_BackupDatabase_status")
    assert hass.states.get(sensor).state == "idle"
    assert hass.states.get(maintenance).state == "on"


@pytest.mark.polling_only
async def test_unrelated_activity_changes_nothing(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    plex_server: PlexSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A library scan is not a Butler task: no task runs because of it."""
    await plex_server.add_activity("library.update.section", "Scanning Photos", 30)
    await _poll(hass, freezer)
    assert hass.states.get(entity_id_of(hass, "sensor", f"{MACHINE_ID}_running_tasks")).state == "0"


@pytest.mark.polling_only
async def test_tasks_that_appear_and_disappear(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    plex_server: PlexSimulator,
    entity_registry: er.EntityRegistry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A task reported later gets entities without a reload; one that goes away loses them."""
    plex_server.tasks["ButlerTaskBrandNew"] = SimulatedTask(
        name="ButlerTaskBrandNew",
        title="Brand New Chore",
        description="",
        interval=2,
        schedule_randomized=False,
        enabled=True,
    )
    await _poll(hass, freezer)
    new_sensor = entity_id_of(hass, "sensor", f"{MACHINE_ID}_ButlerTaskBrandNew_status")
    assert hass.states.get(new_sensor).state == "idle"
    assert hass.states.get(new_sensor).attributes["friendly_name"].endswith("Brand New Chore")
    await async_press(hass, f"{MACHINE_ID}_ButlerTaskBrandNew_start")
    assert "ButlerTaskBrandNew" in plex_server.butler.running

    del plex_server.tasks["BackupDatabase"]
    old_sensor = entity_id_of(hass, "sensor", f"{MACHINE_ID}_BackupDatabase_status")
    old_device = device_of(hass, "sensor", f"{MACHINE_ID}_BackupDatabase_status")
    await _poll(hass, freezer)
    assert hass.states.get(old_sensor) is None
    for platform, key in (("sensor", "status"), ("button", "start"), ("button", "stop")):
        assert (
            entity_registry.async_get_entity_id(
                platform, "plex_butler", f"{MACHINE_ID}_BackupDatabase_{key}"
            )
            is None
        )
    # Nor is its device left behind, empty.
    assert dr.async_get(hass).async_get(old_device.id) is None

    # A task that comes back gets its entities again.
    plex_server.tasks["BackupDatabase"] = SimulatedTask(
        name="BackupDatabase",
        title="Backup Database",
        description="",
        interval=3,
        schedule_randomized=False,
        enabled=True,
    )
    await _poll(hass, freezer)
    assert hass.states.get(entity_id_of(hass, "sensor", f"{MACHINE_ID}_BackupDatabase_status"))


@pytest.mark.polling_only
async def test_garbage_makes_entities_unavailable(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    plex_server: PlexSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A server answering garbage makes the entities unavailable until it answers properly."""
    sensor = entity_id_of(hass, "sensor", f"{MACHINE_ID}_BackupDatabase_status")
    plex_server.faults.garbage = True
    await _poll(hass, freezer)
    assert hass.states.get(sensor).state == STATE_UNAVAILABLE
    plex_server.faults.garbage = False
    await _poll(hass, freezer)
    assert hass.states.get(sensor).state == "idle"


@pytest.mark.polling_only
async def test_unchanged_poll_writes_no_state(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A poll that finds nothing new writes no state."""
    writes = writes_of(hass)
    await _poll(hass, freezer)
    await _poll(hass, freezer)
    assert writes == []
