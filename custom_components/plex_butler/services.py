"""Actions to start and stop Butler tasks on loaded servers.

`start_task` and `stop_task` take tasks as targets (a task's entities or device, or an area or label
holding them) and by name or title in `task`, on several servers at once. Errors name tasks by
their titles, as Plex shows them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import ATTR_DEVICE_ID, ATTR_ENTITY_ID
from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import (
    config_validation as cv,
    device_registry as dr,
    entity_registry as er,
)
from homeassistant.helpers.target import TargetSelection, async_extract_referenced_entity_ids
from homeassistant.util.json import JsonValueType
import voluptuous as vol

from .const import (
    ATTR_CONFIG_ENTRY_ID,
    ATTR_TASK,
    DOMAIN,
    SERVICE_START_ALL_TASKS,
    SERVICE_START_TASK,
    SERVICE_STOP_ALL_TASKS,
    SERVICE_STOP_TASK,
)
from .coordinator import PlexButlerConfigEntry, PlexButlerCoordinator
from .identifiers import task_of_device
from .texts import echoed

ENTRY_SCHEMA = vol.Schema({vol.Optional(ATTR_CONFIG_ENTRY_ID): cv.string})
TASK_SCHEMA = ENTRY_SCHEMA.extend(
    {
        **cv.ENTITY_SERVICE_FIELDS,
        # Named entities only: "all" would start every task, one request each.
        vol.Optional(ATTR_ENTITY_ID): cv.entity_ids,
        vol.Optional(ATTR_TASK): vol.All(cv.ensure_list, [cv.string]),
    }
)


@dataclass(frozen=True, slots=True)
class Task:
    """A task on its server, with its title as the server gave it when asked."""

    coordinator: PlexButlerCoordinator
    name: str
    title: str

    @classmethod
    def of(cls, coordinator: PlexButlerCoordinator, name: str) -> Task:
        """Return the task `name` of a server."""
        return cls(coordinator, name, coordinator.data.tasks[name].task.title)

    @property
    def server(self) -> str:
        """Return the name of the task's server."""
        return self.coordinator.server.friendly_name


def validation_error(key: str, **placeholders: str) -> ServiceValidationError:
    """Return the translated error of an action refused before anything is sent."""
    return ServiceValidationError(
        translation_domain=DOMAIN, translation_key=key, translation_placeholders=placeholders
    )


def _loaded(hass: HomeAssistant, entry_id: str) -> PlexButlerCoordinator:
    """Return the server of a config entry, which must be this integration's and loaded."""
    entry = hass.config_entries.async_get_entry(entry_id)
    if entry is None or entry.domain != DOMAIN:
        raise validation_error("entry_not_found", entry_id=entry_id)
    if entry.state is not ConfigEntryState.LOADED:
        raise validation_error("entry_not_loaded", server=entry.title)
    loaded: PlexButlerConfigEntry = entry
    return loaded.runtime_data


def server_of_call(call: ServiceCall) -> PlexButlerCoordinator:
    """Find the server an action is for; the only loaded one when it names none."""
    if (entry_id := call.data.get(ATTR_CONFIG_ENTRY_ID)) is not None:
        return _loaded(call.hass, entry_id)
    loaded: list[PlexButlerConfigEntry] = call.hass.config_entries.async_loaded_entries(DOMAIN)
    if len(loaded) == 1:
        return loaded[0].runtime_data
    raise validation_error(
        "no_loaded_entry" if not loaded else "ambiguous_entry",
        servers=", ".join(f"{e.title} ({e.entry_id})" for e in loaded),
    )


def _task_named(coordinator: PlexButlerCoordinator, wanted: str) -> Task:
    """Match a task by its name or title, without regard to case or surrounding spaces."""
    wanted_folded = wanted.strip().casefold()
    for name, state in coordinator.data.tasks.items():
        if wanted_folded in (name.strip().casefold(), state.task.title.strip().casefold()):
            return Task.of(coordinator, name)
    raise validation_error(
        "unknown_task",
        task=echoed(wanted),
        server=coordinator.server.friendly_name,
        tasks=", ".join(sorted(state.task.title for state in coordinator.data.tasks.values())),
    )


def _task_of_entity(hass: HomeAssistant, entity_id: str) -> Task | None:
    """Find the task of an entity by its device, a task's; None for any other entity."""
    entry = er.async_get(hass).async_get(entity_id)
    if entry is None or entry.platform != DOMAIN or entry.config_entry_id is None:
        return None
    coordinator = _loaded(hass, entry.config_entry_id)
    device = dr.async_get(hass).async_get(entry.device_id) if entry.device_id else None
    identifiers = device.identifiers if device else set()
    name = task_of_device(coordinator.server, identifiers, coordinator.data.tasks)
    return None if name is None else Task.of(coordinator, name)


