"""Diagnostics of a Plex Butler entry, with the token redacted."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.const import CONF_TOKEN
from homeassistant.core import HomeAssistant

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
            "data": async_redact_data(dict(entry.data), TO_REDACT),
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
        "tasks": {
            name: {
                **asdict(state.task),
                "status": state.status,
                "progress": state.progress,
                "last_started": state.history.last_started,
                "last_finished": state.history.last_finished,
                "next_run": state.next_run,
            }
            for name, state in data.tasks.items()
        },
        "activities": [asdict(activity) for activity in data.activities],
        # Activities that matched no task tell us what the activity table misses.
        "unmatched_activities": [asdict(activity) for activity in data.unmatched_activities],
    }
