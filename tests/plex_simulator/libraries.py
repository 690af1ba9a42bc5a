"""Library maintenance beside the Butler: the libraries, their scans and trash, bundles, database.

What is known (python-plexapi, Plex's API spec, a real server's activities): `GET /library/sections`
lists the libraries as `Directory` elements (`key`, `title`, `type`, ...); emptying a library's
trash and scanning it answer 200 with an empty body, and a library the server does not have 404;
a scan shows as a `library.update.section` activity titled "Scanning <library>" with the library's
id in its context. What is a guess: refreshing all libraries scans each (one activity each); a
library already being scanned is not scanned twice; emptying the trash shows no activity; cleaning
bundles and optimizing the database show the placeholder activities of `catalog.py`; what a forced
refresh (`force=1`) shows beyond the scan. Work ends by itself after `run_seconds` (or when a test
ends its activity); none of it is a Butler run.
"""

import asyncio

from .catalog import CLEAN_BUNDLES, DEFAULT_SECTIONS, LIBRARY_SCAN, OPTIMIZE_DATABASE
from .models import ActivityKind, SimulatedActivity, SimulatedSection
from .state import ServerState


class Libraries:
    """A server's libraries (`sections`, by key, ordered) and the maintenance asked of them."""

    def __init__(self, server: ServerState, sections: list[SimulatedSection] | None) -> None:
        """Hold the `sections` (default: Movies, TV Shows, Music) whose work `server` shows."""
        self._server = server
        self.sections: dict[str, SimulatedSection] = {
            section.key: SimulatedSection(section.key, section.title, section.type)
            for section in (DEFAULT_SECTIONS if sections is None else sections)
        }
        self._timers: set[asyncio.Task[None]] = set()

    def add_section(self, title: str, type: str = "movie") -> SimulatedSection:  # noqa: A002
        """Add a library, as Plex Web does, with the next free key."""
        key = str(max((int(key) for key in self.sections), default=0) + 1)
        section = self.sections[key] = SimulatedSection(key, title, type)
        return section

    async def refresh(self, key: str | None = None) -> list[SimulatedActivity]:
        """Scan one library (KeyError for a key it does not have), or every library."""
        sections = [self.sections[key]] if key is not None else list(self.sections.values())
        scanning = {activity.context.get("librarySectionID") for activity in self._scans()}
        return [
            await self._work(
                LIBRARY_SCAN,
                LIBRARY_SCAN.title.format(section=section.title),
                {"librarySectionID": section.key},
            )
            for section in sections
            if section.key not in scanning
        ]

    async def clean_bundles(self) -> SimulatedActivity:
        """Clean the bundles no item uses, as a background activity."""
        return await self._work(CLEAN_BUNDLES, CLEAN_BUNDLES.title)

    async def optimize_database(self) -> SimulatedActivity:
        """Optimize the database, as a background activity."""
        return await self._work(OPTIMIZE_DATABASE, OPTIMIZE_DATABASE.title)

    async def forget(self) -> None:
        """Drop the work without a frame (a restart or a stop)."""
        timers = list(self._timers)
        for timer in timers:
            timer.cancel()
        if timers:
            await asyncio.wait(timers)

    def _scans(self) -> list[SimulatedActivity]:
        return [a for a in self._server.activities.values() if a.type == LIBRARY_SCAN.type]

    async def _work(
        self, kind: ActivityKind, title: str, context: dict[str, str] | None = None
    ) -> SimulatedActivity:
        activity = self._server.new_activity(kind, title=title, context=context)
        await self._server.show(activity)
        timer = asyncio.create_task(self._end_later(activity), name=f"plex_simulator {title}")
        self._timers.add(timer)
        timer.add_done_callback(self._timers.discard)
        return activity

    async def _end_later(self, activity: SimulatedActivity) -> None:
        await asyncio.sleep(self._server.run_seconds)
        await self._server.remove_activity(activity)
