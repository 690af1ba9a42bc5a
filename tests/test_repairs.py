"""Repairs: what the server shows wrong, said where the user looks, fixed only when asked.

The debug log and Backup Database switched off (fixable: turn the setting on), a database backup
overdue by the backup folder's dates, and a task cut short three nights in a row by the debug
log; each goes when its cause does, none from nothing.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.plex_butler.api.models import (
    ActivityEvent,
    ButlerTask,
    SubActivityNotification,
)
from custom_components.plex_butler.butler.problems import (
    CutShortNights,
    OverdueBackup,
    night_of,
    overdue_backup,
)
from custom_components.plex_butler.butler.schedule import MaintenanceWindow, TaskHistory
from custom_components.plex_butler.butler.server_log import ButlerLog
from custom_components.plex_butler.butler.snapshot import BackupFolder, ButlerSnapshot, TaskState
from custom_components.plex_butler.const import DOMAIN

from .conftest import MACHINE_ID, async_press, async_settle, async_tick, async_wait_until
from .plex_simulator import PlexSimulator
from .plex_simulator.models import EvidenceLevel

BACKUP_OFF = "backup_database_off"
OVERDUE = "backup_overdue"
BACKUP_SWITCH = "ButlerTaskBackupDatabase"


def _issue(
    hass: HomeAssistant, entry: MockConfigEntry, kind: str = "debug_log_off"
) -> ir.IssueEntry | None:
    return ir.async_get(hass).async_get_issue(DOMAIN, f"{kind}_{entry.entry_id}")


async def _fix(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    entry: MockConfigEntry,
    kind: str = "debug_log_off",
) -> tuple[dict[str, Any], Any]:
    """Open the repair's fix dialog as the frontend does; return it and a way to submit."""
    assert await async_setup_component(hass, "repairs", {})
    client = await hass_client()
    response = await client.post(
        "/api/repairs/issues/fix",
        json={"handler": DOMAIN, "issue_id": f"{kind}_{entry.entry_id}"},
    )
    assert response.status == 200, await response.text()
    shown = await response.json()

    async def submit() -> dict[str, Any]:
        answer = await client.post(f"/api/repairs/issues/fix/{shown['flow_id']}", json={})
        assert answer.status == 200, await answer.text()
        result: dict[str, Any] = await answer.json()
        return result

    return shown, submit


async def test_debug_log_off_is_a_repair_that_turns_it_on_when_asked(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    plex_server: PlexSimulator,
    hass_client: ClientSessionGenerator,
) -> None:
    """The repair says what is lost; its fix writes `logDebug` only on submit; then it is gone."""
    issue = _issue(hass, init_integration)
    assert issue is not None
    assert (issue.translation_key, issue.is_fixable, issue.severity) == (
        "debug_log_off",
        True,
        ir.IssueSeverity.WARNING,
    )
    assert issue.translation_placeholders == {"server": "Living Room Plex"}

    shown, submit = await _fix(hass, hass_client, init_integration)
    assert (shown["type"], shown["step_id"]) == ("form", "confirm")
    assert shown["description_placeholders"] == {"server": "Living Room Plex"}
    # Opening the dialog changes nothing on the server.
    assert not [r for r in plex_server.requests if r.method == "PUT"]
    assert (await submit())["type"] == "create_entry"

    writes = [r for r in plex_server.requests if r.method == "PUT"]
    assert [(r.path, r.query.get("logDebug")) for r in writes] == [("/:/prefs", "1")]
    await async_wait_until(hass, lambda: _issue(hass, init_integration) is None)


async def test_a_refused_write_keeps_the_dialog_with_an_error(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    plex_server: PlexSimulator,
    hass_client: ClientSessionGenerator,
) -> None:
    """The server fails the write: the dialog says so, and the repair stays."""
    _, submit = await _fix(hass, hass_client, init_integration)
    plex_server.faults.fail_with_500 = True
    answer = await submit()
    plex_server.faults.fail_with_500 = False
    assert (answer["type"], answer["errors"]) == ("form", {"base": "write_failed"})
    assert _issue(hass, init_integration) is not None


async def test_a_dialog_left_open_while_the_entry_unloads_writes_nothing(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    plex_server: PlexSimulator,
    hass_client: ClientSessionGenerator,
) -> None:
    """The server is no longer followed when the user submits: the dialog ends, nothing sent."""
    _, submit = await _fix(hass, hass_client, init_integration)
    assert await hass.config_entries.async_unload(init_integration.entry_id)
    answer = await submit()
    assert (answer["type"], answer["reason"]) == ("abort", "not_loaded")
    assert not [r for r in plex_server.requests if r.method == "PUT"]


