"""The start_task, stop_task, start_all_tasks and stop_all_tasks actions."""

from __future__ import annotations

from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import area_registry as ar, entity_registry as er
from homeassistant.helpers.service import async_get_all_descriptions
from homeassistant.helpers.translation import async_get_translations
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.plex_butler.const import DOMAIN

from .conftest import (
    MACHINE_ID,
    SERVER_NAME,
    TOKEN,
    async_set_up_entry_for,
    async_settle,
    device_of,
    entity_id_of,
    server_device,
)
from .plex_simulator import PlexSimulator, SimulatedTask

OTHER_MACHINE_ID = "f" * 40


async def _call(
    hass: HomeAssistant, service: str, target: dict[str, Any] | None = None, **data: Any
) -> Any:
    return await hass.services.async_call(
        DOMAIN,
        service,
        data,
        blocking=True,
        target=target,
        return_response=service.endswith("_task"),
    )


def _sent(server: PlexSimulator) -> list[tuple[str, str]]:
    """The requests that change something, as the server received them."""
    return [(r.method, r.path) for r in server.requests if r.method != "GET"]


def _status(hass: HomeAssistant, task: str, machine_id: str = MACHINE_ID) -> str:
    return entity_id_of(hass, "sensor", f"{machine_id}_{task}_status")


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
    """A task by name or title, in any case, as automations written before targets name it."""

    def answer(result: str) -> dict[str, Any]:
        entry = {"task": "BackupDatabase", "title": "Backup Database", "server": SERVER_NAME}
        return {"tasks": [entry | {"result": result}]}

    assert await _call(hass, "start_task", task="backupdatabase") == answer("started")
    assert "BackupDatabase" in plex_server.butler.running
    sensor = _status(hass, "BackupDatabase")
    assert hass.states.get(sensor).state == "running"

    assert await _call(hass, "start_task", task="Backup Database") == answer("already_running")

    response = await _call(
        hass, "stop_task", task="BackupDatabase", config_entry_id=init_integration.entry_id
    )
    assert response == answer("stopped")
    assert hass.states.get(sensor).state == "idle"
    assert await _call(hass, "stop_task", task="BackupDatabase") == answer("not_running")


async def test_start_all_and_stop_all(
    hass: HomeAssistant, init_integration: MockConfigEntry, plex_server: PlexSimulator
) -> None:
    """The server-wide actions reach the server."""
    await _call(hass, "start_all_tasks")
    await _call(hass, "stop_all_tasks", config_entry_id=init_integration.entry_id)
    calls = [(r.method, r.path) for r in plex_server.requests if r.method != "GET"]
    assert calls == [("POST", "/butler"), ("DELETE", "/butler")]


async def test_an_unknown_task_is_named_with_the_titles_of_the_servers_tasks(
    hass: HomeAssistant, init_integration: MockConfigEntry, plex_server: PlexSimulator
) -> None:
    """A typo is refused with the server's task titles, never their internal names; none is sent."""
    with pytest.raises(ServiceValidationError) as err:
        await _call(hass, "start_task", task=["Optimize Database", "Backup Databse"])
    assert str(err.value) == (
        f'"Backup Databse" is not a task of {SERVER_NAME}. '
        "Its tasks: Backup Database, Clean Old Bundles, Clean Old Cache Files, "
        "Clean Supplemental Log Files, Detect Commercials, Detect Credits, Detect Intros, "
        "Detect Voice Activity, Garbage Collect Blobs, Garbage Collect Library Media, "
        "Generate Blur Hashes, Generate Chapter Thumbnails, Generate Video Preview Thumbnails, "
        "Install Automatic Updates, Optimize Database, Perform Extensive Media Analysis, "
        "Perform Loudness Analysis, Perform Music Analysis, Process Assets, Refresh EPG Guides, "
        "Refresh Libraries, Refresh Local Metadata, Refresh Metadata Periodically, "
        "Upgrade Media Analysis"  # Home Assistant drops a message's last full stop.
    )
    assert _sent(plex_server) == []


async def test_unknown_entry(hass: HomeAssistant, init_integration: MockConfigEntry) -> None:
    """An entry id that is not a Plex Butler entry is a validation error."""
    with pytest.raises(ServiceValidationError) as err:
        await _call(hass, "start_all_tasks", config_entry_id="nope")
    assert err.value.translation_key == "entry_not_found"


