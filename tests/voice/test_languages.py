"""Every language shipped: complete files, sentences Assist accepts, and answers in the language."""

from __future__ import annotations

from datetime import datetime, timedelta
from string import Formatter

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.trigger import async_validate_trigger_config
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.plex_butler.voice.intents import load_languages, task_names
from custom_components.plex_butler.voice.phrases import LANGUAGES, phrase_table, spoken, task_forms
from custom_components.plex_butler.voice.speakable import SERVER_REPLY, Speakable
from custom_components.plex_butler.voice.triggers import SENTENCE_INTENTS, TASK_SENTENCES
from tests.conftest import SERVER_NAME
from tests.helpers import async_answer, async_set_up_assist
from tests.plex_simulator import PlexSimulator
from tests.plex_simulator.catalog import DEFAULT_TASKS

ALL = load_languages()
ENGLISH = ALL["en"]


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(template) if name}


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_language_has_every_key_and_placeholder(code: str) -> None:
    """The same sentence groups, answers and units as English, with the same placeholders."""
    language = ALL[code]
    assert set(language.sentences) == set(SENTENCE_INTENTS)
    assert set(language.answers) == set(ENGLISH.answers)
    for answer_key, answer in language.answers.items():
        assert _placeholders(answer) == _placeholders(ENGLISH.answers[answer_key]), answer_key
    assert _placeholders(language.server_suffix) == {"server"}
    assert _placeholders(language.server_reply) == {"server"}
    # Only English makes verb phrases of the titles; the others' own names are in their table.
    task_placeholders = {"task", "action", "doing", "command"} if code == "en" else {"task"}
    for sentence_key, templates in language.sentences.items():
        assert templates, sentence_key
        for template in templates:
            wanted = task_placeholders if sentence_key in TASK_SENTENCES else set()
            assert _placeholders(template) <= wanted, template
            assert _placeholders(template) or not wanted, template
    for unit, forms in language.units.items():
        assert set(forms) == {"one", "other"}, unit
        assert _placeholders(forms["other"]) == {"count"}, unit
    assert set(language.units) == set(language.duration_units) == {"minute", "hour", "day"}
    assert len(set(language.weekdays)) == 7
    # One table per language, of the titles Plex reports, each with names of its own.
    assert set(language.task_names) <= {spoken(task.title) for task in DEFAULT_TASKS}
    assert all(language.task_names.values())


async def test_every_sentence_is_a_valid_conversation_trigger(hass: HomeAssistant) -> None:
    """The sentences made of the default tasks (and odd titles) pass Assist's own validation."""
    titles = [task.title for task in DEFAULT_TASKS] + ["Clean (Old) Bundles: [Cache] {x} <y> | z;"]
    servers = ["Living Room Plex", "Cellar", "Plex (4K) | {x}"]
    speakable = Speakable.of(titles, task_names(ALL.values()), servers)
    keys = (*SENTENCE_INTENTS, SERVER_REPLY)
    config = [
        {"platform": "conversation", "command": speakable.sentences(key, ALL.values())}
        for key in keys
    ]
    assert len(await async_validate_trigger_config(hass, config)) == len(keys)


def test_sentences_follow_the_tasks() -> None:
    """Sentences need a phrase to hold; the phrase heard is found again, the longest first."""
    no_verb = Speakable.of(["Tidy Attic"])
    assert not [s for s in no_verb.sentences("last_run", ALL.values()) if "{action}" in s]
    assert len(no_verb.sentences("last_run", [ENGLISH])) == len(ENGLISH.sentences["last_run"]) - 1
    no_task = Speakable.of([])
    assert no_task.sentences("start_task", ALL.values()) == []
    assert no_task.sentences("status", [ENGLISH])

    speakable = Speakable.of(["Backup Database", "Optimize Database"])
    assert speakable.heard("start the Plex backup on Backup Box", "Backup Box") == "backup"
    assert speakable.heard("start optimize database on backup box", "backup box") == (
        "optimize database"
    )
    assert speakable.heard("start the vacuum", None) is None


