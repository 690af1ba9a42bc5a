"""Problems a user can fix, raised as repairs: the server's debug log is off.

The Butler logs which task it runs only at debug level. With debug logging off, runs of tasks
without media work (Backup Database, Optimize Database, ...) cannot be seen: the repair says so,
and its fix turns debug logging on, only when the user asks, with its cost said first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from homeassistant.components.repairs import RepairsFlow
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import issue_registry as ir
import voluptuous as vol

from .const import DOMAIN, LOGGER
from .coordinator import PlexButlerConfigEntry
from .evidence import LOG_DEBUG_SETTING

if TYPE_CHECKING:
    # From Home Assistant 2026.3 on; only a name for the type checker.
    from homeassistant.components.repairs import RepairsFlowResult

DEBUG_LOG_OFF = "debug_log_off"


def debug_log_issue_id(entry_id: str) -> str:
    """Return the id of an entry's "debug log is off" repair."""
    return f"{DEBUG_LOG_OFF}_{entry_id}"


@callback
def async_update_debug_log_issue(
    hass: HomeAssistant, entry: PlexButlerConfigEntry, debug_log: bool | None
) -> None:
    """Raise the repair while the server's debug logging is off; remove it once it is not."""
    issue_id = debug_log_issue_id(entry.entry_id)
    if debug_log is False:
        ir.async_create_issue(
            hass,
            DOMAIN,
            issue_id,
            is_fixable=True,
            is_persistent=False,
            severity=ir.IssueSeverity.WARNING,
            translation_key=DEBUG_LOG_OFF,
            translation_placeholders={"server": entry.title},
            data={"entry_id": entry.entry_id},
        )
    else:
        ir.async_delete_issue(hass, DOMAIN, issue_id)


class DebugLogRepairFlow(RepairsFlow):
    """Turn the server's debug logging on, once the user has read what it costs."""

    def __init__(self, entry_id: str) -> None:
        """Fix the entry's server."""
        self._entry_id = entry_id

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> RepairsFlowResult:
        """Begin with the question (Home Assistant may hand this step the issue's id)."""
        return await self.async_step_confirm()

    async def async_step_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> RepairsFlowResult:
        """Say what is lost, what turning it on costs, and ask."""
        entry: PlexButlerConfigEntry | None = self.hass.config_entries.async_get_entry(
            self._entry_id
        )
        if entry is None or entry.state is not ConfigEntryState.LOADED:
            return self.async_abort(reason="not_loaded")
        errors: dict[str, str] = {}
        if user_input is not None:
            coordinator = entry.runtime_data
            label = coordinator.setting_labels.get(LOG_DEBUG_SETTING, LOG_DEBUG_SETTING)
            try:
                await coordinator.async_write_setting(LOG_DEBUG_SETTING, "1", label)
            except HomeAssistantError:
                # Logged by nobody else: the server's answer is in the debug log of this flow.
                LOGGER.debug("Could not turn on debug logging on %s", entry.title, exc_info=True)
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
    return DebugLogRepairFlow(str((data or {}).get("entry_id")))
