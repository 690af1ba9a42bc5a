"""Selects: when each kind of media work runs, and the hours of the maintenance window."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from homeassistant.components.select import SelectEntity, SelectEntityDescription
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .butler.evidence import (
    BEHAVIOR_SETTING_OF_TASK,
    BEHAVIOR_SETTING_SUFFIX,
    BEHAVIORS,
    WINDOW_END_SETTING,
    WINDOW_START_SETTING,
)
from .coordinator import PlexButlerConfigEntry, PlexButlerCoordinator
from .entity import async_add_task_entities, name_part
from .setting_entity import (
    PlexButlerServerSettingEntity,
    PlexButlerSettingEntity,
    PlexButlerTaskSettingEntity,
)

# A select writes at once; the server takes each write on its own.
PARALLEL_UPDATES = 0

# The server stores whole hours (0 to 23), in its own time zone.
HOURS = [f"{hour:02}:00" for hour in range(24)]


def _hour_option(value: str) -> str | None:
    return f"{int(value):02}:00" if value.isdigit() and int(value) < len(HOURS) else None


@dataclass(frozen=True, kw_only=True)
class PlexButlerSelectDescription(SelectEntityDescription):
    """Describes the select of one setting: its options, and how they are stored."""

    option_fn: Callable[[str], str | None] = lambda value: value if value in BEHAVIORS else None
    value_fn: Callable[[str], str] = lambda option: option
    options: list[str] | None = field(default_factory=lambda: list(BEHAVIORS))
    entity_category: EntityCategory | None = EntityCategory.CONFIG


WINDOW_SELECTS = tuple(
    PlexButlerSelectDescription(
        key=setting,
        translation_key=translation_key,
        options=HOURS,
        option_fn=_hour_option,
        value_fn=lambda option: str(HOURS.index(option)),
    )
    for setting, translation_key in (
        (WINDOW_START_SETTING, "window_start"),
        (WINDOW_END_SETTING, "window_end"),
    )
)
TASK_BEHAVIOR = PlexButlerSelectDescription(key="behavior", translation_key="task_behavior")


async def async_setup_entry(
    hass: HomeAssistant,
    entry: PlexButlerConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the selects of the server's settings, and of each task's."""
    coordinator = entry.runtime_data
    settings = coordinator.data.settings
    # A `*Behavior` setting tied to no task (evidence.py) is the server's own.
    server_behaviors = [
        setting
        for setting, value in settings.items()
        if setting.endswith(BEHAVIOR_SETTING_SUFFIX)
        and value in BEHAVIORS
        and setting not in BEHAVIOR_SETTING_OF_TASK.values()
    ]
    async_add_entities(
        [
            *(PlexButlerSelect(coordinator, d) for d in WINDOW_SELECTS if d.key in settings),
            *(PlexButlerServerBehaviorSelect(coordinator, s) for s in server_behaviors),
        ]
    )
    async_add_task_entities(
        coordinator,
        async_add_entities,
        lambda task_name: (
            [PlexButlerTaskSelect(coordinator, task_name)]
            if BEHAVIOR_SETTING_OF_TASK.get(task_name) in coordinator.data.tasks[task_name].settings
            else []
        ),
    )


class PlexButlerSettingSelect(PlexButlerSettingEntity, SelectEntity):
    """Shows one setting as one of its options, and writes the option picked."""

    entity_description: PlexButlerSelectDescription

    @property
    def current_option(self) -> str | None:
        """The option the setting's value stands for; None for a value it does not offer."""
        value = self.setting_value
        return None if value is None else self.entity_description.option_fn(value)

    async def async_select_option(self, option: str) -> None:
        """Write the option picked to the server."""
        await self.async_write_setting(self.entity_description.value_fn(option))


class PlexButlerSelect(PlexButlerServerSettingEntity, PlexButlerSettingSelect):
    """A select of one of the server's settings, named by its description."""


class PlexButlerServerBehaviorSelect(PlexButlerSelect):
    """When the server does media work of no task: named as Plex Web names its setting."""

    def __init__(self, coordinator: PlexButlerCoordinator, setting: str) -> None:
        """Show a `*Behavior` setting tied to no task."""
        super().__init__(
            coordinator, PlexButlerSelectDescription(key=setting, translation_key="behavior")
        )
        label = coordinator.setting_labels.get(setting) or setting
        self._attr_translation_placeholders = {"setting": name_part(label)}


class PlexButlerTaskSelect(PlexButlerTaskSettingEntity, PlexButlerSettingSelect):
    """When a task's media work runs: never, in its scheduled runs, or also on media added."""

    def __init__(self, coordinator: PlexButlerCoordinator, task_name: str) -> None:
        """Show the `*Behavior` setting evidence.py ties to the task."""
        super().__init__(coordinator, TASK_BEHAVIOR, task_name)
        self.setting = BEHAVIOR_SETTING_OF_TASK[task_name]
