"""The Butler state machine, driven directly: runs are recorded only on evidence."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from unittest.mock import patch
from zoneinfo import ZoneInfo

import pytest

from custom_components.plex_butler.api.models import (
    Activity,
    ActivityEvent,
    ActivityNotification,
    ButlerTask,
    PreferenceNotification,
)
from custom_components.plex_butler.butler.evidence import (
    START_GRACE,
    TaskNamer,
    task_named_by,
    window_from_preferences,
)
from custom_components.plex_butler.butler.machine import ButlerStateMachine
from custom_components.plex_butler.butler.schedule import (
    LastRunSource,
    MaintenanceWindow,
    TaskHistory,
)
from custom_components.plex_butler.butler.snapshot import RunSource, Update, what_changed

TZ = ZoneInfo("Europe/Berlin")
TASKS = (
    ButlerTask("BackupDatabase", "Backup Database", "", 3, False, True),
    ButlerTask("OptimizeDatabase", "Optimize Database", "", 7, False, True),
    ButlerTask("ButlerTaskGenerateCreditsMarkers", "Detect Credits", "", 1, False, True),
    ButlerTask("LoudnessAnalysis", "Perform Loudness Analysis", "", 1, False, True),
    ButlerTask("RefreshEpgGuides", "Refresh EPG Guides", "", 1, False, False),
)
BEHAVIORS = {"GenerateCreditsMarkerBehavior": "asap", "LoudnessAnalysisBehavior": "scheduled"}
NOON = datetime(2026, 11, 28, 12, 0, tzinfo=TZ)
NIGHT = datetime(2026, 11, 28, 2, 30, tzinfo=TZ)


def _activity(
    uuid: str, kind: str, title: str = "", progress: int = 0, subtitle: str = ""
) -> Activity:
    return Activity(uuid, kind, title, subtitle, progress, False)


CREDITS = _activity("c1", "media.generate.credits", "Detecting Credits", -1)
LOUDNESS = _activity("l1", "media.generate.loudness", "Generating loudness data", 10)
GENERIC_BUTLER = _activity("b1", "butler", "Running scheduled tasks")
SCAN = _activity("s1", "library.update.section", "Scanning Movies", 50)


def _machine(
    history: dict[str, TaskHistory] | None = None, at: datetime = NOON
) -> ButlerStateMachine:
    machine = ButlerStateMachine(history)
    machine.preferences(BEHAVIORS, at)
    machine.poll(TASKS, (), at)
    return machine


def _push(
    machine: ButlerStateMachine, event: ActivityEvent, activity: Activity, at: datetime
) -> Update:
    return machine.notification(ActivityNotification(event, activity), at)


def _events(update: Update) -> list[tuple[str, str]]:
    """The task events of an update (the Butler's own run has tests of its own)."""
    return [(event.type, event.task) for event in update.events if event.task]


def test_media_added_outside_any_butler_run_is_background_activity() -> None:
    """Credits detected for new media (`asap`) is shown, but is no run of the task."""
    machine = _machine()
    update = _push(machine, ActivityEvent.STARTED, CREDITS, NOON)
    update = machine.poll(TASKS, (CREDITS, SCAN), NOON + timedelta(seconds=30))
    assert update.events == ()
    assert update.snapshot.running_tasks == []
    assert update.snapshot.background == (CREDITS, SCAN)
    assert not update.snapshot.maintenance_running
    update = _push(machine, ActivityEvent.ENDED, CREDITS, NOON + timedelta(minutes=1))
    assert update.events == ()
    assert not update.history_changed
    assert machine.history == {}


def test_media_work_beside_the_butlers_run_is_a_run_only_where_only_the_butler_does_it() -> None:
    """Beside a Butler run that names no task, `asap` work may be media just added: no run.

    Work whose setting is `scheduled` is done by the Butler alone: that is the task's run.
    """
    machine = _machine(at=NIGHT)
    update = _push(machine, ActivityEvent.STARTED, GENERIC_BUTLER, NIGHT)
    assert update.snapshot.maintenance_running
    assert update.snapshot.running_tasks == []
    update = _push(machine, ActivityEvent.STARTED, CREDITS, NIGHT + timedelta(seconds=5))
    assert update.events == ()
    assert update.snapshot.background == (CREDITS,)
    update = _push(machine, ActivityEvent.STARTED, LOUDNESS, NIGHT + timedelta(seconds=5))
    assert _events(update) == [("task_started", "LoudnessAnalysis")]
    state = update.snapshot.tasks["LoudnessAnalysis"]
    assert (state.status, state.source, state.progress) == ("running", RunSource.TASK_ACTIVITY, 10)
    update = _push(machine, ActivityEvent.ENDED, LOUDNESS, NIGHT + timedelta(minutes=5, seconds=5))
    assert _events(update) == [("task_finished", "LoudnessAnalysis")]
    assert update.events[0].duration == 300
    history = machine.history["LoudnessAnalysis"]
    assert history.last_started == NIGHT + timedelta(seconds=5)
    assert history.last_duration == timedelta(minutes=5)
    assert history.source is LastRunSource.OBSERVED
    assert update.snapshot.maintenance_running  # the Butler goes on
    assert "ButlerTaskGenerateCreditsMarkers" not in machine.history


def test_a_butler_activity_that_names_the_task() -> None:
    """By title or name, in its type, title or subtitle, in any case."""
    machine = _machine()
    named = _activity("b2", "butler", "BACKUP DATABASE", 40)
    update = _push(machine, ActivityEvent.STARTED, named, NOON)
    state = update.snapshot.tasks["BackupDatabase"]
    assert (state.source, state.progress) == (RunSource.BUTLER_ACTIVITY, 40)
    assert _events(update) == [("task_started", "BackupDatabase")]
    assert task_named_by(_activity("x", "butler.optimizedatabase"), TASKS) == "OptimizeDatabase"
    assert task_named_by(_activity("x", "butler", "Butler", subtitle="Optimize Database"), TASKS)
    assert task_named_by(_activity("x", "butler", "Cleaning up"), TASKS) is None


def test_the_longest_name_wins() -> None:
    """A title inside another task's title cannot take its run."""
    tasks = (
        ButlerTask("Refresh", "Refresh", "", 1, False, True),
        ButlerTask("RefreshLibraries", "Refresh Libraries", "", 1, False, True),
    )
    assert task_named_by(_activity("x", "butler", "Refresh Libraries"), tasks) == "RefreshLibraries"


def test_the_namer_remembers_wordings_and_forgets_them_beyond_its_bound() -> None:
    """Progress pushes of one activity are named once; the memory is bounded."""
    namer = TaskNamer(TASKS)
    first = _activity("x", "butler", "Optimize Database", 10)
    assert namer(first) == "OptimizeDatabase"
    with patch("custom_components.plex_butler.butler.evidence.task_named_by") as named:
        assert namer(_activity("x", "butler", "Optimize Database", 60)) == "OptimizeDatabase"
        assert not named.called
        named.return_value = None
        for number in range(TaskNamer.MAX_WORDINGS):
            assert namer(_activity("x", "butler", f"Work {number}")) is None
        named.return_value = "OptimizeDatabase"
        assert namer(first) == "OptimizeDatabase"  # forgotten, so asked again
    assert named.call_count == TaskNamer.MAX_WORDINGS + 1


def test_media_work_while_the_butler_names_another_task_is_background() -> None:
    """Backing up the database says nothing about credits detected at the same time."""
    machine = _machine()
    _push(machine, ActivityEvent.STARTED, _activity("b2", "butler", "Backup Database"), NOON)
    update = _push(machine, ActivityEvent.STARTED, CREDITS, NOON)
    assert update.snapshot.running_tasks == ["BackupDatabase"]
    assert update.snapshot.background == (CREDITS,)


@pytest.mark.parametrize(
    ("at", "activity", "runs"),
    [
        # `scheduled`: only the Butler does it, so inside the window it is the task's run.
        (NIGHT, LOUDNESS, ["LoudnessAnalysis"]),
        (NOON, LOUDNESS, []),
        # `asap`: media added does it too, so the window alone proves nothing.
        (NIGHT, CREDITS, []),
        # A guide reload (no setting says when) proves nothing either.
        (NIGHT, _activity("e1", "provider.epg.load", "Refreshing EPG"), []),
    ],
)
def test_the_maintenance_window_and_the_behavior_settings(
    at: datetime, activity: Activity, runs: list[str]
) -> None:
    """Inside the window, only work that no one but the Butler does counts as its run."""
    machine = _machine(at=at)
    update = _push(machine, ActivityEvent.STARTED, activity, at)
    assert update.snapshot.running_tasks == runs


def test_a_disabled_task_does_not_run_in_the_window() -> None:
    """The Butler does not run a task that is switched off."""
    tasks = tuple(
        ButlerTask(t.name, t.title, "", 1, False, t.name != "LoudnessAnalysis") for t in TASKS
    )
    machine = ButlerStateMachine()
    machine.preferences(BEHAVIORS, NIGHT)
    update = machine.poll(tasks, (LOUDNESS,), NIGHT)
    assert update.snapshot.running_tasks == []


def test_started_here_without_any_activity() -> None:
    """A start the server never shows runs for a minute, then ends at an unknown moment."""
    machine = _machine()
    update = machine.start_requested("OptimizeDatabase", NOON)
    assert _events(update) == [("task_started", "OptimizeDatabase")]
    assert update.snapshot.tasks["OptimizeDatabase"].source is RunSource.STARTED_HERE
    assert machine.tick(NOON + START_GRACE / 2).events == ()
    update = machine.tick(NOON + START_GRACE)
    assert _events(update) == [("task_finished", "OptimizeDatabase")]
    assert update.events[0].duration is None
    history = machine.history["OptimizeDatabase"]
    assert (history.last_started, history.last_finished, history.running) == (NOON, None, False)


def test_started_here_goes_on_while_the_butler_works() -> None:
    """A generic `butler` activity after a start from here keeps the run going, to its end."""
    machine = _machine()
    machine.start_requested("BackupDatabase", NOON)
    _push(machine, ActivityEvent.STARTED, GENERIC_BUTLER, NOON + timedelta(seconds=1))
    update = machine.tick(NOON + timedelta(minutes=5))
    assert update.snapshot.tasks["BackupDatabase"].source is RunSource.BUTLER_WORK
    update = _push(machine, ActivityEvent.ENDED, GENERIC_BUTLER, NOON + timedelta(minutes=7))
    assert _events(update) == [("task_finished", "BackupDatabase")]
    # The Butler's work began after the start and served this run alone: its end is the run's.
    assert update.events[0].duration == 420
    assert machine.history["BackupDatabase"].source is LastRunSource.STARTED_HERE


def test_a_stop_from_here() -> None:
    """An end after a stop request is a stop; a failed stop request changes nothing."""
    machine = _machine()
    named = _activity("b2", "butler", "Backup Database")
    _push(machine, ActivityEvent.STARTED, named, NOON)
    machine.stop_requested({"BackupDatabase"})
    machine.stop_failed({"BackupDatabase"})
    machine.stop_requested({"BackupDatabase"})
    update = _push(machine, ActivityEvent.ENDED, named, NOON + timedelta(seconds=20))
    assert _events(update) == [("task_stopped", "BackupDatabase")]
    update = machine.stop_confirmed({"BackupDatabase"}, NOON + timedelta(seconds=21))
    assert update.events == ()
    # The next run's end is a finish again.
    _push(machine, ActivityEvent.STARTED, named, NOON + timedelta(minutes=1))
    update = _push(machine, ActivityEvent.ENDED, named, NOON + timedelta(minutes=2))
    assert _events(update) == [("task_finished", "BackupDatabase")]


def test_a_stop_ends_a_run_started_here_despite_other_butler_work() -> None:
    """After the server stopped it, unnamed Butler work no longer keeps the task running."""
    machine = _machine()
    machine.start_requested("BackupDatabase", NOON)
    _push(machine, ActivityEvent.STARTED, GENERIC_BUTLER, NOON)
    machine.stop_requested({"BackupDatabase"})
    update = machine.stop_confirmed({"BackupDatabase"}, NOON + timedelta(seconds=10))
    assert _events(update) == [("task_stopped", "BackupDatabase")]


def test_a_run_going_on_at_a_restart_goes_on() -> None:
    """Home Assistant restarting is not the end of a run (it was stored as running).

    The Butler's work found at the restart may have served other tasks too: its end is no
    proof of this run's end, which stays unknown.
    """
    stored = {"BackupDatabase": TaskHistory(NOON, running=True, started_here=True)}
    machine = ButlerStateMachine(stored)
    update = machine.poll(TASKS, (GENERIC_BUTLER,), NOON + timedelta(minutes=3))
    assert _events(update) == []
    assert update.snapshot.tasks["BackupDatabase"].running
    update = machine.poll(TASKS, (), NOON + timedelta(minutes=4))
    assert _events(update) == [("task_finished", "BackupDatabase")]
    assert (update.events[0].duration, update.events[0].end_observed) == (None, False)
    assert machine.history["BackupDatabase"].last_started == NOON


def test_a_run_that_ended_while_home_assistant_was_away() -> None:
    """Its end was not seen: finished, at an unknown moment, with no duration."""
    stored = {"BackupDatabase": TaskHistory(NOON, running=True)}
    update = ButlerStateMachine(stored).poll(TASKS, (), NOON + timedelta(hours=1))
    assert _events(update) == [("task_finished", "BackupDatabase")]
    assert update.events[0].duration is None
    assert update.snapshot.tasks["BackupDatabase"].history == TaskHistory(NOON)


def test_a_run_found_at_start_up_started_at_an_unknown_moment() -> None:
    """No event and no start time for a run that was already going on."""
    machine = ButlerStateMachine()
    update = machine.poll(TASKS, (_activity("b2", "butler", "Optimize Database"),), NOON)
    assert update.events == ()
    history = update.snapshot.tasks["OptimizeDatabase"].history
    assert (history.running, history.last_started) == (True, None)


def test_an_end_out_of_sight_gets_no_time() -> None:
    """After a failed poll the next poll's end happened at an unknown moment; sight comes back."""
    machine = _machine()
    named = _activity("b2", "butler", "Backup Database")
    machine.poll(TASKS, (named,), NOON)
    machine.lost_sight()
    update = machine.poll(TASKS, (), NOON + timedelta(minutes=5))
    assert _events(update) == [("task_finished", "BackupDatabase")]
    assert update.events[0].attributes()["end_observed"] is False
    assert update.events[0].duration is None
    # A start seen out of sight has no time either; once in sight again, ends are timed.
    machine.lost_sight()
    update = machine.poll(TASKS, (named,), NOON + timedelta(minutes=10))
    assert update.events == ()
    assert machine.history["BackupDatabase"].last_started is None
    update = machine.poll(TASKS, (), NOON + timedelta(minutes=11))
    assert update.events[0].attributes()["end_observed"] is True


def test_a_start_from_here_keeps_its_grace_over_a_restart() -> None:
    """Started here 30 s before a restart: still running after it, until the grace is over."""
    stored = {"OptimizeDatabase": TaskHistory(NOON, running=True, started_here=True)}
    machine = ButlerStateMachine(stored)
    machine.preferences(BEHAVIORS, NOON + START_GRACE / 2)
    update = machine.poll(TASKS, (), NOON + START_GRACE / 2)
    assert update.snapshot.tasks["OptimizeDatabase"].source is RunSource.STARTED_HERE
    update = machine.tick(NOON + START_GRACE)
    assert _events(update) == [("task_finished", "OptimizeDatabase")]
    assert update.events[0].duration is None


def test_progress_is_shown_by_steps_of_five_points_or_five_seconds() -> None:
    """A progress pushed every second changes the state only on a 5-point step or after 5 s."""
    machine = _machine()
    named = _activity("b2", "butler", "Backup Database")
    shown = []
    for second in range(12):
        activity = _activity("b2", "butler", "Backup Database", progress=second)
        event = ActivityEvent.STARTED if second == 0 else ActivityEvent.UPDATED
        update = _push(machine, event, activity, NOON + timedelta(seconds=second))
        shown.append(update.snapshot.tasks["BackupDatabase"].progress)
    assert shown == [0, 0, 0, 0, 0, 5, 5, 5, 5, 5, 10, 10]
    slow = _activity("b2", "butler", "Backup Database", progress=11)
    update = _push(machine, ActivityEvent.UPDATED, slow, NOON + timedelta(seconds=16))
    assert update.snapshot.tasks["BackupDatabase"].progress == 11
    update = _push(machine, ActivityEvent.ENDED, named, NOON + timedelta(seconds=20))
    assert update.snapshot.tasks["BackupDatabase"].progress is None


def test_preferences_move_the_window_and_a_task_switch_asks_for_the_task_list() -> None:
    """The window and behaviours follow pushes; a task switch is the task list's to tell."""
    machine = _machine()
    update = machine.notification(PreferenceNotification("ButlerStartHour", "11"), NOON)
    assert update.snapshot.window == MaintenanceWindow(11, 5)
    assert not update.task_list_stale
    update = machine.notification(PreferenceNotification("ButlerTaskBackupDatabase", "0"), NOON)
    assert update.task_list_stale


def test_settings_in_the_snapshot_and_in_each_task() -> None:
    """The Butler's settings, and each task its own; a push changes the task it belongs to."""
    machine = ButlerStateMachine()
    preferences = {
        "ButlerStartHour": "3",
        "ButlerDatabaseBackupPath": "/backups",
        "ButlerTaskBackupDatabase": "1",
        "GenerateCreditsMarkerBehavior": "asap",
        "MusicAnalysisBehavior": "never",
        "LogVerbose": "0",
        "FriendlyName": "Living Room Plex",
    }
    machine.preferences(preferences, NOON)
    snapshot = machine.poll(TASKS, (), NOON).snapshot
    assert snapshot.settings == {
        name: value
        for name, value in preferences.items()
        if name not in ("LogVerbose", "FriendlyName")
    }
    assert snapshot.tasks["BackupDatabase"].settings == {"ButlerTaskBackupDatabase": "1"}
    assert snapshot.tasks["ButlerTaskGenerateCreditsMarkers"].settings == {
        "GenerateCreditsMarkerBehavior": "asap"
    }
    assert snapshot.tasks["OptimizeDatabase"].settings == {}

    update = machine.notification(PreferenceNotification("ButlerTaskBackupDatabase", "0"), NOON)
    assert update.snapshot.tasks["BackupDatabase"].settings == {"ButlerTaskBackupDatabase": "0"}
    assert update.snapshot.tasks["BackupDatabase"] != snapshot.tasks["BackupDatabase"]
    assert update.snapshot.tasks["OptimizeDatabase"] == snapshot.tasks["OptimizeDatabase"]
    # The earlier snapshot keeps what it showed; other preferences are no Butler setting.
    assert snapshot.settings["ButlerTaskBackupDatabase"] == "1"
    before = update.snapshot
    update = machine.notification(PreferenceNotification("LogVerbose", "1"), NOON)
    assert update.snapshot == before


@pytest.mark.parametrize(
    ("preferences", "expected"),
    [
        ({}, MaintenanceWindow(2, 5)),
        ({"ButlerStartHour": "23", "ButlerEndHour": "4"}, MaintenanceWindow(23, 4)),
        ({"ButlerStartHour": "25", "ButlerEndHour": "x"}, MaintenanceWindow(2, 5)),
        ({"ButlerStartHour": "-1", "ButlerEndHour": ""}, MaintenanceWindow(2, 5)),
    ],
)
def test_window_from_preferences(preferences: dict[str, str], expected: MaintenanceWindow) -> None:
    """The server's preferences give the window; odd values keep the default."""
    assert window_from_preferences(preferences) == expected


def test_recent_activities_for_diagnostics() -> None:
    """The last 50 activities seen, by type and title, each once."""
    machine = _machine()
    for number in range(60):
        _push(machine, ActivityEvent.STARTED, _activity(f"u{number}", "x.y", f"T{number}"), NOON)
    _push(machine, ActivityEvent.UPDATED, _activity("u59", "x.y", "T59", 50), NOON)
    assert len(machine.recent_activities) == 50
    assert machine.recent_activities[-1] == {"type": "x.y", "title": "T59"}


def test_a_day_with_hourly_media_a_nightly_window_and_one_backup_from_here() -> None:
    """New media every hour, the nightly Butler run, one press of *Start Backup Database*.

    Exactly the runs the server showed are recorded: the credits detection inside the nightly
    run could be the hourly media's (`asap`), so without the debug log it is no run. The hourly
    media work is background activity; maintenance runs only while the Butler works.
    """
    behaviors = {"GenerateCreditsMarkerBehavior": "asap", "LoudnessAnalysisBehavior": "asap"}
    machine = ButlerStateMachine()
    midnight = datetime(2026, 11, 28, 0, 0, tzinfo=TZ)
    machine.preferences(behaviors, midnight)
    machine.poll(TASKS, (), midnight)
    events: list[tuple[str, str, datetime]] = []
    maintenance: list[tuple[datetime, bool]] = []

    def push(event: ActivityEvent, activity: Activity, at: datetime) -> None:
        update = _push(machine, event, activity, at)
        events.extend((e.type, e.task, at) for e in update.events if e.task)
        maintenance.append((at, update.snapshot.maintenance_running))

    for hour in range(24):
        at = midnight + timedelta(hours=hour)
        # Media added: a scan, then credits and loudness for the new items (`asap`).
        scan = _activity(f"scan{hour}", "library.update.section", "Scanning Movies")
        detect = _activity(f"cr{hour}", "media.generate.credits", "Detecting Credits", -1)
        loudness = _activity(f"ld{hour}", "media.generate.loudness", "Generating loudness data")
        for minute, event, activity in (
            (0, ActivityEvent.STARTED, scan),
            (1, ActivityEvent.ENDED, scan),
            (1, ActivityEvent.STARTED, detect),
            (2, ActivityEvent.STARTED, loudness),
            (6, ActivityEvent.ENDED, detect),
            (8, ActivityEvent.ENDED, loudness),
        ):
            push(event, activity, at + timedelta(minutes=minute))
        if hour == 2:
            # The nightly run: Butler work with the credits detection inside it.
            butler = _activity("night", "butler", "Running scheduled tasks")
            nightly_credits = _activity("ncr", "media.generate.credits", "Detecting Credits", 5)
            push(ActivityEvent.STARTED, butler, at + timedelta(minutes=30))
            push(ActivityEvent.STARTED, nightly_credits, at + timedelta(minutes=31))
            push(ActivityEvent.ENDED, nightly_credits, at + timedelta(minutes=50))
            push(ActivityEvent.ENDED, butler, at + timedelta(minutes=55))
        if hour == 15:
            update = machine.start_requested("BackupDatabase", at + timedelta(minutes=20))
            events.extend((e.type, e.task, at + timedelta(minutes=20)) for e in update.events)
            butler = _activity("backup", "butler", "Running scheduled tasks")
            push(ActivityEvent.STARTED, butler, at + timedelta(minutes=20, seconds=1))
            push(ActivityEvent.ENDED, butler, at + timedelta(minutes=24))
        update = machine.tick(at + timedelta(minutes=59))
        events.extend((e.type, e.task, at + timedelta(minutes=59)) for e in update.events)

    night = midnight + timedelta(hours=2)
    afternoon = midnight + timedelta(hours=15)
    assert events == [
        ("task_started", "BackupDatabase", afternoon + timedelta(minutes=20)),
        ("task_finished", "BackupDatabase", afternoon + timedelta(minutes=24)),
    ]
    history = machine.history
    assert set(history) == {"BackupDatabase"}
    assert history["BackupDatabase"].last_duration == timedelta(minutes=4)
    assert machine.maintenance.last_started == afternoon + timedelta(minutes=20, seconds=1)
    assert machine.maintenance.last_duration == timedelta(minutes=3, seconds=59)
    # Maintenance only while the Butler worked.
    butler_times = [(night, 30, 55), (afternoon, 20, 24)]
    for at, running in maintenance:
        expected = any(
            base + timedelta(minutes=start) <= at < base + timedelta(minutes=end)
            for base, start, end in butler_times
        )
        assert running is expected, at


def test_what_a_push_changes_tells_whom_to_update() -> None:
    """Progress concerns its task's entities alone; a start, an end or background work more."""
    machine = _machine()
    backup = _activity("b2", "butler", "Backup Database", 10)
    steps = [
        (ActivityEvent.STARTED, backup, NOON, {"BackupDatabase"}, True),
        (ActivityEvent.UPDATED, replace(backup, progress=60), NOON, {"BackupDatabase"}, False),
        (ActivityEvent.UPDATED, replace(backup, progress=61), NOON, set(), False),
        (ActivityEvent.STARTED, SCAN, NOON, set(), True),
        (ActivityEvent.ENDED, backup, NOON, {"BackupDatabase"}, True),
    ]
    for event, activity, at, tasks, server in steps:
        before = machine.snapshot
        assert before is not None
        after = _push(machine, event, activity, at).snapshot
        assert what_changed(before, after) == (tasks, server), (event, activity)

    # A task the server no longer reports concerns its entities and the server's.
    before = machine.snapshot
    after = machine.poll(TASKS[1:], (), NOON).snapshot
    assert what_changed(before, after) == ({"BackupDatabase"}, True)


def test_a_push_about_one_task_keeps_the_others_states_as_they_were() -> None:
    """The task the push is about gets a new state; every other keeps its own, the same object."""
    machine = _machine(at=NIGHT)
    before = machine.snapshot
    assert before is not None
    update = _push(machine, ActivityEvent.STARTED, LOUDNESS, NIGHT + timedelta(minutes=1))
    changed = {
        name for name, state in update.snapshot.tasks.items() if state is not before.tasks[name]
    }
    assert changed == {"LoudnessAnalysis"}
    assert what_changed(before, update.snapshot)[0] == {"LoudnessAnalysis"}
