"""The dashboard card: served from the integration and loaded by every dashboard."""

from __future__ import annotations

import hashlib
from pathlib import Path

from homeassistant.components.frontend import add_extra_js_url
from homeassistant.components.http import StaticPathConfig
from homeassistant.core import HomeAssistant

from .const import DOMAIN

# Built from frontend/ in the repository (docs/development.md), committed, shipped with HACS.
CARD_FILE = Path(__file__).parent / "www" / "plex-butler-card.js"
CARD_URL = f"/{DOMAIN}/plex-butler-card.js"


def _card_version() -> str:
    """Return a short hash of the card: browsers fetch it anew when it changes."""
    return hashlib.sha256(CARD_FILE.read_bytes()).hexdigest()[:12]


async def async_register_card(hass: HomeAssistant) -> None:
    """Serve the card and load it in every dashboard; once per Home Assistant start."""
    version = await hass.async_add_executor_job(_card_version)
    await hass.http.async_register_static_paths(
        [StaticPathConfig(CARD_URL, str(CARD_FILE), cache_headers=True)]
    )
    add_extra_js_url(hass, f"{CARD_URL}?v={version}")
