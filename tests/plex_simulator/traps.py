"""What a real server does besides the Butler, which a client can mistake for Butler runs.

Each helper starts its activities at once, announced by `started` frames, and leaves them running
until the test ends them (`butler.end_activity`, `butler.end_activities`): no sleeping, so they
work under the frozen clock of integration tests.
"""

from collections.abc import Iterable

from .catalog import ACTIVITY_KINDS, CREDITS, EPG, LIBRARY_SCAN, LOUDNESS, MEDIA_WORK
from .models import SimulatedActivity
from .settings import BEHAVIOR_ASAP
from .state import ServerState

ANALYZE_ACTIVITY_TYPES = (LOUDNESS.type, CREDITS.type)
"""What `analyze` starts by default: the two kinds of media work whose real titles are known."""


class Traps:
    """Background work outside any Butler run, shown by the server it is given."""

    def __init__(self, server: ServerState) -> None:
        """Start the work on `server`."""
        self._server = server

    async def add_media(
        self, section: str = "Movies", *, section_id: str = "1"
    ) -> list[SimulatedActivity]:
        """Do what the server does when media is added to a library section.

        A `library.update.section` scan ("Scanning <section>"), then, for each `*Behavior`
        setting set to `asap` ("as a scheduled task and when media is added"), that setting's
        media work (`MEDIA_WORK`). No `butler` activity: the Butler is not involved. Returns the
        activities started, the scan first.
        """
        scan = self._server.new_activity(
            LIBRARY_SCAN,
            title=LIBRARY_SCAN.title.format(section=section),
            context={"librarySectionID": section_id},
        )
        media_work = [
            self._server.new_activity(work.activity)
            for work in MEDIA_WORK
            if self._server.preferences.get(work.behavior) == BEHAVIOR_ASAP
        ]
        await self._server.show(scan, *media_work)
        return [scan, *media_work]

    async def analyze(
        self, activity_types: Iterable[str] = ANALYZE_ACTIVITY_TYPES
    ) -> list[SimulatedActivity]:
        """Do what a manual Analyze from Plex Web does: media work outside any Butler run.

        Public evidence: a manual Analyze queues the same media work as the `*Behavior`
        settings, and real servers title it "Generating loudness data" and "Detecting Credits".
        Which work one Analyze queues is not public: the test chooses, by activity type (any of
        `ACTIVITY_KINDS`; KeyError for another). Returns the activities started.
        """
        activities = [self._server.new_activity(ACTIVITY_KINDS[kind]) for kind in activity_types]
        await self._server.show(*activities)
        return activities

    async def reload_guide(self) -> SimulatedActivity:
        """Do what a DVR guide reload does: `provider.epg.load` "Refreshing EPG", no Butler run.

        Its subtitle counts what it fetched on a real server ("Downloaded 173 airings"): set it
        with `update_activity(uuid, progress, subtitle=...)`.
        """
        activity = self._server.new_activity(EPG)
        await self._server.show(activity)
        return activity
