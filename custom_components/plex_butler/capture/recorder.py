"""Record what a Plex Media Server does, for the tests to replay (docs/captures.md).

It uses the client alone, with an aiohttp session of its own: no Home Assistant is involved.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Callable, Sequence
import contextlib
from dataclasses import dataclass
from datetime import UTC, datetime
import getpass
import os
from pathlib import Path
import sys
from typing import Any, Final, cast

import aiohttp

from ..api.client import PlexButlerClient
from ..api.exceptions import (
    PlexButlerAuthenticationError,
    PlexButlerConnectionError,
    PlexButlerError,
    PlexButlerSSLError,
)
from ..api.parsing import parse_butler_tasks, parse_server_info, parse_settings
from .file import (
    FORMAT,
    FORMAT_VERSION,
    describe,
    is_recorded_preference,
    redact,
    redact_preference,
    write_capture,
)

TOKEN_VARIABLE: Final = "PLEX_TOKEN"  # noqa: S105 - the variable's name, not a token
CLIENT_IDENTIFIER: Final = "plex-butler-capture"
BUTLER_POLL_SECONDS: Final = 60.0
WEBSOCKET_RETRY_SECONDS: Final = 15.0
EXIT_FAILED: Final = 1
EXIT_USAGE: Final = 2  # as argparse exits for a wrong argument
EXIT_INTERRUPTED: Final = 130


def say(message: str) -> None:
    """Tell the person recording what happens, on stderr."""
    print(f"capture: {message}", file=sys.stderr, flush=True)  # noqa: T201


# --- Recording -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CaptureOptions:
    """What to record, for how long, and where to write it."""

    url: str
    minutes: float
    output: Path
    verify_ssl: bool = True
    poll_seconds: float = 5.0
    label: str = ""
    butler_poll_seconds: float = BUTLER_POLL_SECONDS
    websocket_retry_seconds: float = WEBSOCKET_RETRY_SECONDS


class _Recorder:
    """Builds the timeline while the pollers and the websocket listener run side by side."""

    def __init__(self, client: PlexButlerClient, options: CaptureOptions) -> None:
        self._client = client
        self._options = options
        self._loop = asyncio.get_running_loop()
        self._start = self._loop.time()
        self._problems: dict[str, str] = {}
        self.timeline: list[dict[str, Any]] = []

    def elapsed(self) -> float:
        """Return the seconds since the recording started."""
        return round(self._loop.time() - self._start, 3)

    def _add(self, kind: str, document: dict[str, Any]) -> None:
        self.timeline.append({"t": self.elapsed(), kind: document})

    def _report(self, source: str, problem: str | None) -> None:
        """Say when a source starts failing, fails otherwise or works again; not every time."""
        before = self._problems.pop(source, None)
        if problem is not None:
            self._problems[source] = problem
        if problem != before:
            say(f"{source}: {problem or 'working again'}")

    async def _fetch(self, path: str) -> dict[str, Any] | None:
        """GET a document; a failure is reported, and the recording goes on without it."""
        try:
            document = await self._client.get_document(path)
        except PlexButlerError as err:
            self._report(f"GET {path}", f"{err}; trying again")
            return None
        self._report(f"GET {path}", None)
        return document

    async def _poll_activities(self) -> None:
        while True:
            if (activities := await self._fetch("/activities")) is not None:
                self._add("activities", activities)
            await asyncio.sleep(self._options.poll_seconds)

    async def _poll_butler(self, butler: dict[str, Any]) -> None:
        while True:
            await asyncio.sleep(self._options.butler_poll_seconds)
            latest = await self._fetch("/butler")
            if latest is not None and latest != butler:
                butler = latest
                self._add("butler", butler)
            say(f"{self.elapsed() / 60:.1f} min: {describe(self.timeline)}")

    async def _listen(self) -> None:
        retry = self._options.websocket_retry_seconds
        while True:
            try:
                async for frame in self._client.notification_frames(self._websocket_open):
                    self._add("notification", frame)
                problem = "closed by the server"
            except PlexButlerError as err:
                problem = str(err)
            self._report("websocket", f"{problem}; polls go on, retrying every {retry:g} s")
            await asyncio.sleep(retry)

    def _websocket_open(self) -> None:
        self._problems.pop("websocket", None)
        say("websocket: open, recording every frame")

    async def run(self, butler: dict[str, Any]) -> None:
        """Record until the time is up, or until this task is cancelled (as Ctrl-C does)."""
        try:
            async with asyncio.TaskGroup() as group:
                loops = (self._poll_activities(), self._poll_butler(butler), self._listen())
                tasks = [group.create_task(loop) for loop in loops]
                remaining = self._options.minutes * 60 - self.elapsed()
                group.create_task(_cancel_after(remaining, tasks))
        except asyncio.CancelledError:
            # Ctrl-C cancels the main task: stop early, and still write what was recorded.
            cast("asyncio.Task[Any]", asyncio.current_task()).uncancel()
            say("stopped early: writing what was recorded")


async def _cancel_after(seconds: float, tasks: list[asyncio.Task[None]]) -> None:
    await asyncio.sleep(seconds)
    for task in tasks:
        task.cancel()


async def record(client: PlexButlerClient, options: CaptureOptions) -> dict[str, Any]:
    """Record for `options.minutes` (less when cancelled); return the capture, not yet redacted."""
    recorded_at = datetime.now(UTC).astimezone()
    recorder = _Recorder(client, options)
    # A Plex server with a valid token answers all three; anything else ends here.
    info = parse_server_info(await client.get_document("/"))
    butler = await client.get_document("/butler")
    parse_butler_tasks(butler)
    settings = parse_settings(await client.get_document("/:/prefs"))
    say(
        f"recording {info.friendly_name} (Plex {info.version}, {info.platform}) for "
        f"{options.minutes:g} min into {options.output}: GET /activities every "
        f"{options.poll_seconds:g} s, GET /butler every {options.butler_poll_seconds:g} s, "
        "every websocket frame (activities, preferences, the debug log). Ctrl-C stops early."
    )
    await recorder.run(butler)
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "label": options.label,
        "origin": "recorded",
        "recorded_at": recorded_at.isoformat(timespec="seconds"),
        "duration_seconds": recorder.elapsed(),
        "server": {"version": info.version, "platform": info.platform},
        "butler": butler,
        "preferences": {
            setting.id: redact_preference(setting.id, setting.value)
            for setting in settings
            if is_recorded_preference(setting.id)
        },
        "timeline": sorted(recorder.timeline, key=lambda entry: float(entry["t"])),
    }


def _explain(err: PlexButlerError, url: str) -> str:
    if isinstance(err, PlexButlerAuthenticationError):
        return f"{err}: {TOKEN_VARIABLE} must hold the server owner's token"
    if isinstance(err, PlexButlerSSLError):
        return f"cannot reach {url}: {err} (https:// to an IP address: try --no-verify-ssl)"
    if isinstance(err, PlexButlerConnectionError):
        return f"cannot reach {url}: {err}"
    return f"{url} does not answer like a Plex Media Server: {err}"


async def run_capture(options: CaptureOptions, token: str) -> int:
    """Record and write a capture; return the exit status, saying in one line what failed."""
    async with aiohttp.ClientSession() as session:
        try:
            client = PlexButlerClient(
                options.url,
                token,
                session,
                client_identifier=CLIENT_IDENTIFIER,
                verify_ssl=options.verify_ssl,
            )
        except ValueError as err:
            say(str(err))
            return EXIT_USAGE
        try:
            capture = await record(client, options)
        except PlexButlerError as err:
            say(_explain(err, options.url))
            return EXIT_FAILED
    try:
        write_capture(redact(capture, token), options.output)
    except OSError as err:
        say(f"cannot write {options.output}: {err.strerror}")
        return EXIT_FAILED
    say(f"wrote {options.output}: {describe(capture['timeline'])}. Read it before you share it.")
    return 0


# --- The command -----------------------------------------------------------------------------


def _positive_number(text: str) -> float:
    with contextlib.suppress(ValueError):
        if (number := float(text)) > 0:
            return number
    raise argparse.ArgumentTypeError(f"not a positive number: {text}")


def parse_arguments(argv: Sequence[str] | None) -> CaptureOptions:
    """Read the command line; argparse exits with status 2 and a usage line when it is wrong."""
    parser = argparse.ArgumentParser(
        prog="python -m custom_components.plex_butler.capture",
        description="Record what a Plex Media Server's Butler does, for Plex Butler's tests "
        f"(docs/captures.md). The owner's token is read from {TOKEN_VARIABLE}, or asked for.",
    )
    add: Callable[..., Any] = parser.add_argument
    add("--url", required=True, help="the server, e.g. http://192.168.1.10:32400")
    add("--minutes", required=True, type=_positive_number, metavar="N", help="minutes to record")
    add("--output", required=True, type=Path, metavar="FILE", help="the JSON file to write")
    add("--no-verify-ssl", dest="verify_ssl", action="store_false", help="accept any certificate")
    add(
        "--poll-seconds",
        type=_positive_number,
        default=5.0,
        metavar="S",
        help="seconds between two GET /activities (default 5)",
    )
    add("--label", default="", metavar="TEXT", help="what happened, in a sentence")
    return CaptureOptions(**vars(parser.parse_args(argv)))


def read_token() -> str:
    """Read the token from the environment, or ask for it: never from argv, which anyone sees."""
    token = os.environ.get(TOKEN_VARIABLE)
    if token is None:
        try:
            token = getpass.getpass("Plex token (not shown): ")
        except EOFError:
            token = ""
    return token.strip()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; return its exit status."""
    options = parse_arguments(argv)
    if not options.output.parent.is_dir():
        say(f"no directory {options.output.parent} to write {options.output.name} in")
        return EXIT_USAGE
    try:
        token = read_token()
        if not token:
            say(f"no token: set {TOKEN_VARIABLE}, or type the token when asked")
            return EXIT_USAGE
        return asyncio.run(run_capture(options, token))
    except KeyboardInterrupt:
        say("stopped: no file written")
        return EXIT_INTERRUPTED
