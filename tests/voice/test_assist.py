"""Voice: Assist's default agent hears the integration's own sentences, nothing exposed."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from dataclasses import replace
from datetime import date, datetime, timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components import conversation
from homeassistant.components.homeassistant.exposed_entities import (
    async_expose_entity,
    async_should_expose,
)
from homeassistant.components.vacuum import VacuumEntityFeature
from homeassistant.components.vacuum.intent import async_setup_intents as async_setup_vacuum
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers import area_registry as ar, device_registry as dr, intent
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_mock_service

from custom_components.plex_butler.voice.triggers import _SENTENCES
from tests.conftest import (
    MACHINE_ID,
    SERVER_NAME,
    TOKEN,
    async_settle,
    async_tick,
    async_wait_until,
    config_entry_for,
    entity_id_of,
    server_device,
)
from tests.helpers import async_answer, async_set_up_assist, starts_and_stops_sent
from tests.plex_simulator import PlexSimulator
from tests.plex_simulator.models import EvidenceLevel, SimulatedTask

BASEMENT = "Basement Plex"
# The simulated server's debug log is off: its Butler's runs of Backup Database show nowhere else.
_UNKNOWN_BACKUP = (
    "Backup Database: not seen yet. "
    "Its runs show only in the Plex server's debug log, which is off."
)


async def _say(hass: HomeAssistant, text: str, language: str = "en") -> intent.IntentResponse:
    result = await conversation.async_converse(hass, text, None, Context(), language=language)
    await async_settle(hass)  # the refresh after a start or stop
    return result.response


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
    server.faults.websockets_enabled = False
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
        "start Backup Database",
        "start the Plex backup",
        "run the Plex backup database",
        "Start Backup Database on Living Room Plex.",
        "press Start Backup Database",
        "start backing up the Plex database",
        "run the Plex database backup now",
    ],
)
async def test_start_a_task_by_its_title_or_a_short_form(
    hass: HomeAssistant, assist: None, plex_server: PlexSimulator, sentence: str
) -> None:
    """The title or a short form is enough: no button is exposed, none has an alias."""
    button = entity_id_of(hass, "button", f"{MACHINE_ID}_BackupDatabase_start")
    assert not async_should_expose(hass, conversation.DOMAIN, button)

    response = await _say(hass, sentence)

    assert response.response_type is intent.IntentResponseType.ACTION_DONE
    assert response.speech["plain"]["speech"] == f"Started Backup Database on {SERVER_NAME}."
    assert starts_and_stops_sent(plex_server) == [("POST", "/butler/BackupDatabase")]
    assert "BackupDatabase" in plex_server.butler.running


async def test_press_start_stop_and_answers(
    hass: HomeAssistant, assist: None, plex_server: PlexSimulator
) -> None:
    """'press Start Optimize Database' (issue 12), and answers that say what the server did."""
    assert await async_answer(hass, "press Start Optimize Database") == (
        f"Started Optimize Database on {SERVER_NAME}."
    )
    assert (
        await async_answer(hass, "run optimize database") == "Optimize Database is already running."
    )
    assert await async_answer(hass, "stop optimizing the Plex database") == (
        f"Stopped Optimize Database on {SERVER_NAME}."
    )
    assert "OptimizeDatabase" not in plex_server.butler.running
    assert (
        await async_answer(hass, "stop the optimize database")
        == "Optimize Database was not running."
    )
    assert starts_and_stops_sent(plex_server) == [
        ("POST", "/butler/OptimizeDatabase"),
        ("POST", "/butler/OptimizeDatabase"),
        ("DELETE", "/butler/OptimizeDatabase"),
        ("DELETE", "/butler/OptimizeDatabase"),
    ]


async def test_start_and_stop_all_tasks(
    hass: HomeAssistant, assist: None, plex_server: PlexSimulator
) -> None:
    """'Run Plex maintenance' starts what is due; 'stop all Plex tasks' stops what runs."""
    assert await async_answer(hass, "run Plex maintenance") == (
        f"Asked {SERVER_NAME} to start the tasks that are due."
    )
    assert plex_server.butler.running
    assert await async_answer(hass, "stop all Plex tasks") == (
        f"Stopped the running tasks on {SERVER_NAME}."
    )
    assert not plex_server.butler.running
    assert await async_answer(hass, "start all Plex tasks on Living Room Plex") == (
        f"Asked {SERVER_NAME} to start the tasks that are due."
    )
    assert await async_answer(hass, "stop Plex maintenance on the Living Room Plex") == (
        f"Stopped the running tasks on {SERVER_NAME}."
    )
    assert starts_and_stops_sent(plex_server) == [("POST", "/butler"), ("DELETE", "/butler")] * 2


async def test_what_plex_is_doing(
    hass: HomeAssistant, assist: None, plex_server: PlexSimulator
) -> None:
    """Questions about the Butler get the running tasks with their progress, or nothing."""
    for question in ("is any Plex maintenance running", "what is Plex doing?"):
        assert await async_answer(hass, question) == f"Nothing is running on {SERVER_NAME}."
    assert await async_answer(hass, "what is the status of Backup Database") == (
        "Backup Database is not running."
    )
    assert await async_answer(hass, "is Refresh Libraries running") == (
        f"Refresh Libraries is not running, and it is disabled on {SERVER_NAME}."
    )

    await plex_server.butler.start_task("GenerateChapterThumbs")
    activity = plex_server.butler.running["GenerateChapterThumbs"]
    await plex_server.update_activity(activity.uuid, 45)
    sensor = entity_id_of(hass, "sensor", f"{MACHINE_ID}_GenerateChapterThumbs_status")
    await async_wait_until(hass, lambda: hass.states.get(sensor).attributes.get("progress") == 45)
    await async_answer(hass, "start backup database")

    assert await async_answer(hass, "is Plex maintenance running?") == (
        f"{SERVER_NAME} is running Backup Database and Generate Chapter Thumbnails (45 %)."
    )
    assert await async_answer(
        hass, "what is the status of generating the Plex chapter thumbnails"
    ) == ("Generate Chapter Thumbnails is running, 45 % done.")
    assert await async_answer(hass, "is the Plex backup running") == "Backup Database is running."
    assert starts_and_stops_sent(plex_server) == [("POST", "/butler/BackupDatabase")]


async def test_butler_work_of_no_known_task(
    hass: HomeAssistant, assist: None, plex_server: PlexSimulator
) -> None:
    """Butler work that names no task is maintenance, said without inventing a task."""
    await plex_server.add_activity("butler.SomethingNew", "Doing something new")
    await async_wait_until(hass, lambda: bool(plex_server.activities))
    await async_settle(hass)
    await hass.config_entries.async_entries("plex_butler")[0].runtime_data.async_refresh()

    assert await async_answer(hass, "what is Plex doing") == (
        f"{SERVER_NAME} is doing maintenance, but does not say which task."
    )


@pytest.fixture
def at_noon(freezer: FrozenDateTimeFactory) -> None:
    """Home Assistant's clock at noon, after the night's maintenance window (2 to 5)."""
    freezer.move_to(datetime(2026, 11, 28, 12, 0, tzinfo=dt_util.get_default_time_zone()))


async def test_last_and_next_run(
    hass: HomeAssistant,
    at_noon: None,
    assist: None,
    plex_server: PlexSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Relative times from what was seen; unknown when nothing was, never an invented time."""
    assert await async_answer(hass, "when did the Plex backup last run?") == _UNKNOWN_BACKUP
    assert await async_answer(hass, "when does Refresh Libraries run next") == (
        "I don't know when Refresh Libraries runs next."
    )
    # Never run here: due today, whose window is over, so in tomorrow's at 2:00.
    assert await async_answer(hass, "when does Plex next optimize its database?") == (
        "Optimize Database should next run in 14 hours."
    )

    await async_answer(hass, "start the Plex backup")
    assert (
        await async_answer(hass, "when did the Plex backup last run")
        == "Backup Database is running."
    )
    await plex_server.butler.end_activity(plex_server.butler.running["BackupDatabase"].uuid)
    await async_tick(hass, freezer, timedelta(hours=3, minutes=10))
    assert await async_answer(hass, "when did the Plex backup last run?") == (
        "Backup Database last ran 3 hours ago."
    )
    assert await async_answer(hass, "when will the Plex database optimization run") == (
        "Optimize Database should next run in 11 hours."
    )