async def test_unloaded_entry(hass: HomeAssistant, init_integration: MockConfigEntry) -> None:
    """An unloaded entry is a validation error, whether named by its id or by a target."""
    sensor = _status(hass, "BackupDatabase")
    await hass.config_entries.async_unload(init_integration.entry_id)
    with pytest.raises(ServiceValidationError) as err:
        await _call(
            hass, "start_task", task="BackupDatabase", config_entry_id=init_integration.entry_id
        )
    assert err.value.translation_key == "entry_not_loaded"
    with pytest.raises(ServiceValidationError) as err:
        await _call(hass, "start_task", {"entity_id": sensor})
    assert str(err.value) == (
        f"The Plex server {SERVER_NAME} is not loaded: check that it is reachable and enabled"
    )
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
    assert "BackupDatabase" in second_server.butler.running
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
    assert [(t["task"], t["result"]) for t in response["tasks"]] == [(" PaddedTask ", "started")]
    assert " PaddedTask " in plex_server.butler.running
    response = await _call(hass, "start_task", task="Padded Task")
    assert response["tasks"][0]["result"] == "already_running"

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


async def test_tasks_as_targets(
    hass: HomeAssistant, init_integration: MockConfigEntry, plex_server: PlexSimulator
) -> None:
    """Any entity of a task is a target; several are fine, each task is sent once."""
    response = await _call(
        hass,
        "start_task",
        {
            "entity_id": [
                _status(hass, "OptimizeDatabase"),
                entity_id_of(hass, "button", f"{MACHINE_ID}_BackupDatabase_start"),
                entity_id_of(hass, "button", f"{MACHINE_ID}_BackupDatabase_stop"),
                entity_id_of(hass, "sensor", f"{MACHINE_ID}_BackupDatabase_last_run"),
            ]
        },
    )
    assert response == {
        "tasks": [
            {
                "task": "BackupDatabase",
                "title": "Backup Database",
                "server": SERVER_NAME,
                "result": "started",
            },
            {
                "task": "OptimizeDatabase",
                "title": "Optimize Database",
                "server": SERVER_NAME,
                "result": "started",
            },
        ]
    }
    assert sorted(_sent(plex_server)) == [
        ("POST", "/butler/BackupDatabase"),
        ("POST", "/butler/OptimizeDatabase"),
    ]
    assert hass.states.get(_status(hass, "OptimizeDatabase")).state == "running"

    # Targets and names together, a task given twice: stopped once.
    response = await _call(
        hass,
        "stop_task",
        {"entity_id": _status(hass, "BackupDatabase")},
        task=["Backup Database", "optimizedatabase"],
    )
    assert [(t["task"], t["result"]) for t in response["tasks"]] == [
        ("BackupDatabase", "stopped"),
        ("OptimizeDatabase", "stopped"),
    ]
    assert sorted(_sent(plex_server)[2:]) == [
        ("DELETE", "/butler/BackupDatabase"),
        ("DELETE", "/butler/OptimizeDatabase"),
    ]
    assert plex_server.butler.running == {}


async def test_tasks_of_several_servers_in_one_call(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    plex_server: PlexSimulator,
    second_server: PlexSimulator,
) -> None:
    """Targets on two servers each reach their own; config_entry_id may not mix them."""
    other = await async_set_up_entry_for(hass, second_server, client_identifier="other")
    targets = {
        "entity_id": [
            _status(hass, "BackupDatabase"),
            _status(hass, "OptimizeDatabase", OTHER_MACHINE_ID),
        ]
    }

    with pytest.raises(ServiceValidationError) as err:
        await _call(hass, "start_task", targets, config_entry_id=init_integration.entry_id)
    assert str(err.value) == (
        "Optimize Database is a task of Basement Plex, but config_entry_id chooses "
        f"{SERVER_NAME}: leave config_entry_id out to act on the tasks of several servers"
    )
    assert _sent(plex_server) == _sent(second_server) == []

    response = await _call(hass, "start_task", targets)
    assert [(t["server"], t["title"], t["result"]) for t in response["tasks"]] == [
        ("Basement Plex", "Optimize Database", "started"),
        (SERVER_NAME, "Backup Database", "started"),
    ]
    assert _sent(plex_server) == [("POST", "/butler/BackupDatabase")]
    assert _sent(second_server) == [("POST", "/butler/OptimizeDatabase")]

    # One server down: the other's task is still sent, and the error says which failed.
    await second_server.go_down()
    with pytest.raises(HomeAssistantError) as err:
        await _call(hass, "stop_task", targets)
    assert err.value.translation_key == "action_failed"
    assert err.value.translation_placeholders["server"] == "Basement Plex"
    assert _sent(plex_server)[-1] == ("DELETE", "/butler/BackupDatabase")
    assert "BackupDatabase" not in plex_server.butler.running
    await hass.config_entries.async_unload(other.entry_id)


