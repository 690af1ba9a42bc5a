"""The start_task, stop_task, start_all_tasks and stop_all_tasks actions."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.translation import async_get_translations
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.plex_butler.const import DOMAIN

from .conftest import MACHINE_ID, TOKEN, async_set_up_entry_for, async_settle, entity_id_of
from .plex_simulator import PlexSimulator, SimulatedTask


async def _call(hass: HomeAssistant, service: str, **data: str) -> object:
    return await hass.services.async_call(
        DOMAIN, service, data, blocking=True, return_response=service.endswith("_task")
    )


async def test_start_all_warns_of_server_updates(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """The action's description, as the action editor shows it, warns of a server update."""
    texts = await async_get_translations(hass, "en", "services", {DOMAIN})
    assert texts[f"component.{DOMAIN}.services.start_all_tasks.description"].endswith(
        " When automatic updates are on (the Install Automatic Updates task is enabled), "
        "this may install a server update."
    )


async def test_start_and_stop_task_by_name_in_any_case(
    hass: HomeAssistant, init_integration: MockConfigEntry, plex_server: PlexSimulator
) -> None:
    """Task names match without regard to case; the answer says what happened."""
    response = await _call(hass, "start_task", task="backupdatabase")
    assert response == {"task": "BackupDatabase", "result": "started"}
    assert "BackupDatabase" in plex_server.running
    sensor = entity_id_of(hass, "sensor", f"{MACHINE_ID}_BackupDatabase_status")
    assert hass.states.get(sensor).state == "running"

    response = await _call(hass, "start_task", task="Backup Database")
    assert response == {"task": "BackupDatabase", "result": "already_running"}

    response = await _call(
        hass, "stop_task", task="BackupDatabase", config_entry_id=init_integration.entry_id
    )
    assert response == {"task": "BackupDatabase", "result": "stopped"}
    assert hass.states.get(sensor).state == "idle"
    response = await _call(hass, "stop_task", task="BackupDatabase")
    assert response == {"task": "BackupDatabase", "result": "not_running"}


async def test_start_all_and_stop_all(
    hass: HomeAssistant, init_integration: MockConfigEntry, plex_server: PlexSimulator
) -> None:
    """The server-wide actions reach the server."""
    await _call(hass, "start_all_tasks")
    await _call(hass, "stop_all_tasks", config_entry_id=init_integration.entry_id)
    calls = [(r.method, r.path) for r in plex_server.requests if r.method != "GET"]
    assert calls == [("POST", "/butler"), ("DELETE", "/butler")]


async def test_unknown_task_lists_the_valid_ones(
    hass: HomeAssistant, init_integration: MockConfigEntry, plex_server: PlexSimulator
) -> None:
    """An unknown task is a validation error that names the valid tasks; nothing is sent."""
    with pytest.raises(ServiceValidationError) as err:
        await _call(hass, "start_task", task="MakeCoffee")
    assert err.value.translation_key == "unknown_task"
    assert err.value.translation_placeholders["task"] == "MakeCoffee"
    assert "BackupDatabase" in err.value.translation_placeholders["tasks"]
    assert "MakeCoffee" in str(err.value)
    assert not [r for r in plex_server.requests if r.method != "GET"]


async def test_unknown_entry(hass: HomeAssistant, init_integration: MockConfigEntry) -> None:
    """An entry id that is not a Plex Butler entry is a validation error."""
    with pytest.raises(ServiceValidationError) as err:
        await _call(hass, "start_all_tasks", config_entry_id="nope")
    assert err.value.translation_key == "entry_not_found"


async def test_unloaded_entry(hass: HomeAssistant, init_integration: MockConfigEntry) -> None:
    """An unloaded entry is a validation error."""
    await hass.config_entries.async_unload(init_integration.entry_id)
    with pytest.raises(ServiceValidationError) as err:
        await _call(
            hass, "start_task", task="BackupDatabase", config_entry_id=init_integration.entry_id
        )
    assert err.value.translation_key == "entry_not_loaded"
    with pytest.raises(ServiceValidationError) as err:
        await _call(hass, "start_all_tasks")
    assert err.value.translation_key == "no_loaded_entry"


async def test_two_servers_need_an_entry_id(
    hass: HomeAssistant, init_integration: MockConfigEntry, second_server: PlexSimulator
) -> None:
    """With two servers loaded, an action that names none is ambiguous."""
    entry = await async_set_up_entry_for(hass, second_server, client_identifier="other")

    with pytest.raises(ServiceValidationError) as err:
        await _call(hass, "start_task", task="BackupDatabase")
    assert err.value.translation_key == "ambiguous_entry"
    assert "Basement Plex" in err.value.translation_placeholders["servers"]

    await _call(hass, "start_task", task="BackupDatabase", config_entry_id=entry.entry_id)
    assert "BackupDatabase" in second_server.running
    await hass.config_entries.async_unload(entry.entry_id)


async def test_server_failure_is_a_home_assistant_error(
    hass: HomeAssistant, init_integration: MockConfigEntry, plex_server: PlexSimulator
) -> None:
    """A server that fails the request gives a translated error."""
    await plex_server.go_down()
    with pytest.raises(HomeAssistantError) as err:
        await _call(hass, "stop_all_tasks")
    assert err.value.translation_key == "action_failed"
    assert TOKEN not in str(err.value)


async def test_odd_task_names(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    plex_server: PlexSimulator,
    entity_registry: er.EntityRegistry,
) -> None:
    """A name with spaces around is found; one that is not a path segment gets no buttons."""
    for name, title in ((" PaddedTask ", " Padded Task "), ("Odd/Task", "Odd Task")):
        plex_server.tasks[name] = SimulatedTask(name, title, "", 1, False, True)
    await hass.config_entries.async_reload(init_integration.entry_id)
    await async_settle(hass)

    response = await _call(hass, "start_task", task="paddedtask")
    assert response == {"task": " PaddedTask ", "result": "started"}
    assert " PaddedTask " in plex_server.running
    response = await _call(hass, "start_task", task="Padded Task")
    assert response == {"task": " PaddedTask ", "result": "already_running"}

    def entity(platform: str, key: str) -> str | None:
        return entity_registry.async_get_entity_id(platform, DOMAIN, f"{MACHINE_ID}_Odd/Task_{key}")

    assert entity("sensor", "status") is not None
    assert entity("button", "start") is None
    assert entity("button", "stop") is None
    with pytest.raises(ServiceValidationError) as err:
        await _call(hass, "start_task", task="Odd Task")
    assert err.value.translation_key == "unknown_task_on_server"
    assert ("POST", "/butler/Odd/Task") not in [(r.method, r.path) for r in plex_server.requests]


async def test_a_long_unknown_name_is_not_echoed_whole(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """The error quotes the start of what was asked for, not 9000 characters."""
    with pytest.raises(ServiceValidationError) as err:
        await _call(hass, "start_task", task="x" * 9000)
    assert err.value.translation_key == "unknown_task"
    assert err.value.translation_placeholders["task"] == "x" * 60 + "…"
    assert "x" * 61 not in str(err.value)
