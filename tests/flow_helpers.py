"""Helpers of the config-flow tests: menus, and what a flow shows (never a token)."""

from __future__ import annotations

import json
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResult, FlowResultType
from pytest_homeassistant_custom_component.common import MockConfigEntry

from .conftest import MACHINE_ID, SERVER_NAME, TOKEN
from .plextv_simulator import ACCOUNT_TOKEN


async def choose(hass: HomeAssistant, menu: FlowResult, step: str) -> FlowResult:
    """Choose a step in a menu."""
    assert menu["type"] is FlowResultType.MENU, menu
    return await hass.config_entries.flow.async_configure(menu["flow_id"], {"next_step_id": step})


def shown(result: FlowResult) -> str:
    """Everything of a flow's result that the frontend shows, as text."""
    parts: list[Any] = [
        result.get("description_placeholders"),
        result.get("errors"),
        result.get("url"),
        result.get("title"),
        result.get("reason"),
    ]
    if (schema := result.get("data_schema")) is not None:
        for key in schema.schema:
            parts.append(str(key))
            parts.append((key.description or {}).get("suggested_value"))
            if callable(default := getattr(key, "default", None)):
                parts.append(str(default()))
    return json.dumps(parts, default=str)


def assert_no_token(result: FlowResult) -> None:
    """No token in what a flow shows."""
    text = shown(result)
    for token in (TOKEN, ACCOUNT_TOKEN):
        assert token not in text, text


def plex_entry(url: str | None, token: str | None = TOKEN, **config: Any) -> MockConfigEntry:
    """An entry of Home Assistant's Plex integration, with the data shape it stores."""
    server_config: dict[str, Any] = {"client_id": "core-plex-client-id", **config}
    if url is not None:
        server_config["url"] = url
    if token is not None:
        server_config["token"] = token
    return MockConfigEntry(
        domain="plex",
        title=SERVER_NAME,
        unique_id=MACHINE_ID,
        data={"server": SERVER_NAME, "server_id": MACHINE_ID, "server_config": server_config},
    )