def test_short_forms_come_from_the_title() -> None:
    """A verb the Plex titles use gives a gerund, a verb phrase and, for some, nouns."""
    forms = task_forms("Optimize Database")
    assert forms.nouns == (
        "optimize database",
        "optimizing [the] [plex] database",
        "database optimization",
        "optimization",
    )
    assert forms.actions == ("optimize [its|the] [plex] database",)
    assert forms.doings == ("optimizing [its|the] [plex] database",)
    assert forms.commands == ("optimize [the] database", "optimize [the] plex database")
    assert task_forms("Garbage Collect Blobs").nouns == ("garbage collect blobs",)
    assert task_forms("Backup").actions == ()


def test_verbs_made_from_the_title() -> None:
    """The object may lose its leading words; "Perform ... Analysis" is "analyze ..."."""
    bundles = task_forms("Clean Old Bundles")
    assert "plex bundles" in bundles.nouns
    assert bundles.commands == (
        "clean [the] old bundles",
        "clean [the] plex old bundles",
        "clean [the] plex bundles",
    )
    media = task_forms("Perform Extensive Media Analysis")
    assert media.actions == (
        "analyze [its|the] [plex] extensive media",
        "analyze [its|the] [plex] media",
    )
    assert media.doings[-1] == "analyzing [its|the] [plex] media"
    # A trailing adverb is not the object.
    assert task_forms("Refresh Metadata Periodically").commands[0] == "refresh [the] metadata"


def test_a_phrase_means_every_title_it_fits_and_a_title_means_itself() -> None:
    """Ambiguous short forms keep every title; a title's own words win over a short form."""
    table = phrase_table(task.title for task in DEFAULT_TASKS)
    assert table["backup"] == {"backup database"}
    assert table["backing up database"] == {"backup database"}
    assert table["detection"] == {
        "detect commercials",
        "detect credits",
        "detect intros",
        "detect voice activity",
    }
    assert table["thumbnails"] == {
        "generate chapter thumbnails",
        "generate video preview thumbnails",
    }
    assert phrase_table(["Backup", "Backup Database"])["backup"] == {"backup"}
    german = ALL["de"].task_names
    assert phrase_table(["Optimize Database"], german)["datenbankoptimierung"] == {
        "optimize database"
    }
    assert spoken("Plex's (Media) Cache!") == "plex's media cache"


@pytest.mark.parametrize(
    ("code", "ago", "ahead"),
    [
        ("en", "3 hours ago", "in a day"),
        ("de", "vor 3 Stunden", "in einem Tag"),
        ("fr", "il y a 3 heures", "dans un jour"),
        ("es", "hace 3 horas", "dentro de un día"),
        ("nl", "3 uur geleden", "over een dag"),
        ("it", "3 ore fa", "tra un giorno"),
    ],
)
def test_relative_times(code: str, ago: str, ahead: str) -> None:
    """Minutes, hours or days, rounded, before or after now."""
    language = ALL[code]
    assert language.relative(-timedelta(hours=3, minutes=10)) == ago
    assert language.relative(timedelta(hours=25)) == ahead


def test_relative_times_in_english() -> None:
    """Each unit, singular and plural, and the moments around now."""
    relative = ENGLISH.relative
    assert relative(-timedelta(seconds=20)) == "a moment ago"
    assert relative(timedelta(0)) == "any moment now"
    assert relative(-timedelta(minutes=1, seconds=20)) == "a minute ago"
    assert relative(timedelta(minutes=25)) == "in 25 minutes"
    assert relative(timedelta(minutes=59, seconds=50)) == "in an hour"
    assert relative(-timedelta(hours=23)) == "23 hours ago"
    assert relative(-timedelta(days=3, hours=5)) == "3 days ago"
    assert ENGLISH.join(["A", "B", "C"], "or") == "A, B or C"


def test_durations_in_english() -> None:
    """How long a run took: under a minute said so, never "0 minutes"."""
    duration = ENGLISH.duration
    assert duration(timedelta(seconds=40)) == "less than a minute"
    assert duration(timedelta(minutes=1, seconds=10)) == "a minute"
    assert duration(timedelta(minutes=3)) == "3 minutes"
    assert duration(timedelta(hours=2)) == "2 hours"


