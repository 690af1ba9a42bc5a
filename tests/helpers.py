"""What the tests ask again and again: an entity's state, what it wrote, what the server heard.

Kept beside conftest.py (its fixtures and clock helpers), so that a new test module imports these
instead of writing its own copy.
"""

from __future__ import annotations

from homeassistant.components import conversation
from homeassistant.core import Context, Event, HomeAssistant, State, callback
from homeassistant.setup import async_setup_component

from .conftest import MACHINE_ID, async_settle, async_wait_until, entity_id_of
from .plex_simulator import PlexSimulator, SimulatedActivity


def state_of(hass: HomeAssistant, platform: str, key: str, machine_id: str = MACHINE_ID) -> State:
    """The state of a server's entity, by its unique id after the machine id (`live_updates`)."""
    state = hass.states.get(entity_id_of(hass, platform, f"{machine_id}_{key}"))
    assert state is not None, key
    return state


def last_run(hass: HomeAssistant, task: str) -> State:
    """The Last run sensor of `task` on the first server."""
    return state_of(hass, "sensor", f"{task}_last_run")


def task_status(hass: HomeAssistant, task: str, machine_id: str = MACHINE_ID) -> str:
    """What a task's Status sensor shows: idle, running, disabled, or unavailable."""
    return state_of(hass, "sensor", f"{task}_status", machine_id).state


def states_written(hass: HomeAssistant, entity_id: str) -> list[State]:
    """Collect each state an entity is written with from now on (a change, not a mere report)."""
    written: list[State] = []

    # A callback runs in the event loop, at the write; a plain function would run later.
    @callback
    def record(event: Event) -> None:
        if event.data["entity_id"] == entity_id:
            written.append(event.data["new_state"])

    hass.bus.async_listen("state_changed", record)
    return written


def writes_of(hass: HomeAssistant, entity_id: str | None = None) -> list[Event]:
    """Collect every write from now on, of one entity or of all: changes and unchanged reports."""
    writes: list[Event] = []

    @callback
    def record(event: Event) -> None:
        if entity_id is None or event.data["entity_id"] == entity_id:
            writes.append(event)

    hass.bus.async_listen("state_changed", record)
    hass.bus.async_listen("state_reported", record, event_filter=callback(lambda _: True))
    return writes


def starts_and_stops_sent(server: PlexSimulator) -> list[tuple[str, str]]:
    """The start and stop requests the server received, as (method, path)."""
    return [(r.method, r.path) for r in server.requests if r.method in ("POST", "DELETE")]


async def async_set_up_assist(hass: HomeAssistant) -> None:
    """Set up Assist's default agent, as a running Home Assistant has it."""
    for component in ("homeassistant", "conversation", "intent"):
        assert await async_setup_component(hass, component, {})


async def async_answer(hass: HomeAssistant, text: str, language: str = "en") -> str:
    """What Assist's default agent answers to `text`, once what it started has settled."""
    result = await conversation.async_converse(hass, text, None, Context(), language=language)
    await async_settle(hass)  # the refresh after a start or stop
    speech: str = result.response.speech["plain"]["speech"]
    return speech


async def async_start_and_wait(
    hass: HomeAssistant, server: PlexSimulator, task: str
) -> SimulatedActivity:
    """Start a task on the server, as its schedule would; return its activity once it shows."""
    await server.butler.start_task(task)
    await async_wait_until(hass, lambda: task_status(hass, task) == "running")
    return server.butler.running[task]
