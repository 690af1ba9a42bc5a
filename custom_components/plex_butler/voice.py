"""Voice: the default conversation agent hears the integration's sentences, nothing exposed.

Home Assistant has no public way for an integration to give its intents sentences: custom
sentences live in the user's configuration folder, `conversation: intents:` in the user's YAML
(a reload replaces them), and the built-in intents no longer press a button by name (2026.10). So
the integration attaches `conversation` triggers, the public mechanism behind sentence-triggered
automations, the same on 2026.2 and 2026.10: the default agent matches them before its built-in
intents, in whatever language it is asked. Each trigger hands its intent (`intents.py`) the task
and server it heard, and what the intent says is what Assist says, in the language of the
conversation.

Task titles and their short forms are spelled out in the sentences, never a wildcard: "start
{anything}" would take "start the vacuum" from the vacuum. Only the server's name comes after a
fixed sentence ("... on {server}"), where a wildcard takes nothing from anyone. There is one
trigger per group of sentences (`sentences/<language>.yaml`), with every language's sentences and
every task's phrases in it: the default agent parses trigger sentences on the event loop, so they
are kept few, and each sentence belongs to one trigger, because the agent runs every trigger that
matches. The phrase heard is found again in the sentence. Short forms are English; the sentences
of other languages take the titles, as the server reports them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from homeassistant.core import CALLBACK_TYPE, Context, HomeAssistant, callback
from homeassistant.helpers import intent
from homeassistant.helpers.script import ScriptRunResult
from homeassistant.helpers.trigger import async_initialize_triggers
from homeassistant.util.hass_dict import HassKey

from .const import ATTR_SERVER, ATTR_TASK, DOMAIN, LOGGER
from .coordinator import PlexButlerConfigEntry, PlexButlerCoordinator
from .intents import languages
from .phrases import Language, key, phrase_table, spoken, task_forms

_SENTENCES: HassKey[VoiceSentences] = HassKey(f"{DOMAIN}_voice_sentences")

# Which intent each group of sentences (the keys of `sentences/<language>.yaml`) asks for.
SENTENCE_INTENTS = {
    "start_task": "PlexButlerStartTask",
    "stop_task": "PlexButlerStopTask",
    "task_status": "PlexButlerStatus",
    "last_run": "PlexButlerLastRun",
    "next_run": "PlexButlerNextRun",
    "start_all": "PlexButlerStartAllTasks",
    "stop_all": "PlexButlerStopAllTasks",
    "status": "PlexButlerStatus",
}
TASK_SENTENCES = frozenset({"start_task", "stop_task", "task_status", "last_run", "next_run"})

type TriggerAction = Callable[..., Coroutine[Any, Any, ScriptRunResult]]


def _either(templates: Iterable[str]) -> str:
    return f"({'|'.join(templates)})"


@dataclass(frozen=True, slots=True)
class Speakable:
    """What the loaded servers' tasks let Assist hear."""

    titles: tuple[str, ...]  # spoken titles, for every language
    nouns: tuple[str, ...]  # English: titles and short forms, "backing up [the] [plex] database"
    actions: tuple[str, ...]  # English: "back up [its|the] database"
    phrases: tuple[str, ...]  # every phrase's key, longest first

    @classmethod
    def of(cls, task_titles: Iterable[str]) -> Speakable:
        """Collect the phrases of the loaded servers' tasks."""
        titles = sorted({spoken(title) for title in task_titles} - {""})
        forms = [task_forms(title) for title in titles]
        return cls(
            tuple(titles),
            tuple(sorted({noun for form in forms for noun in form.nouns})),
            tuple(sorted({action for form in forms for action in form.actions})),
            tuple(sorted(phrase_table(titles), key=lambda phrase: -len(phrase.split()))),
        )

    def sentences(self, sentence_key: str, languages: Iterable[Language]) -> list[str]:
        """Hassil templates of one group, in every language, the server optional at the end."""
        sentences: list[str] = []
        for language in languages:
            nouns = self.nouns if language.code == "en" else self.titles
            for template in language.sentences[sentence_key]:
                if ("{task}" in template and not nouns) or (
                    "{action}" in template and not self.actions
                ):
                    continue
                sentence = template.replace("{task}", _either(nouns))
                sentence = sentence.replace("{action}", _either(self.actions))
                sentences.append(f"{sentence} [{language.server_suffix}]")
        return sentences

    def heard(self, sentence: str, server: str | None) -> str | None:
        """Find the task phrase in a sentence heard (the longest), leaving the server out."""
        if server:
            sentence = sentence.rpartition(server)[0] or sentence
        words = key(sentence).split()
        for phrase in self.phrases:
            size = len(phrase_words := phrase.split())
            if any(words[i : i + size] == phrase_words for i in range(len(words) - size + 1)):
                return phrase
        return None


