"""Sensors: the state of each Butler task, the running ones, and the server's other work."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import MAX_LENGTH_STATE_STATE, PERCENTAGE, EntityCategory, UnitOfTime
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.typing import StateType

from .api.models import Activity, ButlerTask
from .butler.evidence import BACKUP_PATH_SETTING, progress_of
from .butler.schedule import LastRunSource
from .butler.snapshot import ButlerSnapshot, TaskState
from .coordinator import PlexButlerConfigEntry, PlexButlerCoordinator
from .entity import PlexButlerEntity, PlexButlerTaskEntity, async_add_task_entities
from .setting_entity import PlexButlerServerSettingEntity

# Every sensor reads the coordinator's data: no request of its own.
PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class PlexButlerTaskSensorDescription(SensorEntityDescription):
    """Describes a sensor of one task."""

    value_fn: Callable[[TaskState], StateType | datetime]
    attributes_fn: Callable[[TaskState], Mapping[str, Any] | None] = lambda _: None
    # Whether a new entity starts enabled, from the task as the server first reports it.
    enabled_fn: Callable[[ButlerTask], bool] = lambda _: True


@dataclass(frozen=True, kw_only=True)
class PlexButlerServerSensorDescription(SensorEntityDescription):
    """Describes a sensor of the whole server."""

    value_fn: Callable[[ButlerSnapshot], StateType | date]
    attributes_fn: Callable[[ButlerSnapshot], Mapping[str, Any]]


def _task_attributes(state: TaskState) -> dict[str, Any]:
    attributes: dict[str, Any] = {
        "interval_days": state.task.interval,
        "schedule_randomized": state.task.schedule_randomized,
        "description": state.task.description,
    }
    if state.running:
        attributes["progress"] = state.progress
        # Why it reads as running: started here, a Butler activity, or the task's own work.
        attributes["source"] = state.source
    return attributes


def _last_run_attributes(state: TaskState) -> dict[str, Any]:
    """When the last run started and ended, and how it is known; or why none was seen."""
    source = state.last_run_source
    attributes: dict[str, Any] = {
        "last_started": state.history.last_started,
        "last_finished": state.history.last_finished,
        # Kept beside the Last duration sensor: automations read it.
        "last_duration": state.history.last_duration_seconds,
        "source": source,
    }
    if source is LastRunSource.BACKUP_FILE:
        # A backup's file name holds its day, not its time.
        attributes["precision"] = "day"
    elif source is None:
        attributes["not_seen_reason"] = state.not_seen_reason
    return attributes


def _activity_attributes(activity: Activity) -> dict[str, Any]:
    return {
        "type": activity.type,
        "title": activity.title,
        "subtitle": activity.subtitle,
        "progress": progress_of(activity),
    }


TASK_SENSORS: tuple[PlexButlerTaskSensorDescription, ...] = (
    PlexButlerTaskSensorDescription(
        key="status",
        translation_key="task_status",
        # The task's own state: its device's name (the task's title) is the whole name.
        name=None,
        device_class=SensorDeviceClass.ENUM,
        options=["idle", "running", "disabled"],
        value_fn=lambda state: state.status,
        attributes_fn=_task_attributes,
    ),
    PlexButlerTaskSensorDescription(
        key="last_run",
        translation_key="last_run",
        device_class=SensorDeviceClass.TIMESTAMP,
        value_fn=lambda state: state.last_run,
        attributes_fn=_last_run_attributes,
    ),
    PlexButlerTaskSensorDescription(
        key="next_run",
        translation_key="next_run",
        device_class=SensorDeviceClass.TIMESTAMP,
        value_fn=lambda state: state.next_run,
        enabled_fn=lambda task: task.enabled,
    ),
    PlexButlerTaskSensorDescription(
        key="progress",
        translation_key="progress",
        native_unit_of_measurement=PERCENTAGE,
        # No state class: a mean of progress over an hour means nothing, and no long-term
        # statistics are kept of it. Unknown while the task is idle or the server gives none.
        value_fn=lambda state: state.progress,
    ),
    PlexButlerTaskSensorDescription(
        key="last_duration",
        translation_key="last_duration",
        device_class=SensorDeviceClass.DURATION,
        # Long-term statistics keep how long the task took beyond the recorder's 10 days: is
        # the backup getting slower? Unknown while the task runs, and where the start or the
        # end of its last run was not seen.
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfTime.SECONDS,
        suggested_display_precision=0,
        value_fn=lambda state: state.history.last_duration_seconds,
        # The Last run sensor and the logbook tell it already; this is for graphs.
        enabled_fn=lambda _: False,
    ),
)

SERVER_SENSORS: tuple[PlexButlerServerSensorDescription, ...] = (
    PlexButlerServerSensorDescription(
        key="running_tasks",
        translation_key="running_tasks",
        # No state class: a count that is 0 most of the day graphs as a band of 5-minute means.
        value_fn=lambda data: len(data.running_tasks),
        attributes_fn=lambda data: {
            "tasks": [data.tasks[name].task.title for name in data.running_tasks],
            "task_names": data.running_tasks,
        },
    ),
    # What the server does outside the Butler (media added, an analyze, a scan): never a run.
    PlexButlerServerSensorDescription(
        key="background_activity",
        translation_key="background_activity",
        value_fn=lambda data: len(data.background),
        attributes_fn=lambda data: {
            "activities": [_activity_attributes(activity) for activity in data.background]
        },
    ),
)

LAST_BACKUP_SENSOR = PlexButlerServerSensorDescription(
    key="last_database_backup",
    translation_key="last_database_backup",
    # The day in the newest backup's file name: the folder lists no times.
    device_class=SensorDeviceClass.DATE,
    value_fn=lambda data: data.backups.days[0] if data.backups and data.backups.days else None,
    attributes_fn=lambda data: {
        "backups_kept": len(data.backups.days) if data.backups else None,
        # Why the folder could not be read (missing, refused, ...): the server's own word.
        "folder_error": data.backups.error if data.backups else None,
    },
)

BACKUP_PATH_SENSOR = SensorEntityDescription(
    key=BACKUP_PATH_SETTING,
    translation_key="backup_path",
    entity_category=EntityCategory.DIAGNOSTIC,
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: PlexButlerConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the server's sensors, and each task's as the server reports it."""
    coordinator = entry.runtime_data
    async_add_entities(
        PlexButlerServerSensor(coordinator, description) for description in SERVER_SENSORS
    )
    if BACKUP_PATH_SETTING in coordinator.data.settings:
        async_add_entities(
            [
                PlexButlerSettingSensor(coordinator, BACKUP_PATH_SENSOR),
                PlexButlerServerSensor(coordinator, LAST_BACKUP_SENSOR),
            ]
        )
    async_add_task_entities(
        coordinator,
        async_add_entities,
        lambda task_name: (
            PlexButlerTaskSensor(coordinator, description, task_name)
            for description in TASK_SENSORS
        ),
    )


