"""Library maintenance beside the Butler: its buttons, actions, libraries and what they show."""

from __future__ import annotations

from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import SOURCE_REAUTH
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import device_registry as dr, entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.plex_butler.const import DOMAIN, EVENT_TASK, LIBRARY_INTERVAL

from .conftest import (
    MACHINE_ID,
    SERVER_NAME,
    async_press,
    async_settle,
    async_tick,
    async_wait_until,
    device_of,
    entity_id_of,
    server_device,
)
from .plex_simulator import PlexSimulator


async def _call(hass: HomeAssistant, service: str, **data: Any) -> None:
    await hass.services.async_call(DOMAIN, service, data, blocking=True)


def _sent(server: PlexSimulator) -> list[tuple[str, str, dict[str, str]]]:
    """The library maintenance the server received, but the reads of the library list."""
    return [
        (r.method, r.path, r.query)
        for r in server.requests
        if r.path.startswith("/library") and r.path != "/library/sections"
    ]


def _library_devices(hass: HomeAssistant, server: PlexSimulator) -> dict[str, dr.DeviceEntry]:
    """The libraries' devices, by the library's key: the devices of their Scan buttons."""
    prefix, suffix = f"{server.machine_identifier}_library_", "_refresh"
    devices = dr.async_get(hass)
    return {
        entry.unique_id[len(prefix) : -len(suffix)]: devices.async_get(entry.device_id)
        for entry in er.async_get(hass).entities.values()
        if entry.platform == DOMAIN
        and entry.unique_id.startswith(prefix)
        and entry.unique_id.endswith(suffix)
        and entry.device_id
    }


def _background(hass: HomeAssistant) -> list[tuple[str, str]]:
    state = hass.states.get(entity_id_of(hass, "sensor", f"{MACHINE_ID}_background_activity"))
    return [(a["type"], a["title"]) for a in state.attributes["activities"]]


async def test_a_device_per_library_with_its_two_buttons(
    hass: HomeAssistant, init_integration: MockConfigEntry, plex_server: PlexSimulator
) -> None:
    """Each library is a part of the server's device, named after it; the server has four."""
    server = server_device(hass, plex_server)
    devices = _library_devices(hass, plex_server)
    assert {key: device.name for key, device in devices.items()} == {
        "1": "Movies",
        "2": "TV Shows",
        "3": "Music",
    }
    registry = er.async_get(hass)
    for key, device in devices.items():
        buttons = er.async_entries_for_device(registry, device.id)
        assert sorted(entry.unique_id for entry in buttons) == [
            f"{MACHINE_ID}_library_{key}_empty_trash",
            f"{MACHINE_ID}_library_{key}_refresh",
        ]
        # A part of the server's device from Home Assistant 2026.10 on, linked to it before.
        parent = getattr(device, "parent_device_id", None) or device.via_device_id
        assert parent == server.id
    for key in ("empty_trash", "clean_bundles", "optimize_database", "refresh_libraries"):
        assert device_of(hass, "button", f"{MACHINE_ID}_{key}").id == server.id
    state = hass.states.get(entity_id_of(hass, "button", f"{MACHINE_ID}_library_2_empty_trash"))
    assert state.name == "TV Shows Empty trash"


async def test_the_buttons_send_the_servers_requests(
    hass: HomeAssistant, init_integration: MockConfigEntry, plex_server: PlexSimulator
) -> None:
    """Each button sends its endpoint; emptying every trash sends one request a library."""
    for key in ("empty_trash", "clean_bundles", "optimize_database", "refresh_libraries"):
        await async_press(hass, f"{MACHINE_ID}_{key}")
    await async_press(hass, f"{MACHINE_ID}_library_3_empty_trash")
    await async_press(hass, f"{MACHINE_ID}_library_2_refresh")
    assert _sent(plex_server) == [
        *(("PUT", f"/library/sections/{key}/emptyTrash", {}) for key in ("1", "2", "3")),
        ("PUT", "/library/clean/bundles", {"async": "1"}),
        ("PUT", "/library/optimize", {"async": "1"}),
        ("GET", "/library/sections/all/refresh", {}),
        ("PUT", "/library/sections/3/emptyTrash", {}),
        ("GET", "/library/sections/2/refresh", {}),
    ]


async def test_the_actions_send_the_servers_requests(
    hass: HomeAssistant, init_integration: MockConfigEntry, plex_server: PlexSimulator
) -> None:
    """Libraries by title or key in any case, all of them by default; force re-downloads."""
    entry_id = init_integration.entry_id
    await _call(hass, "empty_trash", library=["tv shows", "3"])
    await _call(hass, "empty_trash", config_entry_id=entry_id)
    await _call(hass, "clean_bundles")
    await _call(hass, "optimize_database", config_entry_id=entry_id)
    await _call(hass, "refresh_library", library="Movies", force=True)
    await _call(hass, "refresh_library")
    assert _sent(plex_server) == [
        ("PUT", "/library/sections/2/emptyTrash", {}),
        ("PUT", "/library/sections/3/emptyTrash", {}),
        *(("PUT", f"/library/sections/{key}/emptyTrash", {}) for key in ("1", "2", "3")),
        ("PUT", "/library/clean/bundles", {"async": "1"}),
        ("PUT", "/library/optimize", {"async": "1"}),
        ("GET", "/library/sections/1/refresh", {"force": "1"}),
        ("GET", "/library/sections/all/refresh", {}),
    ]


