"""The start and stop buttons."""

from __future__ import annotations

from homeassistant.config_entries import SOURCE_REAUTH
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.plex_butler.const import DOMAIN

from .conftest import MACHINE_ID, async_press, entity_id_of
from .helpers import task_status
from .plex_simulator import PlexSimulator


async def test_start_and_stop_a_task(
    hass: HomeAssistant, init_integration: MockConfigEntry, plex_server: PlexSimulator
) -> None:
    """Start shows the task running at once; stop makes it idle; the server got both calls."""
    await async_press(hass, f"{MACHINE_ID}_OptimizeDatabase_start")
    assert "OptimizeDatabase" in plex_server.butler.running
    assert task_status(hass, "OptimizeDatabase") == "running"

    await async_press(hass, f"{MACHINE_ID}_OptimizeDatabase_stop")
    assert "OptimizeDatabase" not in plex_server.butler.running
    assert task_status(hass, "OptimizeDatabase") == "idle"
    calls = [(r.method, r.path) for r in plex_server.requests if r.method != "GET"]
    assert calls == [("POST", "/butler/OptimizeDatabase"), ("DELETE", "/butler/OptimizeDatabase")]


async def test_start_when_running_and_stop_when_idle_are_fine(
    hass: HomeAssistant, init_integration: MockConfigEntry, plex_server: PlexSimulator
) -> None:
    """Pressing start on a running task (202) or stop on an idle one (404) is no error."""
    await plex_server.butler.start_task("CleanOldBundles")
    await async_press(hass, f"{MACHINE_ID}_CleanOldBundles_start")
    assert task_status(hass, "CleanOldBundles") == "running"
    await async_press(hass, f"{MACHINE_ID}_RefreshLocalMedia_stop")
    assert task_status(hass, "RefreshLocalMedia") == "idle"


async def test_start_all_and_stop_all(
    hass: HomeAssistant, init_integration: MockConfigEntry, plex_server: PlexSimulator
) -> None:
    """The server buttons start what is due and stop everything."""
    await async_press(hass, f"{MACHINE_ID}_start_all")
    assert ("POST", "/butler") in [(r.method, r.path) for r in plex_server.requests]
    # The server shows Butler work that names no task, and the media work of some: only those
    # tasks are known to run. Start-all skips what is not due, so it proves nothing of the rest.
    with_media_work = {name for name, a in plex_server.butler.running.items() if a.type != "butler"}
    running = hass.states.get(entity_id_of(hass, "sensor", f"{MACHINE_ID}_running_tasks"))
    assert set(running.attributes["task_names"]) == with_media_work
    assert len(with_media_work) < len(plex_server.butler.running)
    maintenance = entity_id_of(hass, "binary_sensor", f"{MACHINE_ID}_maintenance_running")
    assert hass.states.get(maintenance).state == "on"

    await async_press(hass, f"{MACHINE_ID}_stop_all")
    assert plex_server.butler.running == {}
    running = hass.states.get(entity_id_of(hass, "sensor", f"{MACHINE_ID}_running_tasks"))
    assert running.state == "0"


async def test_start_all_says_it_may_install_a_server_update(
    hass: HomeAssistant, init_integration: MockConfigEntry, plex_server: PlexSimulator
) -> None:
    """The start-all button tells whether automatic updates are on, as the server says."""
    start_all = entity_id_of(hass, "button", f"{MACHINE_ID}_start_all")
    assert hass.states.get(start_all).attributes["may_install_server_update"] is True

    plex_server.tasks["AutomaticUpdates"].enabled = False
    await init_integration.runtime_data.async_refresh()
    assert hass.states.get(start_all).attributes["may_install_server_update"] is False

    del plex_server.tasks["AutomaticUpdates"]
    await init_integration.runtime_data.async_refresh()
    assert hass.states.get(start_all).attributes["may_install_server_update"] is False
    stop_all = entity_id_of(hass, "button", f"{MACHINE_ID}_stop_all")
    assert "may_install_server_update" not in hass.states.get(stop_all).attributes


async def test_press_when_server_fails(
    hass: HomeAssistant, init_integration: MockConfigEntry, plex_server: PlexSimulator
) -> None:
    """A server failure is a translated Home Assistant error."""
    plex_server.faults.fail_with_500 = True
    with pytest.raises(HomeAssistantError) as err:
        await async_press(hass, f"{MACHINE_ID}_BackupDatabase_start")
    assert err.value.translation_key == "action_failed"
    assert err.value.translation_domain == DOMAIN
    with pytest.raises(HomeAssistantError, match="did not carry out the request"):
        await async_press(hass, f"{MACHINE_ID}_BackupDatabase_stop")


async def test_press_when_server_forgot_the_task(
    hass: HomeAssistant, init_integration: MockConfigEntry, plex_server: PlexSimulator
) -> None:
    """A task the server no longer knows (404 on start) is a validation error."""
    del plex_server.tasks["BackupDatabase"]
    with pytest.raises(ServiceValidationError) as err:
        await async_press(hass, f"{MACHINE_ID}_BackupDatabase_start")
    assert err.value.translation_key == "unknown_task_on_server"


async def test_press_with_revoked_token_starts_reauth(
    hass: HomeAssistant, init_integration: MockConfigEntry, plex_server: PlexSimulator
) -> None:
    """A refused token on a press is an error and starts reauthentication."""
    plex_server.revoke_token()
    with pytest.raises(HomeAssistantError) as err:
        await async_press(hass, f"{MACHINE_ID}_BackupDatabase_start")
    assert err.value.translation_key == "invalid_auth"
    await hass.async_block_till_done()
    flows = hass.config_entries.flow.async_progress()
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]
