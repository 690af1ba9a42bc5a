"""The answer to "which server?" in the next turn: the question is remembered with its chat.

Home Assistant's default agent ends every conversation after an answer from a sentence trigger
(its result never sets `continue_conversation`, on 2026.2 as on 2026.10), so a voice satellite
stops listening after "Which Plex server, ...?". The answer still works in the same conversation:
said after the wake word again, or sent with the conversation's id, within the five minutes a
chat session lasts. The question is forgotten with its session.
"""

from __future__ import annotations

from dataclasses import dataclass

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import chat_session
from homeassistant.util.hass_dict import HassKey

from ..const import DOMAIN

_ASKED: HassKey[dict[str, Question]] = HassKey(f"{DOMAIN}_asked")


@dataclass(frozen=True, slots=True)
class Question:
    """What was asked for when Assist asked back which server: a group of sentences, a task."""

    sentence_key: str
    task: str | None


@callback
def async_remember(hass: HomeAssistant, question: Question) -> None:
    """Remember the question for the conversation's next turn."""
    if (session := chat_session.current_session.get()) is None:
        return
    asked = hass.data.setdefault(_ASKED, {})
    conversation_id = session.conversation_id
    if conversation_id not in asked:

        @callback
        def forget() -> None:
            asked.pop(conversation_id, None)

        session.async_on_cleanup(forget)
    asked[conversation_id] = question


@callback
def async_take(hass: HomeAssistant) -> Question | None:
    """Return (and forget) the question this conversation is answering, if any."""
    if (session := chat_session.current_session.get()) is None:
        return None
    return hass.data.get(_ASKED, {}).pop(session.conversation_id, None)
