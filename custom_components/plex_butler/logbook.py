"""The logbook's lines about tasks and the Butler's run: "Backup Database finished after 28 s".

The task events that the coordinator puts on the bus (publish.py), said in Home Assistant's
language (as entity names are): the logbook has no other language at hand.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from homeassistant.components.logbook import (
    LOGBOOK_ENTRY_ENTITY_ID,
    LOGBOOK_ENTRY_MESSAGE,
    LOGBOOK_ENTRY_NAME,
)
from homeassistant.const import ATTR_ENTITY_ID
from homeassistant.core import Event, HomeAssistant, callback

from .butler.snapshot import RunSource
from .const import DOMAIN, EVENT_TASK
from .texts import Text, async_common_texts


@callback
def async_describe_events(
    hass: HomeAssistant,
    async_describe_event: Callable[[str, str, Callable[[Event], dict[str, Any]]], None],
) -> None:
    """Describe each task event as the task's title and what happened to it."""

    @callback
    def describe(event: Event) -> dict[str, Any]:
        return {
            LOGBOOK_ENTRY_NAME: event.data["title"],
            LOGBOOK_ENTRY_MESSAGE: _message(async_common_texts(hass), event.data),
            LOGBOOK_ENTRY_ENTITY_ID: event.data[ATTR_ENTITY_ID],
        }

    async_describe_event(DOMAIN, EVENT_TASK, describe)


def _message(text: Text, data: Mapping[str, Any]) -> str:
    """Say what happened, with the duration where both ends were seen: never a made-up one."""
    kind = data["type"]
    if kind.endswith("_started"):
        return text(kind)
    if (duration := data["duration"]) is not None:
        return text(f"{kind}_after", duration=_duration(text, duration))
    if kind.endswith("_finished") and not data["end_observed"]:
        # A start from here that the server never showed ended with its grace, not out of sight;
        # one on Butler work other tasks shared ended at a moment the server did not show.
        if data["source"] == RunSource.STARTED_HERE:
            return text("task_finished_not_shown")
        if data["source"] == RunSource.BUTLER_WORK:
            return text("task_finished_moment_not_shown")
        return text(f"{kind}_out_of_sight")
    return text(kind)


def _duration(text: Text, seconds: float) -> str:
    """Say a duration as precisely as a glance at the logbook needs: 28 s, 4 min, 1 h 5 min."""
    if round(seconds) < 60:
        return text("duration_seconds", seconds=round(seconds))
    if (minutes := round(seconds / 60)) < 60:
        return text("duration_minutes", minutes=minutes)
    hours, minutes = divmod(minutes, 60)
    if minutes == 0:
        return text("duration_hours", hours=hours)
    return text("duration_hours_minutes", hours=hours, minutes=minutes)
