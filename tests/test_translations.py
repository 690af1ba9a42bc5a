"""Every language has every string of strings.json, with the same placeholders, and loads.

A key added to strings.json fails these tests until each language has it: the message names the
language file and the keys.
"""

from __future__ import annotations

import json
from pathlib import Path
import re
from string import Formatter

from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.translation import async_get_translations, recursive_flatten
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import WebSocketGenerator

from custom_components.plex_butler.const import DOMAIN

from .conftest import MACHINE_ID, SERVER_NAME, async_settle, entity_id_of

ROOT = Path(__file__).parent.parent
INTEGRATION = ROOT / "custom_components" / "plex_butler"
TRANSLATIONS = INTEGRATION / "translations"
LANGUAGES = sorted(path.stem for path in TRANSLATIONS.glob("*.json") if path.stem != "en")
# Beside English, by Home Assistant's language code: the ones docs/languages.md names.
SHIPPED = {"de": "German", "es": "Spanish", "fr": "French", "it": "Italian", "nl": "Dutch"}

# The frontend formats strings as ICU messages: there an apostrophe right before a brace starts
# quoted text, and "l'{task}" would show "l{task}" instead of the task.
APOSTROPHE_BEFORE_PLACEHOLDER = re.compile(r"'\{")


def _strings(language: str | None = None) -> dict[str, str]:
    path = TRANSLATIONS / f"{language}.json" if language else INTEGRATION / "strings.json"
    return recursive_flatten("", json.loads(path.read_text(encoding="utf-8")))


def _placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in Formatter().parse(text) if field is not None}