async def test_last_run_says_how_it_is_known_or_not_seen_yet(
    hass: HomeAssistant,
    at_noon: None,
    plex_server: PlexSimulator,
    mock_config_entry: MockConfigEntry,
) -> None:
    """With the debug log on, "not seen yet" plainly; a backup file gives its day, said so."""
    plex_server.set_evidence(EvidenceLevel.DEBUG_LOG)
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await async_settle(hass)
    await async_set_up_assist(hass)
    assert await async_answer(hass, "when did Plex last back up its database") == (
        "Backup Database: not seen yet. Home Assistant has not seen it run."
    )
    assert await hass.config_entries.async_unload(mock_config_entry.entry_id)

    plex_server.set_evidence(EvidenceLevel.BACKUP_FOLDER)
    plex_server.backups = [date(2026, 11, 25)]
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await async_settle(hass)
    assert await async_answer(hass, "when did Plex last back up its database") == (
        "Backup Database: its newest backup file is from 3 days ago "
        "(the file gives the day, not the time)."
    )
    assert await hass.config_entries.async_unload(mock_config_entry.entry_id)


@pytest.mark.parametrize(
    ("sentence", "answer"),
    [
        ("press the Stop Backup Database button", "Backup Database was not running."),
        ("abort the Plex backup", "Backup Database was not running."),
        ("is Plex busy", f"Nothing is running on {SERVER_NAME}."),
        ("is Plex running any tasks", f"Nothing is running on {SERVER_NAME}."),
        ("what is running on Plex", f"Nothing is running on {SERVER_NAME}."),
        ("is any Plex maintenance going on", f"Nothing is running on {SERVER_NAME}."),
        ("when did the Plex backup run last", _UNKNOWN_BACKUP),
        ("when was the Plex backup last run", _UNKNOWN_BACKUP),
        ("when did Plex last back up its database", _UNKNOWN_BACKUP),
        ("when will the Plex backup run next", "Backup Database should next run in 14 hours."),
        ("when does the database backup next run", "Backup Database should next run in 14 hours."),
    ],
)
async def test_every_english_sentence(
    hass: HomeAssistant, at_noon: None, assist: None, plex_server: PlexSimulator,
    sentence: str, answer: str,
) -> None:  # fmt: skip
    """Each English sentence template is heard (the others are in the tests above)."""
    assert await async_answer(hass, sentence) == answer
    stopped = answer.endswith("was not running.")
    assert starts_and_stops_sent(plex_server) == (
        [("DELETE", "/butler/BackupDatabase")] if stopped else []
    )


