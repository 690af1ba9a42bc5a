"""Voice: sentences of the integration's own for Assist, built from the tasks the servers report.

Home Assistant 2026.10's built-in intents no longer turn on a button by name, so the integration
attaches `conversation` triggers, the public mechanism behind sentence-triggered automations, the
same on 2026.2 and 2026.10: the default agent matches them before its built-in intents, and the
`conversation_response` of the `ScriptRunResult` an action returns is what Assist says.

Task titles and server names are spelled out in the sentences, never a wildcard: "start {anything}"
would take "start the vacuum" from the vacuum. Each distinct sentence belongs to exactly one
trigger, because the default agent runs every trigger that matches.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine, Iterable, Iterator
from dataclasses import dataclass
import re
from typing import Any

from homeassistant.core import CALLBACK_TYPE, Context, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.script import ScriptRunResult
from homeassistant.helpers.trigger import async_initialize_triggers
from homeassistant.util.hass_dict import HassKey

from .const import DOMAIN, LOGGER
from .coordinator import PlexButlerConfigEntry, PlexButlerCoordinator
from .models import StartResult, StopResult

# Letters and digits, joined inside a word by an apostrophe or a hyphen. Everything else separates
# words, so neither hassil's syntax ( ) [ ] { } < > | ; \ nor punctuation reaches a template.
_WORD = re.compile(r"[^\W_]+(?:['-][^\W_]+)*")

NOT_AVAILABLE = "That Plex task is not available now."

_SENTENCES: HassKey[VoiceSentences] = HassKey(f"{DOMAIN}_voice_sentences")

type TriggerAction = Callable[..., Coroutine[Any, Any, ScriptRunResult]]


def spoken(text: str) -> str:
    """Reduce a task title or server name to the words a sentence template can hold."""
    return " ".join(_WORD.findall(text.casefold()))


@dataclass(frozen=True, slots=True)
class VoiceCommand:
    """What the sentences of one trigger ask for, in spoken words."""

    start: bool
    task: str | None  # a spoken task title; None: all tasks
    server: str | None  # a spoken server name; None: the one server that fits

    def sentences(self) -> list[str]:
        """Hassil templates: "(start|run) [the] [plex] backup database [on [the] <server>]"."""
        verb = "(start|run)" if self.start else "stop"
        # "Plex" is what tells "start all tasks" apart from other integrations' sentences.
        plex = "plex" if self.task is None and self.server is None else "[plex]"
        if self.task is None:
            objects = [f"all [the] {plex} tasks", f"[the] {plex} maintenance"]
        else:
            objects = [f"[the] {plex} {self.task}"]
        on_server = f" on [the] {self.server}" if self.server else ""
        return [f"{verb} {words}{on_server}" for words in objects]


def _commands(coordinators: Iterable[PlexButlerCoordinator]) -> frozenset[VoiceCommand]:
    """Every command the loaded servers' tasks allow, with and without the server's name."""
    commands: set[VoiceCommand] = set()
    for coordinator in coordinators:
        server = spoken(coordinator.server.friendly_name)
        titles = {spoken(state.task.title) for state in coordinator.data.tasks.values()}
        for task in [None, *sorted(titles - {""})]:
            for start in (True, False):
                commands.add(VoiceCommand(start, task, None))
                if server:
                    commands.add(VoiceCommand(start, task, server))
    return frozenset(commands)


async def _async_send(coordinator: PlexButlerCoordinator, name: str | None, start: bool) -> str:
    """Start or stop one task (all of them: `name` None), and say what happened."""
    server = coordinator.server.friendly_name
    if name is None:
        if start:
            await coordinator.async_start_all_tasks()
            # The server starts only the tasks that are due, as Plex Web's "start all" does.
            return f"Asked {server} to start the tasks that are due."
        await coordinator.async_stop_all_tasks()
        return f"Stopped the running tasks on {server}."
    title = coordinator.data.tasks[name].task.title
    if start:
        if await coordinator.async_start_task(name) is StartResult.ALREADY_RUNNING:
            return f"{title} is already running."
        return f"Started {title} on {server}."
    if await coordinator.async_stop_task(name) is StopResult.NOT_RUNNING:
        return f"{title} was not running."
    return f"Stopped {title} on {server}."


def _log(level: int, message: str, **kwargs: Any) -> None:
    LOGGER.log(level, "Voice sentences: %s", message, **kwargs)


class VoiceSentences:
    """The triggers of all loaded servers, attached again whenever what can be said changes."""

    def __init__(self, hass: HomeAssistant) -> None:
        """Start with nothing to say."""
        self._hass = hass
        self._coordinators: dict[str, PlexButlerCoordinator] = {}
        self._attached: frozenset[VoiceCommand] = frozenset()
        self._detach: CALLBACK_TYPE | None = None
        self._attaching: asyncio.Task[None] | None = None

    @property
    def commands(self) -> frozenset[VoiceCommand]:
        """The commands whose sentences are attached."""
        return self._attached

    @callback
    def async_add(self, coordinator: PlexButlerCoordinator) -> CALLBACK_TYPE:
        """Make a server's tasks speakable; returns the remover."""
        entry_id = coordinator.config_entry.entry_id
        self._coordinators[entry_id] = coordinator

        @callback
        def remove() -> None:
            del self._coordinators[entry_id]
            self.async_update()

        self.async_update()
        return remove

    @callback
    def async_update(self) -> None:
        """Attach the sentences again if the servers or their task titles changed."""
        if self._attaching is not None and not self._attaching.done():
            return  # the running attach looks again when it is done
        if self._wanted() != self._attached:
            # Eager: the old sentences are detached before this returns, and when the trigger
            # platform is loaded already, the new ones are attached too.
            self._attaching = self._hass.async_create_task(
                self._async_attach(), f"{DOMAIN} voice sentences", eager_start=True
            )

    def _wanted(self) -> frozenset[VoiceCommand]:
        return _commands(self._coordinators.values())

    async def _async_attach(self) -> None:
        """Attach until what is attached is what is wanted; changes meanwhile loop once more."""
        while (wanted := self._wanted()) != self._attached:
            if self._detach is not None:
                self._detach()
                self._detach = None
            self._attached = wanted
            if wanted:
                commands = tuple(wanted)
                self._detach = await async_initialize_triggers(
                    self._hass,
                    [
                        {"platform": "conversation", "id": str(index), "command": c.sentences()}
                        for index, c in enumerate(commands)
                    ],
                    self._action(commands),
                    DOMAIN,
                    "voice sentences",
                    _log,
                )

    def _action(self, commands: tuple[VoiceCommand, ...]) -> TriggerAction:
        async def answer(
            variables: dict[str, Any], context: Context | None = None
        ) -> ScriptRunResult:
            speech = await self.async_answer(commands[int(variables["trigger"]["id"])])
            return ScriptRunResult(
                conversation_response=speech, service_response=None, variables={}
            )

        return answer

    async def async_answer(self, command: VoiceCommand) -> str:
        """Carry out a command on the one server it fits; ask which when it fits several."""
        targets = list(self._targets(command))
        if not targets:
            # The server or task went away between hearing the sentence and now.
            return NOT_AVAILABLE
        if len(targets) > 1:
            names = sorted(coordinator.server.friendly_name for coordinator, _ in targets)
            return f"Which Plex server, {', '.join(names[:-1])} or {names[-1]}?"
        coordinator, name = targets[0]
        try:
            return await _async_send(coordinator, name, command.start)
        except HomeAssistantError as err:
            # Translated and free of the token; Home Assistant drops the final full stop.
            return f"{str(err).rstrip('.')}."

    def _targets(self, command: VoiceCommand) -> Iterator[tuple[PlexButlerCoordinator, str | None]]:
        """Find the servers (and the task on each) that a command fits."""
        for coordinator in self._coordinators.values():
            if command.server not in (None, spoken(coordinator.server.friendly_name)):
                continue
            if command.task is None:
                yield coordinator, None
                continue
            for name, state in coordinator.data.tasks.items():
                if spoken(state.task.title) == command.task:
                    yield coordinator, name
                    break


@callback
def async_setup_voice(hass: HomeAssistant, entry: PlexButlerConfigEntry) -> None:
    """Make an entry's tasks speakable until it unloads, and follow changes to its task list."""
    if (sentences := hass.data.get(_SENTENCES)) is None:
        sentences = hass.data[_SENTENCES] = VoiceSentences(hass)
    coordinator = entry.runtime_data
    entry.async_on_unload(sentences.async_add(coordinator))
    entry.async_on_unload(coordinator.async_add_listener(sentences.async_update))
