"""Fixtures: a simulated Plex Media Server on loopback, and a config entry for it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Callable, Generator
from datetime import timedelta
from pathlib import Path
import time
from typing import Any
from unittest.mock import patch

import aiohttp
from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import (
    CONF_TOKEN,
    CONF_URL,
    CONF_VERIFY_SSL,
    MAJOR_VERSION,
    MINOR_VERSION,
    Platform,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.util.async_ import get_scheduled_timer_handles
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed
from pytest_homeassistant_custom_component.syrupy import HomeAssistantSnapshotExtension
from syrupy.assertion import SnapshotAssertion
from syrupy.location import PyTestLocation

from custom_components.plex_butler import PLATFORMS
from custom_components.plex_butler.const import CONF_CLIENT_IDENTIFIER, DOMAIN
from tests.plex_simulator import PlexSimulator
from tests.simulator_helpers import NOW as SIMULATOR_NOW, TOKEN as SIMULATOR_TOKEN

TOKEN = "test-token-do-not-leak"
MACHINE_ID = "623cbfe8a679d4d8c68a6ffe3608aca44e8da703"
SERVER_NAME = "Living Room Plex"


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Load the integration from custom_components in every test."""


@pytest.fixture
def platforms() -> list[Platform]:
    """The platforms to set up; a test module narrows them by overriding this fixture."""
    return PLATFORMS


@pytest.fixture(autouse=True)
def set_up_only(platforms: list[Platform]) -> Generator[None]:
    """Set up only the platforms a test is about."""
    with patch("custom_components.plex_butler.PLATFORMS", platforms):
        yield


class SnapshotPerRelease(HomeAssistantSnapshotExtension):
    """Home Assistant's snapshots, kept apart for each release the tests run on.

    Releases serialise registry entries differently (2026.10 lists computed aliases), so each
    keeps its own files: tests/snapshots-<major.minor>/. Beside tests/snapshots, not in it: the
    harness's own extension still looks there, and would take another release's for unused.
    """

    @classmethod
    def dirname(cls, *, test_location: PyTestLocation) -> str:
        """Return the folder of this release's snapshots."""
        folder = Path(super().dirname(test_location=test_location))
        return str(folder.with_name(f"{folder.name}-{MAJOR_VERSION}.{MINOR_VERSION}"))


@pytest.fixture
def snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Snapshots with Home Assistant's serializer, one set per release.

    The harness defines this fixture too, but with syrupy 6 (Home Assistant 2026.10) syrupy's own
    plain `snapshot` wins over it; defined here, it wins on every version.
    """
    return snapshot.use_extension(SnapshotPerRelease)


@pytest.fixture
def entity_registry_enabled_by_default() -> Generator[None]:
    """Create entities that are disabled by default as enabled."""
    with patch(
        "homeassistant.helpers.entity.Entity.entity_registry_enabled_default",
        return_value=True,
    ):
        yield


def simulated_server(**options: Any) -> PlexSimulator:
    """The tests' server: their machine id, name and token; runs last until a test ends them."""
    defaults: dict[str, Any] = {
        "token": TOKEN,
        "machine_identifier": MACHINE_ID,
        "friendly_name": SERVER_NAME,
        "run_seconds": 3600,
        "progress_interval": 3600,
    }
    return PlexSimulator(**(defaults | options))


@pytest.fixture
async def plex_server(
    request: pytest.FixtureRequest, socket_enabled: None
) -> AsyncGenerator[PlexSimulator]:
    """A simulated Plex Media Server on 127.0.0.1 whose tasks run until stopped.

    Tests marked `polling_only` get a server without the notification websocket. Tests marked
    `butler_names_tasks` get one whose Butler activity is titled with its task: no public source
    shows a real server doing so, so only tests of what follows from such an activity use it.
    """
    names_tasks = request.node.get_closest_marker("butler_names_tasks") is not None
    server = simulated_server(butler_activity_names_task=names_tasks)
    server.faults.websockets_enabled = request.node.get_closest_marker("polling_only") is None
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def simulator(socket_enabled: None) -> AsyncGenerator[PlexSimulator]:
    """A simulated server for its own tests: short runs, its clock stopped at SIMULATOR_NOW."""
    server = PlexSimulator(
        token=SIMULATOR_TOKEN, run_seconds=0.2, progress_interval=0.05, clock=lambda: SIMULATOR_NOW
    )
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def session(simulator: PlexSimulator) -> AsyncGenerator[aiohttp.ClientSession]:
    """An HTTP client session whose relative URLs go to `simulator`."""
    async with aiohttp.ClientSession(base_url=simulator.url) as session:
        yield session


@pytest.fixture
def mock_config_entry(plex_server: PlexSimulator) -> MockConfigEntry:
    """A config entry for the simulated server."""
    return config_entry_for(plex_server, client_identifier="test-client-identifier")


def config_entry_for(server: PlexSimulator, *, client_identifier: str) -> MockConfigEntry:
    """A config entry for a simulated server, named and identified as the server is."""
    return MockConfigEntry(
        domain=DOMAIN,
        title=server.friendly_name,
        unique_id=server.machine_identifier,
        data={
            CONF_URL: server.url,
            CONF_TOKEN: TOKEN,
            CONF_VERIFY_SSL: True,
            CONF_CLIENT_IDENTIFIER: client_identifier,
        },
    )


