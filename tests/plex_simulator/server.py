"""A Plex Media Server stand-in: identity, Butler, activities, preferences, notification websocket.

It behaves like the real server, traps included: XML unless JSON is asked for,
`/butler` rooted at `ButlerTasks`, 401 with an HTML body even when JSON was asked for, 202 for a
task already running, 404 when stopping a task that is not running.
"""

from collections.abc import Mapping
from typing import Any, Self

from aiohttp import web

from .butler import Butler
from .http_app import HttpApi
from .libraries import Libraries
from .models import SimulatedSection
from .replay import CaptureReplay, capture_options
from .state import ServerState
from .traps import Traps

SHUTDOWN_TIMEOUT = 1.0


class PlexSimulator(ServerState):
    """A Plex Media Server on 127.0.0.1 whose state tests read and change directly.

    It is its state (`ServerState`) and holds its parts, each given that state: the Butler
    (`butler`), the libraries (`libraries`), the traps (`traps`) and the capture replay
    (`replay`); it adds listening, going down, restarting and the token.

    State: `tasks` (by name, ordered), `activities` (by uuid, all of them), `preferences`
    (setting id to its value as a string, bools "1"/"0"; a setting removed from it is one this
    server does not have: not listed, and refused when written). Writing a `ButlerTask<name>`
    setting also enables or disables that task. Step-wise helpers (no sleeping, for frozen
    clocks): `add_activity`, `update_activity`.

    The Butler (`butler`, a `Butler`; how runs show is in its docstring): `runs`, `running`
    (task name to the activity whose end ends its run), `scheduled`, `last_run`; `start_task`,
    `stop_task`, `start_all`, `stop_all`, `end_activity`, `end_activities` (any activity: the
    runs it belongs to end first), and the window step by step: `begin_maintenance` /
    `run_in_maintenance` / `end_maintenance`, `cut_maintenance_short`, `in_maintenance`. The
    traps (`traps`, a `Traps`): `add_media`, `analyze`, `reload_guide` (background work outside
    the Butler), and `restart` (everything vanishes without an `ended` frame). Captures replay
    through `from_capture` and `replay.apply_entry` (`replay`, a `CaptureReplay`).

    What the server shows of the Butler (issue 18): `evidence` (constructor) or `set_evidence`
    picks an `EvidenceLevel` (NONE, ACTIVITY the default, DEBUG_LOG, BACKUP_FOLDER); the knobs it
    sets are `show_butler_activity`, the `logDebug` preference and `backup_folder_status`.
    Unknowns have knobs too: `butler_activity_title` ("Butler tasks", real; the old placeholder
    is PLACEHOLDER_BUTLER_TITLE) and `butler_activity_type` ("butler", inference),
    `log_task_names` ("bare" or "prefixed"), `log_frame_shape` ("line", "batch", "text"),
    `backups` (dates in the backup folder, newest first; `backup_dates` in the constructor).

    Libraries (`libraries`, a `Libraries`): `sections` (by key), `add_section`, `refresh`,
    `clean_bundles`, `optimize_database`: background activity that ends after `run_seconds`.

    Faults (`faults`, a `Faults`): `delay`, `fail_with_500`, `garbage`, `truncated`,
    `websockets_enabled`, `websocket_fault`, `unknown_preference_status`; and here
    `revoke_token`, `set_token`, `go_down` / `come_back`, `drop_websockets`.
    """

    url = ""
    _host = "127.0.0.1"
    _port = 0
    _runner: web.AppRunner | None = None

    def __init__(self, *, sections: list[SimulatedSection] | None = None, **options: Any) -> None:
        """Create a stopped server with `sections`; the other options are `ServerState`'s."""
        super().__init__(**options)
        self.butler = Butler(self)
        self.libraries = Libraries(self, sections)
        self.replay = CaptureReplay(self)
        self.traps = Traps(self)

    @classmethod
    def from_capture(cls, capture: Mapping[str, Any], **options: Any) -> Self:
        """Return a stopped server as the capture found it: version, platform, tasks, settings.

        The captured `butler` document alone says which tasks are enabled. `options` are the
        constructor's and win over the capture; see `CaptureReplay.load` for the clock.
        """
        simulator = cls(**(capture_options(capture) | options))
        simulator.replay.load(capture, clock_given="clock" in options)
        return simulator

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Listen on host:port (0: a free port) and return the base URL."""
        self._host = host
        await self._listen(port)
        return self.url

    async def stop(self) -> None:
        """Stop every task run, close every websocket and stop listening."""
        await self.forget_runs()
        await self.go_down()

    async def go_down(self) -> None:
        """Stop listening (connections are refused) and drop the websockets; tasks keep running."""
        if self._runner is None:
            return
        await self.drop_websockets()
        runner, self._runner = self._runner, None
        await runner.cleanup()

    async def come_back(self) -> None:
        """Listen again on the same port after `go_down`."""
        if self._runner is None:
            await self._listen(self._port)

    async def _listen(self, port: int) -> None:
        runner = web.AppRunner(
            HttpApi(self).make_app(), access_log=None, shutdown_timeout=SHUTDOWN_TIMEOUT
        )
        await runner.setup()
        await web.TCPSite(runner, self._host, port).start()
        self._runner = runner
        self._port = runner.addresses[0][1]
        self.url = f"http://{self._host}:{self._port}"

    async def restart(self) -> None:
        """Restart the server: every activity and run vanishes WITHOUT an `ended` frame.

        Every notification websocket closes; the server keeps listening with the same identity,
        tasks, settings and last runs. Scheduled tasks and the maintenance window are forgotten.
        """
        # The table empties before anything awaits, so no frame can announce an end.
        self.activities.clear()
        self.butler.scheduled.clear()
        await self.forget_runs()
        await self.drop_websockets()

    async def forget_runs(self) -> None:
        """Drop the Butler's runs and window and the library work, without a frame."""
        await self.libraries.forget()
        await self.butler.forget_runs()

    def revoke_token(self) -> None:
        """Make the current token stop working: 401 everywhere it is needed."""
        self._token = None

    def set_token(self, token: str) -> None:
        """Make `token` the one valid token."""
        self._token = token