@pytest.fixture
def in_the_window(freezer: FrozenDateTimeFactory) -> None:
    """Home Assistant's clock at 3:00, inside the maintenance window (2 to 5)."""
    freezer.move_to(datetime(2026, 11, 28, 3, 0, tzinfo=dt_util.get_default_time_zone()))


async def test_next_run_inside_the_open_window(
    hass: HomeAssistant, in_the_window: None, assist: None, plex_server: PlexSimulator
) -> None:
    """Inside the open window a task that is due runs any moment, not "an hour ago"."""
    assert await async_answer(hass, "when does Plex next optimize its database") == (
        "Optimize Database should next run any moment now."
    )


async def test_an_ambiguous_phrase_is_asked_back(
    hass: HomeAssistant, assist: None, plex_server: PlexSimulator
) -> None:
    """A short form that fits several tasks starts none: Assist asks which."""
    assert await async_answer(hass, "start the Plex detection") == (
        "Which task, Detect Commercials, Detect Credits, Detect Intros or Detect Voice Activity?"
    )
    assert await async_answer(hass, "when did the Plex cleanup last run") == (
        "Which task, Clean Old Bundles, Clean Old Cache Files or Clean Supplemental Log Files?"
    )
    assert starts_and_stops_sent(plex_server) == []


async def test_an_unreachable_server_is_a_short_sentence(
    hass: HomeAssistant, assist: None, plex_server: PlexSimulator
) -> None:
    """The coordinator's translated error is spoken, never a traceback or the token."""
    await plex_server.go_down()
    speech = await async_answer(hass, "start backup database")
    assert speech.startswith(f"{SERVER_NAME} did not carry out the request: ")
    assert speech.endswith(".")
    assert "\n" not in speech
    assert TOKEN not in speech

    await hass.config_entries.async_entries("plex_butler")[0].runtime_data.async_refresh()
    unreachable = f"{SERVER_NAME} cannot be reached right now."
    assert await async_answer(hass, "what is Plex doing") == unreachable
    assert await async_answer(hass, "is the Plex backup running") == unreachable


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
    assert starts_and_stops_sent(plex_server) == []


