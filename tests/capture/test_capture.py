"""Tests of the capture command against the simulated server, over real loopback HTTP."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
import json
from pathlib import Path
import runpy
from typing import Any

import pytest

from custom_components.plex_butler.capture.file import REDACTED, redact, write_capture
from custom_components.plex_butler.capture.recorder import CaptureOptions, main, run_capture
from tests.api.test_client import wait_until
from tests.conftest import TOKEN
from tests.plex_simulator import SETTINGS, EvidenceLevel, PlexSimulator
from tests.plex_simulator.catalog import BUTLER

FAST = {"poll_seconds": 0.2, "butler_poll_seconds": 0.2, "websocket_retry_seconds": 0.2}
"""Poll every 0.2 s instead of every few seconds."""


def options(server: PlexSimulator, output: Path, seconds: float, **kwargs: Any) -> CaptureOptions:
    return CaptureOptions(url=server.url, minutes=seconds / 60, output=output, **(FAST | kwargs))


def entries(capture: dict[str, Any], kind: str) -> list[Any]:
    return [entry[kind] for entry in capture["timeline"] if kind in entry]


def activity_events(capture: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        (item["event"], item["Activity"]["title"])
        for frame in entries(capture, "notification")
        if frame["NotificationContainer"]["type"] == "activity"
        for item in frame["NotificationContainer"]["ActivityNotification"]
    ]


def preference_frames(capture: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        setting
        for frame in entries(capture, "notification")
        if frame["NotificationContainer"]["type"] == "preference"
        for setting in frame["NotificationContainer"]["Setting"]
    ]


def files_in(directory: Path) -> list[str]:
    return sorted(path.name for path in directory.iterdir())


async def run_main(argv: list[str]) -> int:
    """main() runs an event loop of its own: in a thread, while the simulator serves here."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return await asyncio.get_running_loop().run_in_executor(pool, main, argv)


def main_argv(url: str, output: Path, *extra: str) -> list[str]:
    return ["--url", url, "--minutes", "0.01", "--output", str(output), *extra]


@pytest.fixture
def token_in_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLEX_TOKEN", TOKEN)


