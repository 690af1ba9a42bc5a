"""Snapshots of every entity of every platform: registry entries and states."""

from __future__ import annotations

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, snapshot_platform
from syrupy.assertion import SnapshotAssertion

from .conftest import async_settle, async_wait_until


@pytest.fixture(autouse=True)
def fixed_time(freezer: FrozenDateTimeFactory) -> None:
    """Timestamps (the next-run estimates) depend on the day."""
    freezer.move_to("2026-11-28T12:00:00+00:00")


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
@pytest.mark.parametrize(
    "platforms",
    [
        [Platform.BINARY_SENSOR],
        [Platform.BUTTON],
        [Platform.CALENDAR],
        [Platform.EVENT],
        [Platform.SELECT],
        [Platform.SENSOR],
        [Platform.SWITCH],
    ],
    ids=["binary_sensor", "button", "calendar", "event", "select", "sensor", "switch"],
)
async def test_platform(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """Every entity of the platform, for the simulated server's default tasks, push connected."""
    coordinator = init_integration.runtime_data
    await async_wait_until(hass, lambda: coordinator.push_connected)
    await async_settle(hass)
    await snapshot_platform(hass, entity_registry, snapshot, init_integration.entry_id)
