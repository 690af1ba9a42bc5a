"""Fixtures of the Assist tests."""

from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from tests.helpers import async_set_up_assist


@pytest.fixture
async def assist(hass: HomeAssistant, init_integration: MockConfigEntry) -> None:
    """Assist's default agent, set up after the integration as in a running Home Assistant."""
    await async_set_up_assist(hass)
