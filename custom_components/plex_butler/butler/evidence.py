"""What the server shows of its Butler, and what each thing is evidence of.

The names of the Butler's preferences, the media work each task does, and how an activity names
a task. Public evidence (captures, third-party code, the API spec) backs the activity types;
which task does each is an inference from the task and setting names. A rule without a source is
not here: an activity no rule places is background activity, and diagnostics list it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
import re
from typing import Final

from ..api.models import Activity, BrowsedFile, ButlerTask
from .schedule import MaintenanceWindow

WINDOW_START_SETTING: Final = "ButlerStartHour"
WINDOW_END_SETTING: Final = "ButlerEndHour"
BACKUP_PATH_SETTING: Final = "ButlerDatabaseBackupPath"
# "Enable Plex Media Server debug logging": the Butler logs its tasks at debug level.
LOG_DEBUG_SETTING: Final = "logDebug"
BACKUP_TASK: Final = "BackupDatabase"
# Settings such as "ButlerTaskBackupDatabase" switch a task on or off.
TASK_SETTING_PREFIX: Final = "ButlerTask"
# Settings such as "GenerateBIFBehavior" say when media work runs: never, as a scheduled (Butler)
# task, or also as soon as media is added.
BEHAVIOR_SETTING_SUFFIX: Final = "Behavior"
BEHAVIORS: Final = ("never", "scheduled", "asap")
BUTLER_ACTIVITY_PREFIX: Final = "butler"
# The title of the Butler's own run, whatever its type (a real server's log, 1.41.5).
BUTLER_ACTIVITY_TITLE: Final = "butler tasks"
# Backups are named like "com.plexapp.plugins.library.db-2026-12-03" (up to three are kept).
BACKUP_FILE: Final = re.compile(r"com\.plexapp\.plugins\.library\.db-(\d{4})-(\d{2})-(\d{2})")
# A task started here counts as running this long while the server shows nothing of it.
START_GRACE: Final = timedelta(seconds=60)


@dataclass(frozen=True, slots=True)
class MediaWork:
    """The media processing of one Butler task: activity types, and the setting that says when."""

    task: str
    activity_types: tuple[str, ...]
    behavior_setting: str | None


# A type also appears outside the Butler (media added with `asap`, a manual analyze, a guide
# reload): machine.py decides by the context whether it is the task's run.
MEDIA_WORK: Final[tuple[MediaWork, ...]] = (
    MediaWork("GenerateMediaIndexFiles", ("media.generate.bif",), "GenerateBIFBehavior"),
    MediaWork(
        "GenerateChapterThumbs", ("media.generate.chapter.thumbs",), "GenerateChapterThumbBehavior"
    ),
    MediaWork(
        "ButlerTaskGenerateIntroMarkers", ("media.generate.intros",), "GenerateIntroMarkerBehavior"
    ),
    MediaWork(
        "ButlerTaskGenerateCreditsMarkers",
        ("media.generate.credits",),
        "GenerateCreditsMarkerBehavior",
    ),
    MediaWork(
        "ButlerTaskGenerateVoiceActivity", ("media.generate.voice.activity",), "GenerateVADBehavior"
    ),
    MediaWork("LoudnessAnalysis", ("media.generate.loudness",), "LoudnessAnalysisBehavior"),
    MediaWork("RefreshEpgGuides", ("provider.epg.load",), None),
)
MEDIA_WORK_BY_TYPE: Final = {kind: work for work in MEDIA_WORK for kind in work.activity_types}
BEHAVIOR_SETTING_OF_TASK: Final = {
    work.task: work.behavior_setting for work in MEDIA_WORK if work.behavior_setting is not None
}


def task_switch_setting(task: str) -> str:
    """Return the name of the setting that would switch a task on or off.

    An inference from the names, as public lists pair them: a server may have no such setting.
    """
    return f"{TASK_SETTING_PREFIX}{task}"


def task_settings(task: str) -> tuple[str, ...]:
    """Return the settings of one task: its switch, and the `*Behavior` setting of its work."""
    behavior = BEHAVIOR_SETTING_OF_TASK.get(task)
    switch = task_switch_setting(task)
    return (switch,) if behavior is None else (switch, behavior)


def is_butler_setting(setting: str) -> bool:
    """Tell whether a server preference is one of the Butler's settings."""
    return (
        setting
        in (WINDOW_START_SETTING, WINDOW_END_SETTING, BACKUP_PATH_SETTING, LOG_DEBUG_SETTING)
        or setting.startswith(TASK_SETTING_PREFIX)
        or setting.endswith(BEHAVIOR_SETTING_SUFFIX)
    )


