"""Assist in each language: what people say beyond the titles, and the answers they get.

Each kind of sentence of issue 21, in the six languages: a task in the language's own words (its
table), a question in the progressive, a verb made from the title, how long the last run took, a
phrase that fits two tasks, and the answer to "which server?" in the next turn.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components import conversation
from homeassistant.core import Context, HomeAssistant
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.plex_butler.butler.schedule import TaskHistory
from custom_components.plex_butler.voice.followup import Question, async_remember, async_take
from tests.conftest import SERVER_NAME, async_set_up_entry_for, async_settle, async_tick
from tests.helpers import async_answer, starts_and_stops_sent
from tests.plex_simulator import PlexSimulator

BASEMENT = "Basement Plex"


@dataclass(frozen=True, slots=True)
class Said:
    """One language's sentences of each kind, and the answers read."""

    start: str  # the backup, in the language's words
    started: str
    progressive: str  # is the backup running now?
    running: str
    verb: str  # optimize the database, as a verb
    verb_started: str
    how_long: str  # how long did the last backup take?
    took: str
    how_long_never: str  # how long did the last optimization take? (never seen)
    never: str
    thumbnails: str  # fits two tasks
    which_task: str
    which_server: str  # the backup, with two servers
    reply: str  # the basement server's name, as the answer
    replied: str
    replied_again: str  # the name alone, with no question open: what that server does


