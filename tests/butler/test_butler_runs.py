"""Runs from the Butler's own evidence: its activity, its debug log, overlapping runs, backups.

The state machine is driven directly, with the lines a real server logs (1.41.5): the Butler's
run is one activity titled "Butler tasks", each task a sub-activity named by the task.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from itertools import permutations

import pytest

from custom_components.plex_butler.api.models import (
    Activity,
    ActivityEvent,
    ActivityNotification,
    BrowsedFile,
    ButlerTask,
    SubActivityNotification,
)
from custom_components.plex_butler.butler.evidence import backup_dates, task_of_log_name
from custom_components.plex_butler.butler.machine import ButlerStateMachine
from custom_components.plex_butler.butler.schedule import LastRunSource
from custom_components.plex_butler.butler.snapshot import BackupFolder, RunSource, Update
from tests.butler.test_butler import NIGHT, NOON, TZ

TASKS = (
    ButlerTask("BackupDatabase", "Backup Database", "", 3, False, True),
    ButlerTask("OptimizeDatabase", "Optimize Database", "", 7, False, True),
    ButlerTask("CleanOldBundles", "Clean Old Bundles", "", 7, False, True),
    ButlerTask("ProcessAssets", "Process Assets", "", 1, False, True),
    ButlerTask("ButlerTaskGenerateIntroMarkers", "Detect Intros", "", 1, True, True),
)
NAMES = [task.name for task in TASKS]
BUTLER_TASKS = Activity("b5d6ac97", "butler", "Butler tasks", "", 0, True)


def _machine(at: datetime = NIGHT) -> ButlerStateMachine:
    machine = ButlerStateMachine()
    machine.preferences({"logDebug": "1"}, at)
    machine.poll(TASKS, (), at)
    return machine


def _activity(machine: ButlerStateMachine, event: str, activity: Activity, at: datetime) -> Update:
    return machine.notification(ActivityNotification(ActivityEvent(event), activity), at)


def _sub(
    machine: ButlerStateMachine, event: str, uuid: str, at: datetime, name: str | None = None
) -> Update:
    line = SubActivityNotification(ActivityEvent(event), uuid, BUTLER_TASKS.uuid, name)
    return machine.notification(line, at)


def _runs(updates: list[tuple[datetime, Update]]) -> dict[str, list[tuple[str, datetime]]]:
    """Each task's events with their moments, the Butler's own run under ""."""
    runs: dict[str, list[tuple[str, datetime]]] = {}
    for at, update in updates:
        for event in update.events:
            runs.setdefault(event.task, []).append((event.type, at))
    return runs


def _overlap(
    kinds: dict[str, str], starts: tuple[str, ...], ends: tuple[str, ...], *, log: bool
) -> tuple[ButlerStateMachine, dict[str, tuple[datetime, datetime]], list[tuple[datetime, Update]]]:
    """Run the tasks of `kinds` overlapping: all start (in `starts` order), then all end.

    A kind is how the run starts: "here" (started from Home Assistant; the server shows it under
    the Butler's activity), "butler" (the Butler's own schedule) or "activity" (a Butler activity
    that names the task). With `log`, the server logs each run's sub-activity.
    """
    machine = _machine()
    updates: list[tuple[datetime, Update]] = []
    moments: dict[str, tuple[datetime, datetime]] = {}
    named = {name: Activity(f"n-{name}", "butler", name, "", 0, False) for name in kinds}
    at = NIGHT
    updates.append((at, _activity(machine, "started", BUTLER_TASKS, at)))
    for step, name in enumerate((*starts, *ends), start=1):
        at = NIGHT + timedelta(minutes=step)
        starting = step <= len(starts)
        if kinds[name] == "activity":
            updates.append(
                (at, _activity(machine, "started" if starting else "ended", named[name], at))
            )
        else:
            if starting and kinds[name] == "here":
                updates.append((at, machine.start_requested(name, at)))
            if log:
                event = "started" if starting else "ended"
                updates.append((at, _sub(machine, event, f"s-{name}", at, name)))
        start, _ = moments.get(name, (at, at))
        moments[name] = (start, at)
    at += timedelta(minutes=1)
    updates.append((at, _activity(machine, "ended", BUTLER_TASKS, at)))
    return machine, moments, updates


@pytest.mark.parametrize("count", [2, 3])
@pytest.mark.parametrize("kinds", ["here", "butler", "activity", "mixed"])
def test_overlapping_runs_end_each_as_its_own_evidence_ends(count: int, kinds: str) -> None:
    """Two or three runs at once, in every order of starts and ends: each start, end, duration.

    With the debug log on, each run's own evidence is its sub-activity (or an activity naming it):
    whatever else the Butler still runs, a run ends when its own evidence ends.
    """
    names = NAMES[:count]
    cycle = ("here", "butler", "activity")
    run_kinds = {
        name: cycle[index % 3] if kinds == "mixed" else kinds for index, name in enumerate(names)
    }
    for starts in permutations(names):
        for ends in permutations(names):
            machine, moments, updates = _overlap(run_kinds, starts, ends, log=True)
            runs = _runs(updates)
            for name, (start, end) in moments.items():
                assert runs[name] == [("task_started", start), ("task_finished", end)], (
                    starts,
                    ends,
                )
                history = machine.history[name]
                assert (history.last_started, history.last_finished) == (start, end)
                assert history.last_duration == end - start
                expected = (
                    LastRunSource.OBSERVED
                    if run_kinds[name] == "activity"
                    else LastRunSource.SERVER_LOG
                )
                assert history.source is expected
            # The Butler's own run spans them all.
            assert [kind for kind, _ in runs[""]] == ["maintenance_started", "maintenance_finished"]


def test_all_tasks_overlapping_in_the_log() -> None:
    """Every task of the server at once, ending in the reverse order of their starts."""
    kinds = dict.fromkeys(NAMES, "butler") | {"BackupDatabase": "here"}
    machine, moments, updates = _overlap(kinds, tuple(NAMES), tuple(reversed(NAMES)), log=True)
    runs = _runs(updates)
    for name, (start, end) in moments.items():
        assert runs[name] == [("task_started", start), ("task_finished", end)]
        assert machine.history[name].last_duration == end - start


def test_without_the_log_runs_started_here_at_once_get_no_end() -> None:
    """Without the debug log, two runs started here share the Butler's activity.

    Which ended when is not shown: each ends when the Butler's work ends, with no end time and
    no duration (before, the first to end read as running until the other ended, and got the
    other's duration).
    """
    for starts in permutations(NAMES[:2]):
        for ends in permutations(NAMES[:2]):
            kinds = dict.fromkeys(NAMES[:2], "here")
            machine, _, updates = _overlap(kinds, starts, ends, log=False)
            finished = [event for _, update in updates for event in update.events if event.task]
            assert [(event.type, event.end_observed) for event in finished] == [
                ("task_started", True),
                ("task_started", True),
                ("task_finished", False),
                ("task_finished", False),
            ]
            for name in NAMES[:2]:
                assert machine.history[name].last_finished is None
                assert machine.history[name].last_duration is None


def test_without_the_log_a_run_started_here_alone_ends_with_the_butlers_work() -> None:
    """Alone on Butler work that began after the start, the run ends with it, with its time."""
    machine = _machine(NOON)
    machine.start_requested("BackupDatabase", NOON)
    _activity(machine, "started", BUTLER_TASKS, NOON + timedelta(seconds=1))
    update = _activity(machine, "ended", BUTLER_TASKS, NOON + timedelta(seconds=21))
    assert [(event.type, event.duration) for event in update.events] == [
        ("task_finished", 21),
        ("maintenance_finished", 20),
    ]


def test_a_run_started_here_into_the_butlers_nightly_run_gets_no_end() -> None:
    """Butler work that was already going on may be other tasks': no end, no duration."""
    machine = _machine()
    _activity(machine, "started", BUTLER_TASKS, NIGHT)
    machine.start_requested("BackupDatabase", NIGHT + timedelta(minutes=1))
    update = _activity(machine, "ended", BUTLER_TASKS, NIGHT + timedelta(minutes=9))
    assert update.events[0].end_observed is False
    assert machine.history["BackupDatabase"].last_started == NIGHT + timedelta(minutes=1)
    assert machine.history["BackupDatabase"].last_finished is None


def test_a_second_start_the_server_takes_as_new_is_a_new_run() -> None:
    """The server answers a start with "started", not "already running": the last run ended."""
    machine = _machine(NOON)
    machine.start_requested("BackupDatabase", NOON)
    _activity(machine, "started", BUTLER_TASKS, NOON)
    later = NOON + timedelta(minutes=2)
    update = machine.start_requested("BackupDatabase", later)
    assert [(event.type, event.end_observed) for event in update.events] == [
        ("task_finished", False),
        ("task_started", True),
    ]
    assert machine.history["BackupDatabase"].last_started == later
    # "Already running" is the same run.
    assert machine.start_requested("BackupDatabase", later, already_running=True).events == ()


def test_the_butlers_run_as_a_maintenance_run_with_its_progress_and_count() -> None:
    """The "Butler tasks" activity, whatever its type, is the Butler's run: recorded and shown."""
    machine = _machine()
    odd_type = Activity("b5d6ac97", "maintenance.run", "Butler tasks", "", 50, True)
    update = _activity(machine, "started", odd_type, NIGHT)
    assert [event.type for event in update.events] == ["maintenance_started"]
    assert update.snapshot.maintenance_running
    assert update.snapshot.running_tasks == []  # it names no task
    assert update.snapshot.maintenance.progress == 50
    line = SubActivityNotification(
        ActivityEvent.STARTED, "001e4464", "b5d6ac97", "ProcessAssets", 5, 6
    )
    update = machine.notification(line, NIGHT + timedelta(minutes=1))
    assert (update.snapshot.maintenance.completed, update.snapshot.maintenance.total) == (5, 6)
    assert update.snapshot.running_tasks == ["ProcessAssets"]
    update = _activity(machine, "ended", odd_type, NIGHT + timedelta(minutes=38))
    assert [(event.type, event.duration) for event in update.events] == [
        ("task_finished", 37 * 60),
        ("maintenance_finished", 38 * 60),
    ]
    assert machine.maintenance.last_duration == timedelta(minutes=38)
    assert update.snapshot.maintenance.completed is None


def test_a_maintenance_run_found_running_started_at_an_unknown_moment() -> None:
    """At start-up the Butler's run is there: no start time, no event; its end is seen."""
    machine = ButlerStateMachine()
    update = machine.poll(TASKS, (BUTLER_TASKS,), NIGHT)
    assert update.events == ()
    assert machine.maintenance.running
    update = machine.poll(TASKS, (), NIGHT + timedelta(minutes=5))
    assert [(event.type, event.end_observed) for event in update.events] == [
        ("maintenance_finished", True)
    ]
    assert machine.maintenance.last_finished == NIGHT + timedelta(minutes=5)
    assert machine.maintenance.last_duration is None


def test_log_names_map_to_tasks_and_an_unknown_one_is_nobodys() -> None:
    """Exact names, with or without the prefix; anything else is Butler work for no task."""
    names = {task.name for task in TASKS} | {"RefreshLocalMedia"}
    assert task_of_log_name("ButlerTaskGenerateIntroMarkers", names) == (
        "ButlerTaskGenerateIntroMarkers"
    )
    assert task_of_log_name("GenerateIntroMarkers", names) == "ButlerTaskGenerateIntroMarkers"
    assert task_of_log_name("ButlerTaskRefreshLocalMedia", names) == "RefreshLocalMedia"
    assert task_of_log_name("ProcessAssets", names) == "ProcessAssets"
    assert task_of_log_name("ProcessAssets", {"BackupDatabase"}) is None
    assert task_of_log_name("Backup", names) is None

    machine = _machine()
    _activity(machine, "started", BUTLER_TASKS, NIGHT)
    update = _sub(machine, "started", "x1", NIGHT, "ButlerTaskSonicAnalysis")
    assert update.snapshot.running_tasks == []
    assert update.snapshot.maintenance_running
    assert list(machine.log.unknown_names) == ["ButlerTaskSonicAnalysis"]
    assert not machine.history


def test_a_lost_websocket_ends_the_logs_runs_out_of_sight() -> None:
    """Lines missed while the websocket is down: the run's end is not known."""
    machine = _machine()
    _activity(machine, "started", BUTLER_TASKS, NIGHT)
    _sub(machine, "started", "s1", NIGHT, "OptimizeDatabase")
    machine.lost_sight()
    update = machine.poll(TASKS, (BUTLER_TASKS,), NIGHT + timedelta(minutes=3))
    finished = [event for event in update.events if event.task]
    assert [(event.type, event.end_observed) for event in finished] == [("task_finished", False)]
    assert machine.history["OptimizeDatabase"].last_finished is None


def test_a_poll_without_the_parent_ends_its_sub_activities() -> None:
    """The server restarted: the Butler's run and the tasks the log showed under it are gone."""
    machine = _machine()
    machine.poll(TASKS, (BUTLER_TASKS,), NIGHT)
    _sub(machine, "started", "s1", NIGHT, "CleanOldBundles")
    update = machine.poll(TASKS, (), NIGHT + timedelta(minutes=1))
    assert update.snapshot.running_tasks == []
    assert machine.history["CleanOldBundles"].last_finished == NIGHT + timedelta(minutes=1)


def test_backup_days_from_a_folder_listing() -> None:
    """Only the database's own backups count, newest first; other files and odd dates do not."""
    files = [
        BrowsedFile("/data/com.plexapp.plugins.library.db-2026-12-01", ""),
        BrowsedFile("C:\\Plex\\com.plexapp.plugins.library.db-2026-11-28", ""),
        BrowsedFile("", "com.plexapp.plugins.library.db-2026-11-25"),
        BrowsedFile("/data/com.plexapp.plugins.library.db", ""),
        BrowsedFile("/data/com.plexapp.plugins.library.blobs.db-2026-12-02", ""),
        BrowsedFile("/data/com.plexapp.plugins.library.db-2026-02-30", ""),
        BrowsedFile("/data/com.plexapp.plugins.library.db-2026-12-01-shm", ""),
    ]
    assert backup_dates(files) == (date(2026, 12, 1), date(2026, 11, 28), date(2026, 11, 25))


def test_the_newest_backup_is_backup_databases_last_run_where_nothing_better_was_seen() -> None:
    """Day precision: the start of the backup's day, said to come from the backup file."""
    machine = _machine(NOON)
    update = machine.backups(BackupFolder((date(2026, 11, 27), date(2026, 11, 24))), NOON)
    state = update.snapshot.tasks["BackupDatabase"]
    assert state.last_run == datetime(2026, 11, 27, tzinfo=TZ)
    assert state.last_run_source is LastRunSource.BACKUP_FILE
    assert state.next_run == datetime(2026, 11, 30, 2, tzinfo=TZ)
    assert update.snapshot.tasks["OptimizeDatabase"].last_run is None
    assert update.snapshot.tasks["OptimizeDatabase"].last_run_source is None

    # A run seen the same day tells more: its time.
    machine.start_requested("BackupDatabase", NOON)
    update = _activity(machine, "started", BUTLER_TASKS, NOON + timedelta(seconds=1))
    update = _activity(machine, "ended", BUTLER_TASKS, NOON + timedelta(seconds=30))
    update = machine.backups(BackupFolder((date(2026, 11, 28), date(2026, 11, 27))), NOON)
    state = update.snapshot.tasks["BackupDatabase"]
    assert state.last_run == NOON
    assert state.last_run_source is LastRunSource.STARTED_HERE

    # A folder that cannot be read tells nothing.
    update = machine.backups(BackupFolder(error="404"), NOON)
    assert update.snapshot.backups == BackupFolder(error="404")
    assert update.snapshot.tasks["BackupDatabase"].last_run == NOON


def test_debug_logging_as_the_server_says() -> None:
    """The server's `logDebug` setting, unknown where it has none."""
    machine = ButlerStateMachine()
    assert machine.preferences({}, NOON).snapshot.debug_log is None
    assert machine.preferences({"logDebug": "0"}, NOON).snapshot.debug_log is False
    assert machine.preferences({"logDebug": "1"}, NOON).snapshot.debug_log is True
    assert machine.preferences({"logDebug": "true"}, NOON).snapshot.debug_log is True


def test_media_work_of_a_run_the_log_shows_gives_its_progress() -> None:
    """The log names the run; its media activity tells how far it is."""
    machine = _machine()
    _activity(machine, "started", BUTLER_TASKS, NIGHT)
    _sub(machine, "started", "s1", NIGHT, "ButlerTaskGenerateIntroMarkers")
    intros = Activity("i1", "media.generate.intros", "Detecting intros", "", 40, False)
    update = _activity(machine, "started", intros, NIGHT + timedelta(seconds=5))
    state = update.snapshot.tasks["ButlerTaskGenerateIntroMarkers"]
    assert (state.source, state.progress) == (RunSource.SERVER_LOG, 40)
    # The sub-activity ends: the run is over, whatever media work goes on (`asap` media added).
    update = _sub(machine, "ended", "s1", NIGHT + timedelta(minutes=2))
    assert update.snapshot.running_tasks == []
    assert update.snapshot.background == (intros,)


def test_a_run_alone_on_the_butlers_work_shares_it_once_another_task_runs() -> None:
    """A started alone, then B: the Butler's work serves both, so neither end is known."""
    machine = _machine(NOON)
    machine.start_requested("BackupDatabase", NOON)
    _activity(machine, "started", BUTLER_TASKS, NOON + timedelta(seconds=1))
    machine.start_requested("OptimizeDatabase", NOON + timedelta(minutes=1))
    update = _activity(machine, "ended", BUTLER_TASKS, NOON + timedelta(minutes=3))
    assert [(event.task, event.end_observed) for event in update.events if event.task] == [
        ("BackupDatabase", False),
        ("OptimizeDatabase", False),
    ]


def test_a_run_shown_before_the_servers_answer_is_the_one_started() -> None:
    """The server shows the run before it answers "started": one run, not two."""
    machine = _machine(NOON)
    sent = NOON
    named = Activity("n1", "butler", "Backup Database", "", 0, False)
    update = _activity(machine, "started", named, sent + timedelta(milliseconds=5))
    assert [event.type for event in update.events if event.task] == ["task_started"]
    update = machine.start_requested("BackupDatabase", sent)
    assert [event for event in update.events if event.task] == []
    assert machine.history["BackupDatabase"].source is LastRunSource.OBSERVED


def test_start_all_makes_the_media_work_beside_the_butler_its_run_until_it_is_over() -> None:
    """After "start all" here, media work beside the Butler's is the run asked for; not later."""
    machine = _machine(NOON)
    machine.start_all_requested(NOON)
    detecting = Activity("c1", "media.generate.credits", "Detecting Credits", "", 10, False)
    machine.poll(TASKS, (BUTLER_TASKS,), NOON + timedelta(seconds=1))
    tasks = (
        *TASKS,
        ButlerTask("ButlerTaskGenerateCreditsMarkers", "Detect Credits", "", 1, False, True),
    )
    update = machine.poll(tasks, (BUTLER_TASKS, detecting), NOON + timedelta(seconds=2))
    assert update.snapshot.running_tasks == ["ButlerTaskGenerateCreditsMarkers"]
    # The Butler's work is over, and so is what "start all" asked for.
    machine.poll(tasks, (), NOON + timedelta(minutes=2))
    update = machine.poll(tasks, (BUTLER_TASKS, detecting), NOON + timedelta(minutes=3))
    assert update.snapshot.running_tasks == []
    assert update.snapshot.background == (detecting,)


def test_a_poll_that_still_shows_the_parent_keeps_its_sub_activities() -> None:
    """The safety poll between log lines changes nothing of what the log shows."""
    machine = _machine()
    machine.poll(TASKS, (BUTLER_TASKS,), NIGHT)
    _sub(machine, "started", "s1", NIGHT, "CleanOldBundles")
    update = machine.poll(TASKS, (BUTLER_TASKS,), NIGHT + timedelta(minutes=1))
    assert update.snapshot.running_tasks == ["CleanOldBundles"]
