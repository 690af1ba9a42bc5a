"""Voice: Assist presses an exposed start button."""

from __future__ import annotations

from homeassistant.components import conversation
from homeassistant.components.homeassistant.exposed_entities import async_expose_entity
from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers import entity_registry as er, intent
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry

from .conftest import MACHINE_ID, entity_id_of
from .plex_simulator import PlexSimulator


async def test_turn_on_an_exposed_start_button(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    plex_server: PlexSimulator,
    entity_registry: er.EntityRegistry,
) -> None:
    """'Turn on backup database' presses the exposed, aliased start button."""
    assert await async_setup_component(hass, "homeassistant", {})
    assert await async_setup_component(hass, "conversation", {})
    assert await async_setup_component(hass, "intent", {})
    button = entity_id_of(hass, "button", f"{MACHINE_ID}_BackupDatabase_start")
    entity_registry.async_update_entity(button, aliases={"backup database"})
    async_expose_entity(hass, conversation.DOMAIN, button, True)

    result = await conversation.async_converse(
        hass, "turn on backup database", None, Context(), language="en"
    )
    await hass.async_block_till_done()

    assert result.response.response_type is intent.IntentResponseType.ACTION_DONE
    assert result.response.intent is not None
    assert result.response.intent.intent_type == "HassTurnOn"
    assert "BackupDatabase" in plex_server.running
    assert ("POST", "/butler/BackupDatabase") in [
        (request.method, request.path) for request in plex_server.requests
    ]


async def test_buttons_are_not_exposed_by_default(
    hass: HomeAssistant, init_integration: MockConfigEntry, plex_server: PlexSimulator
) -> None:
    """Without exposing the button, Assist cannot start a task."""
    assert await async_setup_component(hass, "homeassistant", {})
    assert await async_setup_component(hass, "conversation", {})
    assert await async_setup_component(hass, "intent", {})

    result = await conversation.async_converse(
        hass, "turn on Living Room Plex Start Backup Database", None, Context(), language="en"
    )
    assert result.response.response_type is intent.IntentResponseType.ERROR
    assert "BackupDatabase" not in plex_server.running