LANGUAGES = {
    "en": Said(
        "start the Plex backup", f"Started Backup Database on {SERVER_NAME}.",
        "is the Plex backup running now", "Backup Database is running.",
        "optimize the Plex database", f"Started Optimize Database on {SERVER_NAME}.",
        "how long did the last Plex database backup take",
        "The last run of Backup Database took 12 minutes.",
        "how long did the last Plex database optimization take",
        "Optimize Database: not seen yet. "
        "Its runs show only in the Plex server's debug log, which is off.",
        "start the Plex thumbnails",
        "Which task, Generate Chapter Thumbnails or Generate Video Preview Thumbnails?",
        "Which Plex server, Basement Plex or Living Room Plex?",
        "on the Basement Plex", f"Started Backup Database on {BASEMENT}.",
        f"{BASEMENT} is running Backup Database.",
    ),
    "de": Said(
        "Starte die Datenbanksicherung", f"Datenbanksicherung auf {SERVER_NAME} gestartet.",
        "Läuft die Plex Datenbanksicherung gerade?", "Datenbanksicherung läuft gerade.",
        "Lass Plex die Datenbank optimieren",
        f"Datenbankoptimierung auf {SERVER_NAME} gestartet.",
        "Wie lange hat die letzte Datenbanksicherung gedauert?",
        "Der letzte Lauf von Datenbanksicherung hat 12 Minuten gedauert.",
        "Wie lange hat die letzte Datenbankoptimierung gedauert?",
        "Datenbankoptimierung: noch nicht gesehen. "
        "Die Läufe zeigen sich nur im Debug-Protokoll des Plex-Servers, und das ist aus.",
        "Starte die Plex Vorschaubilder",
        "Welche Aufgabe, Kapitelvorschaubilder oder Videovorschaubilder?",
        "Welcher Plex-Server, Basement Plex oder Living Room Plex?",
        "Auf dem Basement Plex", f"Datenbanksicherung auf {BASEMENT} gestartet.",
        f"Auf {BASEMENT} läuft gerade Datenbanksicherung.",
    ),
    "fr": Said(
        "Lance la sauvegarde de la base de données",
        f"J'ai lancé la sauvegarde de la base de données sur {SERVER_NAME}.",
        "Est-ce que Plex est en train de sauvegarder la base de données ?",
        "La sauvegarde de la base de données est en cours.",
        "Demande à Plex d'optimiser sa base de données",
        f"J'ai lancé l'optimisation de la base de données sur {SERVER_NAME}.",
        "Combien de temps a duré la dernière sauvegarde de la base ?",
        "La sauvegarde de la base de données : la dernière exécution a duré 12 minutes.",
        "Combien de temps a duré la dernière optimisation de la base de données ?",
        "L'optimisation de la base de données : aucune exécution vue pour l'instant. Elles "
        "n'apparaissent que dans le journal de débogage du serveur Plex, qui est désactivé.",
        "Lance les miniatures",
        "Quelle tâche, les miniatures d'aperçu vidéo ou les miniatures des chapitres ?",
        "Quel serveur Plex, Basement Plex ou Living Room Plex ?",
        "Sur le Basement Plex",
        f"J'ai lancé la sauvegarde de la base de données sur {BASEMENT}.",
        f"{BASEMENT} exécute la sauvegarde de la base de données.",
    ),
    "es": Said(
        "Inicia la copia de seguridad de la base de datos",
        f"He iniciado la copia de seguridad de la base de datos en {SERVER_NAME}.",
        "¿Está Plex haciendo una copia de seguridad de la base de datos ahora?",
        "La copia de seguridad de la base de datos se está ejecutando.",
        "Pide a Plex que optimice la base de datos",
        f"He iniciado la optimización de la base de datos en {SERVER_NAME}.",
        "¿Cuánto duró la última copia de seguridad?",
        "La copia de seguridad de la base de datos: la última ejecución duró 12 minutos.",
        "¿Cuánto duró la última optimización de la base de datos?",
        "La optimización de la base de datos: todavía no se ha visto ninguna ejecución. Solo "
        "aparecen en el registro de depuración del servidor Plex, que está desactivado.",
        "Inicia las miniaturas",
        "¿Qué tarea, las miniaturas de capítulos o las miniaturas de vista previa?",
        "¿Qué servidor Plex, Basement Plex o Living Room Plex?",
        "En el Basement Plex",
        f"He iniciado la copia de seguridad de la base de datos en {BASEMENT}.",
        f"{BASEMENT} está ejecutando la copia de seguridad de la base de datos.",
    ),
    "it": Said(
        "Avvia il backup del database", f"Ho avviato il backup del database su {SERVER_NAME}.",
        "Plex sta facendo il backup del database adesso?", "Il backup del database è in corso.",
        "Chiedi a Plex di ottimizzare il database",
        f"Ho avviato l'ottimizzazione del database su {SERVER_NAME}.",
        "Quanto è durato l'ultimo backup del database?",
        "Il backup del database: l'ultima esecuzione è durata 12 minuti.",
        "Quanto è durata l'ultima ottimizzazione del database?",
        "L'ottimizzazione del database: nessuna esecuzione vista finora. "
        "Compaiono solo nel log di debug del server Plex, che è disattivato.",
        "Avvia le miniature",
        "Quale attività, le miniature dei capitoli o le miniature di anteprima?",
        "Quale server Plex, Basement Plex o Living Room Plex?",
        "Sul Basement Plex", f"Ho avviato il backup del database su {BASEMENT}.",
        f"{BASEMENT} sta eseguendo il backup del database.",
    ),
    "nl": Said(
        "Start de databaseback-up", f"De databaseback-up is gestart op {SERVER_NAME}.",
        "Is Plex nu de database aan het back-uppen?", "De databaseback-up loopt.",
        "Laat Plex de database optimaliseren",
        f"De databaseoptimalisatie is gestart op {SERVER_NAME}.",
        "Hoe lang duurde de laatste databaseback-up?",
        "De laatste keer duurde de databaseback-up 12 minuten.",
        "Hoe lang duurde de laatste databaseoptimalisatie?",
        "De databaseoptimalisatie: nog niet gezien. "
        "De runs staan alleen in het debuglogboek van de Plex-server, en dat staat uit.",
        "Start de miniaturen",
        "Welke taak, de hoofdstukminiaturen of de videovoorbeeldminiaturen?",
        "Welke Plex-server, Basement Plex of Living Room Plex?",
        "Op de Basement Plex", f"De databaseback-up is gestart op {BASEMENT}.",
        f"{BASEMENT} is bezig met de databaseback-up.",
    ),
}  # fmt: skip


@pytest.fixture
def at_noon(freezer: FrozenDateTimeFactory) -> None:
    """Noon, after the night's maintenance window."""
    freezer.move_to(datetime(2026, 11, 28, 12, 0, tzinfo=dt_util.get_default_time_zone()))