async def test_two_servers(
    hass: HomeAssistant, assist: None, plex_server: PlexSimulator, basement: PlexSimulator
) -> None:
    """A title both servers have needs the server's name or area; a title of one goes there."""
    which = f"Which Plex server, {BASEMENT} or {SERVER_NAME}?"
    assert await async_answer(hass, "start backup database") == which
    assert await async_answer(hass, "start all Plex tasks") == which
    assert await async_answer(hass, "what is Plex doing") == which
    assert starts_and_stops_sent(plex_server) == starts_and_stops_sent(basement) == []

    assert await async_answer(hass, "start backup database on the Basement Plex") == (
        f"Started Backup Database on {BASEMENT}."
    )
    assert await async_answer(hass, "start tidy attic") == f"Started Tidy Attic on {BASEMENT}."
    assert await async_answer(hass, "start optimize database") == (
        f"Started Optimize Database on {SERVER_NAME}."
    )
    assert await async_answer(hass, "start backup database on the garage") == (
        "There is no Plex server called garage."
    )

    device = server_device(hass, basement)
    area = ar.async_get(hass).async_create("Cellar")
    dr.async_get(hass).async_update_device(device.id, area_id=area.id)
    assert await async_answer(hass, "what is Plex doing in the cellar") == (
        f"{BASEMENT} is running Backup Database and Tidy Attic."
    )
    assert starts_and_stops_sent(basement) == [
        ("POST", "/butler/BackupDatabase"),
        ("POST", "/butler/TidyAttic"),
    ]
    assert starts_and_stops_sent(plex_server) == [("POST", "/butler/OptimizeDatabase")]


async def test_a_lone_server_moved_to_an_area_is_spoken_to_as_before(
    hass: HomeAssistant, assist: None, plex_server: PlexSimulator
) -> None:
    """One server needs no name: its area changes no sentence, and it still answers."""
    device = server_device(hass, plex_server)
    area = ar.async_get(hass).async_create("Cellar")
    dr.async_get(hass).async_update_device(device.id, area_id=area.id)
    await async_settle(hass)
    assert await async_answer(hass, "what is Plex doing") == f"Nothing is running on {SERVER_NAME}."