async def test_an_unknown_library_is_named_with_the_servers_libraries(
    hass: HomeAssistant, init_integration: MockConfigEntry, plex_server: PlexSimulator
) -> None:
    """A typo is refused before anything is sent, after the list was read again."""
    reads = sum(r.path == "/library/sections" for r in plex_server.requests)
    with pytest.raises(ServiceValidationError) as err:
        await _call(hass, "refresh_library", library=["Movies", "Movis"])
    assert err.value.translation_key == "unknown_library"
    assert str(err.value) == (
        f'"Movis" is not a library of {SERVER_NAME}. Its libraries: Movies, Music, TV Shows'
    )
    assert _sent(plex_server) == []
    assert sum(r.path == "/library/sections" for r in plex_server.requests) == reads + 1


async def test_a_library_the_server_no_longer_has(
    hass: HomeAssistant, init_integration: MockConfigEntry, plex_server: PlexSimulator
) -> None:
    """The server's 404 is a translated error, and the library's device goes away."""
    del plex_server.libraries.sections["2"]
    with pytest.raises(ServiceValidationError) as err:
        await async_press(hass, f"{MACHINE_ID}_library_2_empty_trash")
    assert err.value.translation_key == "unknown_library_on_server"
    assert str(err.value) == f"{SERVER_NAME} no longer has this library"
    await async_settle(hass)
    assert set(_library_devices(hass, plex_server)) == {"1", "3"}
    registry = er.async_get(hass)
    assert registry.async_get_entity_id("button", DOMAIN, f"{MACHINE_ID}_library_2_refresh") is None


async def test_a_refusal_and_a_server_down(
    hass: HomeAssistant, init_integration: MockConfigEntry, plex_server: PlexSimulator
) -> None:
    """A refused token is an error that starts reauthentication; a server down names itself."""
    plex_server.revoke_token()
    with pytest.raises(HomeAssistantError) as err:
        await _call(hass, "optimize_database")
    assert err.value.translation_key == "invalid_auth"
    await hass.async_block_till_done()
    flows = hass.config_entries.flow.async_progress()
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]

    plex_server.set_token("test-token-do-not-leak")
    await plex_server.go_down()
    with pytest.raises(HomeAssistantError) as err:
        await async_press(hass, f"{MACHINE_ID}_library_1_refresh")
    assert err.value.translation_key == "action_failed"
    assert str(err.value).startswith(f"{SERVER_NAME} did not carry out the request: ")


async def test_libraries_added_and_removed(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    plex_server: PlexSimulator,
) -> None:
    """A new library is scanned at once, which reads the list; a removed one goes at a later one."""
    photos = plex_server.libraries.add_section("Photos", "photo")
    await plex_server.libraries.refresh(photos.key)
    await async_wait_until(hass, lambda: "4" in _library_devices(hass, plex_server))
    await async_settle(hass)
    assert _library_devices(hass, plex_server)["4"].name == "Photos"
    await async_press(hass, f"{MACHINE_ID}_library_4_empty_trash")

    del plex_server.libraries.sections["1"]
    await plex_server.butler.end_activities()
    await async_tick(hass, freezer, LIBRARY_INTERVAL)
    assert set(_library_devices(hass, plex_server)) == {"2", "3", "4"}


async def test_library_work_is_background_activity_never_a_butler_run(
    hass: HomeAssistant, init_integration: MockConfigEntry, plex_server: PlexSimulator
) -> None:
    """A scan and an optimize show with their titles; no task runs, starts or gets a last run.

    The Butler has tasks of the same names (Refresh Libraries, Optimize Database): what these
    actions start is the server's own work, and nothing the server shows makes it theirs.
    """
    events: list[Event] = []

    @callback
    def record(event: Event) -> None:
        events.append(event)

    hass.bus.async_listen(EVENT_TASK, record)
    coordinator = init_integration.runtime_data
    history = dict(coordinator.butler.history)

    await _call(hass, "refresh_library", library="Movies")
    await _call(hass, "optimize_database")
    await async_wait_until(hass, lambda: len(_background(hass)) == 2)
    assert _background(hass) == [
        ("library.update.section", "Scanning Movies"),
        ("database.optimize", "Optimizing database"),
    ]
    for task in ("OptimizeDatabase", "RefreshLibraries"):
        status = hass.states.get(entity_id_of(hass, "sensor", f"{MACHINE_ID}_{task}_status"))
        assert status.state in ("idle", "disabled")
    running = hass.states.get(entity_id_of(hass, "sensor", f"{MACHINE_ID}_running_tasks"))
    assert running.state == "0"
    maintenance = entity_id_of(hass, "binary_sensor", f"{MACHINE_ID}_maintenance_running")
    assert hass.states.get(maintenance).state == "off"

    await plex_server.butler.end_activities()
    await async_wait_until(hass, lambda: _background(hass) == [])
    await async_settle(hass)
    assert events == []
    assert dict(coordinator.butler.history) == history
    for task in ("OptimizeDatabase", "RefreshLibraries"):
        last_run = hass.states.get(entity_id_of(hass, "sensor", f"{MACHINE_ID}_{task}_last_run"))
        assert last_run.state == "unknown"


async def test_library_buttons_follow_the_server(
    hass: HomeAssistant, init_integration: MockConfigEntry, plex_server: PlexSimulator
) -> None:
    """A library's buttons are unavailable while the server is, and come back with it."""
    button = entity_id_of(hass, "button", f"{MACHINE_ID}_library_1_refresh")
    await plex_server.go_down()
    await async_wait_until(hass, lambda: hass.states.get(button).state == "unavailable")
    await plex_server.come_back()
    await init_integration.runtime_data.async_refresh()
    await async_settle(hass)
    assert hass.states.get(button).state == "unknown"
