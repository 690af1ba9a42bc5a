"""Repairs: the server's debug log is off, said where the user looks, fixed only when asked."""

from __future__ import annotations

from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.plex_butler.const import DOMAIN

from .conftest import async_settle, async_wait_until
from .plex_simulator import PlexSimulator
from .plex_simulator.models import EvidenceLevel


def _issue(hass: HomeAssistant, entry: MockConfigEntry) -> ir.IssueEntry | None:
    return ir.async_get(hass).async_get_issue(DOMAIN, f"debug_log_off_{entry.entry_id}")


async def _fix(
    hass: HomeAssistant, hass_client: ClientSessionGenerator, entry: MockConfigEntry
) -> tuple[dict[str, Any], Any]:
    """Open the repair's fix dialog as the frontend does; return it and a way to submit."""
    assert await async_setup_component(hass, "repairs", {})
    client = await hass_client()
    response = await client.post(
        "/api/repairs/issues/fix",
        json={"handler": DOMAIN, "issue_id": f"debug_log_off_{entry.entry_id}"},
    )
    assert response.status == 200, await response.text()
    shown = await response.json()

    async def submit() -> dict[str, Any]:
        answer = await client.post(f"/api/repairs/issues/fix/{shown['flow_id']}", json={})
        assert answer.status == 200, await answer.text()
        result: dict[str, Any] = await answer.json()
        return result

    return shown, submit


async def test_debug_log_off_is_a_repair_that_turns_it_on_when_asked(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    plex_server: PlexSimulator,
    hass_client: ClientSessionGenerator,
) -> None:
    """The repair says what is lost; its fix writes `logDebug` only on submit; then it is gone."""
    issue = _issue(hass, init_integration)
    assert issue is not None
    assert (issue.translation_key, issue.is_fixable, issue.severity) == (
        "debug_log_off",
        True,
        ir.IssueSeverity.WARNING,
    )
    assert issue.translation_placeholders == {"server": "Living Room Plex"}

    shown, submit = await _fix(hass, hass_client, init_integration)
    assert (shown["type"], shown["step_id"]) == ("form", "confirm")
    assert shown["description_placeholders"] == {"server": "Living Room Plex"}
    # Opening the dialog changes nothing on the server.
    assert not [r for r in plex_server.requests if r.method == "PUT"]
    assert (await submit())["type"] == "create_entry"

    writes = [r for r in plex_server.requests if r.method == "PUT"]
    assert [(r.path, r.query.get("logDebug")) for r in writes] == [("/:/prefs", "1")]
    await async_wait_until(hass, lambda: _issue(hass, init_integration) is None)


async def test_a_refused_write_keeps_the_dialog_with_an_error(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    plex_server: PlexSimulator,
    hass_client: ClientSessionGenerator,
) -> None:
    """The server fails the write: the dialog says so, and the repair stays."""
    _, submit = await _fix(hass, hass_client, init_integration)
    plex_server.fail_with_500 = True
    answer = await submit()
    plex_server.fail_with_500 = False
    assert (answer["type"], answer["errors"]) == ("form", {"base": "write_failed"})
    assert _issue(hass, init_integration) is not None


@pytest.mark.parametrize("level", [EvidenceLevel.DEBUG_LOG])
async def test_no_repair_while_debug_logging_is_on_and_none_once_unloaded(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    plex_server: PlexSimulator,
    level: EvidenceLevel,
) -> None:
    """On, there is nothing to repair; turned off in Plex Web, the repair comes; unloaded, goes."""
    plex_server.set_evidence(level)
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await async_settle(hass)
    assert _issue(hass, mock_config_entry) is None

    await plex_server.set_preference("logDebug", "0")
    await async_wait_until(hass, lambda: _issue(hass, mock_config_entry) is not None)
    assert await hass.config_entries.async_unload(mock_config_entry.entry_id)
    assert _issue(hass, mock_config_entry) is None
