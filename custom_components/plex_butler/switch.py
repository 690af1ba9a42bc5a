"""Switches: each task's own setting that turns its scheduled runs on or off."""

from __future__ import annotations

from typing import Any

from homeassistant.components.switch import SwitchEntity, SwitchEntityDescription
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .butler.evidence import task_switch_setting
from .coordinator import PlexButlerConfigEntry, PlexButlerCoordinator
from .entity import async_add_task_entities
from .setting_entity import PlexButlerTaskSettingEntity

# A switch writes at once; the server takes each write on its own.
PARALLEL_UPDATES = 0

TASK_SWITCH = SwitchEntityDescription(
    key="enabled", translation_key="task_enabled", entity_category=EntityCategory.CONFIG
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: PlexButlerConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a switch to each task the server has a setting for."""
    coordinator = entry.runtime_data
    async_add_task_entities(
        coordinator,
        async_add_entities,
        lambda task_name: (
            [PlexButlerTaskSwitch(coordinator, task_name)]
            if task_switch_setting(task_name) in coordinator.data.tasks[task_name].settings
            else []
        ),
    )


class PlexButlerTaskSwitch(PlexButlerTaskSettingEntity, SwitchEntity):
    """Turns a task's scheduled runs on or off; it can still be started by hand."""

    def __init__(self, coordinator: PlexButlerCoordinator, task_name: str) -> None:
        """Show the task's `ButlerTask<name>` setting."""
        super().__init__(coordinator, TASK_SWITCH, task_name)
        self.setting = task_switch_setting(task_name)

    @property
    def is_on(self) -> bool | None:
        """Whether the server runs the task on its schedule."""
        value = self.setting_value
        return None if value is None else value == "1"

    async def async_turn_on(self, **kwargs: Any) -> None:
        """Turn the task on in the server's settings."""
        await self.async_write_setting("1")

    async def async_turn_off(self, **kwargs: Any) -> None:
        """Turn the task off in the server's settings."""
        await self.async_write_setting("0")
