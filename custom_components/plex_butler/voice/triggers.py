"""Voice: the default conversation agent hears the integration's sentences, nothing exposed.

Home Assistant has no public way for an integration to give its intents sentences: custom
sentences live in the user's configuration folder, `conversation: intents:` in the user's YAML
(a reload replaces them), and the built-in intents no longer press a button by name (2026.10). So
the integration attaches `conversation` triggers, the public mechanism behind sentence-triggered
automations, the same on 2026.2 and 2026.10: the default agent matches them before its built-in
intents, in whatever language it is asked. Each trigger hands its intent (`intents.py`) the task
and server it heard, and what the intent says is what Assist says, in the language of the
conversation.

What can be said is made of the servers' tasks (`speakable.py`). There is one trigger per group
of sentences (`sentences/<language>.yaml`), with every language's sentences and every task's
phrases in it: the default agent parses trigger sentences on the event loop, so they are kept
few, and each sentence belongs to one trigger, because the agent runs every trigger that matches.
The phrase heard is found again in the sentence. With several servers, the answer to "which
server?" is a trigger of its own (`followup.py`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any

from homeassistant.core import CALLBACK_TYPE, Context, HomeAssistant, callback
from homeassistant.helpers import device_registry as dr, intent
from homeassistant.helpers.script import ScriptRunResult
from homeassistant.helpers.trigger import async_initialize_triggers
from homeassistant.util.hass_dict import HassKey

from ..const import ATTR_SERVER, ATTR_TASK, DOMAIN, LOGGER
from ..coordinator import PlexButlerConfigEntry, PlexButlerCoordinator
from .followup import Question, async_remember, async_take
from .intents import languages, server_names, task_names
from .speakable import SERVER_REPLY, Speakable

_SENTENCES: HassKey[VoiceSentences] = HassKey(f"{DOMAIN}_voice_sentences")

# Which intent each group of sentences (the keys of `sentences/<language>.yaml`) asks for.
SENTENCE_INTENTS = {
    "start_task": "PlexButlerStartTask",
    "stop_task": "PlexButlerStopTask",
    "task_status": "PlexButlerStatus",
    "last_run": "PlexButlerLastRun",
    "next_run": "PlexButlerNextRun",
    "last_duration": "PlexButlerLastDuration",
    "start_all": "PlexButlerStartAllTasks",
    "stop_all": "PlexButlerStopAllTasks",
    "status": "PlexButlerStatus",
    "maintenance_window": "PlexButlerMaintenanceWindow",
    "backup_week": "PlexButlerBackupThisWeek",
}
TASK_SENTENCES = frozenset(
    {"start_task", "stop_task", "task_status", "last_run", "next_run", "last_duration"}
)

type TriggerAction = Callable[..., Coroutine[Any, Any, ScriptRunResult]]


def _log(level: int, message: str, **kwargs: Any) -> None:
    LOGGER.log(level, "Voice sentences: %s", message, **kwargs)


class VoiceSentences:
    """The triggers of all loaded servers, attached again whenever what can be said changes."""

    def __init__(self, hass: HomeAssistant) -> None:
        """Start with nothing to say."""
        self._hass = hass
        # Each loaded entry's task titles and names, kept by a listener of its own: a push about
        # one server then looks at that server's titles only, not at every server's.
        self._titles: dict[str, frozenset[str]] = {}
        self._names: dict[str, frozenset[str]] = {}
        self._attached: Speakable | None = None
        # The last one made, by titles and server names: the servers' every push asks again.
        self._made: tuple[tuple[frozenset[str], frozenset[str]], Speakable] | None = None
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
        def follow(*_: Any) -> None:
            titles = frozenset(state.task.title for state in coordinator.data.tasks.values())
            names = frozenset(server_names(self._hass, coordinator))
            if (self._titles.get(entry_id), self._names.get(entry_id)) != (titles, names):
                self._titles[entry_id] = titles
                self._names[entry_id] = names
                self.async_update()

        @callback
        def remove() -> None:
            stop_following()
            stop_following_areas()
            del self._titles[entry_id]
            del self._names[entry_id]
            self.async_update()

        follow()
        stop_following = coordinator.async_add_listener(follow)
        # A device moved to another area is another name for its server.
        stop_following_areas = self._hass.bus.async_listen(dr.EVENT_DEVICE_REGISTRY_UPDATED, follow)
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
        # Names are needed only to answer "which server?", asked only with several servers.
        servers = frozenset().union(*self._names.values()) if len(self._names) > 1 else frozenset()
        made_of = (frozenset().union(*self._titles.values()), servers)
        if self._made is None or self._made[0] != made_of:
            names = task_names(languages(self._hass))
            self._made = made_of, Speakable.of(made_of[0], names, servers)
        return self._made[1]

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
                        for sentence_key in (*SENTENCE_INTENTS, SERVER_REPLY)
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
            sentence_key = trigger["id"]
            server = trigger["slots"].get(ATTR_SERVER)
            task: str | None = None
            if sentence_key == SERVER_REPLY:
                # The answer to "which server?"; said out of the blue, it asks what the server does.
                server = speakable.heard_server(trigger["sentence"])
                question = async_take(self._hass) or Question("status", None)
                sentence_key, task = question.sentence_key, question.task
            elif sentence_key in TASK_SENTENCES:
                # Matched, so a phrase is in it; what else could be said is the intent's to answer.
                task = speakable.heard(trigger["sentence"], server) or trigger["sentence"]
            slots = {ATTR_SERVER: {"value": server}} if server else {}
            if task is not None:
                slots[ATTR_TASK] = {"value": task}
            response = await intent.async_handle(
                self._hass,
                DOMAIN,
                SENTENCE_INTENTS[sentence_key],
                slots,
                text_input=trigger["sentence"],
                context=context,
                language=trigger["user_input"]["language"],
                device_id=trigger["device_id"],
            )
            if ATTR_SERVER in response.speech_slots:
                async_remember(self._hass, Question(sentence_key, task))
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
