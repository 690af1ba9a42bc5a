"""The dashboard card: served by the integration and loaded in every dashboard, once."""

from __future__ import annotations

import hashlib
from pathlib import Path
import re
from unittest.mock import patch

from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.plex_butler.frontend import CARD_FILE, CARD_URL

from .conftest import async_set_up_entry_for
from .plex_simulator import PlexSimulator

FRONTEND = Path(__file__).parent.parent / "frontend"
# What frontend/build.mjs hashes besides frontend/src, in its order.
BUILD_INPUTS = ("build.mjs", "package.json", "package-lock.json", "tsconfig.json")


async def _card_modules(hass: HomeAssistant, hass_client: ClientSessionGenerator) -> list[str]:
    """Return the card's modules that Home Assistant's page loads, as a browser gets them."""
    client = await hass_client()
    # The page redirects to onboarding until it is done; the test's Home Assistant never did it.
    with patch("homeassistant.components.onboarding.async_is_onboarded", return_value=True):
        response = await client.get("/")
    assert response.status == 200
    return re.findall(rf'import\("({re.escape(CARD_URL)}[^"]*)"\)', await response.text())


async def _assert_card_served(hass_client: ClientSessionGenerator, url: str) -> None:
    client = await hass_client()
    response = await client.get(url)
    assert response.status == 200
    assert response.content_type == "text/javascript"
    assert await response.read() == CARD_FILE.read_bytes()


async def test_card_is_served_and_loaded(
    hass: HomeAssistant, init_integration: MockConfigEntry, hass_client: ClientSessionGenerator
) -> None:
    """Every page loads the card once, at an address that changes when the card does."""
    modules = await _card_modules(hass, hass_client)
    version = hashlib.sha256(CARD_FILE.read_bytes()).hexdigest()[:12]
    assert modules == [f"{CARD_URL}?v={version}"]
    await _assert_card_served(hass_client, modules[0])


async def test_card_once_with_reloads_and_several_servers(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    second_server: PlexSimulator,
    hass_client: ClientSessionGenerator,
) -> None:
    """A reloaded entry and a second server neither add the card again nor break it."""
    assert await hass.config_entries.async_reload(init_integration.entry_id)
    await hass.async_block_till_done()
    entry = await async_set_up_entry_for(hass, second_server, client_identifier="other")

    modules = await _card_modules(hass, hass_client)
    assert len(modules) == 1
    await _assert_card_served(hass_client, modules[0])
    await hass.config_entries.async_unload(entry.entry_id)


def test_bundle_is_built_from_the_current_sources() -> None:
    """The committed card is what `npm run build` makes of frontend/ now.

    The build writes a hash of its inputs into the bundle's first line; recomputed here, the same
    way (each file's path and bytes), a change in frontend/ without a new build fails.
    """
    sources = sorted(
        path.relative_to(FRONTEND).as_posix()
        for path in (FRONTEND / "src").rglob("*")
        if path.is_file()
    )
    digest = hashlib.sha256()
    for name in (*BUILD_INPUTS, *sources):
        digest.update(f"{name}\0".encode())
        digest.update((FRONTEND / name).read_bytes())
        digest.update(b"\0")
    first_line = CARD_FILE.read_text(encoding="utf-8").split("\n", 1)[0]
    assert first_line.endswith(f"(sources sha256 {digest.hexdigest()})"), (
        "custom_components/plex_butler/www/plex-butler-card.js is stale: "
        "cd frontend && npm ci && npm run build"
    )


def test_lock_file_names_no_registry() -> None:
    """Packages come from whatever npm registry the machine uses: the lock file names none."""
    lock = (FRONTEND / "package-lock.json").read_text(encoding="utf-8")
    assert '"resolved"' not in lock
    assert '"integrity"' in lock  # what npm ci checks every package against