@lru_cache(maxsize=4)
def _speakable(titles: frozenset[str]) -> Speakable:
    # Made once for a set of titles: the servers' every push asks again.
    return Speakable.of(titles)


def _log(level: int, message: str, **kwargs: Any) -> None:
    LOGGER.log(level, "Voice sentences: %s", message, **kwargs)


class VoiceSentences:
    """The triggers of all loaded servers, attached again whenever what can be said changes."""

    def __init__(self, hass: HomeAssistant) -> None:
        """Start with nothing to say."""
        self._hass = hass
        # Each loaded entry's task titles, kept by a listener of its own: a push about one
        # server then looks at that server's titles only, not at every server's.
        self._titles: dict[str, frozenset[str]] = {}
        self._attached: Speakable | None = None
        self._detach: CALLBACK_TYPE | None = None
        self._attaching: asyncio.Task[None] | None = None

    @property
    def attached(self) -> Speakable | None:
        """Return what the attached sentences let Assist hear."""
        return self._attached

    @callback
    def async_add(self, coordinator: PlexButlerCoordinator) -> CALLBACK_TYPE:
        """Make a server's tasks speakable, following its task list; returns the remover."""
        entry_id = coordinator.config_entry.entry_id

        @callback
        def follow() -> None:
            titles = frozenset(state.task.title for state in coordinator.data.tasks.values())
            if self._titles.get(entry_id) != titles:
                self._titles[entry_id] = titles
                self.async_update()

        @callback
        def remove() -> None:
            stop_following()
            del self._titles[entry_id]
            self.async_update()

        follow()
        stop_following = coordinator.async_add_listener(follow)
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

    def _wanted(self) -> Speakable | None:
        if not self._titles:
            return None
        return _speakable(frozenset().union(*self._titles.values()))

    async def _async_attach(self) -> None:
        """Attach until what is attached is what is wanted; changes meanwhile loop once more."""
        while (wanted := self._wanted()) != self._attached:
            if self._detach is not None:
                self._detach()
                self._detach = None
            self._attached = wanted
            if wanted is not None:
                spoken_in = list(languages(self._hass))
                self._detach = await async_initialize_triggers(
                    self._hass,
                    [
                        {
                            "platform": "conversation",
                            "id": sentence_key,
                            "command": sentences,
                        }
                        for sentence_key in SENTENCE_INTENTS
                        if (sentences := wanted.sentences(sentence_key, spoken_in))
                    ],
                    self._action(wanted),
                    DOMAIN,
                    "voice sentences",
                    _log,
                )

    def _action(self, speakable: Speakable) -> TriggerAction:
        async def answer(
            variables: dict[str, Any], context: Context | None = None
        ) -> ScriptRunResult:
            trigger = variables["trigger"]
            server = trigger["slots"].get(ATTR_SERVER)
            slots = {ATTR_SERVER: {"value": server}} if server else {}
            if trigger["id"] in TASK_SENTENCES:
                # Matched, so a phrase is in it; what else could be said is the intent's to answer.
                task = speakable.heard(trigger["sentence"], server) or trigger["sentence"]
                slots[ATTR_TASK] = {"value": task}
            response = await intent.async_handle(
                self._hass,
                DOMAIN,
                SENTENCE_INTENTS[trigger["id"]],
                slots,
                text_input=trigger["sentence"],
                context=context,
                language=trigger["user_input"]["language"],
                device_id=trigger["device_id"],
            )
            return ScriptRunResult(
                conversation_response=response.speech["plain"]["speech"],
                service_response=None,
                variables={},
            )

        return answer


@callback
def async_setup_voice(hass: HomeAssistant, entry: PlexButlerConfigEntry) -> None:
    """Make an entry's tasks speakable until it unloads, following changes to its task list."""
    if (sentences := hass.data.get(_SENTENCES)) is None:
        sentences = hass.data[_SENTENCES] = VoiceSentences(hass)
    coordinator = entry.runtime_data
    entry.async_on_unload(sentences.async_add(coordinator))
