"""The start and stop buttons."""

from __future__ import annotations

from homeassistant.components.button import DOMAIN as BUTTON_DOMAIN, SERVICE_PRESS
from homeassistant.config_entries import SOURCE_REAUTH
from homeassistant.const import ATTR_ENTITY_ID, Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, snapshot_platform
from syrupy.assertion import SnapshotAssertion

from custom_components.plex_butler.const import DOMAIN

from .conftest import MACHINE_ID, entity_id_of
from .plex_simulator import PlexSimulator


async def _press(hass: HomeAssistant, unique_id: str) -> None:
    await hass.services.async_call(
        BUTTON_DOMAIN,
        SERVICE_PRESS,
        {ATTR_ENTITY_ID: entity_id_of(hass, BUTTON_DOMAIN, unique_id)},
        blocking=True,
    )


def _status(hass: HomeAssistant, task: str) -> str:
    return hass.states.get(entity_id_of(hass, "sensor", f"{MACHINE_ID}_{task}_status")).state


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
@pytest.mark.parametrize("platforms", [[Platform.BUTTON]])
async def test_snapshot(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """Every button of the server and its tasks."""
    await snapshot_platform(hass, entity_registry, snapshot, init_integration.entry_id)


async def test_start_and_stop_a_task(
    hass: HomeAssistant, init_integration: MockConfigEntry, plex_server: PlexSimulator
) -> None:
    """Start shows the task running at once; stop makes it idle; the server got both calls."""
    await _press(hass, f"{MACHINE_ID}_OptimizeDatabase_start")
    assert "OptimizeDatabase" in plex_server.running
    assert _status(hass, "OptimizeDatabase") == "running"

    await _press(hass, f"{MACHINE_ID}_OptimizeDatabase_stop")
    assert "OptimizeDatabase" not in plex_server.running
    assert _status(hass, "OptimizeDatabase") == "idle"
    calls = [(r.method, r.path) for r in plex_server.requests if r.method != "GET"]
    assert calls == [("POST", "/butler/OptimizeDatabase"), ("DELETE", "/butler/OptimizeDatabase")]


async def test_start_when_running_and_stop_when_idle_are_fine(
    hass: HomeAssistant, init_integration: MockConfigEntry, plex_server: PlexSimulator
) -> None:
    """Pressing start on a running task (202) or stop on an idle one (404) is no error."""
    await plex_server.start_task("CleanOldBundles")
    await _press(hass, f"{MACHINE_ID}_CleanOldBundles_start")
    assert _status(hass, "CleanOldBundles") == "running"
    await _press(hass, f"{MACHINE_ID}_RefreshLocalMedia_stop")
    assert _status(hass, "RefreshLocalMedia") == "idle"


async def test_start_all_and_stop_all(
    hass: HomeAssistant, init_integration: MockConfigEntry, plex_server: PlexSimulator
) -> None:
    """The server buttons start what is due and stop everything."""
    await _press(hass, f"{MACHINE_ID}_start_all")
    assert ("POST", "/butler") in [(r.method, r.path) for r in plex_server.requests]
    running = hass.states.get(entity_id_of(hass, "sensor", f"{MACHINE_ID}_running_tasks"))
    assert int(running.state) == len(plex_server.running) > 0

    await _press(hass, f"{MACHINE_ID}_stop_all")
    assert plex_server.running == {}
    running = hass.states.get(entity_id_of(hass, "sensor", f"{MACHINE_ID}_running_tasks"))
    assert running.state == "0"


async def test_press_when_server_fails(
    hass: HomeAssistant, init_integration: MockConfigEntry, plex_server: PlexSimulator
) -> None:
    """A server failure is a translated Home Assistant error."""
    plex_server.fail_with_500 = True
    with pytest.raises(HomeAssistantError) as err:
        await _press(hass, f"{MACHINE_ID}_BackupDatabase_start")
    assert err.value.translation_key == "action_failed"
    assert err.value.translation_domain == DOMAIN
    with pytest.raises(HomeAssistantError, match="did not carry out the request"):
        await _press(hass, f"{MACHINE_ID}_BackupDatabase_stop")


async def test_press_when_server_forgot_the_task(
    hass: HomeAssistant, init_integration: MockConfigEntry, plex_server: PlexSimulator
) -> None:
    """A task the server no longer knows (404 on start) is a validation error."""
    del plex_server.tasks["BackupDatabase"]
    with pytest.raises(ServiceValidationError) as err:
        await _press(hass, f"{MACHINE_ID}_BackupDatabase_start")
    assert err.value.translation_key == "unknown_task_on_server"


async def test_press_with_revoked_token_starts_reauth(
    hass: HomeAssistant, init_integration: MockConfigEntry, plex_server: PlexSimulator
) -> None:
    """A refused token on a press is an error and starts reauthentication."""
    plex_server.revoke_token()
    with pytest.raises(HomeAssistantError) as err:
        await _press(hass, f"{MACHINE_ID}_BackupDatabase_start")
    assert err.value.translation_key == "invalid_auth"
    await hass.async_block_till_done()
    flows = hass.config_entries.flow.async_progress()
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]