@pytest.fixture
def at_noon(freezer: FrozenDateTimeFactory) -> None:
    """Noon: the night's maintenance window (2 to 5) is over, the next one in 14 hours."""
    freezer.move_to(datetime(2026, 11, 28, 12, 0, tzinfo=dt_util.get_default_time_zone()))


@pytest.mark.parametrize(
    ("code", "said", "answers"),
    [
        (
            "en",
            ["start Backup Database", "what is Plex doing", "stop the Plex backup",
             "when does Plex next optimize its database"],
            [f"Started Backup Database on {SERVER_NAME}.",
             f"{SERVER_NAME} is running Backup Database.",
             f"Stopped Backup Database on {SERVER_NAME}.",
             "Optimize Database should next run in 14 hours."],
        ),
        (
            "de",
            ["Starte Backup Database", "Was macht Plex gerade?", "Stoppe Backup Database",
             "Wann läuft Optimize Database als nächstes?"],
            [f"Datenbanksicherung auf {SERVER_NAME} gestartet.",
             f"Auf {SERVER_NAME} läuft gerade Datenbanksicherung.",
             f"Datenbanksicherung auf {SERVER_NAME} gestoppt.",
             "Datenbankoptimierung läuft voraussichtlich in 14 Stunden."],
        ),
        (
            "fr",
            ["Lance la tâche Backup Database", "Que fait Plex en ce moment ?",
             "Arrête Backup Database", "Quand est-ce que Optimize Database va tourner ?"],
            [f"J'ai lancé la sauvegarde de la base de données sur {SERVER_NAME}.",
             f"{SERVER_NAME} exécute la sauvegarde de la base de données.",
             f"J'ai arrêté la sauvegarde de la base de données sur {SERVER_NAME}.",
             "L'optimisation de la base de données devrait tourner dans 14 heures."],
        ),
        (
            "es",
            ["Inicia la tarea Backup Database", "¿Qué está haciendo Plex?",
             "Detén Backup Database", "¿Cuándo se ejecutará Optimize Database?"],
            [f"He iniciado la copia de seguridad de la base de datos en {SERVER_NAME}.",
             f"{SERVER_NAME} está ejecutando la copia de seguridad de la base de datos.",
             f"He detenido la copia de seguridad de la base de datos en {SERVER_NAME}.",
             "La optimización de la base de datos debería ejecutarse dentro de 14 horas."],
        ),
        (
            "nl",
            ["Voer Backup Database uit", "Wat doet Plex nu?", "Stop de Backup Database",
             "Wanneer draait Optimize Database weer?"],
            [f"De databaseback-up is gestart op {SERVER_NAME}.",
             f"{SERVER_NAME} is bezig met de databaseback-up.",
             f"De databaseback-up is gestopt op {SERVER_NAME}.",
             "De databaseoptimalisatie loopt naar verwachting over 14 uur."],
        ),
        (
            "it",
            ["Avvia Backup Database", "Cosa sta facendo Plex adesso?", "Ferma Backup Database",
             "Quando verrà eseguito Optimize Database?"],
            [f"Ho avviato il backup del database su {SERVER_NAME}.",
             f"{SERVER_NAME} sta eseguendo il backup del database.",
             f"Ho fermato il backup del database su {SERVER_NAME}.",
             "L'ottimizzazione del database dovrebbe essere eseguita tra 14 ore."],
        ),
    ],
)  # fmt: skip
async def test_spoken_in_each_language(
    hass: HomeAssistant,
    at_noon: None,
    init_integration: MockConfigEntry,
    plex_server: PlexSimulator,
    code: str,
    said: list[str],
    answers: list[str],
) -> None:
    """The server's English titles are understood too; answers name the task in the language."""
    await async_set_up_assist(hass)

    assert [await async_answer(hass, sentence, code) for sentence in said] == answers
    assert [(r.method, r.path) for r in plex_server.requests if r.method != "GET"] == [
        ("POST", "/butler/BackupDatabase"),
        ("DELETE", "/butler/BackupDatabase"),
    ]
