"""What a current Plex Media Server reports: Butler tasks, Butler settings, activity types.

The task-to-activity table is the simulator's own guess at what a real server does; the integration
must not share it (no public source maps Butler tasks to activity types).
"""

from .models import SettingDefinition, SimulatedTask

DEFAULT_TASKS: list[SimulatedTask] = [
    SimulatedTask(
        "AutomaticUpdates",
        "Install Automatic Updates",
        "Install server updates automatically during the maintenance window",
        1,
        False,
        True,
    ),
    SimulatedTask(
        "BackupDatabase",
        "Backup Database",
        "Create a backup copy of the server's database in the configured backup directory",
        3,
        False,
        True,
    ),
    SimulatedTask(
        "ButlerTaskCleanSupplementalLogFiles", "Clean Supplemental Log Files", "", 7, False, True
    ),
    SimulatedTask(
        "ButlerTaskGenerateAdMarkers",
        "Detect Commercials",
        "Detect commercials in DVR recordings",
        1,
        True,
        False,
    ),
    SimulatedTask(
        "ButlerTaskGenerateCreditsMarkers",
        "Detect Credits",
        "Analyze movies and TV episodes to detect credits",
        1,
        False,
        True,
    ),
    SimulatedTask(
        "ButlerTaskGenerateIntroMarkers",
        "Detect Intros",
        "Analyze TV episodes to detect intros",
        1,
        False,
        True,
    ),
    SimulatedTask(
        "ButlerTaskGenerateVoiceActivity",
        "Detect Voice Activity",
        "Analyze media to detect voice activity for subtitle syncing",
        1,
        True,
        True,
    ),
    SimulatedTask(
        "CleanOldBundles",
        "Clean Old Bundles",
        "Remove old bundles of data that are no longer needed",
        7,
        False,
        True,
    ),
    SimulatedTask(
        "CleanOldCacheFiles",
        "Clean Old Cache Files",
        "Remove old files from the server's cache",
        7,
        False,
        True,
    ),
    SimulatedTask(
        "DeepMediaAnalysis",
        "Perform Extensive Media Analysis",
        "Perform extensive analysis of media files to determine their bitrates",
        1,
        True,
        True,
    ),
    SimulatedTask("GarbageCollectBlobs", "Garbage Collect Blobs", "", 7, False, True),
    SimulatedTask(
        "GarbageCollectLibraryMedia",
        "Garbage Collect Library Media",
        "Remove media items that were deleted from disk",
        7,
        False,
        True,
    ),
    SimulatedTask("GenerateBlurHashes", "Generate Blur Hashes", "", 1, False, True),
    SimulatedTask(
        "GenerateChapterThumbs",
        "Generate Chapter Thumbnails",
        "Generate chapter thumbnail images for videos",
        1,
        True,
        True,
    ),
    SimulatedTask(
        "GenerateMediaIndexFiles",
        "Generate Video Preview Thumbnails",
        "Generate the images shown when seeking in videos",
        1,
        True,
        True,
    ),
    SimulatedTask(
        "LoudnessAnalysis",
        "Perform Loudness Analysis",
        "Analyze the loudness of audio tracks",
        1,
        False,
        True,
    ),
    SimulatedTask(
        "MusicAnalysis",
        "Perform Music Analysis",
        "Analyze music tracks for sonic features",
        1,
        False,
        True,
    ),
    SimulatedTask(
        "OptimizeDatabase",
        "Optimize Database",
        "Optimize the server's database to make it smaller and faster",
        7,
        False,
        True,
    ),
    SimulatedTask("ProcessAssets", "Process Assets", "", 1, False, True),
    SimulatedTask(
        "RefreshEpgGuides",
        "Refresh EPG Guides",
        "Refresh the electronic program guides of DVR sources",
        1,
        False,
        True,
    ),
    SimulatedTask(
        "RefreshLibraries",
        "Refresh Libraries",
        "Scan all libraries for new, changed and removed media",
        1,
        False,
        False,
    ),
    SimulatedTask(
        "RefreshLocalMedia",
        "Refresh Local Metadata",
        "Refresh local metadata such as posters and subtitles stored next to media",
        3,
        False,
        True,
    ),
    SimulatedTask(
        "RefreshPeriodicMetadata",
        "Refresh Metadata Periodically",
        "Refresh the metadata of media periodically",
        1,
        False,
        True,
    ),
    SimulatedTask(
        "UpgradeMediaAnalysis",
        "Upgrade Media Analysis",
        "Upgrade the analysis of media analyzed by older server versions",
        1,
        True,
        True,
    ),
]
"""The tasks of a current server; two are disabled, a few run at a random time in the window."""

TASK_ACTIVITIES: dict[str, tuple[str, str]] = {
    "GenerateMediaIndexFiles": ("media.generate.bif", "Generating video preview thumbnails"),
    "GenerateChapterThumbs": ("media.generate.chapter.thumbs", "Generating chapter thumbnails"),
    "ButlerTaskGenerateIntroMarkers": ("media.generate.intros", "Detecting intros"),
    "ButlerTaskGenerateCreditsMarkers": ("media.generate.credits", "Detecting credits"),
    "ButlerTaskGenerateVoiceActivity": (
        "media.generate.voice.activity",
        "Detecting voice activity",
    ),
    "RefreshEpgGuides": ("provider.epg.load", "Refreshing EPG"),
}
"""Activity (type, title) per task; any other task runs as type "butler" titled with its title."""

BUTLER_ACTIVITY_TYPE = "butler"

TASK_SETTING_PREFIX = "ButlerTask"
"""A bool setting named TASK_SETTING_PREFIX + task name enables or disables that task."""


def _hour_label(hour: int) -> str:
    if hour in {0, 12}:
        return "Midnight" if hour == 0 else "Noon"
    return f"{hour % 12} {'am' if hour < 12 else 'pm'}"


_HOURS = "|".join(f"{hour}:{_hour_label(hour)}" for hour in range(24))
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
        "ButlerDatabaseBackupPath",
        "Backup directory",
        "The directory in which database backups are stored.",
        "text",
        "Plug-in Support/Databases",
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