async def test_what_is_not_a_task_is_refused(
    hass: HomeAssistant, init_integration: MockConfigEntry, plex_server: PlexSimulator
) -> None:
    """A server-wide entity or another integration's is no task; nothing is sent."""
    maintenance = entity_id_of(hass, "binary_sensor", f"{MACHINE_ID}_maintenance_running")
    hass.states.async_set("sensor.outside_temperature", "12")
    for entity_id in (maintenance, "sensor.outside_temperature"):
        with pytest.raises(ServiceValidationError) as err:
            await _call(
                hass, "start_task", {"entity_id": [_status(hass, "BackupDatabase"), entity_id]}
            )
        assert str(err.value) == (
            f"{entity_id} is not a Plex Butler task: choose a task's status sensor, "
            "its Start or Stop button, or its device"
        )
    assert _sent(plex_server) == []


async def test_nothing_given(hass: HomeAssistant, init_integration: MockConfigEntry) -> None:
    """An action without targets or task names says how to choose tasks."""
    for data in ({}, {"task": []}):
        with pytest.raises(ServiceValidationError) as err:
            await _call(hass, "stop_task", **data)
        assert str(err.value) == (
            "Choose the tasks: as targets (a task's status sensor, its Start or Stop button, "
            "or its device), or by name or title in task"
        )


async def test_a_task_device_or_its_area_is_a_target(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    plex_server: PlexSimulator,
    entity_registry: er.EntityRegistry,
    area_registry: ar.AreaRegistry,
) -> None:
    """A device stands for the tasks of its own entities: a task's device for its task."""
    task_device = device_of(hass, "sensor", f"{MACHINE_ID}_BackupDatabase_status")
    response = await _call(hass, "start_task", {"device_id": task_device.id})
    assert [(t["task"], t["result"]) for t in response["tasks"]] == [("BackupDatabase", "started")]
    assert _sent(plex_server) == [("POST", "/butler/BackupDatabase")]

    server_room = area_registry.async_create("Server room")
    start = entity_id_of(hass, "button", f"{MACHINE_ID}_BackupDatabase_start")
    entity_registry.async_update_entity(start, area_id=server_room.id)
    response = await _call(hass, "stop_task", {"area_id": server_room.id})
    assert [(t["task"], t["result"]) for t in response["tasks"]] == [("BackupDatabase", "stopped")]

    # Not the server's device: it holds its tasks' devices, but none of their entities.
    kitchen = area_registry.async_create("Kitchen")
    for target in (
        {"device_id": server_device(hass, plex_server).id},
        {"area_id": kitchen.id, "device_id": "no-such-device"},
    ):
        with pytest.raises(ServiceValidationError) as err:
            await _call(hass, "start_task", target)
        assert str(err.value) == (
            "The chosen devices, areas, floors or labels hold no Plex Butler task: "
            "choose tasks, or their devices"
        )
    assert len(_sent(plex_server)) == 2


async def test_the_action_dialog_offers_the_tasks(
    hass: HomeAssistant, init_integration: MockConfigEntry, plex_server: PlexSimulator
) -> None:
    """The dialog's target picker lists each task once, by title; each of them is accepted."""
    descriptions = (await async_get_all_descriptions(hass))[DOMAIN]
    for service in ("start_task", "stop_task"):
        assert descriptions[service]["target"] == {
            "entity": [{"integration": DOMAIN, "domain": ["sensor"], "device_class": ["enum"]}]
        }
        # Names for YAML and templates, out of the way in a folded section: no text box on top.
        by_name = descriptions[service]["fields"]["by_name"]
        assert by_name["collapsed"] is True
        assert set(by_name["fields"]) == {"task", "config_entry_id"}

    # What the picker offers: this integration's sensors of device class enum.
    offered = [
        state
        for state in hass.states.async_all("sensor")
        if state.attributes.get("device_class") == "enum"
        and er.async_get(hass).async_get(state.entity_id).platform == DOMAIN
    ]
    titles = sorted(task.title for task in plex_server.tasks.values())
    assert sorted(state.name for state in offered) == titles

    response = await _call(hass, "start_task", {"entity_id": [s.entity_id for s in offered]})
    assert [t["title"] for t in response["tasks"]] == titles


async def test_every_entity_of_a_task_is_a_target(
    hass: HomeAssistant, init_integration: MockConfigEntry, entity_registry: er.EntityRegistry
) -> None:
    """Whatever a task's device holds (its settings and disabled entities too) stands for it."""
    task_device = device_of(hass, "sensor", f"{MACHINE_ID}_BackupDatabase_status")
    entities = er.async_entries_for_device(entity_registry, task_device.id, True)
    assert {entity.domain for entity in entities} >= {"sensor", "button", "switch"}
    for entity in entities:
        response = await _call(hass, "stop_task", {"entity_id": entity.entity_id})
        assert [t["task"] for t in response["tasks"]] == ["BackupDatabase"], entity.entity_id
