"""LLM tools (Home Assistant 2026.10 and newer): the integration's intents, for the Assist API.

Before 2026.10 the Assist API offered every registered intent by itself, these included.
"""

from __future__ import annotations

from homeassistant.components.llm import LLMTools
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import intent
from homeassistant.helpers.llm import LLM_API_ASSIST, IntentTool, LLMContext, ToolAnnotations

from .const import DOMAIN
from .voice.intents import PlexButlerIntentHandler

# Only the user's own Plex servers are reached; starting a task twice is harmless.
ACTS = ToolAnnotations(destructive=False, open_world=False)
TELLS = ToolAnnotations(read_only=True, destructive=False, idempotent=True, open_world=False)


@callback
def async_get_tools(hass: HomeAssistant, llm_context: LLMContext, api_id: str) -> LLMTools | None:
    """Offer the intents while a Plex server is loaded."""
    if api_id != LLM_API_ASSIST or not hass.config_entries.async_loaded_entries(DOMAIN):
        return None
    return LLMTools(
        tools=[
            IntentTool(
                f"{DOMAIN}__{handler.intent_type}",
                handler,
                title=handler.plex_intent.title,
                integration=DOMAIN,
                annotations=TELLS if handler.plex_intent.reads_only else ACTS,
            )
            for handler in intent.async_get(hass)
            if isinstance(handler, PlexButlerIntentHandler)
        ]
    )
