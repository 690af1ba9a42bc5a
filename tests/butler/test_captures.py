"""Each capture in tests/captures, replayed through the state machine, and what it must produce.

A capture is what a server did (docs/captures.md). Replayed here as the coordinator would feed it,
at the capture's own server-local times: polls as polls, websocket frames as pushes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
import json
from pathlib import Path
from typing import Any

import pytest

from custom_components.plex_butler.api.models import Activity, ActivityEvent, ActivityNotification
from custom_components.plex_butler.api.parsing import (
    notifications_in,
    parse_activities,
    parse_butler_tasks,
)
from custom_components.plex_butler.butler.machine import ButlerStateMachine
from custom_components.plex_butler.butler.schedule import LastRunSource

CAPTURES = Path(__file__).parents[1] / "captures"


@dataclass
class Replay:
    """What a capture produced: the task events, and what each moment showed."""

    events: list[tuple[float, str, str]] = field(default_factory=list)
    maintenance: list[tuple[float, bool]] = field(default_factory=list)
    background: list[tuple[float, int]] = field(default_factory=list)
    machine: ButlerStateMachine = field(default_factory=ButlerStateMachine)


def replay(capture: dict[str, Any]) -> Replay:
    """Feed a capture to a new state machine, as the coordinator would."""
    start = datetime.fromisoformat(capture["recorded_at"])
    result = Replay()
    machine = result.machine
    tasks = parse_butler_tasks(capture["butler"])
    machine.preferences(capture["preferences"], start)
    # The activities as of now, for a new task list (the coordinator polls both together).
    current: dict[str, Activity] = {}
    for entry in capture["timeline"]:
        offset = entry["t"]
        now = start + timedelta(seconds=offset)
        if "activities" in entry:
            current = {a.uuid: a for a in parse_activities(entry["activities"])}
            updates = [machine.poll(tasks, current.values(), now)]
        elif "butler" in entry:
            tasks = parse_butler_tasks(entry["butler"])
            updates = [machine.poll(tasks, current.values(), now)]
        else:
            updates = []
            for notification in notifications_in(entry["notification"]):
                if isinstance(notification, ActivityNotification):
                    uuid = notification.activity.uuid
                    if notification.event is ActivityEvent.ENDED:
                        current.pop(uuid, None)
                    else:
                        current[uuid] = notification.activity
                updates.append(machine.notification(notification, now))
        for update in updates:
            result.events.extend((offset, event.type, event.task) for event in update.events)
            result.maintenance.append((offset, update.snapshot.maintenance_running))
            result.background.append((offset, len(update.snapshot.background)))
    return result


def _load(name: str) -> dict[str, Any]:
    capture: dict[str, Any] = json.loads((CAPTURES / name).read_text())
    assert capture["format"] == "plex-butler-capture"
    assert capture["version"] == 1
    return capture


def test_every_capture_has_a_test() -> None:
    """A capture added to tests/captures must say here what it produces."""
    assert {path.name for path in CAPTURES.glob("*.json")} == set(OUTSIDE_THE_BUTLER) | {
        "nightly-maintenance.json",
        "nightly-debug-log.json",
        "restart-mid-run.json",
    }


OUTSIDE_THE_BUTLER = ("media-added.json", "dvr-guide-reload.json", "manual-analyze.json")


@pytest.mark.parametrize("name", OUTSIDE_THE_BUTLER)
def test_work_outside_the_butler_is_no_run(name: str) -> None:
    """Media added, a guide reload, a manual analyze: shown as background, never as a run."""
    result = replay(_load(name))
    assert result.events == []
    assert result.machine.history == {}
    assert not any(on for _, on in result.maintenance)
    assert max(count for _, count in result.background) > 0
    assert result.background[-1][1] == 0  # all of it ended


def test_the_nightly_butler_run() -> None:
    """Credits and loudness inside the Butler's run are those tasks' runs, each recorded once."""
    result = replay(_load("nightly-maintenance.json"))
    assert [(kind, task) for _, kind, task in result.events] == [
        ("maintenance_started", ""),
        ("task_started", "ButlerTaskGenerateCreditsMarkers"),
        ("task_finished", "ButlerTaskGenerateCreditsMarkers"),
        ("task_started", "LoudnessAnalysis"),
        ("task_finished", "LoudnessAnalysis"),
        ("maintenance_finished", ""),
    ]
    history = result.machine.history
    assert set(history) == {"ButlerTaskGenerateCreditsMarkers", "LoudnessAnalysis"}
    for runs in history.values():
        assert runs.last_duration is not None
        assert runs.last_duration > timedelta(0)
    # Maintenance from the Butler's start to its end, and not after.
    assert result.maintenance[-1] == (result.maintenance[-1][0], False)
    assert any(on for _, on in result.maintenance)
    assert all(count == 0 for _, count in result.background)


def test_a_restart_in_the_middle_of_a_run() -> None:
    """The run's activities vanish with no `ended` frame: the next poll ends the run."""
    result = replay(_load("restart-mid-run.json"))
    assert [(kind, task) for _, kind, task in result.events] == [
        ("maintenance_started", ""),
        ("task_started", "ButlerTaskGenerateCreditsMarkers"),
        ("task_finished", "ButlerTaskGenerateCreditsMarkers"),
        ("maintenance_finished", ""),
    ]
    ended_at = next(offset for offset, kind, _ in result.events if kind == "task_finished")
    assert ended_at == 15.0  # the first poll after the restart
    assert result.maintenance[-1][1] is False


def test_a_night_with_the_debug_log() -> None:
    """Each sub-activity the log names is its task's run, timed from its lines; nothing else.

    The Butler's own activity is the maintenance run around them; ProcessAssets is a task of
    this server, so its sub-activity is its run.
    """
    result = replay(_load("nightly-debug-log.json"))
    order = (
        "BackupDatabase",
        "OptimizeDatabase",
        "CleanOldBundles",
        "CleanOldCacheFiles",
        "RefreshPeriodicMetadata",
        "ProcessAssets",
        "ButlerTaskGenerateIntroMarkers",
    )
    assert [(kind, task) for _, kind, task in result.events] == [
        ("maintenance_started", ""),
        *((kind, name) for name in order for kind in ("task_started", "task_finished")),
        ("maintenance_finished", ""),
    ]
    offsets = {(kind, task): offset for offset, kind, task in result.events}
    history = result.machine.history
    assert set(history) == set(order)
    for name in order:
        runs = history[name]
        assert runs.source is LastRunSource.SERVER_LOG
        assert runs.last_duration == timedelta(
            seconds=offsets["task_finished", name] - offsets["task_started", name]
        )
    assert list(result.machine.log.unknown_names) == []
    assert result.machine.maintenance.last_duration == timedelta(
        seconds=offsets["maintenance_finished", ""] - offsets["maintenance_started", ""]
    )
