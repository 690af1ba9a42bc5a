"""Voice: Assist hears the integration's own sentences, with nothing exposed or aliased."""

from __future__ import annotations

from collections.abc import AsyncGenerator

from hassil.parse_expression import parse_sentence
from homeassistant.components import conversation
from homeassistant.components.homeassistant.exposed_entities import (
    async_expose_entity,
    async_should_expose,
)
from homeassistant.components.vacuum import VacuumEntityFeature
from homeassistant.components.vacuum.intent import async_setup_intents as async_setup_vacuum
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers import intent
from homeassistant.helpers.trigger import async_validate_trigger_config
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_mock_service

from custom_components.plex_butler.voice import (
    _SENTENCES,
    NOT_AVAILABLE,
    VoiceCommand,
    spoken,
)

from .conftest import (
    MACHINE_ID,
    SERVER_NAME,
    TOKEN,
    async_settle,
    config_entry_for,
    entity_id_of,
)
from .plex_simulator import PlexSimulator
from .plex_simulator.catalog import DEFAULT_TASKS
from .plex_simulator.models import SimulatedTask

BASEMENT = "Basement Plex"


async def _set_up_assist(hass: HomeAssistant) -> None:
    for component in ("homeassistant", "conversation", "intent"):
        assert await async_setup_component(hass, component, {})


@pytest.fixture
async def assist(hass: HomeAssistant, init_integration: MockConfigEntry) -> None:
    """Assist's default agent, set up after the integration as in a running Home Assistant."""
    await _set_up_assist(hass)


async def _say(hass: HomeAssistant, text: str) -> intent.IntentResponse:
    result = await conversation.async_converse(hass, text, None, Context(), language="en")
    await async_settle(hass)  # the refresh after a start or stop
    return result.response


def _speech(response: intent.IntentResponse) -> str:
    speech: str = response.speech["plain"]["speech"]
    return speech


def _sent(server: PlexSimulator) -> list[tuple[str, str]]:
    """The start and stop requests the server received."""
    return [(r.method, r.path) for r in server.requests if r.method in ("POST", "DELETE")]


def _task(name: str, title: str) -> SimulatedTask:
    return SimulatedTask(name, title, "", 1, False, True)


@pytest.fixture
async def basement(
    hass: HomeAssistant, init_integration: MockConfigEntry, socket_enabled: None
) -> AsyncGenerator[PlexSimulator]:
    """A second server, loaded: it has Backup Database too, and Tidy Attic of its own."""
    server = PlexSimulator(
        token=TOKEN,
        machine_identifier="b" * 40,
        friendly_name=BASEMENT,
        run_seconds=3600,
        tasks=[_task("BackupDatabase", "Backup Database"), _task("TidyAttic", "Tidy Attic")],
    )
    server.websockets_enabled = False
    await server.start()
    entry = config_entry_for(server, client_identifier="basement")
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    yield server
    await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    await server.stop()


@pytest.mark.parametrize(
    "sentence",
    [
        "start backup database",
        "run the Plex backup database",
        "Start Backup Database on Living Room Plex.",
    ],
)
async def test_start_a_task_by_its_title(
    hass: HomeAssistant, assist: None, plex_server: PlexSimulator, sentence: str
) -> None:
    """The task's title is enough: no button is exposed, none has an alias."""
    button = entity_id_of(hass, "button", f"{MACHINE_ID}_BackupDatabase_start")
    assert not async_should_expose(hass, conversation.DOMAIN, button)

    response = await _say(hass, sentence)

    assert response.response_type is intent.IntentResponseType.ACTION_DONE
    assert _speech(response) == f"Started Backup Database on {SERVER_NAME}."
    assert _sent(plex_server) == [("POST", "/butler/BackupDatabase")]
    assert "BackupDatabase" in plex_server.running


