"""Actions to start and stop Butler tasks on a loaded server."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import config_validation as cv
import voluptuous as vol

from .const import (
    ATTR_CONFIG_ENTRY_ID,
    ATTR_TASK,
    DOMAIN,
    MAX_ECHOED,
    SERVICE_START_ALL_TASKS,
    SERVICE_START_TASK,
    SERVICE_STOP_ALL_TASKS,
    SERVICE_STOP_TASK,
)
from .coordinator import PlexButlerConfigEntry, PlexButlerCoordinator

ENTRY_SCHEMA = vol.Schema({vol.Optional(ATTR_CONFIG_ENTRY_ID): cv.string})
TASK_SCHEMA = ENTRY_SCHEMA.extend({vol.Required(ATTR_TASK): cv.string})


def _coordinator(call: ServiceCall) -> PlexButlerCoordinator:
    """Find the server an action is for; the only loaded one when it names none."""
    entry_id: str | None = call.data.get(ATTR_CONFIG_ENTRY_ID)
    if entry_id is None:
        loaded = call.hass.config_entries.async_loaded_entries(DOMAIN)
        if len(loaded) == 1:
            entry: PlexButlerConfigEntry = loaded[0]
            return entry.runtime_data
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="no_loaded_entry" if not loaded else "ambiguous_entry",
            translation_placeholders={
                "servers": ", ".join(f"{e.title} ({e.entry_id})" for e in loaded)
            },
        )
    entry_or_none = call.hass.config_entries.async_get_entry(entry_id)
    if entry_or_none is None or entry_or_none.domain != DOMAIN:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="entry_not_found",
            translation_placeholders={"entry_id": entry_id},
        )
    if entry_or_none.state is not ConfigEntryState.LOADED:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="entry_not_loaded",
            translation_placeholders={"server": entry_or_none.title},
        )
    loaded_entry: PlexButlerConfigEntry = entry_or_none
    return loaded_entry.runtime_data


def _task_name(coordinator: PlexButlerCoordinator, wanted: str) -> str:
    """Match a task by its name or title, without regard to case or surrounding spaces."""
    wanted_folded = wanted.strip().casefold()
    for name, state in coordinator.data.tasks.items():
        if wanted_folded in (name.strip().casefold(), state.task.title.strip().casefold()):
            return name
    shown = wanted if len(wanted) <= MAX_ECHOED else f"{wanted[:MAX_ECHOED]}…"
    raise ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key="unknown_task",
        translation_placeholders={
            "task": shown,
            "server": coordinator.server.friendly_name,
            "tasks": ", ".join(coordinator.data.tasks),
        },
    )


def _task_action(
    send: Callable[[PlexButlerCoordinator, str], Awaitable[str]],
) -> Callable[[ServiceCall], Coroutine[Any, Any, ServiceResponse]]:
    async def handle(call: ServiceCall) -> ServiceResponse:
        coordinator = _coordinator(call)
        name = _task_name(coordinator, call.data[ATTR_TASK])
        return {"task": name, "result": await send(coordinator, name)}

    return handle


def _server_action(
    send: Callable[[PlexButlerCoordinator], Awaitable[None]],
) -> Callable[[ServiceCall], Coroutine[Any, Any, None]]:
    async def handle(call: ServiceCall) -> None:
        await send(_coordinator(call))

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
