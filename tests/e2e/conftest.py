"""Fixtures of the end-to-end test: a simulated Plex server and a real Home Assistant process."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from dataclasses import dataclass
from datetime import datetime, timedelta
import os
from pathlib import Path
import shutil
import socket
import sys

import aiohttp
from aiohttp import web
import pytest

from custom_components.plex_butler.frontend import CARD_FILE
from tests.plex_simulator import EvidenceLevel, PlexSimulator

from .browser import Page, find_chromium, launch
from .ha_client import HomeAssistantApi, HomeAssistantError
from .ha_config import prepare_config_dir

REPO = Path(__file__).resolve().parents[2]
# Screenshots go to a git-ignored folder, so that a test run leaves the tree as it was;
# `scripts/screenshots` runs these tests and copies them into docs/ for the README.
SCREENSHOTS = REPO / "build" / "screenshots"
PLEX_TOKEN = "e2e-plex-token"
# Its media work (voice activity, `scheduled`: only the Butler does it) shows it running.
RUNNING_TASK = "ButlerTaskGenerateVoiceActivity"
# Backup Database runs every three days: its newest backup is from yesterday.
BACKUP_AGES_DAYS = (1, 4, 7)
# A page that loads the card's bundle alone, for the card's own tests.
CARD_ALONE = """<!doctype html>
<html><body><script type="module" src="/card.js"></script></body></html>
"""
# A first start installs the frontend and other requirements from the package index.
HA_START_TIMEOUT = 600.0
HA_STOP_TIMEOUT = 60.0


@pytest.fixture(autouse=True, scope="session")
def screenshots_folder() -> None:
    """The folder this run saves the README's screenshots in."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations() -> None:
    """Replace tests/conftest.py's: no Home Assistant in this process (it needs `hass`)."""


@pytest.fixture(autouse=True)
def loopback_sockets(socket_enabled: None) -> None:
    """Let the test open sockets, which pytest-socket blocks; all of them are on 127.0.0.1."""


@pytest.fixture
def chromium() -> str:
    """The Chromium to drive; the test fails (it does not skip) without one."""
    path = find_chromium()
    if path is None:
        pytest.fail(
            "The end-to-end test needs Chromium. scripts/setup installs Debian's chromium when run "
            "as root; otherwise `sudo apt-get install chromium`, or set CHROMIUM to a Chromium or "
            "Chrome binary."
        )
    return path


@pytest.fixture
async def simulated_plex() -> AsyncGenerator[PlexSimulator]:
    """The demo's simulated server: default tasks (two disabled), one of them running.

    It shows all it can of the Butler: its activity, its debug log, and a backup folder with
    backups of the last days.
    """
    today = datetime.now().astimezone().date()
    server = PlexSimulator(
        token=PLEX_TOKEN,
        run_seconds=3600,
        progress_interval=10,
        evidence=EvidenceLevel.BACKUP_FOLDER,
        backup_dates=[today - timedelta(days=days) for days in BACKUP_AGES_DAYS],
    )
    await server.start()
    try:
        await server.butler.start_task(RUNNING_TASK)
        yield server
    finally:
        await server.stop()


@dataclass
class HomeAssistantProcess:
    """A Home Assistant process and its API."""

    api: HomeAssistantApi
    config_dir: Path
    process: asyncio.subprocess.Process

    def log_tail(self, lines: int = 80) -> str:
        """Return the end of Home Assistant's log."""
        log = self.config_dir / "home-assistant.log"
        console = self.config_dir.parent / "home-assistant.console.log"
        for path in (log, console):
            if path.exists() and path.stat().st_size:
                return f"{path.name}:\n" + "\n".join(path.read_text().splitlines()[-lines:])
        return "(Home Assistant wrote no log)"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _write_configuration(config_dir: Path, port: int) -> None:
    """The demo's configuration.yaml, and where to listen: 127.0.0.1 on another port."""
    config_dir.mkdir(parents=True)
    shutil.copy(REPO / "config" / "configuration.yaml", config_dir / "configuration.yaml")
    prepare_config_dir(config_dir, port)


async def _stop(process: asyncio.subprocess.Process) -> None:
    if process.returncode is not None:
        return
    process.terminate()
    try:
        await asyncio.wait_for(process.wait(), HA_STOP_TIMEOUT)
    except TimeoutError:
        process.kill()
        await process.wait()


@pytest.fixture
async def home_assistant(
    tmp_path: Path, socket_enabled: None
) -> AsyncGenerator[HomeAssistantProcess]:
    """A real Home Assistant (the demo's configuration) on a free loopback port, not onboarded."""
    config_dir = tmp_path / "config"
    port = _free_port()
    _write_configuration(config_dir, port)
    env = dict(os.environ)
    # The repository on the path: Home Assistant finds custom_components/plex_butler there.
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    with (tmp_path / "home-assistant.console.log").open("wb") as console:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "homeassistant",
            "--config",
            str(config_dir),
            stdin=asyncio.subprocess.DEVNULL,
            stdout=console,
            stderr=asyncio.subprocess.STDOUT,
            env=env,
        )
    try:
        async with aiohttp.ClientSession() as session:
            instance = HomeAssistantProcess(
                HomeAssistantApi(session, f"http://127.0.0.1:{port}"), config_dir, process
            )
            try:
                await instance.api.wait_until_up(
                    HA_START_TIMEOUT, lambda: process.returncode is None
                )
            except (HomeAssistantError, TimeoutError) as error:
                pytest.fail(f"Home Assistant did not start: {error}\n{instance.log_tail()}")
            try:
                yield instance
            finally:
                # Shown with the test's output when it fails.
                print(instance.log_tail())  # noqa: T201
    finally:
        await _stop(process)


@pytest.fixture
async def card_page(chromium: str, tmp_path: Path) -> AsyncGenerator[Page]:
    """A Chromium tab on a page that loads the card's bundle, served on 127.0.0.1."""

    async def page(_: web.Request) -> web.Response:
        return web.Response(text=CARD_ALONE, content_type="text/html")

    async def bundle(_: web.Request) -> web.Response:
        return web.Response(body=CARD_FILE.read_bytes(), content_type="text/javascript")

    app = web.Application()
    app.router.add_get("/", page)
    app.router.add_get("/card.js", bundle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        async with (
            aiohttp.ClientSession() as session,
            launch(chromium, tmp_path / "chromium", session) as tab,
        ):
            await tab.open(f"http://127.0.0.1:{port}/")
            yield tab
    finally:
        await runner.cleanup()