@pytest.mark.polling_only
async def test_task_list_changes_change_the_sentences(
    hass: HomeAssistant,
    assist: None,
    init_integration: MockConfigEntry,
    plex_server: PlexSimulator,
) -> None:
    """A task the server reports later becomes speakable; one it drops no longer is."""
    coordinator = init_integration.runtime_data
    assert await async_answer(hass, "start brand new chore") != (
        f"Started Brand New Chore on {SERVER_NAME}."
    )

    plex_server.tasks["ButlerTaskBrandNew"] = _task("ButlerTaskBrandNew", "Brand New Chore")
    await coordinator.async_refresh()
    await async_settle(hass)
    assert await async_answer(hass, "start brand new chore") == (
        f"Started Brand New Chore on {SERVER_NAME}."
    )

    del plex_server.tasks["BackupDatabase"]
    await coordinator.async_refresh()
    await async_settle(hass)
    response = await _say(hass, "start backup database")
    assert response.response_type is intent.IntentResponseType.ERROR
    assert starts_and_stops_sent(plex_server) == [("POST", "/butler/ButlerTaskBrandNew")]

    # Two changes in a row: the second, made while the first is being attached, is not lost.
    data = coordinator.data
    state = data.tasks["OptimizeDatabase"]
    for name, title in (("TidyAttic", "Tidy Attic"), ("SweepCellar", "Sweep Cellar")):
        task = replace(state, task=replace(state.task, name=name, title=title))
        coordinator.async_set_updated_data(replace(data, tasks={**data.tasks, name: task}))
    await async_settle(hass)
    attached = hass.data[_SENTENCES].attached
    assert attached is not None
    assert "sweep cellar" in attached.phrases
    assert "tidy attic" not in attached.phrases


async def test_unload_removes_the_sentences(
    hass: HomeAssistant, assist: None, init_integration: MockConfigEntry, plex_server: PlexSimulator
) -> None:
    """After unloading, Assist no longer knows the sentences, and nothing keeps running."""
    await hass.config_entries.async_unload(init_integration.entry_id)
    await hass.async_block_till_done()

    response = await _say(hass, "start backup database")

    assert response.response_type is intent.IntentResponseType.ERROR
    assert starts_and_stops_sent(plex_server) == []
    assert hass.data[_SENTENCES].attached is None


async def test_assist_set_up_after_the_integration_or_not_at_all(
    hass: HomeAssistant, init_integration: MockConfigEntry, plex_server: PlexSimulator
) -> None:
    """Without Assist the integration works; when Assist comes later, it hears the sentences."""
    assert init_integration.state is ConfigEntryState.LOADED
    assert "conversation" not in hass.config.components

    await async_set_up_assist(hass)

    assert await async_answer(hass, "start backup database") == (
        f"Started Backup Database on {SERVER_NAME}."
    )


async def test_a_server_name_without_words(
    hass: HomeAssistant, plex_server: PlexSimulator, mock_config_entry: MockConfigEntry
) -> None:
    """A server whose name has nothing to say is reached without naming it."""
    plex_server.friendly_name = "📺"
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await async_set_up_assist(hass)

    assert await async_answer(hass, "start backup database") == "Started Backup Database on 📺."
    await hass.config_entries.async_unload(mock_config_entry.entry_id)
    await hass.async_block_till_done()


async def test_buttons_are_not_exposed_by_default(
    hass: HomeAssistant, assist: None, plex_server: PlexSimulator
) -> None:
    """The sentences need no exposed entity, so the buttons stay unexposed."""
    response = await _say(hass, "turn on Living Room Plex Start Backup Database")
    assert response.response_type is intent.IntentResponseType.ERROR
    assert "BackupDatabase" not in plex_server.butler.running


async def test_a_server_loaded_while_sentences_are_attached(
    hass: HomeAssistant, plex_server: PlexSimulator, second_server: PlexSimulator
) -> None:
    """Two servers set up at once, in whichever order their sentences are attached.

    Whether the second server comes while the first attach runs is up to timing here;
    `test_sentence_triggers.py` holds the first attach to make sure it does.
    """
    entries = [
        config_entry_for(server, client_identifier=name)
        for server, name in ((plex_server, "first"), (second_server, "second"))
    ]
    for entry in entries:
        entry.add_to_hass(hass)
    await asyncio.gather(*(hass.config_entries.async_setup(entry.entry_id) for entry in entries))
    await async_settle(hass)
    await async_set_up_assist(hass)
    assert await async_answer(hass, "start backup database on the Basement Plex") == (
        "Started Backup Database on Basement Plex."
    )
    for entry in entries:
        await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
