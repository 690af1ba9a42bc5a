"""The examples of the README and docs/ stay true: the automations load, and name real entities."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
import re
import time

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_mock_service

from . import documents
from .conftest import (
    MACHINE_ID,
    async_press,
    async_settle,
    async_tick,
    async_wait_until,
    entity_id_of,
)
from .plex_simulator import PlexSimulator


def _scripts() -> dict[str, dict]:
    return {
        key: value for block in documents.yaml_examples("script") for key, value in block.items()
    }


def _automations() -> list[dict]:
    return [item for block in documents.yaml_examples("automation") for item in block]


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_readme_automations_load_and_name_real_entities(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Every automation example is valid; its entity ids exist for a server 'Living Room Plex'.

    Those of entities disabled by default exist once enabled, as the examples say to.
    """
    automations = _automations()
    assert len(automations) >= 3
    assert await async_setup_component(hass, "automation", {"automation": automations})
    await hass.async_block_till_done()
    for automation in automations:
        state = hass.states.get(f"automation.{automation['alias'].lower().replace(' ', '_')}")
        assert state is not None, automation["alias"]
        assert state.state == "on", automation["alias"]

    named = set(
        re.findall(
            r"\b(?:sensor|event|button|binary_sensor|select|switch)\.living_room_plex_\w+",
            documents.text(),
        )
    )
    assert named
    for entity_id in named:
        assert hass.states.get(_on_this_release(hass, entity_id)) is not None, entity_id
    # Time triggers wait for their time: turned off, they leave no timer behind.
    await hass.services.async_call("automation", "turn_off", {"entity_id": "all"}, blocking=True)


def _on_this_release(hass: HomeAssistant, entity_id: str) -> str:
    """Before 2026.10 a task's entity ids lack the server's name, as the docs say."""
    if hasattr(dr, "ChildDeviceInfo") or hass.states.get(entity_id) is not None:
        return entity_id
    return entity_id.replace("living_room_plex_", "", 1)


async def test_the_backup_notification_comes_once_per_backup(
    hass: HomeAssistant, init_integration: MockConfigEntry, plex_server: PlexSimulator
) -> None:
    """One backup, one message: a reload brings the last event back, which is no new one."""
    notified = async_mock_service(hass, "notify", "notify")
    backup = next(a for a in _automations() if a["alias"] == "Plex backup finished")
    assert await async_setup_component(hass, "automation", {"automation": [backup]})

    await async_press(hass, f"{MACHINE_ID}_BackupDatabase_start")
    await async_settle(hass)
    await plex_server.butler.end_activity(plex_server.butler.running["BackupDatabase"].uuid)
    await async_wait_until(hass, lambda: len(notified) == 1)
    assert re.fullmatch(
        r"Plex finished backing up its database in \d+\.\d minutes\.",
        notified[0].data["message"],
    )

    await hass.config_entries.async_reload(init_integration.entry_id)
    await async_settle(hass)
    await hass.async_block_till_done()
    assert len(notified) == 1


async def test_the_clean_up_says_what_started(
    hass: HomeAssistant, init_integration: MockConfigEntry, plex_server: PlexSimulator
) -> None:
    """Everyone leaves: the tasks given as targets start, and the message lists them."""
    notified = async_mock_service(hass, "notify", "notify")
    clean_up = next(a for a in _automations() if a["alias"] == "Plex cleanup while nobody is home")
    target = clean_up["actions"][0]["target"]
    target["entity_id"] = [_on_this_release(hass, entity_id) for entity_id in target["entity_id"]]
    assert await async_setup_component(hass, "automation", {"automation": [clean_up]})
    await plex_server.butler.start_task("CleanOldCacheFiles")
    await async_settle(hass)

    hass.states.async_set("zone.home", "1")
    await hass.async_block_till_done()
    hass.states.async_set("zone.home", "0")
    await async_settle(hass)
    assert [call.data["message"] for call in notified] == [
        "Clean Old Bundles: started. Clean Old Cache Files: already running."
    ]
    assert set(plex_server.butler.running) == {"CleanOldBundles", "CleanOldCacheFiles"}


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_each_slow_backup_is_told(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    plex_server: PlexSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Each backup over 15 minutes gets its message, even after another slow one; a quick none."""
    notified = async_mock_service(hass, "notify", "notify")
    slow = next(a for a in _automations() if a["alias"] == "Plex backup took long")
    [trigger] = slow["triggers"]
    trigger["entity_id"] = _on_this_release(hass, trigger["entity_id"])
    assert await async_setup_component(hass, "automation", {"automation": [slow]})
    status = entity_id_of(hass, "sensor", f"{MACHINE_ID}_BackupDatabase_status")

    for minutes in (16, 5, 20, 25):
        await async_press(hass, f"{MACHINE_ID}_BackupDatabase_start")
        await async_tick(hass, freezer, timedelta(minutes=minutes))
        await plex_server.butler.end_activity(plex_server.butler.running["BackupDatabase"].uuid)
        await async_wait_until(hass, lambda: hass.states.get(status).state == "idle")
    await async_settle(hass)

    assert [call.data["message"] for call in notified] == [
        f"The Plex database backup took {minutes} minutes." for minutes in (16, 20, 25)
    ]


async def test_after_a_big_import_the_script_waits_for_the_scans(
    hass: HomeAssistant, init_integration: MockConfigEntry, plex_server: PlexSimulator
) -> None:
    """Scan, wait while the scans run, then trash, bundles and the database, in this order."""
    scripts = _scripts()
    assert await async_setup_component(hass, "script", {"script": scripts})
    await hass.services.async_call("script", "plex_after_a_big_import", blocking=False)

    def sent() -> list[tuple[str, str]]:
        return [
            (r.method, r.path)
            for r in plex_server.requests
            if r.path.startswith("/library") and r.path != "/library/sections"
        ]

    async def until(condition: Callable[[], bool]) -> None:
        # Not async_wait_until: waiting for Home Assistant to be done would wait for the script.
        for _ in range(500):
            if condition():
                return
            await hass.async_add_executor_job(time.sleep, 0.01)
        raise AssertionError("The condition did not come true in time")

    def scans_shown() -> int:
        background = entity_id_of(hass, "sensor", f"{MACHINE_ID}_background_activity")
        return int(hass.states.get(background).state)

    await until(lambda: scans_shown() == 3)
    # The script waits as long as the scans run.
    await hass.async_add_executor_job(time.sleep, 0.2)
    assert sent() == [("GET", "/library/sections/all/refresh")]
    await plex_server.butler.end_activities()
    await until(lambda: ("PUT", "/library/optimize") in sent())
    assert sent() == [
        ("GET", "/library/sections/all/refresh"),
        *(("PUT", f"/library/sections/{key}/emptyTrash") for key in ("1", "2", "3")),
        ("PUT", "/library/clean/bundles"),
        ("PUT", "/library/optimize"),
    ]
    await async_settle(hass)