async def test_already_running_stop_and_not_running(
    hass: HomeAssistant, assist: None, plex_server: PlexSimulator
) -> None:
    """The answers say what the server did."""
    await plex_server.start_task("OptimizeDatabase")
    await async_settle(hass)

    assert _speech(await _say(hass, "run optimize database")) == (
        "Optimize Database is already running."
    )
    assert _speech(await _say(hass, "stop optimize database")) == (
        f"Stopped Optimize Database on {SERVER_NAME}."
    )
    assert "OptimizeDatabase" not in plex_server.running
    assert _speech(await _say(hass, "stop the optimize database")) == (
        "Optimize Database was not running."
    )
    assert _sent(plex_server) == [
        ("POST", "/butler/OptimizeDatabase"),
        ("DELETE", "/butler/OptimizeDatabase"),
        ("DELETE", "/butler/OptimizeDatabase"),
    ]


async def test_start_and_stop_all_tasks(
    hass: HomeAssistant, assist: None, plex_server: PlexSimulator
) -> None:
    """'Run Plex maintenance' starts what is due; 'stop all Plex tasks' stops what runs."""
    assert _speech(await _say(hass, "run Plex maintenance")) == (
        f"Asked {SERVER_NAME} to start the tasks that are due."
    )
    assert plex_server.running
    assert _speech(await _say(hass, "stop all Plex tasks")) == (
        f"Stopped the running tasks on {SERVER_NAME}."
    )
    assert not plex_server.running
    assert _speech(await _say(hass, "start all tasks on Living Room Plex")) == (
        f"Asked {SERVER_NAME} to start the tasks that are due."
    )
    assert _speech(await _say(hass, "stop Plex maintenance on the Living Room Plex")) == (
        f"Stopped the running tasks on {SERVER_NAME}."
    )
    assert _sent(plex_server) == [("POST", "/butler"), ("DELETE", "/butler")] * 2


async def test_an_unreachable_server_is_a_short_sentence(
    hass: HomeAssistant, assist: None, plex_server: PlexSimulator
) -> None:
    """The coordinator's translated error is spoken, never a traceback or the token."""
    await plex_server.go_down()
    speech = _speech(await _say(hass, "start backup database"))
    assert speech.startswith(f"{SERVER_NAME} did not carry out the request: ")
    assert speech.endswith(".")
    assert "\n" not in speech
    assert TOKEN not in speech


async def test_start_the_vacuum_is_left_to_the_vacuum(
    hass: HomeAssistant, assist: None, plex_server: PlexSimulator
) -> None:
    """No wildcard: other integrations' sentences that start with "start" still reach them."""
    await async_setup_vacuum(hass)
    hass.states.async_set(
        "vacuum.vacuum",
        "docked",
        {"friendly_name": "Vacuum", "supported_features": VacuumEntityFeature.START},
    )
    async_expose_entity(hass, conversation.DOMAIN, "vacuum.vacuum", True)
    calls = async_mock_service(hass, "vacuum", "start")

    response = await _say(hass, "start the vacuum")

    assert response.intent is not None
    assert response.intent.intent_type == "HassVacuumStart"
    assert [call.data["entity_id"] for call in calls] == ["vacuum.vacuum"]
    assert _sent(plex_server) == []


async def test_two_servers(
    hass: HomeAssistant, assist: None, plex_server: PlexSimulator, basement: PlexSimulator
) -> None:
    """A title both servers have needs the server's name; a title of one goes to that one."""
    assert _speech(await _say(hass, "start backup database")) == (
        f"Which Plex server, {BASEMENT} or {SERVER_NAME}?"
    )
    assert _speech(await _say(hass, "start all Plex tasks")) == (
        f"Which Plex server, {BASEMENT} or {SERVER_NAME}?"
    )
    assert _sent(plex_server) == _sent(basement) == []

    assert _speech(await _say(hass, "start backup database on the Basement Plex")) == (
        f"Started Backup Database on {BASEMENT}."
    )
    assert _speech(await _say(hass, "start tidy attic")) == f"Started Tidy Attic on {BASEMENT}."
    assert _speech(await _say(hass, "start optimize database")) == (
        f"Started Optimize Database on {SERVER_NAME}."
    )
    assert _sent(basement) == [("POST", "/butler/BackupDatabase"), ("POST", "/butler/TidyAttic")]
    assert _sent(plex_server) == [("POST", "/butler/OptimizeDatabase")]


