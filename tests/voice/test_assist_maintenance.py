"""Assist: when Plex maintenance is, and whether Plex backed up its database this week.

The window is said in the server's hours; the backup is "yes" with its day where a backup file
or a run was seen in the last seven days, "no" only where the backup folder lists an older one,
and "not seen" otherwise: never a "no" from nothing seen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from tests.conftest import (
    MACHINE_ID,
    SERVER_NAME,
    async_press,
    async_set_up_entry_for,
    async_settle,
    async_tick,
    async_wait_until,
)
from tests.helpers import async_answer, async_set_up_assist
from tests.plex_simulator import PlexSimulator
from tests.plex_simulator.models import EvidenceLevel

BASEMENT = "Basement Plex"
# A Saturday; the backup of Thursday is two days old.
TODAY = date(2026, 11, 28)
THURSDAY = date(2026, 11, 26)


@dataclass(frozen=True, slots=True)
class Asked:
    """One language's ways to ask each question, and the answers at noon on TODAY."""

    window: tuple[str, ...]
    window_said: str
    week: tuple[str, ...]
    week_said: str  # the newest backup file is from THURSDAY


LANGUAGES = {
    "en": Asked(
        (
            "When is Plex maintenance?",
            "when is the Plex maintenance window",
            "When does Plex do its maintenance?",
            "when will plex run maintenance",
            "When does the Plex maintenance start?",
            "what time is Plex maintenance",
            "What time does the Plex maintenance run?",
            "What are the Plex maintenance hours?",
            "what is the maintenance window for Plex",
            "What is the Plex maintenance window?",
            "When is Plex's maintenance?",
        ),
        f"Maintenance on {SERVER_NAME} runs every day from 02:00 to 05:00, in the server's time.",
        (
            "Did Plex back up its database this week?",
            "has plex backed up the database recently",
            "Did Plex back up its database in the last seven days?",
            "Has Plex made a backup this week?",
            "Was the Plex database backed up this week?",
            "Has the Plex database been backed up lately?",
            "Did the Plex backup run this week?",
            "Is there a recent Plex backup?",
            "Is there a Plex database backup from this week?",
            "Did Plex back up this week?",
        ),
        f"Yes, {SERVER_NAME} backed up its database on Thursday.",
    ),
    "de": Asked(
        (
            "Wann ist die Plex Wartung?",
            "Wann macht Plex seine Wartung?",
            "Wann läuft die Plex Wartung?",
            "Um wie viel Uhr beginnt die Plex Wartung?",
            "Wann ist das Plex Wartungsfenster?",
            "Welche Uhrzeit hat das Plex Wartungsfenster?",
        ),
        f"Die Wartung auf {SERVER_NAME} läuft jeden Tag von 02:00 bis 05:00 Uhr, "
        "in der Zeit des Servers.",
        (
            "Hat Plex diese Woche seine Datenbank gesichert?",
            "Hat Plex die Datenbank in den letzten sieben Tagen gesichert?",
            "Wurde die Plex Datenbank diese Woche gesichert?",
            "Ist die Plex Datenbanksicherung diese Woche gelaufen?",
            "Gibt es diese Woche schon eine Plex Sicherung?",
            "Gibt es eine aktuelle Plex Datenbanksicherung?",
        ),
        f"Ja, {SERVER_NAME} hat seine Datenbank am Donnerstag gesichert.",
    ),
    "fr": Asked(
        (
            "Quand a lieu la maintenance de Plex ?",
            "À quelle heure commence la maintenance de Plex ?",
            "Quelle est la fenêtre de maintenance de Plex ?",
            "Quelles sont les heures de maintenance de Plex ?",
            "Quand est-ce que Plex fait sa maintenance ?",
            "À quelle heure Plex fait-il sa maintenance ?",
        ),
        f"La maintenance de {SERVER_NAME} a lieu chaque jour de 02:00 à 05:00, "
        "à l'heure du serveur.",
        (
            "Est-ce que Plex a sauvegardé sa base de données cette semaine ?",
            "Plex a-t-il fait une sauvegarde récemment ?",
            "La base de données de Plex a-t-elle été sauvegardée cette semaine ?",
            "Est-ce que la base de données de Plex a été sauvegardée ces sept derniers jours ?",
            "Y a-t-il eu une sauvegarde de Plex cette semaine ?",
        ),
        f"Oui, {SERVER_NAME} a sauvegardé sa base de données jeudi.",
    ),
    "es": Asked(
        (
            "¿Cuándo es el mantenimiento de Plex?",
            "¿A qué hora empieza el mantenimiento de Plex?",
            "¿A qué hora es el mantenimiento de Plex?",
            "¿Cuándo hace Plex su mantenimiento?",
            "¿Cuál es la ventana de mantenimiento de Plex?",
            "¿Cuál es el horario de mantenimiento de Plex?",
        ),
        f"El mantenimiento de {SERVER_NAME} se hace cada día de 02:00 a 05:00, "
        "en la hora del servidor.",
        (
            "¿Ha hecho Plex una copia de seguridad de su base de datos esta semana?",
            "¿Plex hizo copia de seguridad de la base de datos en los últimos siete días?",
            "¿Se ha hecho una copia de seguridad de la base de datos de Plex esta semana?",
            "¿Hay una copia de seguridad reciente de Plex?",
        ),
        f"Sí, {SERVER_NAME} hizo una copia de seguridad de su base de datos el jueves.",
    ),
    "it": Asked(
        (
            "Quando è la manutenzione di Plex?",
            "A che ora inizia la manutenzione di Plex?",
            "Quando si fa la manutenzione di Plex?",
            "Quando fa Plex la manutenzione?",
            "Qual è la finestra di manutenzione di Plex?",
            "Quali sono gli orari di manutenzione di Plex?",
        ),
        f"La manutenzione di {SERVER_NAME} si svolge ogni giorno dalle 02:00 alle 05:00, "
        "nell'ora del server.",
        (
            "Plex ha fatto il backup del database questa settimana?",
            "Plex ha salvato il database negli ultimi sette giorni?",
            "È stato fatto il backup del database di Plex di recente?",
            "Il database di Plex è stato salvato questa settimana?",
            "C'è un backup recente di Plex?",
        ),
        f"Sì, {SERVER_NAME} ha fatto il backup del database giovedì.",
    ),
    "nl": Asked(
        (
            "Wanneer is het Plex onderhoud?",
            "Wanneer doet Plex zijn onderhoud?",
            "Wanneer begint het Plex onderhoud?",
            "Hoe laat is het Plex onderhoud?",
            "Wat is het onderhoudsvenster van Plex?",
        ),
        f"Het onderhoud op {SERVER_NAME} loopt elke dag van 02:00 tot 05:00, "
        "in de tijd van de server.",
        (
            "Heeft Plex deze week een back-up van zijn database gemaakt?",
            "Heeft Plex de database de afgelopen week geback-upt?",
            "Is de Plex database onlangs geback-upt?",
            "Is er deze week een Plex back-up gemaakt?",
            "Is er een recente Plex back-up?",
        ),
        f"Ja, {SERVER_NAME} heeft op donderdag een back-up van zijn database gemaakt.",
    ),
}


