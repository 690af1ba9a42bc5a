"""What a current Plex Media Server reports: Butler tasks and the activities it shows.

Which task does which media work is the simulator's own guess (no public source maps Butler tasks to
activity types); the integration must not share it.
"""

from .models import ActivityKind, MediaWork, SimulatedSection, SimulatedTask

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

# Activities. Titles marked "public" were seen on real servers; "placeholder" ones are the
# simulator's wording. `cancellable` is the simulator's choice but for the library scan's.

BUTLER = ActivityKind("butler", "Butler tasks", "public", cancellable=True)
"""The Butler at work: one activity for every task it runs at the time.

The title is real (a server's debug log, Plex Media Server 1.41.5). The type is an inference from
an analysis of a real server's database; `butler_activity_type` sets another.
"""
PLACEHOLDER_BUTLER_TITLE = "Running scheduled tasks"
"""The simulator's former wording of the Butler activity's title, kept as a variant."""

LIBRARY_SCAN = ActivityKind("library.update.section", "Scanning {section}", "public")
"""A section scan; the title names the section ("Scanning Photos")."""

CLEAN_BUNDLES = ActivityKind("library.clean.bundles", "Cleaning bundles", "placeholder")
"""What `PUT /library/clean/bundles?async=1` shows: whether a real server shows an activity, and
of which type and title, is not public; the simulator shows this one while it works."""
OPTIMIZE_DATABASE = ActivityKind("database.optimize", "Optimizing database", "placeholder")
"""What `PUT /library/optimize?async=1` shows: not public either (no source shows a real server's
"Optimizing database"); not a `butler` activity, as nothing says the Butler does this work."""

DEFAULT_SECTIONS: list[SimulatedSection] = [
    SimulatedSection("1", "Movies", "movie"),
    SimulatedSection("2", "TV Shows", "show"),
    SimulatedSection("3", "Music", "artist"),
]
"""The libraries of the simulated server (`add_media` scans "Movies", key 1)."""

BIF = ActivityKind(
    "media.generate.bif", "Generating video preview thumbnails", "placeholder", cancellable=True
)
CHAPTER_THUMBS = ActivityKind(
    "media.generate.chapter.thumbs",
    "Generating chapter thumbnails",
    "placeholder",
    cancellable=True,
)
INTROS = ActivityKind("media.generate.intros", "Detecting intros", "placeholder", cancellable=True)
CREDITS = ActivityKind(
    "media.generate.credits", "Detecting Credits", "public", progress=-1, cancellable=True
)
"""Progress stays -1 (unknown) until the server knows how far it is."""
VOICE_ACTIVITY = ActivityKind(
    "media.generate.voice.activity", "Detecting voice activity", "placeholder", cancellable=True
)
LOUDNESS = ActivityKind(
    "media.generate.loudness", "Generating loudness data", "public", cancellable=True
)
EPG = ActivityKind("provider.epg.load", "Refreshing EPG", "public", cancellable=True)
"""A guide reload; its subtitle counts what it fetched ("Downloaded 173 airings")."""

MEDIA_WORK: tuple[MediaWork, ...] = (
    MediaWork("GenerateBIFBehavior", "GenerateMediaIndexFiles", BIF),
    MediaWork("GenerateChapterThumbBehavior", "GenerateChapterThumbs", CHAPTER_THUMBS),
    MediaWork("GenerateIntroMarkerBehavior", "ButlerTaskGenerateIntroMarkers", INTROS),
    MediaWork("GenerateCreditsMarkerBehavior", "ButlerTaskGenerateCreditsMarkers", CREDITS),
    MediaWork("GenerateVADBehavior", "ButlerTaskGenerateVoiceActivity", VOICE_ACTIVITY),
    MediaWork("LoudnessAnalysisBehavior", "LoudnessAnalysis", LOUDNESS),
)
"""The settings that say when media work is done (public), and the task doing it (by name: a guess).

MusicAnalysisBehavior is missing: no public source names the activity type of sonic analysis.
"""

MEDIA_WORK_BY_TASK: dict[str, MediaWork] = {work.task: work for work in MEDIA_WORK}

TASK_ACTIVITIES: dict[str, ActivityKind] = {
    **{work.task: work.activity for work in MEDIA_WORK},
    "RefreshEpgGuides": EPG,
}
"""The media activity a task's run shows under its `butler` activity; other tasks show none."""

ACTIVITY_KINDS: dict[str, ActivityKind] = {
    kind.type: kind for kind in (BUTLER, LIBRARY_SCAN, *TASK_ACTIVITIES.values())
}
"""Every kind of activity the simulator shows, by type."""