class PlexButlerServerSensor(PlexButlerEntity, SensorEntity):
    """A sensor of the whole server."""

    entity_description: PlexButlerServerSensorDescription

    @property
    def native_value(self) -> StateType | date:
        """The sensor's value."""
        return self.entity_description.value_fn(self.coordinator.data)

    @property
    def extra_state_attributes(self) -> Mapping[str, Any]:
        """Details for dashboards and templates."""
        return self.entity_description.attributes_fn(self.coordinator.data)


class PlexButlerSettingSensor(PlexButlerServerSettingEntity, SensorEntity):
    """Shows one of the server's settings as it stores it."""

    @property
    def native_value(self) -> str | None:
        """The setting's value; a long one keeps its end, which tells most of a folder."""
        value = self.setting_value
        if value is None or len(value) <= MAX_LENGTH_STATE_STATE:
            return value
        return "…" + value[1 - MAX_LENGTH_STATE_STATE :]


class PlexButlerTaskSensor(PlexButlerTaskEntity, SensorEntity):
    """A sensor of one task."""

    entity_description: PlexButlerTaskSensorDescription

    def __init__(
        self,
        coordinator: PlexButlerCoordinator,
        description: PlexButlerTaskSensorDescription,
        task_name: str,
    ) -> None:
        """Start enabled or not, as the description says for this task."""
        super().__init__(coordinator, description, task_name)
        self._attr_entity_registry_enabled_default = description.enabled_fn(self.task_state.task)

    @property
    def native_value(self) -> StateType | datetime:
        """The sensor's value."""
        return self.entity_description.value_fn(self.task_state)

    @property
    def extra_state_attributes(self) -> Mapping[str, Any]:
        """The task's name (the dashboard card groups by it) and its details."""
        details = self.entity_description.attributes_fn(self.task_state) or {}
        return {"task_name": self.task_name, **details}

    def _what_shows(self) -> tuple[object, ...]:
        """Return what a write shows, the value as the sensor gives it: a push asks it of each.

        Its state is the value formatted with the sensor's fixed unit and class: the same value,
        the same state; and Home Assistant's formatting was most of a push's check.
        """
        return (self.available, self.native_value, self.extra_state_attributes)