@pytest.fixture
def at_noon(freezer: FrozenDateTimeFactory) -> None:
    """Noon on TODAY, after the night's maintenance window (2 to 5)."""
    freezer.move_to(datetime.combine(TODAY, datetime.min.time().replace(hour=12)).replace(
        tzinfo=dt_util.get_default_time_zone()
    ))  # fmt: skip


async def _set_up(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    server: PlexSimulator,
    level: EvidenceLevel,
    backups: list[date] | None = None,
) -> None:
    server.set_evidence(level)
    server.backups = backups or []
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await async_settle(hass)
    await async_set_up_assist(hass)


@pytest.mark.parametrize("code", LANGUAGES)
async def test_each_language_asks_both_questions_as_people_do(
    hass: HomeAssistant,
    at_noon: None,
    mock_config_entry: MockConfigEntry,
    plex_server: PlexSimulator,
    code: str,
) -> None:
    """Every way of asking gets the window in the server's hours, and the backup's weekday."""
    await _set_up(hass, mock_config_entry, plex_server, EvidenceLevel.BACKUP_FOLDER, [THURSDAY])
    asked = LANGUAGES[code]
    assert {s: await async_answer(hass, s, code) for s in asked.window} == dict.fromkeys(
        asked.window, asked.window_said
    )
    assert {s: await async_answer(hass, s, code) for s in asked.week} == dict.fromkeys(
        asked.week, asked.week_said
    )