@pytest.fixture
async def second_server(socket_enabled: None) -> AsyncGenerator[PlexSimulator]:
    """Another simulated server, "Basement Plex", for tests of several servers."""
    server = simulated_server(machine_identifier="f" * 40, friendly_name="Basement Plex")
    await server.start()
    yield server
    await server.stop()


async def async_set_up_entry_for(
    hass: HomeAssistant, server: PlexSimulator, *, client_identifier: str
) -> MockConfigEntry:
    """Add a config entry for a simulated server and set it up."""
    entry = config_entry_for(server, client_identifier=client_identifier)
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry


@pytest.fixture
async def init_integration(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    plex_server: PlexSimulator,
    request: pytest.FixtureRequest,
) -> AsyncGenerator[MockConfigEntry]:
    """The integration, set up against the simulated server, unloaded before the server stops.

    The test starts once it is quiet: connected for push (where the server offers it) and caught
    up, so that no request is in flight when a test moves time (it would time out at once). For
    the same reason a test that moves time has it frozen before the set-up: frozen later, the
    event loop's clock would jump years.
    """
    if "freezer" in request.fixturenames:
        request.getfixturevalue("freezer")
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    if plex_server.faults.websockets_enabled and mock_config_entry.state is ConfigEntryState.LOADED:
        coordinator = mock_config_entry.runtime_data
        await async_wait_until(hass, lambda: coordinator.push_connected)
    await async_settle(hass)
    yield mock_config_entry
    if hass.config_entries.async_get_entry(mock_config_entry.entry_id):
        await hass.config_entries.async_unload(mock_config_entry.entry_id)
        await hass.async_block_till_done()


async def async_settle(hass: HomeAssistant) -> None:
    """Wait until Home Assistant is idle, but for the long-lived notification listener.

    Coordinator refreshes run as background tasks and talk to a real (simulated) server, so they
    need real I/O time; `wait_background_tasks=True` would wait for the listener forever.
    """
    for _ in range(100):
        await hass.async_block_till_done()
        # Some releases keep plain futures among the background tasks: they have no name.
        pending = [
            task
            for task in hass._background_tasks
            if not task.done()
            and not (
                isinstance(task, asyncio.Task) and task.get_name() == f"{DOMAIN} notifications"
            )
        ]
        if not pending:
            return
        await asyncio.wait(pending, timeout=10)
    raise AssertionError("Home Assistant did not settle")


async def async_tick(hass: HomeAssistant, freezer: FrozenDateTimeFactory, delta: timedelta) -> None:
    """Move time on, let the timers that were due run, and settle.

    A short real pause then lets answers in flight arrive. The pong to a heartbeat ping the tick
    sent is waited for: a later tick would run its timer out (both are due at once), and under
    load a pause of any length can be too short, so the websocket would drop.
    """
    freezer.tick(delta)
    async_fire_time_changed(hass)
    await async_settle(hass)
    await hass.async_add_executor_job(time.sleep, 0.05)
    await async_wait_until(hass, lambda: not _awaiting_pong(hass))
    await async_settle(hass)


def _awaiting_pong(hass: HomeAssistant) -> bool:
    """Whether an open websocket's heartbeat ping still waits for its pong.

    aiohttp has no public flag for it: the pending timer that would time the pong out says so.
    A closed websocket can still arm one (its close reply re-arms the heartbeat): it never ends.
    """
    for handle in get_scheduled_timer_handles(hass.loop):
        timer = handle._callback
        websocket = getattr(timer, "__self__", None)
        if (
            isinstance(websocket, aiohttp.ClientWebSocketResponse)
            and timer == websocket._pong_not_received
            and not handle.cancelled()
            and not websocket.closed
        ):
            return True
    return False


async def async_wait_until(
    hass: HomeAssistant, condition: Callable[[], bool], within: float = 5
) -> None:
    """Wait for what a push from the server brings (real I/O); fail after `within` seconds.

    It sleeps in the executor, so that real time passes even while a test freezes the clock.
    """
    for _ in range(int(within / 0.01)):
        if condition():
            await hass.async_block_till_done()
            return
        await hass.async_add_executor_job(time.sleep, 0.01)
    raise AssertionError("The condition did not come true in time")


async def async_press(hass: HomeAssistant, unique_id: str) -> None:
    """Press one of the integration's buttons, as the UI does."""
    await hass.services.async_call(
        "button", "press", {"entity_id": entity_id_of(hass, "button", unique_id)}, blocking=True
    )


def entity_id_of(hass: HomeAssistant, platform: str, unique_id: str) -> str:
    """The entity id behind a unique id."""
    entity_id = er.async_get(hass).async_get_entity_id(platform, DOMAIN, unique_id)
    assert entity_id is not None, unique_id
    return entity_id


def server_device(hass: HomeAssistant, server: PlexSimulator) -> dr.DeviceEntry:
    """The device of a server, which its tasks' devices are linked to."""
    [device] = [
        device
        for entry in hass.config_entries.async_entries(DOMAIN)
        for device in dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
        if (DOMAIN, server.machine_identifier) in device.identifiers
    ]
    return device


def device_of(hass: HomeAssistant, platform: str, unique_id: str) -> dr.DeviceEntry:
    """The device an entity belongs to, by the entity's unique id."""
    entry = er.async_get(hass).async_get(entity_id_of(hass, platform, unique_id))
    assert entry is not None
    assert entry.device_id is not None, unique_id
    device = dr.async_get(hass).async_get(entry.device_id)
    assert device is not None, unique_id
    return device