async def _converse(
    hass: HomeAssistant, text: str, code: str, conversation_id: str | None = None
) -> conversation.ConversationResult:
    result = await conversation.async_converse(
        hass, text, conversation_id, Context(), language=code
    )
    await async_settle(hass)
    return result


@pytest.mark.parametrize("code", LANGUAGES)
async def test_names_progressive_verbs_and_durations(
    hass: HomeAssistant,
    at_noon: None,
    assist: None,
    plex_server: PlexSimulator,
    freezer: FrozenDateTimeFactory,
    code: str,
) -> None:
    """The language's own task names, the progressive, a verb of the title, a run's length."""
    said = LANGUAGES[code]
    assert await async_answer(hass, said.start, code) == said.started
    assert await async_answer(hass, said.progressive, code) == said.running
    # How long the last run took, asked while one goes on: that it is running.
    assert await async_answer(hass, said.how_long, code) == said.running
    await async_tick(hass, freezer, timedelta(minutes=12))
    await plex_server.butler.end_activity(plex_server.butler.running["BackupDatabase"].uuid)
    await async_tick(hass, freezer, timedelta(seconds=5))
    assert await async_answer(hass, said.how_long, code) == said.took
    assert await async_answer(hass, said.how_long_never, code) == said.never
    assert await async_answer(hass, said.verb, code) == said.verb_started
    assert starts_and_stops_sent(plex_server) == [
        ("POST", "/butler/BackupDatabase"),
        ("POST", "/butler/OptimizeDatabase"),
    ]


@pytest.mark.parametrize("code", LANGUAGES)
async def test_a_phrase_of_two_tasks_is_asked_back(
    hass: HomeAssistant, assist: None, plex_server: PlexSimulator, code: str
) -> None:
    """ "The thumbnails" are chapter or preview thumbnails: Assist names both, starts neither."""
    said = LANGUAGES[code]
    assert await async_answer(hass, said.thumbnails, code) == said.which_task
    assert starts_and_stops_sent(plex_server) == []


@pytest.fixture
async def basement(
    hass: HomeAssistant, init_integration: MockConfigEntry, second_server: PlexSimulator
) -> AsyncGenerator[PlexSimulator]:
    """A second server, loaded."""
    entry = await async_set_up_entry_for(hass, second_server, client_identifier="basement")
    yield second_server
    await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()


@pytest.mark.parametrize("code", LANGUAGES)
async def test_which_server_is_answered_in_the_next_turn(
    hass: HomeAssistant,
    basement: PlexSimulator,
    assist: None,
    plex_server: PlexSimulator,
    code: str,
) -> None:
    """The server's name, said next in the same conversation, answers the question.

    Home Assistant's default agent does not continue a conversation after a sentence trigger's
    answer, on 2026.2 as on 2026.10 (its result never sets `continue_conversation`): a voice
    satellite needs its wake word again. Should a release continue it, this test says so.
    """
    said = LANGUAGES[code]
    asked = await _converse(hass, said.start, code)
    assert asked.response.speech["plain"]["speech"] == said.which_server
    assert asked.continue_conversation is False
    assert starts_and_stops_sent(plex_server) == starts_and_stops_sent(basement) == []

    replied = await _converse(hass, said.reply, code, asked.conversation_id)
    assert replied.response.speech["plain"]["speech"] == said.replied
    assert starts_and_stops_sent(basement) == [("POST", "/butler/BackupDatabase")]
    assert starts_and_stops_sent(plex_server) == []

    # Answered once: the name again, now a question of its own, says what that server does.
    again = await _converse(hass, said.reply, code, asked.conversation_id)
    assert again.response.speech["plain"]["speech"] == said.replied_again


