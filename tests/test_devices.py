"""The entity layout: the server's device, with a device per task as a part of it."""

from __future__ import annotations

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.plex_butler.butler.evidence import BEHAVIOR_SETTING_OF_TASK
from custom_components.plex_butler.button import TASK_BUTTONS
from custom_components.plex_butler.const import DOMAIN
from custom_components.plex_butler.sensor import TASK_SENSORS

from .conftest import MACHINE_ID, SERVER_NAME, device_of, server_device
from .plex_simulator import PlexSimulator

# What the issue asks of the server's page: about 30 rows at most, shown by default.
SERVER_PAGE_ROWS = 30


def _parent_id(device: dr.DeviceEntry) -> str | None:
    """The server a task's device belongs to: a part (2026.10) or linked `via_device` (before)."""
    return getattr(device, "parent_device_id", None) or device.via_device_id


async def test_each_task_has_a_device_that_is_part_of_the_server(
    hass: HomeAssistant, init_integration: MockConfigEntry, plex_server: PlexSimulator
) -> None:
    """The server's page lists the server-wide entities; each task's page its own, by title."""
    server = server_device(hass, plex_server)
    entities = er.async_get(hass)
    server_rows = er.async_entries_for_device(entities, server.id)
    assert 0 < len(server_rows) <= SERVER_PAGE_ROWS
    assert {entry.translation_key for entry in server_rows}.isdisjoint(
        {description.translation_key for description in (*TASK_SENSORS, *TASK_BUTTONS)}
    )

    for task in plex_server.tasks.values():
        device = device_of(hass, "sensor", f"{MACHINE_ID}_{task.name}_status")
        assert device.name == task.title
        assert _parent_id(device) == server.id
        keys = {
            entry.unique_id.removeprefix(f"{MACHINE_ID}_{task.name}_")
            for entry in er.async_entries_for_device(
                entities, device.id, include_disabled_entities=True
            )
        }
        # Its settings too, where the server has them (test_settings.py).
        settings = {
            key
            for key, setting in (
                ("enabled", f"ButlerTask{task.name}"),
                ("behavior", BEHAVIOR_SETTING_OF_TASK.get(task.name)),
            )
            if setting in plex_server.preferences
        }
        own = {"status", "last_run", "next_run", "progress", "last_duration", "start", "stop"}
        assert keys == own | settings

    # The status is the task's own state: it bears the task's name alone.
    backup = f"{MACHINE_ID}_BackupDatabase"
    entity_ids = {
        key: entities.async_get_entity_id(platform, DOMAIN, f"{backup}_{key}")
        for platform, key in (("sensor", "status"), ("sensor", "last_run"), ("button", "start"))
    }
    assert {key: hass.states.get(entity_id).name for key, entity_id in entity_ids.items()} == {
        "status": "Backup Database",
        "last_run": "Backup Database Last run",
        "start": "Backup Database Start",
    }
    # Where Home Assistant knows a device's parts, ids begin with the server's name.
    prefix = "living_room_plex_" if hasattr(dr, "ChildDeviceInfo") else ""
    assert entity_ids == {
        "status": f"sensor.{prefix}backup_database",
        "last_run": f"sensor.{prefix}backup_database_last_run",
        "start": f"button.{prefix}backup_database_start",
    }


async def test_entities_of_an_earlier_version_move_to_their_task(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, plex_server: PlexSimulator
) -> None:
    """Entities made when every entity was on the server's device keep their ids and move."""
    mock_config_entry.add_to_hass(hass)
    entities = er.async_get(hass)
    server = dr.async_get(hass).async_get_or_create(
        config_entry_id=mock_config_entry.entry_id,
        identifiers={(DOMAIN, MACHINE_ID)},
        name=SERVER_NAME,
    )
    earlier = {
        (Platform.SENSOR, "status"): "sensor.living_room_plex_backup_database",
        (Platform.SENSOR, "last_run"): "sensor.living_room_plex_backup_database_last_run",
        (Platform.BUTTON, "start"): "button.living_room_plex_start_backup_database",
    }
    for (platform, key), entity_id in earlier.items():
        entities.async_get_or_create(
            platform,
            DOMAIN,
            f"{MACHINE_ID}_BackupDatabase_{key}",
            suggested_object_id=entity_id.split(".")[1],
            config_entry=mock_config_entry,
            device_id=server.id,
        )

    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()

    task = device_of(hass, "sensor", f"{MACHINE_ID}_BackupDatabase_status")
    assert _parent_id(task) == server.id
    for (platform, key), entity_id in earlier.items():
        entry = entities.async_get(entity_id)
        assert entry is not None, entity_id
        assert entry.unique_id == f"{MACHINE_ID}_BackupDatabase_{key}"
        assert entry.device_id == task.id
        assert hass.states.get(entity_id) is not None, f"{platform} {key}"
    assert await hass.config_entries.async_unload(mock_config_entry.entry_id)
    await hass.async_block_till_done()
