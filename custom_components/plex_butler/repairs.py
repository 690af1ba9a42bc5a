"""Problems raised as repairs, each removed once its cause is gone (`butler/problems.py` says when).

- The server's debug log is off: the Butler logs which task it runs only at debug level, so runs
  of tasks without media work (Backup Database, Optimize Database, ...) cannot be seen.
- Backup Database is switched off on the server.
- The newest database backup is overdue (the backup folder shows it).
- A task's runs were cut short three nights in a row (the debug log shows it).

The first two are fixed by turning the setting on, only when the user asks, its cost said first.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Final

from homeassistant.components.repairs import RepairsFlow
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.event import async_call_later, async_track_time_change
from homeassistant.util import dt as dt_util
import voluptuous as vol

from .butler.evidence import BACKUP_TASK, LOG_DEBUG_SETTING, task_switch_setting
from .butler.problems import CutShortNights, backup_switched_off, night_of, overdue_backup
from .butler.snapshot import ButlerSnapshot, TaskEvent
from .const import DOMAIN, LOGGER
from .coordinator import PlexButlerConfigEntry

if TYPE_CHECKING:
    # From Home Assistant 2026.3 on; only a name for the type checker.
    from homeassistant.components.repairs import RepairsFlowResult

DEBUG_LOG_OFF: Final = "debug_log_off"
BACKUP_OFF: Final = "backup_database_off"
BACKUP_OVERDUE: Final = "backup_overdue"
CUT_SHORT: Final = "task_cut_short"
# A part of the Butler's run whose end is logged this late after the run's was not cut short.
LATE_LINES: Final = timedelta(seconds=60)
# The setting that each fixable repair turns on.
FIXES: Final = {DEBUG_LOG_OFF: LOG_DEBUG_SETTING, BACKUP_OFF: task_switch_setting(BACKUP_TASK)}


def issue_id(kind: str, entry_id: str, task: str = "") -> str:
    """Return the id of one entry's repair of a kind (of one task, for a task's repair)."""
    return f"{kind}_{entry_id}_{task}" if task else f"{kind}_{entry_id}"


@callback
def _raise_or_remove(
    hass: HomeAssistant,
    entry: PlexButlerConfigEntry,
    kind: str,
    placeholders: dict[str, str] | None,
    task: str = "",
) -> None:
    """Raise the repair with its placeholders; None removes it."""
    if placeholders is None:
        ir.async_delete_issue(hass, DOMAIN, issue_id(kind, entry.entry_id, task))
        return
    data: dict[str, str | int | float | None] = {"entry_id": entry.entry_id}
    if kind in FIXES:
        data["setting"] = FIXES[kind]
    ir.async_create_issue(
        hass,
        DOMAIN,
        issue_id(kind, entry.entry_id, task),
        is_fixable=kind in FIXES,
        is_persistent=False,
        severity=ir.IssueSeverity.WARNING,
        translation_key=kind,
        translation_placeholders={"server": entry.title, **placeholders},
        data=data,
    )


def _causes(snapshot: ButlerSnapshot, now: datetime) -> dict[str, dict[str, str] | None]:
    """Return each server-wide repair's placeholders while the server shows its cause, else None."""
    overdue = overdue_backup(snapshot, now)
    return {
        DEBUG_LOG_OFF: {} if snapshot.debug_log is False else None,
        BACKUP_OFF: {} if backup_switched_off(snapshot) else None,
        BACKUP_OVERDUE: None
        if overdue is None
        else {
            "newest": overdue.newest.isoformat(),
            "days": str(overdue.age_days),
            "limit": str(overdue.limit_days),
        },
    }


@callback
def async_follow_issues(hass: HomeAssistant, entry: PlexButlerConfigEntry) -> CALLBACK_TYPE:
    """Raise each repair whose cause the server shows, remove the others; returns the remover.

    Told of every change of what the whole server shows, it asks the issue registry only when a
    cause changed; and once a day, as a backup grows older even when nothing else changes.
    """
    coordinator = entry.runtime_data
    shown: dict[str, dict[str, str] | None] = {}

    @callback
    def update(*_: object) -> None:
        causes = _causes(coordinator.data, dt_util.now())
        for kind, placeholders in causes.items():
            if kind not in shown or shown[kind] != placeholders:
                _raise_or_remove(hass, entry, kind, placeholders)
        shown.update(causes)

    update()
    stop_listening = coordinator.async_add_listener(update)
    stop_the_clock = async_track_time_change(hass, update, hour=0, minute=0, second=5)

    @callback
    def stop() -> None:
        stop_listening()
        stop_the_clock()

    return stop


@callback
def async_follow_cut_short_runs(hass: HomeAssistant, entry: PlexButlerConfigEntry) -> CALLBACK_TYPE:
    """Raise a task's repair while its runs were cut short nights in a row; returns the remover.

    Each end seen is judged a little later, when a part's end logged late has come too.
    """
    coordinator = entry.runtime_data
    nights = CutShortNights()
    # Each task's end waiting to be judged: the timer's canceller, and the judgement.
    judging: dict[str, tuple[CALLBACK_TYPE, Callable[[], None]]] = {}

    @callback
    def ended(event: TaskEvent) -> None:
        if event.type != "task_finished" or not event.end_observed:
            return
        history = coordinator.butler.history.get(event.task)
        started = history.last_started if history and history.last_started else dt_util.now()
        night = night_of(dt_util.as_local(started), coordinator.data.window)

        @callback
        def judge() -> None:
            judging.pop(event.task, None)
            cut_short = event.task in coordinator.butler.log.cut_short
            in_a_row = nights.run_ended(event.task, night, cut_short=cut_short)
            placeholders = {"task": event.title} if in_a_row else None
            _raise_or_remove(hass, entry, CUT_SHORT, placeholders, event.task)

        if (earlier := judging.pop(event.task, None)) is not None:
            # Another end of the same task so soon: the earlier one is judged now.
            earlier[0]()
            earlier[1]()

        @callback
        def later(_now: datetime) -> None:
            judge()

        judging[event.task] = (async_call_later(hass, LATE_LINES, later), judge)

    stop_listening = coordinator.async_add_task_event_listener(ended)

    @callback
    def stop() -> None:
        stop_listening()
        for cancel, _ in judging.values():
            cancel()

    return stop


@callback
def async_remove_issues(hass: HomeAssistant, entry_id: str) -> None:
    """Remove an entry's repairs: they cannot be fixed, nor followed, while it is not loaded."""
    for (domain, issue_id_), issue in list(ir.async_get(hass).issues.items()):
        if domain == DOMAIN and (issue.data or {}).get("entry_id") == entry_id:
            ir.async_delete_issue(hass, DOMAIN, issue_id_)


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
