"""The server's maintenance calendar: its window, the runs seen, and the runs to expect.

What it shows is calendar_events.py's; this makes them Home Assistant's events, in Home
Assistant's time zone (the one the maintenance window is read in) and language.
"""

from __future__ import annotations

from datetime import datetime

from homeassistant.components.calendar import (
    CalendarEntity,
    CalendarEntityDescription,
    CalendarEvent,
)
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.util import dt as dt_util

from .butler.calendar_events import CalendarEntry, ServerCalendar
from .coordinator import PlexButlerConfigEntry
from .entity import PlexButlerEntity
from .texts import async_common_texts

# The calendar reads the coordinator and the past runs: no request of its own.
PARALLEL_UPDATES = 0

MAINTENANCE_CALENDAR = CalendarEntityDescription(key="calendar", translation_key="maintenance")


async def async_setup_entry(
    hass: HomeAssistant,
    entry: PlexButlerConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the server's calendar."""
    async_add_entities([PlexButlerCalendar(entry.runtime_data, MAINTENANCE_CALENDAR)])


class PlexButlerCalendar(PlexButlerEntity, CalendarEntity):
    """The maintenance window, the runs seen and the runs to expect, of one server."""

    # The event last worked out, what it was worked out from, and until when it holds.
    _known: tuple[tuple[object, ...], CalendarEvent | None, datetime] | None = None

    @property
    def event(self) -> CalendarEvent | None:
        """The event going on now, else the next one.

        Asked for several times a write: worked out again only once it ended or what the events
        are made of changed (with the same, a later event cannot come first before it ends).
        """
        now = dt_util.now()
        data = self.coordinator.data
        # The snapshot by identity: a new one is a change, without comparing it deeply.
        made_of = (
            id(data),
            self.coordinator.run_log.changes,
            self.hass.config.language,
            dt_util.get_default_time_zone(),
        )
        known = self._known
        if known is not None and now < known[2] and known[0] == made_of:
            return known[1]
        entry = self._calendar().current_or_next(now)
        event = _event(entry) if entry else None
        # Nothing coming yet: something may come within the look-ahead any moment.
        until = entry.span(made_of[3])[1] if entry else now
        self._known = (made_of, event, until)
        return event

    async def async_get_events(
        self, hass: HomeAssistant, start_date: datetime, end_date: datetime
    ) -> list[CalendarEvent]:
        """Return the events from `start_date` to `end_date`."""
        entries = self._calendar().between(start_date, end_date, dt_util.now())
        return [_event(entry) for entry in entries]

    def _what_shows(self) -> tuple[object, ...]:
        """Return the event and what the events are made of: dashboards show them all.

        A write also tells the calendar's listeners (a dashboard's calendar) to read them again.
        """
        data = self.coordinator.data
        return (
            *super()._what_shows(),
            self.event,
            self.coordinator.run_log.changes,
            data.window,
            data.backups,
            data.maintenance.history,
            tuple((state.task, state.next_run, state.history) for state in data.tasks.values()),
        )

    @callback
    def _async_write_ha_state(self) -> None:
        """Remember what each write showed: the calendar also writes when its event ends."""
        self._shown = self._what_shows()
        super()._async_write_ha_state()

    def _calendar(self) -> ServerCalendar:
        return ServerCalendar(
            self.coordinator.data,
            self.coordinator.run_log.runs,
            async_common_texts(self.hass),
            dt_util.get_default_time_zone(),
        )


def _event(entry: CalendarEntry) -> CalendarEvent:
    return CalendarEvent(
        start=entry.start, end=entry.end, summary=entry.summary, description=entry.description
    )
