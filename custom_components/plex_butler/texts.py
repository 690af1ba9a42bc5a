"""The integration's own sentences (strings.json's `common`), in Home Assistant's language."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.translation import async_get_cached_translations

from .const import DOMAIN, MAX_ECHOED

type Text = Callable[..., str]


def echoed(said: str) -> str:
    """Return what a user asked for as an answer or an error repeats it: cut when long."""
    return said if len(said) <= MAX_ECHOED else f"{said[:MAX_ECHOED]}…"


@callback
def async_common_texts(hass: HomeAssistant) -> Text:
    """Return what says a `common` key with its values, as entity names are said.

    The strings are loaded with the integration, and again when the language changes.
    """
    strings = async_get_cached_translations(hass, hass.config.language, "common", DOMAIN)

    def text(key: str, **values: Any) -> str:
        return strings[f"component.{DOMAIN}.common.{key}"].format(**values)

    return text