def _targeted_tasks(hass: HomeAssistant, target: dict[str, Any]) -> list[Task]:
    """Find the tasks of the targets.

    Each entity named must be a task's. A device, area, floor or label stands for the task
    entities it holds (a task's device for its task), as targets do everywhere: what else it holds
    is left out, but it must hold a task.
    """
    selection = TargetSelection(target)
    # A device stands for its own entities: Home Assistant 2026.10 would add those of its parts,
    # and make the server's device stand for every task (a server update included).
    not_devices = TargetSelection({k: v for k, v in target.items() if k != ATTR_DEVICE_ID})
    selected = async_extract_referenced_entity_ids(hass, not_devices, expand_group=False)
    registry = er.async_get(hass)
    selected.indirectly_referenced.update(
        entry.entity_id
        for device_id in selection.device_ids
        for entry in er.async_entries_for_device(registry, device_id)
    )
    tasks = []
    for entity_id in sorted(selected.referenced):
        if (task := _task_of_entity(hass, entity_id)) is None:
            raise validation_error("not_a_task", target=entity_id)
        tasks.append(task)
    held = [
        task
        for entity_id in selected.indirectly_referenced
        if (task := _task_of_entity(hass, entity_id)) is not None
    ]
    holders = selection.device_ids | selection.area_ids | selection.floor_ids | selection.label_ids
    if holders and not held:
        raise validation_error("no_task_in_target")
    return tasks + held


def _tasks(call: ServiceCall) -> list[Task]:
    """Find the tasks named in `task` or targeted, each once, by server and title."""
    names: list[str] = call.data.get(ATTR_TASK, [])
    if not names and not TargetSelection(call.data).has_any_target:
        raise validation_error("no_task_given")
    tasks = _targeted_tasks(call.hass, dict(call.data))
    entry_id: str | None = call.data.get(ATTR_CONFIG_ENTRY_ID)
    if names or entry_id is not None:
        chosen = server_of_call(call)
        if entry_id is not None and (
            elsewhere := [task for task in tasks if task.coordinator is not chosen]
        ):
            raise validation_error(
                "task_on_other_server",
                task=elsewhere[0].title,
                task_server=elsewhere[0].server,
                server=chosen.server.friendly_name,
            )
        tasks += [_task_named(chosen, name) for name in names]
    return sorted(set(tasks), key=lambda task: (task.server, task.title))


def _task_action(
    send: Callable[[PlexButlerCoordinator, str], Awaitable[str]],
) -> Callable[[ServiceCall], Coroutine[Any, Any, ServiceResponse]]:
    async def handle(call: ServiceCall) -> ServiceResponse:
        tasks = _tasks(call)
        # All at once: a server that fails does not keep the others' tasks from being sent.
        results = await asyncio.gather(
            *(send(task.coordinator, task.name) for task in tasks), return_exceptions=True
        )
        answers: list[JsonValueType] = []
        for task, result in zip(tasks, results, strict=True):
            if isinstance(result, BaseException):
                raise result
            answers.append(
                {"task": task.name, "title": task.title, "server": task.server, "result": result}
            )
        return {"tasks": answers}

    return handle


def _server_action(
    send: Callable[[PlexButlerCoordinator], Awaitable[None]],
) -> Callable[[ServiceCall], Coroutine[Any, Any, None]]:
    async def handle(call: ServiceCall) -> None:
        await send(server_of_call(call))

    return handle


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register the integration's actions."""
    for service, send in (
        (SERVICE_START_TASK, PlexButlerCoordinator.async_start_task),
        (SERVICE_STOP_TASK, PlexButlerCoordinator.async_stop_task),
    ):
        hass.services.async_register(
            DOMAIN,
            service,
            _task_action(send),
            schema=TASK_SCHEMA,
            supports_response=SupportsResponse.OPTIONAL,
        )
    for service, send_all in (
        (SERVICE_START_ALL_TASKS, PlexButlerCoordinator.async_start_all_tasks),
        (SERVICE_STOP_ALL_TASKS, PlexButlerCoordinator.async_stop_all_tasks),
    ):
        hass.services.async_register(DOMAIN, service, _server_action(send_all), schema=ENTRY_SCHEMA)
