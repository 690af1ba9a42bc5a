"""The integration's intents: offered to LLM agents as Assist API tools, and how they resolve."""

from __future__ import annotations

from importlib.util import find_spec
from typing import Any

from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers import intent, llm
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.plex_butler.voice.intents import INTENTS
from tests.conftest import SERVER_NAME, async_settle
from tests.plex_simulator import PlexSimulator

# From Home Assistant 2026.10 on, integrations offer tools through an `llm` platform, named
# `<domain>__<name>`; before, the Assist API offered every intent under the intent's own name.
LLM_PLATFORMS = find_spec("homeassistant.components.llm") is not None


def _tool_name(intent_type: str) -> str:
    return f"plex_butler__{intent_type}" if LLM_PLATFORMS else intent_type


async def _assist_api(hass: HomeAssistant) -> llm.APIInstance:
    if LLM_PLATFORMS:
        assert await async_setup_component(hass, "llm", {})
    assert await async_setup_component(hass, "homeassistant", {})
    context = llm.LLMContext(
        platform="test", context=Context(), language="en", assistant="conversation", device_id=None
    )
    return await llm.async_get_api(hass, "assist", context)


async def _call(api: llm.APIInstance, intent_type: str, **arguments: Any) -> str:
    result = await api.async_call_tool(llm.ToolInput(_tool_name(intent_type), arguments))
    await async_settle(api.api.hass)
    data = getattr(result, "data", result)  # a ToolResult from 2026.10 on, a dict before
    speech: str = data["speech"]["plain"]["speech"]
    return speech


async def test_llm_agents_get_the_intents_as_tools(
    hass: HomeAssistant, init_integration: MockConfigEntry, plex_server: PlexSimulator
) -> None:
    """Each intent is a tool with its description; its task and server are its parameters."""
    api = await _assist_api(hass)
    tools = {tool.name: tool for tool in api.tools}

    for plex_intent in INTENTS:
        tool = tools[_tool_name(plex_intent.intent_type)]
        assert tool.description == plex_intent.description
        assert "server" in {str(key) for key in tool.parameters.schema}
        takes_task = "task" in {str(key) for key in tool.parameters.schema}
        assert takes_task == (plex_intent.for_task is not None)
        if LLM_PLATFORMS:  # tools say whether they only look
            assert tool.annotations.read_only == plex_intent.reads_only


async def test_llm_tools_act_and_tell(
    hass: HomeAssistant, init_integration: MockConfigEntry, plex_server: PlexSimulator
) -> None:
    """Calling a tool acts on the server and answers as Assist does; names work as titles do."""
    api = await _assist_api(hass)

    assert await _call(api, "PlexButlerStartTask", task="the Plex backup") == (
        f"Started Backup Database on {SERVER_NAME}."
    )
    assert "BackupDatabase" in plex_server.butler.running
    assert await _call(api, "PlexButlerStatus") == f"{SERVER_NAME} is running Backup Database."
    assert await _call(api, "PlexButlerStatus", task="Backup Database") == (
        "Backup Database is running."
    )
    assert await _call(api, "PlexButlerStopTask", task="BackupDatabase", server=SERVER_NAME) == (
        f"Stopped Backup Database on {SERVER_NAME}."
    )
    assert await _call(api, "PlexButlerLastRun", task="backup database") == (
        "Backup Database last ran a moment ago."
    )
    assert await _call(api, "PlexButlerStartAllTasks") == (
        f"Asked {SERVER_NAME} to start the tasks that are due."
    )
    assert await _call(api, "PlexButlerStopAllTasks") == (
        f"Stopped the running tasks on {SERVER_NAME}."
    )
    assert not plex_server.butler.running


async def test_what_cannot_be_found_is_said(
    hass: HomeAssistant, init_integration: MockConfigEntry, plex_server: PlexSimulator
) -> None:
    """An unknown task or server is answered, echoed briefly; nothing is sent."""
    api = await _assist_api(hass)

    assert await _call(api, "PlexButlerStartTask", task="vacuum the hall") == (
        "There is no Plex task called vacuum the hall."
    )
    assert await _call(api, "PlexButlerStartTask", task="x" * 100) == (
        f"There is no Plex task called {'x' * 60}…."
    )
    assert await _call(api, "PlexButlerNextRun", task="backup", server="Garage") == (
        "There is no Plex server called Garage."
    )
    assert not [r for r in plex_server.requests if r.method in ("POST", "DELETE")]


async def _handle(hass: HomeAssistant, intent_type: str, language: str, **slots: str) -> str:
    response = await intent.async_handle(
        hass,
        "test",
        intent_type,
        {name: {"value": value} for name, value in slots.items()},
        language=language,
    )
    speech: str = response.speech["plain"]["speech"]
    return speech


async def test_the_language_asked_in_or_english(
    hass: HomeAssistant, init_integration: MockConfigEntry, plex_server: PlexSimulator
) -> None:
    """A regional variant answers in its language; a language not shipped, in English."""
    assert await _handle(hass, "PlexButlerStatus", "de-CH") == (
        f"Auf {SERVER_NAME} läuft gerade nichts."
    )
    assert await _handle(hass, "PlexButlerStatus", "pt-BR") == (
        f"Nothing is running on {SERVER_NAME}."
    )


async def test_no_server_loaded(hass: HomeAssistant, init_integration: MockConfigEntry) -> None:
    """Without a loaded server, the intents say so, and LLM agents are not offered them."""
    await hass.config_entries.async_unload(init_integration.entry_id)
    await hass.async_block_till_done()

    assert await _handle(hass, "PlexButlerStartAllTasks", "en") == "No Plex server is set up."
    if LLM_PLATFORMS:
        api = await _assist_api(hass)
        assert not [tool for tool in api.tools if tool.name.startswith("plex_butler__")]