@pytest.mark.parametrize("level", [EvidenceLevel.DEBUG_LOG])
async def test_no_repair_while_debug_logging_is_on_and_none_once_unloaded(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    plex_server: PlexSimulator,
    level: EvidenceLevel,
) -> None:
    """On, there is nothing to repair; turned off in Plex Web, the repair comes; unloaded, goes."""
    plex_server.set_evidence(level)
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await async_settle(hass)
    assert _issue(hass, mock_config_entry) is None

    await plex_server.set_preference("logDebug", "0")
    await async_wait_until(hass, lambda: _issue(hass, mock_config_entry) is not None)
    assert await hass.config_entries.async_unload(mock_config_entry.entry_id)
    assert _issue(hass, mock_config_entry) is None


async def test_backup_database_switched_off_is_a_repair_until_it_is_on_again(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    plex_server: PlexSimulator,
    hass_client: ClientSessionGenerator,
) -> None:
    """Off in Plex Web: raised; on in Plex Web: gone; off again, the fix writes it on on submit."""
    assert _issue(hass, init_integration, BACKUP_OFF) is None
    await plex_server.set_preference(BACKUP_SWITCH, "0")
    await async_wait_until(hass, lambda: _issue(hass, init_integration, BACKUP_OFF) is not None)
    issue = _issue(hass, init_integration, BACKUP_OFF)
    assert issue is not None
    assert (issue.translation_key, issue.is_fixable, issue.severity) == (
        BACKUP_OFF,
        True,
        ir.IssueSeverity.WARNING,
    )
    assert issue.translation_placeholders == {"server": "Living Room Plex"}
    await plex_server.set_preference(BACKUP_SWITCH, "1")
    await async_wait_until(hass, lambda: _issue(hass, init_integration, BACKUP_OFF) is None)

    await plex_server.set_preference(BACKUP_SWITCH, "0")
    await async_wait_until(hass, lambda: _issue(hass, init_integration, BACKUP_OFF) is not None)
    plex_server.requests.clear()
    shown, submit = await _fix(hass, hass_client, init_integration, BACKUP_OFF)
    assert (shown["type"], shown["step_id"]) == ("form", "confirm")
    assert not [r for r in plex_server.requests if r.method == "PUT"]
    assert (await submit())["type"] == "create_entry"
    writes = [r for r in plex_server.requests if r.method == "PUT"]
    assert [(r.path, r.query.get(BACKUP_SWITCH)) for r in writes] == [("/:/prefs", "1")]
    assert plex_server.tasks["BackupDatabase"].enabled
    await async_wait_until(hass, lambda: _issue(hass, init_integration, BACKUP_OFF) is None)


@pytest.fixture
def at_noon(freezer: FrozenDateTimeFactory) -> date:
    """Noon on 2026-11-28, after the night's maintenance window; returns the day."""
    freezer.move_to(datetime(2026, 11, 28, 12, 0, tzinfo=dt_util.get_default_time_zone()))
    return date(2026, 11, 28)


async def _load(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    server: PlexSimulator,
    level: EvidenceLevel,
    backups: list[date],
) -> None:
    server.set_evidence(level)
    server.backups = backups
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await async_wait_until(hass, lambda: entry.runtime_data.push_connected)
    await async_settle(hass)


async def test_an_overdue_backup_is_raised_from_the_folder_and_goes_with_a_newer_one(
    hass: HomeAssistant,
    at_noon: date,
    freezer: FrozenDateTimeFactory,
    mock_config_entry: MockConfigEntry,
    plex_server: PlexSimulator,
) -> None:
    """Newest file 8 days old, Backup Database every 3 days: over 2 x 3 + 1 days. A newer file
    read 6 hours later removes it; a later overdue one goes the moment a run is seen."""
    await _load(
        hass,
        mock_config_entry,
        plex_server,
        EvidenceLevel.BACKUP_FOLDER,
        [at_noon - timedelta(days=days) for days in (8, 11, 14)],
    )
    issue = _issue(hass, mock_config_entry, OVERDUE)
    assert issue is not None
    assert (issue.translation_key, issue.is_fixable) == (OVERDUE, False)
    assert issue.translation_placeholders == {
        "server": "Living Room Plex",
        "newest": "2026-11-20",
        "days": "8",
        "limit": "7",
    }

    plex_server.backups = [at_noon - timedelta(days=days) for days in (1, 8, 11)]
    await async_tick(hass, freezer, timedelta(hours=6))
    assert _issue(hass, mock_config_entry, OVERDUE) is None

    # Nine days on, the newest file is too old again; a run of the backup seen is a newer one.
    await async_tick(hass, freezer, timedelta(days=9))
    assert _issue(hass, mock_config_entry, OVERDUE) is not None
    await async_press(hass, f"{MACHINE_ID}_BackupDatabase_start")
    await async_settle(hass)
    assert _issue(hass, mock_config_entry, OVERDUE) is None


