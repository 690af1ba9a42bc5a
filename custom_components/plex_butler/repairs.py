"""Problems raised as repairs, each removed once its cause is gone (`problems.py` says when).

- The server's debug log is off: the Butler logs which task it runs only at debug level, so runs
  of tasks without media work (Backup Database, Optimize Database, ...) cannot be seen.
- Backup Database is switched off on the server.
- The newest database backup is overdue (the backup folder shows it).

The first two are fixed by turning the setting on, only when the user asks, its cost said first.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, Final

from homeassistant.components.repairs import RepairsFlow
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import issue_registry as ir
import voluptuous as vol

from .const import DOMAIN, LOGGER
from .coordinator import PlexButlerConfigEntry
from .evidence import BACKUP_TASK, LOG_DEBUG_SETTING, task_switch_setting
from .problems import backup_switched_off, overdue_backup
from .snapshot import ButlerSnapshot

if TYPE_CHECKING:
    # From Home Assistant 2026.3 on; only a name for the type checker.
    from homeassistant.components.repairs import RepairsFlowResult

DEBUG_LOG_OFF: Final = "debug_log_off"
BACKUP_OFF: Final = "backup_database_off"
BACKUP_OVERDUE: Final = "backup_overdue"
# The setting that each fixable repair turns on.
FIXES: Final = {DEBUG_LOG_OFF: LOG_DEBUG_SETTING, BACKUP_OFF: task_switch_setting(BACKUP_TASK)}


def issue_id(kind: str, entry_id: str) -> str:
    """Return the id of one entry's repair of a kind."""
    return f"{kind}_{entry_id}"


@callback
def _raise_or_remove(
    hass: HomeAssistant,
    entry: PlexButlerConfigEntry,
    kind: str,
    placeholders: dict[str, str] | None,
) -> None:
    """Raise the repair with its placeholders; None removes it."""
    if placeholders is None:
        ir.async_delete_issue(hass, DOMAIN, issue_id(kind, entry.entry_id))
        return
    data: dict[str, str | int | float | None] = {"entry_id": entry.entry_id}
    if kind in FIXES:
        data["setting"] = FIXES[kind]
    ir.async_create_issue(
        hass,
        DOMAIN,
        issue_id(kind, entry.entry_id),
        is_fixable=kind in FIXES,
        is_persistent=False,
        severity=ir.IssueSeverity.WARNING,
        translation_key=kind,
        translation_placeholders={"server": entry.title, **placeholders},
        data=data,
    )


@callback
def async_update_issues(
    hass: HomeAssistant, entry: PlexButlerConfigEntry, snapshot: ButlerSnapshot, now: datetime
) -> None:
    """Raise each repair whose cause the server shows now; remove the others."""
    _raise_or_remove(hass, entry, DEBUG_LOG_OFF, {} if snapshot.debug_log is False else None)
    _raise_or_remove(hass, entry, BACKUP_OFF, {} if backup_switched_off(snapshot) else None)
    overdue = overdue_backup(snapshot, now)
    _raise_or_remove(
        hass,
        entry,
        BACKUP_OVERDUE,
        None
        if overdue is None
        else {
            "newest": overdue.newest.isoformat(),
            "days": str(overdue.age_days),
            "limit": str(overdue.limit_days),
        },
    )


@callback
def async_remove_issues(hass: HomeAssistant, entry_id: str) -> None:
    """Remove an entry's repairs: they cannot be fixed, nor followed, while it is not loaded."""
    for kind in (DEBUG_LOG_OFF, BACKUP_OFF, BACKUP_OVERDUE):
        ir.async_delete_issue(hass, DOMAIN, issue_id(kind, entry_id))


class SettingRepairFlow(RepairsFlow):
    """Turn a setting of the server on, once the user has read what it does."""

    def __init__(self, entry_id: str, setting: str) -> None:
        """Fix the entry's server by turning `setting` on."""
        self._entry_id = entry_id
        self._setting = setting

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> RepairsFlowResult:
        """Begin with the question (Home Assistant may hand this step the issue's id)."""
        return await self.async_step_confirm()

    async def async_step_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> RepairsFlowResult:
        """Say what is lost, what turning it on does, and ask."""
        entry: PlexButlerConfigEntry | None = self.hass.config_entries.async_get_entry(
            self._entry_id
        )
        if entry is None or entry.state is not ConfigEntryState.LOADED:
            return self.async_abort(reason="not_loaded")
        errors: dict[str, str] = {}
        if user_input is not None:
            coordinator = entry.runtime_data
            label = coordinator.setting_labels.get(self._setting, self._setting)
            try:
                await coordinator.async_write_setting(self._setting, "1", label)
            except HomeAssistantError:
                # Logged by nobody else: the server's answer is in the debug log of this flow.
                LOGGER.debug(
                    "Could not turn on %s on %s", self._setting, entry.title, exc_info=True
                )
                errors["base"] = "write_failed"
            else:
                return self.async_create_entry(data={})
        return self.async_show_form(
            step_id="confirm",
            data_schema=vol.Schema({}),
            description_placeholders={"server": entry.title},
            errors=errors,
        )


async def async_create_fix_flow(
    hass: HomeAssistant, issue_id: str, data: dict[str, str | int | float | None] | None
) -> RepairsFlow:
    """Create the flow that fixes a repair of this integration."""
    data = data or {}
    return SettingRepairFlow(str(data.get("entry_id")), str(data.get("setting")))