async def test_the_window_follows_its_settings_and_says_when_it_is_open(
    hass: HomeAssistant,
    at_noon: None,
    freezer: FrozenDateTimeFactory,
    mock_config_entry: MockConfigEntry,
    plex_server: PlexSimulator,
) -> None:
    """Changed in Plex Web, the hours change; inside the window, it is open now."""
    await _set_up(hass, mock_config_entry, plex_server, EvidenceLevel.ACTIVITY)
    await plex_server.set_preference("ButlerStartHour", "23")
    await plex_server.set_preference("ButlerEndHour", "4")
    # The change reaches Home Assistant by a push, then a read of the settings: real I/O.
    coordinator = mock_config_entry.runtime_data
    await async_wait_until(hass, lambda: coordinator.data.settings.get("ButlerEndHour") == "4")
    assert await async_answer(hass, "when is Plex maintenance") == (
        f"Maintenance on {SERVER_NAME} runs every day from 23:00 to 04:00, in the server's time."
    )
    await async_tick(hass, freezer, timedelta(hours=13))  # 01:00, inside the window
    assert await async_answer(hass, "Wann ist die Plex Wartung?", "de") == (
        f"Das Wartungsfenster von {SERVER_NAME} ist gerade offen: von 23:00 bis 04:00 Uhr, "
        "in der Zeit des Servers."
    )


@pytest.mark.parametrize(
    ("level", "answer"),
    [
        (
            EvidenceLevel.NONE,
            "Backup Database: not seen yet. "
            "Its runs show only in the Plex server's debug log, which is off.",
        ),
        (
            EvidenceLevel.ACTIVITY,
            "Backup Database: not seen yet. "
            "Its runs show only in the Plex server's debug log, which is off.",
        ),
        (
            EvidenceLevel.DEBUG_LOG,
            "Backup Database: not seen yet. Home Assistant has not seen it run.",
        ),
    ],
)
async def test_nothing_seen_is_not_seen_yet_never_no(
    hass: HomeAssistant,
    at_noon: None,
    mock_config_entry: MockConfigEntry,
    plex_server: PlexSimulator,
    level: EvidenceLevel,
    answer: str,
) -> None:
    """No listable folder and no run seen: not seen yet, with why where the log is off."""
    await _set_up(hass, mock_config_entry, plex_server, level, [TODAY - timedelta(days=30)])
    assert await async_answer(hass, "did Plex back up its database this week") == answer


async def test_a_server_without_a_backup_task(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, plex_server: PlexSimulator
) -> None:
    """A server whose Butler has no database backup: said so, never a yes or a no."""
    del plex_server.tasks["BackupDatabase"]
    await _set_up(hass, mock_config_entry, plex_server, EvidenceLevel.BACKUP_FOLDER)
    assert await async_answer(hass, "did Plex back up its database this week") == (
        "There is no Plex task called Backup Database."
    )