async def test_a_backup_becomes_overdue_at_midnight(
    hass: HomeAssistant,
    at_noon: date,
    freezer: FrozenDateTimeFactory,
    mock_config_entry: MockConfigEntry,
    plex_server: PlexSimulator,
) -> None:
    """Seven days old is not yet overdue; the next day it is, with nothing else changing."""
    await _load(
        hass,
        mock_config_entry,
        plex_server,
        EvidenceLevel.BACKUP_FOLDER,
        [at_noon - timedelta(days=7)],
    )
    assert _issue(hass, mock_config_entry, OVERDUE) is None
    await async_tick(hass, freezer, timedelta(hours=12, seconds=10))
    issue = _issue(hass, mock_config_entry, OVERDUE)
    assert issue is not None
    assert issue.translation_placeholders is not None
    assert issue.translation_placeholders["days"] == "8"
    assert await hass.config_entries.async_unload(mock_config_entry.entry_id)
    assert _issue(hass, mock_config_entry, OVERDUE) is None


@pytest.mark.parametrize(
    ("level", "backups"),
    [
        (EvidenceLevel.NONE, [date(2026, 10, 1)]),
        (EvidenceLevel.ACTIVITY, [date(2026, 10, 1)]),
        (EvidenceLevel.DEBUG_LOG, [date(2026, 10, 1)]),
        (EvidenceLevel.BACKUP_FOLDER, []),
    ],
)
async def test_no_backup_repair_from_a_server_that_shows_no_backup(
    hass: HomeAssistant,
    at_noon: date,
    freezer: FrozenDateTimeFactory,
    mock_config_entry: MockConfigEntry,
    plex_server: PlexSimulator,
    level: EvidenceLevel,
    backups: list[date],
) -> None:
    """No listable folder (old backups in it or not), or an empty one, and no run seen: nothing
    says a backup is missing, even weeks on; Backup Database is on, so that is no repair either."""
    await _load(hass, mock_config_entry, plex_server, level, backups)
    await async_tick(hass, freezer, timedelta(days=20))
    assert _issue(hass, mock_config_entry, OVERDUE) is None
    assert _issue(hass, mock_config_entry, BACKUP_OFF) is None


def _snapshot(days: tuple[date, ...], interval: int, seen: datetime | None) -> ButlerSnapshot:
    task = ButlerTask("BackupDatabase", "Backup Database", "", interval, False, True)
    state = TaskState(task, TaskHistory(last_started=seen), None)
    return ButlerSnapshot(
        {"BackupDatabase": state}, (), (), MaintenanceWindow(), backups=BackupFolder(days)
    )


def test_overdue_is_past_twice_the_interval_plus_a_day() -> None:
    """Counted in the server's days, from the newest file or a later run seen; the task's own
    interval sets the limit."""
    now = datetime(2026, 11, 28, 0, 30, tzinfo=dt_util.get_default_time_zone())
    assert overdue_backup(_snapshot((date(2026, 11, 21),), 3, None), now) is None
    assert overdue_backup(_snapshot((date(2026, 11, 20),), 3, None), now) == OverdueBackup(
        date(2026, 11, 20), 8, 7
    )
    assert overdue_backup(_snapshot((date(2026, 11, 24),), 1, None), now) == OverdueBackup(
        date(2026, 11, 24), 4, 3
    )
    seen = datetime(2026, 11, 26, 3, 0, tzinfo=dt_util.get_default_time_zone())
    assert overdue_backup(_snapshot((date(2026, 11, 20),), 3, seen), now) is None
    # Runs seen alone, without a folder listing backups, never make one overdue.
    assert overdue_backup(_snapshot((), 3, seen - timedelta(days=30)), now) is None


