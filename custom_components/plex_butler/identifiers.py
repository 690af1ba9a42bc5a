"""How a server's devices and entities are named in Home Assistant's registries.

The coordinator finds a task's device and status sensor by them, the actions a target's task, and
the entities take them as theirs.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from .api.models import ServerInfo
from .const import DOMAIN


def server_unique_id(server: ServerInfo, key: str) -> str:
    """Return the unique id of one entity of the server itself, `key` as in its description."""
    return f"{server.machine_identifier}_{key}"


def task_device_identifier(server: ServerInfo, task_name: str) -> tuple[str, str]:
    """Return the device registry identifier of one task of a server."""
    return (DOMAIN, f"{server.machine_identifier}_{task_name}")


def task_unique_id(server: ServerInfo, task_name: str, key: str) -> str:
    """Return the unique id of one entity of a task, `key` as in its description."""
    return f"{server.machine_identifier}_{task_name}_{key}"


def task_of_device(
    server: ServerInfo, identifiers: Iterable[tuple[str, str]], tasks: Collection[str]
) -> str | None:
    """Return which of `tasks` a device of the server is, by its identifiers; None for no task."""
    for identifier in identifiers:
        for name in tasks:
            if identifier == task_device_identifier(server, name):
                return name
    return None
