"""Diagnostics of a Plex Butler entry, with the token redacted."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from homeassistant.components.diagnostics import REDACTED, async_redact_data
from homeassistant.const import CONF_TOKEN, CONF_URL
from homeassistant.core import HomeAssistant

from .api.models import Activity
from .butler.evidence import BACKUP_PATH_SETTING
from .const import CONF_CLIENT_IDENTIFIER
from .coordinator import PlexButlerConfigEntry

TO_REDACT = {CONF_TOKEN, CONF_CLIENT_IDENTIFIER}


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: PlexButlerConfigEntry
) -> dict[str, Any]:
    """Return what a bug report needs: the server, its tasks and the activities seen."""
    coordinator = entry.runtime_data
    data = coordinator.data
    return {
        "entry": {
            # The URL as the client uses it: an entry stored with "?X-Plex-Token=" keeps no token.
            "data": async_redact_data({**entry.data, CONF_URL: coordinator.client.url}, TO_REDACT),
            "options": dict(entry.options),
        },
        "server": asdict(coordinator.server),
        "last_update_success": coordinator.last_update_success,
        "push": {
            "connected": coordinator.push_connected,
            "disconnects": coordinator.push_disconnects,
            "poll_interval_seconds": (
                coordinator.update_interval.total_seconds() if coordinator.update_interval else None
            ),
        },
        "maintenance_window": asdict(data.window),
        # The backup folder may name a person (/home/alice/...): left out, as captures leave it.
        "settings": async_redact_data(dict(data.settings), {BACKUP_PATH_SETTING}),
        "tasks": {
            name: {
                **asdict(state.task),
                "status": state.status,
                "source": state.source,
                "progress": state.progress,
                "history": asdict(state.history),
                "last_run": state.last_run,
                "last_run_source": state.last_run_source,
                "next_run": state.next_run,
            }
            for name, state in data.tasks.items()
        },
        "butler_activities": [_redacted(activity) for activity in data.butler_activities],
        "background_activities": [_redacted(activity) for activity in data.background],
        # What the server did lately: types the rules do not know tell what they miss.
        "recent_activities": list(coordinator.butler.recent_activities),
        "maintenance": asdict(data.maintenance),
        "debug_log": {
            "on": data.debug_log,
            # Log frames read, unreadable, and the Butler's lines among them.
            "frames": dict(coordinator.client.log_frames),
            # Sub-activity names no task has: how the naming rules grow.
            "unknown_names": list(coordinator.butler.log.unknown_names),
        },
        "backup_folder": asdict(data.backups) if data.backups else None,
    }


def _redacted(activity: Activity) -> dict[str, Any]:
    """Return an activity without its subtitle, which names media items."""
    return {**asdict(activity), "subtitle": REDACTED if activity.subtitle else ""}
