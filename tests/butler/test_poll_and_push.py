"""A poll answered while the websocket pushes: pushes heard after its requests left are newer."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from custom_components.plex_butler.api.models import (
    Activity,
    ActivityEvent,
    ActivityNotification,
    ButlerTask,
)
from custom_components.plex_butler.butler.machine import ButlerStateMachine

NOON = datetime(2026, 11, 28, 12, 0, tzinfo=ZoneInfo("Europe/Berlin"))
TASKS = (ButlerTask("BackupDatabase", "Backup Database", "", 3, False, True),)
# A Butler activity that names its task: Backup Database runs while it shows.
BACKUP = Activity("b1", "butler", "Backup Database", "", 40, False)


def _running_backup() -> ButlerStateMachine:
    machine = ButlerStateMachine()
    machine.poll(TASKS, (), NOON)
    machine.notification(ActivityNotification(ActivityEvent.STARTED, BACKUP), NOON)
    return machine


def _backup(machine: ButlerStateMachine) -> tuple[str, int | None]:
    assert machine.snapshot is not None
    state = machine.snapshot.tasks["BackupDatabase"]
    return state.status, state.progress


def test_a_run_ended_while_a_poll_was_out_stays_ended() -> None:
    machine = _running_backup()
    sent_at = machine.activity_pushes
    # The server answers with the run going on; its end is pushed before the answer arrives.
    answer = (BACKUP,)
    machine.notification(ActivityNotification(ActivityEvent.ENDED, BACKUP), NOON)
    machine.poll(TASKS, answer, NOON + timedelta(seconds=1), sent_at)
    assert _backup(machine) == ("idle", None)


def test_progress_pushed_while_a_poll_was_out_is_not_set_back() -> None:
    machine = _running_backup()
    sent_at = machine.activity_pushes
    later = Activity(BACKUP.uuid, "butler", "Backup Database", "", 90, False)
    machine.notification(ActivityNotification(ActivityEvent.UPDATED, later), NOON)
    machine.poll(TASKS, (BACKUP,), NOON + timedelta(seconds=1), sent_at)
    assert _backup(machine) == ("running", 90)


def test_a_poll_sent_after_the_pushes_is_taken_as_it_answers() -> None:
    machine = _running_backup()
    machine.notification(ActivityNotification(ActivityEvent.ENDED, BACKUP), NOON)
    # A run of the same activity seen again by a later poll is the server's word, not a ghost.
    machine.poll(TASKS, (BACKUP,), NOON + timedelta(seconds=1), machine.activity_pushes)
    assert _backup(machine) == ("running", 40)
    machine.poll(TASKS, (), NOON + timedelta(seconds=2))
    assert _backup(machine) == ("idle", None)