@pytest.mark.polling_only
async def test_task_list_changes_change_the_sentences(
    hass: HomeAssistant,
    assist: None,
    init_integration: MockConfigEntry,
    plex_server: PlexSimulator,
) -> None:
    """A task the server reports later becomes speakable; one it drops no longer is."""
    coordinator = init_integration.runtime_data
    assert _speech(await _say(hass, "start brand new chore")) != (
        f"Started Brand New Chore on {SERVER_NAME}."
    )

    plex_server.tasks["ButlerTaskBrandNew"] = _task("ButlerTaskBrandNew", "Brand New Chore")
    await coordinator.async_refresh()
    await async_settle(hass)
    assert _speech(await _say(hass, "start brand new chore")) == (
        f"Started Brand New Chore on {SERVER_NAME}."
    )

    del plex_server.tasks["BackupDatabase"]
    await coordinator.async_refresh()
    await async_settle(hass)
    response = await _say(hass, "start backup database")
    assert response.response_type is intent.IntentResponseType.ERROR
    assert _sent(plex_server) == [("POST", "/butler/ButlerTaskBrandNew")]


async def test_unload_removes_the_sentences(
    hass: HomeAssistant, assist: None, init_integration: MockConfigEntry, plex_server: PlexSimulator
) -> None:
    """After unloading, Assist no longer knows the sentences, and nothing keeps running."""
    await hass.config_entries.async_unload(init_integration.entry_id)
    await hass.async_block_till_done()

    response = await _say(hass, "start backup database")

    assert response.response_type is intent.IntentResponseType.ERROR
    assert _sent(plex_server) == []
    assert hass.data[_SENTENCES].commands == frozenset()


async def test_assist_set_up_after_the_integration_or_not_at_all(
    hass: HomeAssistant, init_integration: MockConfigEntry, plex_server: PlexSimulator
) -> None:
    """Without Assist the integration works; when Assist comes later, it hears the sentences."""
    assert init_integration.state is ConfigEntryState.LOADED
    assert "conversation" not in hass.config.components

    await _set_up_assist(hass)

    assert _speech(await _say(hass, "start backup database")) == (
        f"Started Backup Database on {SERVER_NAME}."
    )


async def test_a_server_name_without_words(
    hass: HomeAssistant, plex_server: PlexSimulator, mock_config_entry: MockConfigEntry
) -> None:
    """A server whose name has nothing to say is reached without naming it."""
    plex_server.friendly_name = "📺"
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await _set_up_assist(hass)

    assert _speech(await _say(hass, "start backup database")) == "Started Backup Database on 📺."
    assert {command.server for command in hass.data[_SENTENCES].commands} == {None}
    await hass.config_entries.async_unload(mock_config_entry.entry_id)
    await hass.async_block_till_done()


async def test_buttons_are_not_exposed_by_default(
    hass: HomeAssistant, assist: None, plex_server: PlexSimulator
) -> None:
    """The sentences need no exposed entity, so the buttons stay unexposed."""
    response = await _say(hass, "turn on Living Room Plex Start Backup Database")
    assert response.response_type is intent.IntentResponseType.ERROR
    assert "BackupDatabase" not in plex_server.running


async def test_titles_become_valid_sentences(hass: HomeAssistant) -> None:
    """Hassil's syntax and punctuation in a title or server name never reach a template."""
    assert spoken("Clean (Old) Bundles: [Cache] {x} <y> | z; \\ 100% Users' Re-Index!") == (
        "clean old bundles cache x y z 100 users re-index"
    )
    assert spoken("???") == ""
    titles = [spoken(task.title) for task in DEFAULT_TASKS] + [spoken("Plex's (Media) Cache")]
    commands = [
        VoiceCommand(start, task, server)
        for start in (True, False)
        for task in [None, *titles]
        for server in (None, spoken("Büro: Plex #2"))
    ]
    config = [{"platform": "conversation", "command": c.sentences()} for c in commands]

    assert len(await async_validate_trigger_config(hass, config)) == len(config)
    for command in commands:
        for sentence in command.sentences():
            parse_sentence(sentence)


async def test_a_sentence_whose_task_went_away_meanwhile(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """A command heard just before its task went away is answered, not failed."""
    command = VoiceCommand(start=True, task="gone", server=None)
    assert await hass.data[_SENTENCES].async_answer(command) == NOT_AVAILABLE
