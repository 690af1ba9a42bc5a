"""What a server's calendar shows: its maintenance window, the runs seen, and the runs to expect.

- The maintenance window, every day, in the hours set now (the integration keeps no record of
  earlier settings), in the time zone the window is read in (Home Assistant's).
- Each run seen, from its start to its end. Where only one end was seen, a marker of `MARKER`
  at that moment, its description saying which; a run going on is a marker at its start until it
  ends. A database backup known only from its file's day is an all-day event on that day.
- Runs to expect, only where the schedule tells when: a daily task at a fixed time (not a
  randomized one) runs at the start of the window. A task due every few days is due counted from
  a last run Home Assistant may not have seen, and a randomized one at a moment the server picks:
  neither gets one.

Plain Python without Home Assistant; calendar.py makes these Home Assistant's events.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Final

from .evidence import BACKUP_TASK
from .run_log import BUTLER_RUNS, PastRun
from .schedule import LastRunSource
from .snapshot import ButlerSnapshot

MARKER: Final = timedelta(minutes=1)
# How far the calendar's state looks for its next event: the window comes every day.
LOOK_AHEAD: Final = timedelta(days=2)
# The sentence saying how a run is known, by its source.
SOURCE_TEXTS: Final = {
    LastRunSource.OBSERVED: "calendar_source_observed",
    LastRunSource.SERVER_LOG: "calendar_source_server_log",
    LastRunSource.STARTED_HERE: "calendar_source_started_here",
}

type Text = Callable[..., str]


@dataclass(frozen=True, slots=True)
class CalendarEntry:
    """One event of the calendar: timed (aware datetimes) or all-day (dates, end excluded)."""

    start: datetime | date
    end: datetime | date
    summary: str
    description: str

    def span(self, zone: tzinfo) -> tuple[datetime, datetime]:
        """Return the event's start and end as moments; an all-day event's are midnights."""
        return _moment(self.start, zone), _moment(self.end, zone)


def _moment(value: datetime | date, zone: tzinfo) -> datetime:
    if isinstance(value, datetime):
        return value
    return datetime.combine(value, time(), tzinfo=zone)


class ServerCalendar:
    """The events of one server, from its snapshot and its past runs."""

    def __init__(
        self,
        snapshot: ButlerSnapshot,
        past: Mapping[str, Sequence[PastRun]],
        text: Text,
        zone: tzinfo,
    ) -> None:
        """Show `snapshot` and `past`, said with `text`, the window taken in `zone`."""
        self._snapshot = snapshot
        self._past = past
        self._text = text
        self._zone = zone

    def between(self, start: datetime, end: datetime, now: datetime) -> list[CalendarEntry]:
        """Return the events that overlap `start` to `end`, by their start."""
        entries = [
            entry
            for entry in (
                *self._windows(start, end),
                *self._expected(end, now),
                *self._runs(start, end),
                *self._backup_days(),
            )
            if _overlaps(entry.span(self._zone), start, end)
        ]
        # Stable: at the same start, the window comes before the runs expected in it.
        return sorted(entries, key=lambda entry: entry.span(self._zone)[0])

    def current_or_next(self, now: datetime) -> CalendarEntry | None:
        """Return the timed event going on now (the earliest begun), else the next one.

        An all-day backup day is left out: it would hold the calendar on for the whole day.
        """
        timed = [
            entry
            for entry in self.between(now, now + LOOK_AHEAD, now)
            if isinstance(entry.start, datetime)
        ]
        return next(iter(timed), None)

    def _windows(self, start: datetime, end: datetime) -> Iterator[CalendarEntry]:
        window = self._snapshot.window
        # A window that opened the day before may reach into the range.
        day = start.astimezone(self._zone).date() - timedelta(days=1)
        while day <= end.astimezone(self._zone).date():
            opens, closes = window.occurrence(day, self._zone)
            yield CalendarEntry(
                opens,
                closes,
                self._text("calendar_window"),
                self._text("calendar_window_description"),
            )
            day += timedelta(days=1)

    def _expected(self, end: datetime, now: datetime) -> Iterator[CalendarEntry]:
        """Expect a daily task at a fixed time at the window's start, from its next run on."""
        for state in self._snapshot.tasks.values():
            task = state.task
            # A disabled task has no next run: the server never runs it on its own.
            if state.next_run is None or task.schedule_randomized or task.interval > 1:
                continue
            day = state.next_run.astimezone(self._zone).date()
            while (opens := self._snapshot.window.occurrence(day, self._zone))[0] < end:
                if opens[1] > now:
                    yield CalendarEntry(
                        opens[0],
                        opens[0] + MARKER,
                        self._text("calendar_expected", title=task.title),
                        self._text("calendar_expected_description"),
                    )
                day += timedelta(days=1)

    def _runs(self, start: datetime, end: datetime) -> Iterator[CalendarEntry]:
        going_on = {name: state.history for name, state in self._snapshot.tasks.items()}
        going_on[BUTLER_RUNS] = self._snapshot.maintenance.history
        runs = [
            (key, run, False)
            for key, past in self._past.items()
            for run in past
            # Only what may reach into the range: a month of runs is kept.
            if run.latest is not None and run.earliest is not None
            if run.earliest - MARKER < end and run.latest + MARKER > start
        ] + [
            (key, PastRun.from_history(history), True)
            for key, history in going_on.items()
            if history.running
        ]
        for key, run, running in runs:
            if (entry := self._run(key, run, going_on=running)) is not None:
                yield entry

    def _run(self, key: str, run: PastRun, *, going_on: bool) -> CalendarEntry | None:
        """Show a run from its start to its end, or a marker at the one end seen, saying which."""
        if run.started is not None and going_on:
            start, end, ends = run.started, run.started + MARKER, "calendar_run_going_on"
        elif run.started is not None and run.finished is not None:
            start, end, ends = run.started, run.finished, "calendar_run_seen"
        elif run.started is not None:
            start, end, ends = run.started, run.started + MARKER, "calendar_run_start_seen"
        elif run.finished is not None and not going_on:
            start, end, ends = run.finished - MARKER, run.finished, "calendar_run_end_seen"
        else:
            # A run going on whose start was not seen: nothing to show until it ends.
            return None
        said = [self._text(ends)]
        if run.source in SOURCE_TEXTS:
            said.append(self._text(SOURCE_TEXTS[run.source]))
        return CalendarEntry(start, end, self._title(key), " ".join(said))

    def _backup_days(self) -> Iterator[CalendarEntry]:
        """Show the backups' days, but those on which a run of Backup Database was seen."""
        folder = self._snapshot.backups
        seen = {
            moment.astimezone(self._zone).date()
            for run in self._past.get(BACKUP_TASK, ())
            for moment in (run.started, run.finished)
            if moment is not None
        }
        for day in folder.days if folder else ():
            if day not in seen:
                yield CalendarEntry(
                    day,
                    day + timedelta(days=1),
                    self._title(BACKUP_TASK),
                    self._text("calendar_backup_file"),
                )

    def _title(self, key: str) -> str:
        if key == BUTLER_RUNS:
            return self._text("calendar_maintenance")
        state = self._snapshot.tasks.get(key)
        return state.task.title if state else key


def _overlaps(span: tuple[datetime, datetime], start: datetime, end: datetime) -> bool:
    """Whether an event is in the range; one of no length, when its moment is."""
    opens, closes = span
    if opens == closes:
        return start <= opens < end
    return opens < end and closes > start
