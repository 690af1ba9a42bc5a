"""The coordinator's listeners: a task's hear of their task alone; none outlives the entry."""

from __future__ import annotations

from homeassistant.core import HomeAssistant, callback
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from .conftest import async_settle, async_wait_until
from .plex_simulator import PlexSimulator


@pytest.mark.butler_names_tasks
async def test_a_task_listener_hears_of_its_task_alone(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    plex_server: PlexSimulator,
) -> None:
    """A push about one task calls its listener, not another task's; a refresh calls both."""
    coordinator = init_integration.runtime_data
    await async_wait_until(hass, lambda: coordinator.push_connected)
    await async_settle(hass)
    heard: list[str] = []
    remove_deep = coordinator.async_add_listener(
        callback(lambda: heard.append("deep")), "DeepMediaAnalysis"
    )
    coordinator.async_add_listener(callback(lambda: heard.append("backup")), "BackupDatabase")

    await plex_server.butler.start_task("DeepMediaAnalysis")
    await async_wait_until(hass, lambda: "deep" in heard)
    await plex_server.update_activity(plex_server.butler.running["DeepMediaAnalysis"].uuid, 40)
    await async_wait_until(hass, lambda: coordinator.data.tasks["DeepMediaAnalysis"].progress == 40)
    assert set(heard) == {"deep"}

    # Unsubscribed, it hears nothing more, not even of a refresh that tells every other task.
    remove_deep()
    heard.clear()
    await plex_server.update_activity(plex_server.butler.running["DeepMediaAnalysis"].uuid, 80)
    await async_wait_until(hass, lambda: coordinator.data.tasks["DeepMediaAnalysis"].progress == 80)
    coordinator.async_update_listeners()
    assert heard == ["backup"]


async def test_no_listener_outlives_the_entry(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Unloading the entry removes every listener: the entities', each task's, the entry's own."""
    coordinator = init_integration.runtime_data
    assert coordinator._task_listeners._of_task
    assert await hass.config_entries.async_unload(init_integration.entry_id)
    await hass.async_block_till_done()
    assert coordinator._task_listeners._of_task == {}
    assert coordinator._listeners == {}