def test_the_docs_name_every_shipped_language() -> None:
    """A file for each language docs/languages.md promises, and no other."""
    assert sorted(SHIPPED) == LANGUAGES
    languages = (ROOT / "docs" / "languages.md").read_text(encoding="utf-8")
    for name in SHIPPED.values():
        assert name in languages, name


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_language_has_exactly_the_keys_of_strings_json(language: str) -> None:
    """No key missing (it would show in English), none left over that nothing uses."""
    english, translated = _strings(), _strings(language)
    missing = sorted(english.keys() - translated.keys())
    extra = sorted(translated.keys() - english.keys())
    assert (missing, extra) == ([], []), (
        f"translations/{language}.json: translate {missing} from strings.json; "
        f"remove {extra}, which strings.json does not have"
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_language_keeps_every_placeholder_and_says_something(language: str) -> None:
    """Same {placeholders} as English, no empty value, nothing the frontend would misformat."""
    english, translated = _strings(), _strings(language)
    problems = []
    for key in sorted(english.keys() & translated.keys()):
        text = translated[key]
        try:
            if _placeholders(text) != _placeholders(english[key]):
                problems.append(f"{key}: placeholders {sorted(_placeholders(text))}")
        except ValueError as err:  # an unbalanced brace
            problems.append(f"{key}: {err}")
        if not text.strip():
            problems.append(f"{key}: empty")
        if APOSTROPHE_BEFORE_PLACEHOLDER.search(text):
            problems.append(f"{key}: apostrophe right before a placeholder")
    assert not problems, f"translations/{language}.json: " + "; ".join(problems)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("category", sorted(json.loads((INTEGRATION / "strings.json").read_text())))
async def test_home_assistant_loads_each_language(
    hass: HomeAssistant, language: str, category: str
) -> None:
    """Home Assistant's translation helper serves the file's strings, not the English fallback."""
    loaded = await async_get_translations(hass, language, category, [DOMAIN])
    expected = {
        f"component.{DOMAIN}.{key}": text
        for key, text in _strings(language).items()
        if key.startswith(f"{category}.")
    }
    assert expected
    assert loaded == expected


@pytest.fixture
def german(hass: HomeAssistant) -> None:
    """Home Assistant set to German, before the integration is set up."""
    hass.config.language = "de"


async def test_entities_are_named_in_the_language_of_home_assistant(
    hass: HomeAssistant, german: None, init_integration: MockConfigEntry
) -> None:
    """Set to German, a German user sees German names around the server's own task titles.

    Entity ids come from the names when the entities are first made, so they are German too, and
    stay when the language changes; the names follow it from the next reload.
    """

    def name(platform: str, unique_id: str) -> str:
        return hass.states.get(entity_id_of(hass, platform, unique_id)).name

    start_backup = f"{MACHINE_ID}_BackupDatabase_start"
    assert name("button", start_backup) == "Backup Database Starten"
    assert name("button", f"{MACHINE_ID}_stop_all") == f"{SERVER_NAME} Alle Aufgaben stoppen"
    assert name("sensor", f"{MACHINE_ID}_BackupDatabase_last_run") == (
        "Backup Database Letzte Ausführung"
    )
    assert name("binary_sensor", f"{MACHINE_ID}_maintenance_running") == (
        f"{SERVER_NAME} Wartung läuft"
    )
    # Where Home Assistant knows a device's parts (2026.10), ids begin with the server's name.
    prefix = "living_room_plex_" if hasattr(dr, "ChildDeviceInfo") else ""
    german_id = f"button.{prefix}backup_database_starten"
    assert entity_id_of(hass, "button", start_backup) == german_id

    hass.config.language = "en"
    assert await hass.config_entries.async_reload(init_integration.entry_id)
    await async_settle(hass)
    assert name("button", start_backup) == "Backup Database Start"
    assert entity_id_of(hass, "button", start_backup) == german_id


async def test_an_action_error_reads_in_german(
    hass: HomeAssistant, init_integration: MockConfigEntry, hass_ws_client: WebSocketGenerator
) -> None:
    """The frontend shows an action's error from its translation key, here in German."""
    client = await hass_ws_client(hass)
    await client.send_json_auto_id(
        {
            "type": "call_service",
            "domain": DOMAIN,
            "service": "start_task",
            "service_data": {"task": "MakeCoffee"},
            "return_response": True,
        }
    )
    error = (await client.receive_json())["error"]
    assert error["translation_domain"] == DOMAIN

    in_german = await async_get_translations(hass, "de", "exceptions", [DOMAIN])
    message = in_german[f"component.{DOMAIN}.exceptions.{error['translation_key']}.message"]
    shown = message.format(**error["translation_placeholders"])
    assert shown.startswith(f"„MakeCoffee“ ist keine Aufgabe von {SERVER_NAME}. Seine Aufgaben: ")
    assert "Backup Database, " in shown


@pytest.fixture(params=["en", *LANGUAGES])
def language(request: pytest.FixtureRequest, hass: HomeAssistant) -> str:
    """Home Assistant set to each shipped language, before the integration is set up."""
    hass.config.language = request.param
    return str(request.param)


# The device page cut "Database backup folder" to "Database bac…" beside the folder it shows.
SHORT_NAME = 15


async def test_the_server_page_reads_in_each_language(
    hass: HomeAssistant, language: str, init_integration: MockConfigEntry
) -> None:
    """The server's device page, in each language: its window in order, short names.

    The page lists a device's entities by name (the server's name left out), as text sorts: the
    window's start must come before its end. The event entity's state is the moment of its last
    event, "Unknown" before the first: its name says it is the last one.
    """

    def name(platform: str, key: str) -> str:
        state = hass.states.get(entity_id_of(hass, platform, f"{MACHINE_ID}_{key}"))
        return str(state.name).removeprefix(f"{SERVER_NAME} ")

    start, end = name("select", "ButlerStartHour"), name("select", "ButlerEndHour")
    assert sorted([end, start], key=str.casefold) == [start, end]
    assert len(name("sensor", "ButlerDatabaseBackupPath")) <= SHORT_NAME
    if language == "en":
        assert name("event", "task_event") == "Last task event"
