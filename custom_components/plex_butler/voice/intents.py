"""Intents of the integration's own: start and stop tasks, and ask what the Butler does.

The default conversation agent reaches them through the sentences of `triggers.py`; LLM agents get
them as tools of the Assist API. Each intent finds its server and task the same way, whoever asks:
a task by its title, its name or a short form (`phrases.py`); a server by its name or its
device's area, implied when only one fits. What cannot be decided is asked back, never guessed.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import (
    area_registry as ar,
    config_validation as cv,
    device_registry as dr,
    intent,
)
from homeassistant.util.hass_dict import HassKey
from homeassistant.util.yaml import load_yaml_dict
import voluptuous as vol

from ..const import ATTR_SERVER, ATTR_TASK, DOMAIN
from ..coordinator import PlexButlerConfigEntry, PlexButlerCoordinator
from ..texts import echoed
from . import answers
from .phrases import LANGUAGES, Language, key, phrase_table, spoken

SENTENCES = Path(__file__).parent / "sentences"
_LANGUAGES: HassKey[dict[str, Language]] = HassKey(f"{DOMAIN}_languages")

type TaskAnswer = Callable[[Language, PlexButlerCoordinator, str], Awaitable[str]]
type ServerAnswer = Callable[[Language, PlexButlerCoordinator], Awaitable[str]]


def load_languages() -> dict[str, Language]:
    """Read every language's sentences and answers (blocking: run it in the executor)."""
    return {
        code: Language.from_dict(code, load_yaml_dict(str(SENTENCES / f"{code}.yaml")))
        for code in LANGUAGES
    }


def language_of(hass: HomeAssistant, code: str | None) -> Language:
    """Return the language asked for ("de-CH" is German), or English where there is none."""
    languages = hass.data[_LANGUAGES]
    return languages.get((code or "en").split("-")[0].casefold(), languages["en"])


def server_names(hass: HomeAssistant, coordinator: PlexButlerCoordinator) -> Iterator[str]:
    """Yield what a server is called: its name, and the area of its device."""
    yield coordinator.server.friendly_name
    registry = dr.async_get(hass)
    for device in dr.async_entries_for_config_entry(registry, coordinator.config_entry.entry_id):
        if device.area_id and (area := ar.async_get(hass).async_get_area(device.area_id)):
            yield area.name


def _is_called(hass: HomeAssistant, coordinator: PlexButlerCoordinator, said: str) -> bool:
    """Whether what was said is the server's name or area, with one word (an article) before."""
    words = spoken(said).split()
    return any(
        (name_words := spoken(name).split())
        and len(words) - len(name_words) in (0, 1)
        and words[-len(name_words) :] == name_words
        for name in server_names(hass, coordinator)
    )


def task_names(languages: Iterable[Language]) -> dict[str, tuple[str, ...]]:
    """Every language's names of the tasks, by spoken title."""
    names: dict[str, tuple[str, ...]] = {}
    for language in languages:
        for title, more in language.task_names.items():
            names[title] = names.get(title, ()) + more
    return names


def _tasks(
    hass: HomeAssistant, servers: list[PlexButlerCoordinator], said: str
) -> list[tuple[PlexButlerCoordinator, str]]:
    """Find the tasks (on their servers) that what was said means: title, short form or name."""
    titles = (s.task.title for c in servers for s in c.data.tasks.values())
    meant = phrase_table(titles, task_names(languages(hass))).get(key(said), frozenset())
    return [
        (coordinator, name)
        for coordinator in servers
        for name, state in coordinator.data.tasks.items()
        if spoken(state.task.title) in meant or name.casefold() == said.strip().casefold()
    ]


@dataclass(frozen=True, slots=True)
class WhichServer:
    """The question back when several servers fit, with the names it offers."""

    question: str
    servers: list[str]


def find(
    hass: HomeAssistant, language: Language, task: str | None, server: str | None
) -> tuple[PlexButlerCoordinator, str | None] | WhichServer | str:
    """Find the one server (and task) meant, or what to answer instead: a question, or why not."""
    entries: list[PlexButlerConfigEntry] = hass.config_entries.async_loaded_entries(DOMAIN)
    loaded = [entry.runtime_data for entry in entries]
    if not loaded:
        return language.answer("no_server")
    servers = [c for c in loaded if server is None or _is_called(hass, c, server)]
    if not servers:
        return language.answer("unknown_server", server=echoed(server or ""))
    found: list[tuple[PlexButlerCoordinator, str | None]] = [(c, None) for c in servers]
    if task is not None:
        if not (matches := _tasks(hass, servers, task)):
            return language.answer("unknown_task", task=echoed(task))
        titles = sorted({language.task(c.data.tasks[name].task.title) for c, name in matches})
        if len(titles) > 1:
            return language.answer("which_task", tasks=language.join(titles, "or"))
        found = list(matches)
    if len(found) > 1:
        names = sorted(c.server.friendly_name for c, _ in found)
        question = language.answer("which_server", servers=language.join(names, "or"))
        return WhichServer(question, names)
    return found[0]


@dataclass(frozen=True, slots=True)
class PlexIntent:
    """One intent: what it does for a task, for a whole server, or for either."""

    intent_type: str
    title: str
    description: str
    for_task: TaskAnswer | None = None
    for_server: ServerAnswer | None = None
    reads_only: bool = False

    async def answer(
        self, language: Language, coordinator: PlexButlerCoordinator, name: str | None
    ) -> str:
        """Act or tell on a task (`name`) or the whole server, and say what happened."""
        try:
            if name is not None and self.for_task is not None:
                return await self.for_task(language, coordinator, name)
            assert self.for_server is not None  # noqa: S101 - intents without a task have this
            return await self.for_server(language, coordinator)
        except HomeAssistantError as err:
            # Translated and free of the token; Home Assistant drops the final full stop.
            return f"{str(err).rstrip('.')}."