CUT = "task_cut_short"
OPTIMIZE = "OptimizeDatabase"


@pytest.fixture
def at_three(freezer: FrozenDateTimeFactory) -> None:
    """03:00 on 2026-11-25, inside the night's maintenance window (2 to 5)."""
    freezer.move_to(datetime(2026, 11, 25, 3, 0, tzinfo=dt_util.get_default_time_zone()))


async def _night(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    server: PlexSimulator,
    entry: MockConfigEntry,
    *,
    cut_short: bool,
) -> None:
    """The night's Butler run of Optimize Database: cut short, or done; then the next night."""
    await server.butler.begin_maintenance()
    await server.butler.run_in_maintenance(OPTIMIZE)
    await async_tick(hass, freezer, timedelta(minutes=20))
    if cut_short:
        await server.butler.cut_maintenance_short()
    else:
        await server.butler.end_maintenance()
    await async_wait_until(hass, lambda: not entry.runtime_data.data.maintenance_running)
    # The end is judged a minute later, when a part's end logged late would have come.
    await async_tick(hass, freezer, timedelta(minutes=2))
    await async_tick(hass, freezer, timedelta(hours=24) - timedelta(minutes=22))


async def test_a_task_cut_short_three_nights_in_a_row_until_a_run_ends_on_its_own(
    hass: HomeAssistant,
    at_three: None,
    freezer: FrozenDateTimeFactory,
    mock_config_entry: MockConfigEntry,
    plex_server: PlexSimulator,
) -> None:
    """The log showed its part start, never end, when the Butler's run ended: three nights."""
    await _load(hass, mock_config_entry, plex_server, EvidenceLevel.DEBUG_LOG, [])
    for _ in range(2):
        await _night(hass, freezer, plex_server, mock_config_entry, cut_short=True)
        assert _task_issue(hass, mock_config_entry) is None
    await _night(hass, freezer, plex_server, mock_config_entry, cut_short=True)
    issue = _task_issue(hass, mock_config_entry)
    assert issue is not None
    assert (issue.translation_key, issue.is_fixable) == (CUT, False)
    assert issue.translation_placeholders == {
        "server": "Living Room Plex",
        "task": "Optimize Database",
    }
    await _night(hass, freezer, plex_server, mock_config_entry, cut_short=False)
    assert _task_issue(hass, mock_config_entry) is None


async def test_a_run_cut_short_and_run_again_to_its_end_within_the_minute(
    hass: HomeAssistant,
    at_three: None,
    freezer: FrozenDateTimeFactory,
    mock_config_entry: MockConfigEntry,
    plex_server: PlexSimulator,
) -> None:
    """The third night's cut is judged at the next end, which ran the task through: no repair."""
    await _load(hass, mock_config_entry, plex_server, EvidenceLevel.DEBUG_LOG, [])
    for _ in range(2):
        await _night(hass, freezer, plex_server, mock_config_entry, cut_short=True)
    coordinator = mock_config_entry.runtime_data
    await plex_server.butler.begin_maintenance()
    await plex_server.butler.run_in_maintenance(OPTIMIZE)
    await async_tick(hass, freezer, timedelta(minutes=20))
    await plex_server.butler.cut_maintenance_short()
    await async_wait_until(hass, lambda: not coordinator.data.maintenance_running)
    await plex_server.butler.begin_maintenance()
    await plex_server.butler.run_in_maintenance(OPTIMIZE)
    await async_tick(hass, freezer, timedelta(seconds=20))
    await plex_server.butler.end_maintenance()
    await async_wait_until(hass, lambda: not coordinator.data.maintenance_running)
    await async_tick(hass, freezer, timedelta(minutes=2))
    assert _task_issue(hass, mock_config_entry) is None


def _task_issue(hass: HomeAssistant, entry: MockConfigEntry) -> ir.IssueEntry | None:
    return ir.async_get(hass).async_get_issue(DOMAIN, f"{CUT}_{entry.entry_id}_{OPTIMIZE}")


