"""The Butler settings of a current server (`GET /:/prefs`) and how it stores written values."""

from .models import SettingDefinition
from .render import Scalar

LOG_DEBUG = "logDebug"
BACKUP_PATH = "ButlerDatabaseBackupPath"
BACKUP_FOLDER = "Plug-in Support/Databases"
"""The simulator's backup folder; a real server's default is that folder in its data folder."""

TASK_SETTING_PREFIX = "ButlerTask"
"""A bool setting named TASK_SETTING_PREFIX + task name enables or disables that task."""


def _hour_label(hour: int) -> str:
    if hour in {0, 12}:
        return "Midnight" if hour == 0 else "Noon"
    return f"{hour % 12} {'am' if hour < 12 else 'pm'}"


_HOURS = "|".join(f"{hour}:{_hour_label(hour)}" for hour in range(24))
# A `*Behavior` setting's values: never, scheduled (by the Butler), asap (also when media is added).
BEHAVIOR_NEVER = "never"
BEHAVIOR_ASAP = "asap"
_BEHAVIORS = (
    "never:never|scheduled:as a scheduled task|asap:as a scheduled task and when media is added"
)


def _task_switch(
    task: str, label: str, default: str = "1", *, hidden: bool = False
) -> SettingDefinition:
    return SettingDefinition(
        f"{TASK_SETTING_PREFIX}{task}",
        label,
        "",
        "bool",
        default,
        hidden=hidden,
        advanced=hidden,
    )


def _behavior(setting_id: str, label: str, summary: str, default: str) -> SettingDefinition:
    return SettingDefinition(
        setting_id, label, summary, "text", default, advanced=True, enum_values=_BEHAVIORS
    )


SETTINGS: list[SettingDefinition] = [
    SettingDefinition(
        "LogVerbose",
        "Enable Plex Media Server verbose logging",
        "",
        "bool",
        "0",
        group="general",
        advanced=True,
    ),
    # The id and label are Plex Web's; a default of on is an inference (the log is on by default
    # on the servers whose logs people quote).
    SettingDefinition(
        "logDebug",
        "Enable Plex Media Server debug logging",
        "",
        "bool",
        "1",
        group="general",
    ),
    SettingDefinition(
        "ButlerStartHour",
        "Time at which tasks start to run",
        "The time at which the server starts running background maintenance tasks.",
        "int",
        "2",
        enum_values=_HOURS,
    ),
    SettingDefinition(
        "ButlerEndHour",
        "Time at which tasks stop running",
        "The time at which the background maintenance tasks stop running.",
        "int",
        "5",
        enum_values=_HOURS,
    ),
    _task_switch("BackupDatabase", "Backup database every three days"),
    SettingDefinition(
        BACKUP_PATH,
        "Backup directory",
        "The directory in which database backups are stored.",
        "text",
        BACKUP_FOLDER,
        advanced=True,
    ),
    _task_switch("OptimizeDatabase", "Optimize database every week"),
    _task_switch("CleanOldBundles", "Remove old bundles every week"),
    _task_switch("CleanOldCacheFiles", "Remove old cache files every week"),
    _task_switch("RefreshLocalMedia", "Refresh local metadata every three days"),
    _task_switch("RefreshLibraries", "Update all libraries during maintenance", "0"),
    _task_switch("RefreshPeriodicMetadata", "Refresh metadata periodically"),
    _task_switch("UpgradeMediaAnalysis", "Upgrade media analysis during maintenance"),
    _task_switch("DeepMediaAnalysis", "Perform extensive media analysis during maintenance"),
    _task_switch("GarbageCollectBlobs", "Garbage collect blobs", hidden=True),
    _task_switch("RefreshEpgGuides", "Refresh EPG guides"),
    _behavior(
        "GenerateBIFBehavior",
        "Generate video preview thumbnails",
        "Video preview thumbnails provide live updates in Now Playing and while seeking.",
        "scheduled",
    ),
    _behavior(
        "GenerateChapterThumbBehavior",
        "Generate chapter thumbnails",
        "Chapter thumbnails provide images in the chapter view on supported apps.",
        "scheduled",
    ),
    _behavior(
        "LoudnessAnalysisBehavior",
        "Analyze audio tracks for loudness",
        "Loudness analysis allows various audio features like loudness leveling.",
        "scheduled",
    ),
    _behavior(
        "MusicAnalysisBehavior",
        "Analyze audio tracks for sonic features",
        "Sonic analysis allows features like sonically similar tracks and Plexamp radio.",
        "scheduled",
    ),
    _behavior(
        "GenerateIntroMarkerBehavior",
        "Generate intro video markers",
        "Detects show intros, exposing the 'Skip Intro' button in clients.",
        "asap",
    ),
    _behavior(
        "GenerateCreditsMarkerBehavior",
        "Generate credits video markers",
        "Detects movie and episode end credits, used for features like 'Skip Credits'.",
        "asap",
    ),
    _behavior(
        "GenerateVADBehavior",
        "Generate voice activity data",
        "Detects speech in audio tracks, used to synchronize subtitles.",
        "scheduled",
    ),
]
"""The Butler settings of a current server, plus one unrelated setting (a real server has many)."""

SETTINGS_BY_ID: dict[str, SettingDefinition] = {setting.id: setting for setting in SETTINGS}


def normalize_value(setting: SettingDefinition, value: str) -> str:
    """Return a written value as stored ("1"/"0" for bools); ValueError if the server refuses it."""
    if setting.type == "bool":
        if value.lower() in {"1", "true"}:
            return "1"
        if value.lower() in {"0", "false"}:
            return "0"
        raise ValueError(value)
    if setting.type == "int":
        value = str(int(value))
    if setting.enum_values and value not in setting.allowed_values():
        raise ValueError(value)
    return value


def typed_value(setting: SettingDefinition, value: str) -> Scalar:
    """Return a stored value as the server reports it: bool, int or text."""
    if setting.type == "bool":
        return value == "1"
    if setting.type == "int":
        return int(value)
    return value