_TASK = "The task: its title as Plex shows it, or a short form such as 'the Plex backup'. "
_SERVER = "Give the server's name or area only when several Plex servers are set up."

INTENTS = (
    PlexIntent(
        "PlexButlerStartTask",
        "Start a Plex task",
        f"Starts one maintenance (Butler) task of a Plex Media Server now. {_TASK}{_SERVER}",
        for_task=answers.start_task,
    ),
    PlexIntent(
        "PlexButlerStopTask",
        "Stop a Plex task",
        f"Stops a running maintenance (Butler) task of a Plex Media Server. {_TASK}{_SERVER}",
        for_task=answers.stop_task,
    ),
    PlexIntent(
        "PlexButlerStartAllTasks",
        "Start Plex maintenance",
        f"Asks a Plex Media Server to start all its maintenance tasks that are due. {_SERVER}",
        for_server=answers.start_all,
    ),
    PlexIntent(
        "PlexButlerStopAllTasks",
        "Stop Plex maintenance",
        f"Stops every running maintenance task of a Plex Media Server. {_SERVER}",
        for_server=answers.stop_all,
    ),
    PlexIntent(
        "PlexButlerStatus",
        "Plex maintenance status",
        "Tells whether a Plex Media Server's maintenance runs, and which tasks with their "
        f"progress; with a task, whether that task runs. {_TASK}{_SERVER}",
        for_task=answers.task_status,
        for_server=answers.server_status,
        reads_only=True,
    ),
    PlexIntent(
        "PlexButlerLastRun",
        "When a Plex task last ran",
        f"Tells when a Plex maintenance task last ran, as far as Home Assistant saw. {_TASK}"
        f"{_SERVER}",
        for_task=answers.last_run,
        reads_only=True,
    ),
    PlexIntent(
        "PlexButlerLastDuration",
        "How long a Plex task took",
        "Tells how long the last run of a Plex maintenance task took, as far as Home Assistant "
        f"saw it start and end. {_TASK}{_SERVER}",
        for_task=answers.last_duration,
        reads_only=True,
    ),
    PlexIntent(
        "PlexButlerNextRun",
        "When a Plex task runs next",
        f"Tells when a Plex maintenance task should next run on its schedule. {_TASK}{_SERVER}",
        for_task=answers.next_run,
        reads_only=True,
    ),
    PlexIntent(
        "PlexButlerMaintenanceWindow",
        "When Plex maintenance is",
        f"Tells the hours of a Plex Media Server's maintenance window, in its time. {_SERVER}",
        for_server=answers.maintenance_window,
        reads_only=True,
    ),
    PlexIntent(
        "PlexButlerBackupThisWeek",
        "Whether Plex backed up its database this week",
        "Tells whether a Plex Media Server backed up its database in the last seven days, and "
        f"on which day, as far as its backup folder and the runs seen show. {_SERVER}",
        for_server=answers.backup_this_week,
        reads_only=True,
    ),
)


class PlexButlerIntentHandler(intent.IntentHandler):
    """Answers one of the integration's intents, in the language it was asked in."""

    def __init__(self, plex_intent: PlexIntent) -> None:
        """Handle `plex_intent`."""
        self.plex_intent = plex_intent
        self.intent_type = plex_intent.intent_type
        self.description = plex_intent.description

    @property
    def slot_schema(self) -> dict[vol.Marker, object]:
        """A task (unless the intent is about a whole server) and, optionally, the server."""
        schema: dict[vol.Marker, object] = {vol.Optional(ATTR_SERVER): cv.string}
        if self.plex_intent.for_task is not None:
            required = self.plex_intent.for_server is None
            schema[(vol.Required if required else vol.Optional)(ATTR_TASK)] = cv.string
        return schema

    async def async_handle(self, intent_obj: intent.Intent) -> intent.IntentResponse:
        """Find the server and task, act or tell, and say what happened."""
        slots = self.async_validate_slots(intent_obj.slots)
        language = language_of(intent_obj.hass, intent_obj.language)
        task = slots[ATTR_TASK]["value"] if ATTR_TASK in slots else None
        if self.plex_intent.for_task is None:
            task = None  # an extra slot the intent does not take
        server = slots[ATTR_SERVER]["value"] if ATTR_SERVER in slots else None
        found = find(intent_obj.hass, language, task, server)
        response = intent_obj.create_response()
        if isinstance(found, WhichServer):
            # The servers asked about, for the answer in the next turn (`followup.py`).
            response.async_set_speech_slots({ATTR_SERVER: found.servers})
            response.async_set_speech(found.question)
        elif isinstance(found, str):
            response.async_set_speech(found)
        else:
            response.async_set_speech(await self.plex_intent.answer(language, *found))
        return response


async def async_setup_intents(hass: HomeAssistant) -> None:
    """Read the languages and register the intents, once for all servers."""
    hass.data[_LANGUAGES] = await hass.async_add_executor_job(load_languages)
    for plex_intent in INTENTS:
        intent.async_register(hass, PlexButlerIntentHandler(plex_intent))


def languages(hass: HomeAssistant) -> Iterable[Language]:
    """Return every language shipped."""
    return hass.data[_LANGUAGES].values()