async def test_no_only_from_the_folder_and_yes_from_a_run_seen(
    hass: HomeAssistant,
    at_noon: None,
    freezer: FrozenDateTimeFactory,
    mock_config_entry: MockConfigEntry,
    plex_server: PlexSimulator,
) -> None:
    """The folder's newest file 9 days old: no. A run started here: running, then yes today."""
    await _set_up(
        hass,
        mock_config_entry,
        plex_server,
        EvidenceLevel.BACKUP_FOLDER,
        [TODAY - timedelta(days=9), TODAY - timedelta(days=12)],
    )
    assert await async_answer(hass, "did Plex back up its database this week") == (
        f"No, the newest database backup of {SERVER_NAME} is from 9 days ago."
    )
    assert await async_answer(hass, "Hat Plex diese Woche seine Datenbank gesichert?", "de") == (
        f"Nein, die neueste Datenbanksicherung von {SERVER_NAME} ist vor 9 Tagen entstanden."
    )
    await async_press(hass, f"{MACHINE_ID}_BackupDatabase_start")
    await async_settle(hass)
    assert await async_answer(hass, "did Plex back up its database this week") == (
        "Backup Database is running."
    )
    await async_press(hass, f"{MACHINE_ID}_BackupDatabase_stop")
    await async_settle(hass)
    assert await async_answer(hass, "did Plex back up its database this week") == (
        f"Yes, {SERVER_NAME} backed up its database today."
    )
    await async_tick(hass, freezer, timedelta(days=1))
    asked = "Heeft Plex deze week een back-up van zijn database gemaakt?"
    assert await async_answer(hass, asked, "nl") == (
        f"Ja, {SERVER_NAME} heeft gisteren een back-up van zijn database gemaakt."
    )


async def test_a_run_seen_long_ago_without_a_folder_is_no_no(
    hass: HomeAssistant,
    at_noon: None,
    freezer: FrozenDateTimeFactory,
    mock_config_entry: MockConfigEntry,
    plex_server: PlexSimulator,
) -> None:
    """The last run seen was 9 days ago, but no folder lists the backups: only what was seen."""
    await _set_up(hass, mock_config_entry, plex_server, EvidenceLevel.DEBUG_LOG)
    await async_press(hass, f"{MACHINE_ID}_BackupDatabase_start")
    await async_settle(hass)
    await async_press(hass, f"{MACHINE_ID}_BackupDatabase_stop")
    await async_settle(hass)
    await async_tick(hass, freezer, timedelta(days=9))
    assert await async_answer(hass, "did Plex back up its database this week") == (
        f"Not that Home Assistant saw: the last backup of {SERVER_NAME} it saw was 9 days ago."
    )


async def test_two_servers_are_asked_back(
    hass: HomeAssistant,
    at_noon: None,
    mock_config_entry: MockConfigEntry,
    plex_server: PlexSimulator,
    second_server: PlexSimulator,
) -> None:
    """With two servers, Assist asks which; the name said next, or at the end, answers."""
    await _set_up(hass, mock_config_entry, plex_server, EvidenceLevel.ACTIVITY)
    await second_server.set_preference("ButlerStartHour", "1")
    await async_set_up_entry_for(hass, second_server, client_identifier="basement")
    await async_settle(hass)
    which = f"Which Plex server, {BASEMENT} or {SERVER_NAME}?"
    assert await async_answer(hass, "when is Plex maintenance") == which
    assert await async_answer(hass, "did Plex back up its database this week") == which
    assert await async_answer(hass, "when is Plex maintenance on the Basement Plex") == (
        f"Maintenance on {BASEMENT} runs every day from 01:00 to 05:00, in the server's time."
    )
    assert await async_answer(
        hass, "Wann ist die Plex Wartung auf dem Living Room Plex?", "de"
    ) == (
        f"Die Wartung auf {SERVER_NAME} läuft jeden Tag von 02:00 bis 05:00 Uhr, "
        "in der Zeit des Servers."
    )