@pytest.mark.parametrize(
    ("level", "nights"),
    [
        # A run that ends on its own, or a night without a run, starts the count again.
        (EvidenceLevel.DEBUG_LOG, [True, True, False, True, True]),
        (EvidenceLevel.DEBUG_LOG, [True, True, None, True]),
        # Without the debug log nothing shows the task's part of the run: no repair, ever.
        (EvidenceLevel.ACTIVITY, [True, True, True, True]),
        (EvidenceLevel.NONE, [True, True, True]),
    ],
)
async def test_no_cut_short_repair_without_three_nights_in_a_row_seen(
    hass: HomeAssistant,
    at_three: None,
    freezer: FrozenDateTimeFactory,
    mock_config_entry: MockConfigEntry,
    plex_server: PlexSimulator,
    level: EvidenceLevel,
    nights: list[bool | None],
) -> None:
    """None is a night without maintenance."""
    await _load(hass, mock_config_entry, plex_server, level, [])
    for cut_short in nights:
        if cut_short is None:
            await async_tick(hass, freezer, timedelta(days=1))
        else:
            await _night(hass, freezer, plex_server, mock_config_entry, cut_short=cut_short)
        assert _task_issue(hass, mock_config_entry) is None


def test_a_part_is_cut_short_only_while_no_end_of_it_was_logged() -> None:
    """Open when its run ended: cut short. Its end logged after all, or a new part: not."""
    log = ButlerLog()
    tasks = {OPTIMIZE}.intersection

    def line(event: ActivityEvent, uuid: str, name: str | None = None) -> None:
        log.take(
            SubActivityNotification(event, uuid, "butler", name, 0, 1),
            lambda said: next(iter(tasks({said})), None),
        )

    line(ActivityEvent.STARTED, "a", OPTIMIZE)
    log.parent_ended("butler")
    assert log.cut_short == {OPTIMIZE}
    line(ActivityEvent.ENDED, "a")
    assert log.cut_short == frozenset()
    log.parent_ended("butler")
    line(ActivityEvent.STARTED, "b", OPTIMIZE)
    log.parent_ended("butler")
    line(ActivityEvent.STARTED, "c", OPTIMIZE)
    assert log.cut_short == frozenset()
    log.parent_ended("butler")
    log.forget()
    assert log.cut_short == frozenset()
    # Butler work for no task of the server ends with its run: no task was cut short.
    line(ActivityEvent.STARTED, "d", "RefreshPeriodicMetadata")
    assert [sub.task for sub in log.running] == [None]
    log.parent_ended("butler")
    assert (log.running, log.cut_short) == ((), frozenset())


def test_nights_in_a_row() -> None:
    """A night is the day its window opened; the same night twice is one night."""
    late = MaintenanceWindow(23, 4)
    zone = dt_util.get_default_time_zone()
    assert night_of(datetime(2026, 11, 26, 1, 0, tzinfo=zone), late) == date(2026, 11, 25)
    assert night_of(datetime(2026, 11, 25, 23, 30, tzinfo=zone), late) == date(2026, 11, 25)
    nights = CutShortNights()
    first = date(2026, 11, 20)
    assert not nights.run_ended(OPTIMIZE, first, cut_short=True)
    assert not nights.run_ended(OPTIMIZE, first, cut_short=True)
    assert not nights.run_ended(OPTIMIZE, first + timedelta(days=1), cut_short=True)
    assert nights.run_ended(OPTIMIZE, first + timedelta(days=2), cut_short=True)
    assert nights.run_ended(OPTIMIZE, first + timedelta(days=3), cut_short=True)
    assert not nights.run_ended(OPTIMIZE, first + timedelta(days=5), cut_short=True)
    assert not nights.run_ended(OPTIMIZE, first + timedelta(days=4), cut_short=True)


async def test_a_change_that_moves_no_cause_leaves_the_repairs_alone(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    plex_server: PlexSimulator,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A change of what the whole server shows asks the issue registry only when a cause moved."""
    await async_wait_until(hass, lambda: init_integration.runtime_data.push_connected)
    await async_settle(hass)
    asked: list[str] = []

    def noting(original: Any) -> Any:
        def noted(hass: HomeAssistant, domain: str, issue_id: str, **kwargs: Any) -> None:
            asked.append(issue_id)
            original(hass, domain, issue_id, **kwargs)

        return noted

    for name in ("async_create_issue", "async_delete_issue"):
        monkeypatch.setattr(ir, name, noting(getattr(ir, name)))
    await plex_server.set_preference("ButlerStartHour", "3")
    await async_wait_until(hass, lambda: init_integration.runtime_data.data.window.start_hour == 3)
    assert asked == []

    await plex_server.set_preference(BACKUP_SWITCH, "0")
    await async_wait_until(hass, lambda: _issue(hass, init_integration, BACKUP_OFF) is not None)
    assert asked == [f"{BACKUP_OFF}_{init_integration.entry_id}"]