async def test_recording(
    plex_server: PlexSimulator, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A task starts, progresses and ends, settings change: all of it is in the file, redacted."""
    output = tmp_path / "capture.json"
    plex_server.progress_interval = 0.1
    plex_server.preferences["ButlerDatabaseBackupPath"] = "/home/alice/plex backups"
    recording = asyncio.create_task(
        run_capture(options(plex_server, output, 1.5, label="A backup"), TOKEN)
    )
    await wait_until(lambda: plex_server.websocket_count == 1)
    await plex_server.add_activity(
        "library.update.section",
        f"Scanning {TOKEN}",
        subtitle="4th Birthday",
        context={"librarySectionID": "1"},
    )
    await plex_server.butler.start_task("BackupDatabase", run_seconds=0.3)
    await plex_server.set_preference("ButlerStartHour", "4")
    await plex_server.set_preference("ButlerDatabaseBackupPath", "D:\\Plex backups")
    await plex_server.set_preference("ButlerTaskCleanOldBundles", "0")
    assert await recording == 0

    text = output.read_text()
    assert TOKEN not in text
    assert TOKEN not in capsys.readouterr().err
    capture = json.loads(text)
    assert set(capture) == {
        "format",
        "version",
        "label",
        "origin",
        "recorded_at",
        "duration_seconds",
        "server",
        "butler",
        "preferences",
        "timeline",
    }
    assert (capture["format"], capture["version"], capture["origin"], capture["label"]) == (
        "plex-butler-capture",
        1,
        "recorded",
        "A backup",
    )
    assert datetime.fromisoformat(capture["recorded_at"]).utcoffset() is not None
    assert 1.5 <= capture["duration_seconds"] < 3
    assert capture["server"] == {"version": plex_server.version, "platform": "Linux"}
    tasks = capture["butler"]["ButlerTasks"]["ButlerTask"]
    assert [task["name"] for task in tasks] == list(plex_server.tasks)

    assert set(capture["preferences"]) == {
        setting.id
        for setting in SETTINGS
        if setting.id.startswith("Butler") or setting.id.endswith("Behavior")
    }
    assert "LogVerbose" not in capture["preferences"]
    assert capture["preferences"]["ButlerStartHour"] == "2"  # as it was at the start
    assert capture["preferences"]["ButlerTaskBackupDatabase"] == "1"
    assert capture["preferences"]["GenerateBIFBehavior"] == "scheduled"
    assert capture["preferences"]["ButlerDatabaseBackupPath"] == REDACTED

    times = [entry["t"] for entry in capture["timeline"]]
    assert times == sorted(times)
    assert times[0] >= 0
    assert times[-1] <= capture["duration_seconds"]
    assert all(len(entry) == 2 for entry in capture["timeline"])

    polls = entries(capture, "activities")
    assert len(polls) >= 5
    assert polls[0] == {"MediaContainer": {"size": 0}}
    scans = [
        activity
        for poll in polls
        for activity in poll["MediaContainer"].get("Activity", [])
        if activity["type"] == "library.update.section"
    ]
    assert scans
    assert {activity["title"] for activity in scans} == {f"Scanning {REDACTED}"}
    assert {activity["subtitle"] for activity in scans} == {REDACTED}
    assert all(activity["Context"] == {"librarySectionID": REDACTED} for activity in scans)

    backup_events = [event for event in activity_events(capture) if event[1] == BUTLER.title]
    # "Butler tasks" shows the share of its sub-activities that ended: 100 % once, at the end.
    assert [event for event, _ in backup_events] == ["started", "updated", "ended"]
    # An empty subtitle stays as it is: it names nothing.
    assert all(
        item["Activity"]["subtitle"] == ""
        for frame in entries(capture, "notification")
        for item in frame["NotificationContainer"].get("ActivityNotification", [])
        if item["Activity"]["title"] == "Backup Database"
    )
    assert preference_frames(capture) == [
        {"id": "ButlerStartHour", "value": 4},
        {"id": "ButlerDatabaseBackupPath", "value": REDACTED},
        {"id": "ButlerTaskCleanOldBundles", "value": False},
    ]

    (changed,) = entries(capture, "butler")
    enabled = {task["name"]: task["enabled"] for task in changed["ButlerTasks"]["ButlerTask"]}
    assert enabled["CleanOldBundles"] is False
    assert files_in(tmp_path) == ["capture.json"]  # no temporary file left


async def test_main(
    plex_server: PlexSimulator,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    token_in_environment: None,
) -> None:
    output = tmp_path / "capture.json"
    argv = main_argv(plex_server.url, output, "--poll-seconds", "0.1", "--label", "Idle")
    argv.append("--no-verify-ssl")  # no TLS here; the flag must only be accepted
    assert await run_main(argv) == 0
    capture = json.loads(output.read_text())
    assert capture["label"] == "Idle"
    assert capture["butler"]["ButlerTasks"]["ButlerTask"]
    assert len(entries(capture, "activities")) >= 3
    err = capsys.readouterr().err
    assert "recording Living Room Plex" in err
    assert f"wrote {output}: " in err
    assert TOKEN not in err


async def test_token_is_asked_for_when_unset(
    plex_server: PlexSimulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PLEX_TOKEN", raising=False)
    prompts: list[str] = []

    def type_token(prompt: str) -> str:
        prompts.append(prompt)
        return f" {TOKEN}\n"

    monkeypatch.setattr("getpass.getpass", type_token)
    output = tmp_path / "capture.json"
    assert await run_main(main_argv(plex_server.url, output)) == 0
    assert len(prompts) == 1
    assert json.loads(output.read_text())["format"] == "plex-butler-capture"


@pytest.mark.parametrize("typed", [EOFError, "", "  "])
def test_no_token(
    typed: type[Exception] | str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.delenv("PLEX_TOKEN", raising=False)

    def type_token(_prompt: str) -> str:
        if isinstance(typed, str):
            return typed
        raise typed

    monkeypatch.setattr("getpass.getpass", type_token)
    assert main(main_argv("http://127.0.0.1:9", tmp_path / "capture.json")) == 2
    assert "no token: set PLEX_TOKEN" in capsys.readouterr().err
    assert files_in(tmp_path) == []


def test_ctrl_c_at_the_prompt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("PLEX_TOKEN", raising=False)

    def interrupt(_prompt: str) -> str:
        raise KeyboardInterrupt

    monkeypatch.setattr("getpass.getpass", interrupt)
    assert main(main_argv("http://127.0.0.1:9", tmp_path / "capture.json")) == 130
    assert "stopped: no file written" in capsys.readouterr().err


async def test_wrong_token(
    plex_server: PlexSimulator,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("PLEX_TOKEN", "not-the-token")
    output = tmp_path / "capture.json"
    assert await run_main(main_argv(plex_server.url, output)) == 1
    err = capsys.readouterr().err
    assert err == (
        "capture: The server refused the token (401): "
        "PLEX_TOKEN must hold the server owner's token\n"
    )
    assert files_in(tmp_path) == []


@pytest.mark.usefixtures("token_in_environment")
async def test_unreachable(
    plex_server: PlexSimulator, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    await plex_server.go_down()
    assert await run_main(main_argv(plex_server.url, tmp_path / "capture.json")) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"capture: cannot reach {plex_server.url}: Cannot talk to 127.0.0.1")
    assert err.count("\n") == 1
    assert files_in(tmp_path) == []


@pytest.mark.usefixtures("token_in_environment")
async def test_no_tls(
    plex_server: PlexSimulator, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = plex_server.url.replace("http://", "https://")
    assert await run_main(main_argv(url, tmp_path / "capture.json")) == 1
    assert "try --no-verify-ssl" in capsys.readouterr().err


@pytest.mark.usefixtures("token_in_environment")
async def test_not_a_plex_server(
    plex_server: PlexSimulator, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plex_server.faults.garbage = True
    assert await run_main(main_argv(plex_server.url, tmp_path / "capture.json")) == 1
    err = capsys.readouterr().err
    assert f"capture: {plex_server.url} does not answer like a Plex Media Server: " in err
    assert err.count("\n") == 1
    assert files_in(tmp_path) == []


@pytest.mark.polling_only
async def test_without_websocket(
    plex_server: PlexSimulator, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Behind a proxy that passes no websockets (404) the polls are still recorded."""
    output = tmp_path / "capture.json"
    recording = asyncio.create_task(run_capture(options(plex_server, output, 1.0), TOKEN))
    await asyncio.sleep(0.3)
    await plex_server.butler.start_task("BackupDatabase")
    assert await recording == 0
    capture = json.loads(output.read_text())
    assert entries(capture, "notification") == []
    titles = [
        activity["title"]
        for poll in entries(capture, "activities")
        for activity in poll["MediaContainer"].get("Activity", [])
    ]
    assert BUTLER.title in titles
    err = capsys.readouterr().err
    # Said once, though it was tried again every 0.2 s.
    assert err.count("websocket: The notification websocket was refused (404); polls go on") == 1
    websocket_requests = [r for r in plex_server.requests if "websockets" in r.path]
    assert len(websocket_requests) >= 3


class Stderr:
    """What the command said so far (capsys hands each line out only once)."""

    def __init__(self, capsys: pytest.CaptureFixture[str]) -> None:
        self._capsys = capsys
        self.text = ""

    def has(self, *parts: str) -> bool:
        self.text += self._capsys.readouterr().err
        return all(part in self.text for part in parts)


async def test_server_away_for_a_while(
    plex_server: PlexSimulator, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Failed polls and a lost websocket are reported; the recording goes on when it is back."""
    output = tmp_path / "capture.json"
    stderr = Stderr(capsys)
    recording = asyncio.create_task(run_capture(options(plex_server, output, 3.0), TOKEN))
    await wait_until(lambda: plex_server.websocket_count == 1)
    await plex_server.drop_websockets()
    await wait_until(lambda: stderr.has("websocket: closed by the server; polls go on"))
    await wait_until(lambda: plex_server.websocket_count == 1)
    plex_server.faults.fail_with_500 = True
    await wait_until(
        lambda: stderr.has(
            "GET /activities: GET /activities answered 500; trying again",
            "GET /butler: GET /butler answered 500; trying again",
        )
    )
    plex_server.faults.fail_with_500 = False
    await wait_until(
        lambda: stderr.has("GET /activities: working again", "GET /butler: working again")
    )
    await plex_server.butler.start_task("BackupDatabase")
    assert await recording == 0
    assert stderr.text.count("websocket: open, recording every frame") == 2
    capture = json.loads(output.read_text())
    assert ("started", BUTLER.title) in activity_events(capture)


async def test_stopped_early(
    plex_server: PlexSimulator, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Ctrl-C (a cancelled task) stops the recording; what was recorded is still written."""
    output = tmp_path / "capture.json"
    recording = asyncio.create_task(run_capture(options(plex_server, output, 600), TOKEN))

    def polls() -> int:
        return sum(request.path == "/activities" for request in plex_server.requests)

    await wait_until(lambda: polls() >= 3)
    recording.cancel()
    assert await recording == 0
    capture = json.loads(output.read_text())
    assert capture["duration_seconds"] < 60
    assert len(entries(capture, "activities")) >= 2  # the third answer may be cut off
    assert "stopped early: writing what was recorded" in capsys.readouterr().err


async def test_output_not_writable(
    plex_server: PlexSimulator, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A directory where the file should go: said in one line, and no temporary file is left."""
    output = tmp_path / "capture.json"
    output.mkdir()
    assert await run_capture(options(plex_server, output, 0.1), TOKEN) == 1
    assert f"capture: cannot write {output}: " in capsys.readouterr().err
    assert files_in(tmp_path) == ["capture.json"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--minutes", "0"], "not a positive number: 0"),
        (["--minutes", "ten"], "not a positive number: ten"),
        (["--minutes", "1", "--poll-seconds", "-5"], "not a positive number: -5"),
        (["--minutes", "1", "--token", "secret"], "unrecognized arguments: --token"),
    ],
)
def test_wrong_arguments(
    argv: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    full = ["--url", "http://127.0.0.1:9", "--output", str(tmp_path / "c.json"), *argv]
    with pytest.raises(SystemExit) as info:
        main(full)
    assert info.value.code == 2
    assert message in capsys.readouterr().err


def test_output_directory_missing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    output = tmp_path / "missing" / "capture.json"
    assert main(main_argv("http://127.0.0.1:9", output)) == 2
    assert f"no directory {output.parent}" in capsys.readouterr().err


@pytest.mark.usefixtures("token_in_environment")
def test_url_that_is_no_server(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(main_argv("127.0.0.1:32400", tmp_path / "capture.json")) == 2
    assert "The server URL must start with http:// or https://" in capsys.readouterr().err


def test_redact() -> None:
    """What the recorder hides, whatever the shape it comes in."""
    document = {
        f"key {TOKEN}": [f"{TOKEN}!", 1, None, True],
        "Activity": {"subtitle": "4th Birthday", "title": "Scanning", "Context": "Photos"},
        "Empty": {"subtitle": "", "Context": {}},
        "Setting": [
            {"id": "ButlerDatabaseBackupPath", "value": "Databases", "default": ""},
            {"id": "TranscoderTempDirectory", "value": "C:\\temp", "default": "~/cache"},
            {"id": "LogDirectory", "value": "\\\\nas\\logs", "default": "/var/log"},
            {"id": "GenerateBIFBehavior", "value": "asap", "default": "scheduled"},
            {"id": "ButlerStartHour", "value": 2},
        ],
    }
    assert redact(document, TOKEN) == {
        f"key {REDACTED}": [f"{REDACTED}!", 1, None, True],
        "Activity": {"subtitle": REDACTED, "title": "Scanning", "Context": REDACTED},
        "Empty": {"subtitle": "", "Context": {}},
        "Setting": [
            {"id": "ButlerDatabaseBackupPath", "value": REDACTED, "default": ""},
            {"id": "TranscoderTempDirectory", "value": REDACTED, "default": REDACTED},
            {"id": "LogDirectory", "value": REDACTED, "default": REDACTED},
            {"id": "GenerateBIFBehavior", "value": "asap", "default": "scheduled"},
            {"id": "ButlerStartHour", "value": 2},
        ],
    }


async def test_recording_the_debug_log(plex_server: PlexSimulator, tmp_path: Path) -> None:
    """Log frames are recorded; only their lines about activities and the Butler are kept."""
    output = tmp_path / "capture.json"
    plex_server.set_evidence(EvidenceLevel.DEBUG_LOG)
    plex_server.log_frame_shape = "text"
    recording = asyncio.create_task(run_capture(options(plex_server, output, 1.0), TOKEN))
    await wait_until(lambda: plex_server.websocket_count == 1)
    await plex_server.butler.start_task("ProcessAssets", run_seconds=0.2)
    assert await recording == 0

    log_texts = [
        item["text"]
        for frame in entries(json.loads(output.read_text()), "notification")
        if frame["NotificationContainer"]["type"] == "log"
        for item in frame["NotificationContainer"]["LogNotification"]
    ]
    lines = "\n".join(log_texts).split("\n")
    assert any("sub-activity" in line and '"ProcessAssets"' in line for line in lines)
    assert any(line.endswith("The butler processed 0 assets.") for line in lines)
    # The requests' lines (client addresses, paths) are hidden, one [redacted] a line.
    assert REDACTED in lines
    assert not any("Request:" in line or "127.0.0.1" in line for line in lines)


def test_redact_a_log_frame() -> None:
    line = 'Activity: registered new sub-activity a - "ProcessAssets" parent: b (1/2)'
    frame = {
        "NotificationContainer": {
            "type": "log",
            "size": 2,
            "Log": [
                {"level": 3, "message": f"{line}\nScanning /home/alice/Movies", "source": "PMS"},
                {"level": 3, "message": f"Request: [10.0.0.7:5000] GET /?X-Plex-Token={TOKEN}"},
                # Numbers and nulls name nothing: kept as they are.
                {"level": 3, "thread": 7, "message": None},
            ],
        }
    }
    assert redact(frame, TOKEN) == {
        "NotificationContainer": {
            "type": "log",
            "size": 2,
            "Log": [
                {"level": 3, "message": f"{line}\n{REDACTED}", "source": "PMS"},
                {"level": 3, "message": REDACTED},
                {"level": 3, "thread": 7, "message": None},
            ],
        }
    }


def test_write_keeps_text_readable(tmp_path: Path) -> None:
    """Non-ASCII titles stay readable; a lone surrogate from a broken frame stays a JSON escape."""
    output = tmp_path / "capture.json"
    write_capture({"title": "Détection du générique", "broken": "a\ud800b"}, output)
    text = output.read_text(encoding="utf-8")
    assert "Détection du générique" in text
    assert json.loads(text) == {"title": "Détection du générique", "broken": "a\ud800b"}


def test_python_m_runs_the_recorder(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`python -m custom_components.plex_butler.capture --help`, as the docs say, runs it."""
    monkeypatch.setattr("sys.argv", ["capture", "--help"])
    with pytest.raises(SystemExit) as exited:
        runpy.run_module("custom_components.plex_butler.capture", run_name="__main__")
    assert exited.value.code == 0
    assert "python -m custom_components.plex_butler.capture" in capsys.readouterr().out