def is_butler_activity(activity: Activity) -> bool:
    """Tell whether the server reports the activity as Butler work: by its type or its title."""
    return (
        activity.type.casefold().startswith(BUTLER_ACTIVITY_PREFIX)
        or activity.title.strip().casefold() == BUTLER_ACTIVITY_TITLE
    )


def task_of_log_name(name: str, tasks: Collection[str]) -> str | None:
    """Return the task a sub-activity of the Butler's log names, None for no known task.

    The real log names `ButlerTaskGenerateIntroMarkers` (a `/butler` name that has the prefix)
    and `ProcessAssets` (a `/butler` name of newer servers). Whether other tasks are logged with
    the prefix is unknown, so both spellings are taken; any other name is never guessed.
    """
    bare = name.removeprefix(TASK_SETTING_PREFIX)
    for candidate in (name, bare, f"{TASK_SETTING_PREFIX}{bare}"):
        if candidate in tasks:
            return candidate
    return None


def backup_dates(files: Iterable[BrowsedFile]) -> tuple[date, ...]:
    """Return the days of the database backups among a folder's files, newest first."""
    days = set()
    for file in files:
        name = file.path.replace("\\", "/").rpartition("/")[2] or file.title
        if (match := BACKUP_FILE.fullmatch(name)) is not None:
            try:
                days.add(date(*(int(part) for part in match.groups())))
            except ValueError:
                continue
    return tuple(sorted(days, reverse=True))


def task_named_by(activity: Activity, tasks: Iterable[ButlerTask]) -> str | None:
    """Return the task whose name or title the activity's type, title or subtitle holds.

    The longest match wins, so that a title inside another task's title cannot steal it.
    """
    texts = [activity.type, activity.title, activity.subtitle]
    texts = [text.casefold() for text in texts if text]
    best: tuple[int, str] | None = None
    for task in tasks:
        for key in {task.name.casefold(), task.title.casefold()} - {""}:
            if any(key in text for text in texts) and (best is None or len(key) > best[0]):
                best = (len(key), task.name)
    return best[1] if best else None


class TaskNamer:
    """Tells which task an activity names, remembering the answer for each wording.

    Progress pushes repeat the same activity many times; the task list changes rarely.
    """

    MAX_WORDINGS: Final = 256

    def __init__(self, tasks: Iterable[ButlerTask]) -> None:
        """Name tasks of this list."""
        self._tasks = tuple(tasks)
        self._known: dict[tuple[str, str, str], str | None] = {}

    def __call__(self, activity: Activity) -> str | None:
        """Return `task_named_by(activity, tasks)`."""
        wording = (activity.type, activity.title, activity.subtitle)
        if wording not in self._known:
            if len(self._known) >= self.MAX_WORDINGS:
                self._known.clear()
            self._known[wording] = task_named_by(activity, self._tasks)
        return self._known[wording]


def window_from_preferences(values: Mapping[str, str]) -> MaintenanceWindow:
    """Read the maintenance window; missing or odd values keep Plex's defaults."""
    default = MaintenanceWindow()

    def hour(setting: str, fallback: int) -> int:
        try:
            value = int(values.get(setting, fallback))
        except ValueError:
            return fallback
        return value if 0 <= value <= 23 else fallback

    return MaintenanceWindow(
        hour(WINDOW_START_SETTING, default.start_hour), hour(WINDOW_END_SETTING, default.end_hour)
    )


def debug_log_from_preferences(values: Mapping[str, str]) -> bool | None:
    """Read whether the server logs at debug level, where the Butler's tasks show; None: unknown."""
    value = values.get(LOG_DEBUG_SETTING)
    return None if value is None else value.strip().casefold() in ("1", "true")


def progress_of(activity: Activity) -> int | None:
    """Return an activity's progress, None while the server does not know it (-1)."""
    return activity.progress if activity.progress >= 0 else None
