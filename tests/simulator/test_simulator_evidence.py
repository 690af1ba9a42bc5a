"""The simulated server's backup folder (`/services/browse`) and its evidence levels.

What a real server answers for a folder it cannot list is not public: the statuses are knobs.
"""

import asyncio
import base64
from datetime import date
import re

import aiohttp
import pytest

from tests.plex_simulator import EvidenceLevel, PlexSimulator
from tests.plex_simulator.settings import BACKUP_FOLDER
from tests.simulator.test_simulator_log import butler_lines, frames, lines_of
from tests.simulator_helpers import JSON, NOTIFICATIONS, NOW, XML, get_json

# --- Backups ---------------------------------------------------------------------------------


def browse(folder: str) -> str:
    return "/services/browse/" + base64.b64encode(folder.encode()).decode()


async def listed_names(session: aiohttp.ClientSession, folder: str = BACKUP_FOLDER) -> list[str]:
    container = (await get_json(session, f"{browse(folder)}?includeFiles=1"))["MediaContainer"]
    assert container["size"] == len(container.get("File", []))
    return [item["title"] for item in container.get("File", [])]


async def test_the_backup_folder_rotates(
    simulator: PlexSimulator, session: aiohttp.ClientSession
) -> None:
    simulator.set_evidence(EvidenceLevel.BACKUP_FOLDER)
    simulator.backups = [date(2025, 3, 11), date(2025, 3, 8), date(2025, 3, 5)]
    await simulator.butler.start_task("BackupDatabase", run_seconds=0.01)
    async with asyncio.timeout(2):
        while simulator.butler.runs:  # noqa: ASYNC110 - the run ends on its own timer
            await asyncio.sleep(0.01)
    names = await listed_names(session)
    backups = [
        name for name in names if re.fullmatch(r"com.plexapp.plugins.library.db-[\d-]+", name)
    ]
    assert backups == [
        f"com.plexapp.plugins.library.db-{day}" for day in ("2025-03-08", "2025-03-11", NOW.date())
    ]
    assert {
        "com.plexapp.plugins.library.db",
        "com.plexapp.plugins.library.db-shm",
        "com.plexapp.plugins.library.db-wal",
        "com.plexapp.plugins.library.blobs.db",
        f"com.plexapp.plugins.library.blobs.db-{NOW.date()}",
    } <= set(names)
    container = (await get_json(session, f"{browse(BACKUP_FOLDER)}?includeFiles=1"))[
        "MediaContainer"
    ]
    first = container["File"][0]
    assert first["path"] == f"{BACKUP_FOLDER}/{first['title']}"
    assert first["key"] == browse(first["path"])


async def test_a_listing_without_files(
    simulator: PlexSimulator, session: aiohttp.ClientSession
) -> None:
    """Servers from 1.32.7 list only folders unless `includeFiles=1` is set (python-plexapi)."""
    simulator.set_evidence(EvidenceLevel.BACKUP_FOLDER)
    assert (await get_json(session, browse(BACKUP_FOLDER)))["MediaContainer"] == {"size": 0}


@pytest.mark.parametrize("status", [404, 403, 500])
async def test_a_folder_it_cannot_list(
    simulator: PlexSimulator, session: aiohttp.ClientSession, status: int
) -> None:
    simulator.set_evidence(EvidenceLevel.BACKUP_FOLDER)
    simulator.backup_folder_status = status
    async with session.get(f"{browse(BACKUP_FOLDER)}?includeFiles=1", headers=JSON) as response:
        assert response.status == status
        assert response.content_type == "text/html"


@pytest.mark.parametrize("path", ["/elsewhere", "not base64!", BACKUP_FOLDER + "/sub"])
async def test_other_folders_are_missing(
    simulator: PlexSimulator, session: aiohttp.ClientSession, path: str
) -> None:
    simulator.set_evidence(EvidenceLevel.BACKUP_FOLDER)
    encoded = path if " " in path else browse(path).rsplit("/", 1)[1]
    async with session.get(f"/services/browse/{encoded}", headers=JSON) as response:
        assert response.status == 404


# --- Evidence levels -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("level", "activity", "log", "folder"),
    [
        (EvidenceLevel.NONE, False, False, 404),
        (EvidenceLevel.ACTIVITY, True, False, 404),
        (EvidenceLevel.DEBUG_LOG, True, True, 404),
        (EvidenceLevel.BACKUP_FOLDER, True, True, 200),
    ],
)
async def test_evidence_levels(
    simulator: PlexSimulator,
    session: aiohttp.ClientSession,
    level: EvidenceLevel,
    activity: bool,
    log: bool,
    folder: int,
) -> None:
    simulator.set_evidence(level)
    simulator.run_seconds = simulator.progress_interval = 30
    everything = {"filters": "activity,log"}
    async with session.ws_connect(NOTIFICATIONS, headers=XML, params=everything) as socket:
        await simulator.butler.start_task("BackupDatabase")
        await simulator.butler.start_task("ButlerTaskGenerateCreditsMarkers")
        received = await frames(socket)
    types = {
        item["Activity"]["type"]
        for frame in received
        if frame["NotificationContainer"]["type"] == "activity"
        for item in frame["NotificationContainer"]["ActivityNotification"]
    }
    assert types == ({"butler"} if activity else set()) | {"media.generate.credits"}
    logged = [
        line
        for frame in received
        if frame["NotificationContainer"]["type"] == "log"
        for line in lines_of(frame)
    ]
    assert bool(butler_lines(logged)) is log
    assert set(simulator.butler.runs) == {"BackupDatabase", "ButlerTaskGenerateCreditsMarkers"}
    async with session.get(f"{browse(BACKUP_FOLDER)}?includeFiles=1", headers=JSON) as response:
        assert response.status == folder
    # A run without media work and without a Butler activity shows nothing, yet runs.
    async with session.post("/butler/BackupDatabase", headers=JSON) as response:
        assert response.status == 202


async def test_the_level_is_a_constructor_argument() -> None:
    server = PlexSimulator(
        evidence=EvidenceLevel.BACKUP_FOLDER, backup_dates=[date(2025, 1, d) for d in (1, 2, 3, 4)]
    )
    assert (server.show_butler_activity, server.log_debug, server.backup_folder_status) == (
        True,
        True,
        None,
    )
    assert server.backups == [date(2025, 1, 4), date(2025, 1, 3), date(2025, 1, 2)]
    default = PlexSimulator()
    assert (default.show_butler_activity, default.log_debug, default.backup_folder_status) == (
        True,
        False,
        404,
    )