async def test_the_last_question_is_answered_and_forgotten_with_its_conversation(
    hass: HomeAssistant,
    basement: PlexSimulator,
    assist: None,
    plex_server: PlexSimulator,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Asked back twice, the name answers the last question; once the chat ends, none."""
    asked = await _converse(hass, "start Backup Database", "en")
    again = await _converse(hass, "is the Plex backup running now", "en", asked.conversation_id)
    assert again.response.speech["plain"]["speech"] == asked.response.speech["plain"]["speech"]
    replied = await _converse(hass, "on the Basement Plex", "en", asked.conversation_id)
    assert replied.response.speech["plain"]["speech"] == "Backup Database is not running."
    assert starts_and_stops_sent(basement) == starts_and_stops_sent(plex_server) == []

    await _converse(hass, "start Backup Database", "en", asked.conversation_id)
    # A chat session lasts five minutes after its last turn.
    await async_tick(hass, freezer, timedelta(minutes=6))
    late = await _converse(hass, "on the Basement Plex", "en", asked.conversation_id)
    assert late.response.speech["plain"]["speech"] == f"Nothing is running on {BASEMENT}."
    assert starts_and_stops_sent(basement) == []


async def test_no_question_is_kept_outside_a_conversation(hass: HomeAssistant) -> None:
    """Only a chat session has a next turn: without one, nothing is remembered to answer."""
    async_remember(hass, Question("start", "BackupDatabase"))
    assert async_take(hass) is None


async def test_a_run_not_seen_whole_has_no_length(
    hass: HomeAssistant, assist: None, init_integration: MockConfigEntry
) -> None:
    """A run seen only ending has no length: said so, never made up; an unknown task keeps its
    title in every language."""
    coordinator = init_integration.runtime_data
    data = coordinator.data
    backup = data.tasks["BackupDatabase"]
    ended = dt_util.utcnow() - timedelta(hours=2)
    tidy = replace(backup, task=replace(backup.task, name="TidyAttic", title="Tidy Attic"))
    tasks = {
        **data.tasks,
        "BackupDatabase": replace(backup, history=TaskHistory(last_finished=ended)),
        "TidyAttic": tidy,
    }
    coordinator.async_set_updated_data(replace(data, tasks=tasks))
    await async_settle(hass)

    assert await async_answer(hass, "how long did the Plex backup take", "en") == (
        "Backup Database: how long its last run took is not known. "
        "Home Assistant did not see both its start and its end."
    )
    assert await async_answer(hass, "Wie lange hat die Datenbanksicherung gedauert?", "de") == (
        "Datenbanksicherung: wie lange der letzte Lauf gedauert hat, ist nicht bekannt. "
        "Home Assistant hat nicht Anfang und Ende gesehen."
    )
    assert (
        await async_answer(hass, "Läuft Tidy Attic gerade?", "de")
        == "Tidy Attic läuft gerade nicht."
    )
    assert await async_answer(hass, "Est-ce que Tidy Attic est en cours ?", "fr") == (
        "Tidy Attic ne tourne pas."
    )


@pytest.mark.parametrize(
    ("code", "sentence", "answer"),
    [
        ("en", "stop cleaning the Plex bundles", "Clean Old Bundles was not running."),
        ("en", "is Plex analyzing the media", "Perform Extensive Media Analysis is not running."),
        ("en", "is the Plex database optimization running right now",
         "Optimize Database is not running."),
        ("en", "refresh the Plex metadata",
         "Which task, Refresh Local Metadata or Refresh Metadata Periodically?"),
        ("de", "Läuft gerade eine Datenbanksicherung?", "Datenbanksicherung läuft gerade nicht."),
        ("fr", "Arrête la sauvegarde de la base de données",
         "La sauvegarde de la base de données ne tournait pas."),
        ("es", "¿Se está ejecutando la copia de seguridad?",
         "La copia de seguridad de la base de datos no se está ejecutando."),
        ("it", "Ferma l'ottimizzazione del database",
         "L'ottimizzazione del database non era in corso."),
        ("nl", "Loopt de databaseback-up nu?", "De databaseback-up loopt niet."),
    ],
)  # fmt: skip
async def test_sentences_tried_as_people_say_them(
    hass: HomeAssistant, assist: None, plex_server: PlexSimulator,
    code: str, sentence: str, answer: str,
) -> None:  # fmt: skip
    """Sentences tried after the rules were written, not each written as a rule."""
    assert await async_answer(hass, sentence, code) == answer
    # Questions and stops of idle tasks start nothing.
    assert not [request for request in starts_and_stops_sent(plex_server) if request[0] == "POST"]
