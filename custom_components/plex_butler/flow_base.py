"""What every way of setting up a server shares: the check against the server, and the end.

Each way (the Plex integration's server, the sign-in with Plex, the form) ends the same: the
server answers who it is and lists its tasks with the token, then the flow creates the entry, or
updates it when it reauthenticates or reconfigures one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homeassistant.config_entries import (
    SOURCE_REAUTH,
    SOURCE_RECONFIGURE,
    ConfigFlow,
    ConfigFlowResult,
)
from homeassistant.const import CONF_TOKEN, CONF_URL, CONF_VERIFY_SSL
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.selector import (
    BooleanSelector,
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)
import voluptuous as vol

from .api.client import PlexButlerClient
from .api.exceptions import (
    PlexButlerAuthenticationError,
    PlexButlerError,
    PlexButlerPlainHttpError,
    PlexButlerSSLError,
)
from .api.models import ServerInfo
from .const import CONF_CLIENT_IDENTIFIER, DOMAIN, LOGGER

URL_SELECTOR = TextSelector(TextSelectorConfig(type=TextSelectorType.URL))
TOKEN_SELECTOR = TextSelector(TextSelectorConfig(type=TextSelectorType.PASSWORD))


def server_schema(defaults: Mapping[str, Any], *, token_required: bool = True) -> vol.Schema:
    """Build the URL, token and TLS fields, filled in with what is known."""
    token_field = vol.Required if token_required else vol.Optional
    return vol.Schema(
        {
            vol.Required(CONF_URL, default=defaults.get(CONF_URL, "")): URL_SELECTOR,
            token_field(CONF_TOKEN): TOKEN_SELECTOR,
            vol.Required(
                CONF_VERIFY_SSL, default=defaults.get(CONF_VERIFY_SSL, True)
            ): BooleanSelector(),
        }
    )


def form_error(err: PlexButlerError) -> dict[str, str]:
    """Return the form's error for a check that failed."""
    if isinstance(err, PlexButlerAuthenticationError):
        return {"base": "invalid_auth"}
    if isinstance(err, PlexButlerPlainHttpError):
        return {CONF_URL: "plain_http"}
    if isinstance(err, PlexButlerSSLError):
        return {"base": "ssl_error"}
    return {"base": "cannot_connect"}


class PlexButlerFlowBase(ConfigFlow):
    """The check and the end that all ways of the config flow share."""

    async def _async_check_server(
        self, user_input: Mapping[str, Any], client_identifier: str
    ) -> tuple[ServerInfo | None, dict[str, Any], dict[str, str]]:
        """Ask the server who it is and for its tasks: proves the URL and the owner's token.

        Returns the server, the data as it is stored (the URL as the client uses it, without a
        query that may hold the token; the token without the spaces a paste may bring; the
        client identifier), and the errors to show.
        """
        data = {
            CONF_URL: user_input[CONF_URL],
            CONF_TOKEN: user_input[CONF_TOKEN].strip(),
            CONF_VERIFY_SSL: user_input[CONF_VERIFY_SSL],
            CONF_CLIENT_IDENTIFIER: client_identifier,
        }
        try:
            client = PlexButlerClient(
                data[CONF_URL],
                data[CONF_TOKEN],
                async_get_clientsession(self.hass, verify_ssl=data[CONF_VERIFY_SSL]),
                client_identifier=client_identifier,
                verify_ssl=data[CONF_VERIFY_SSL],
            )
        except ValueError:
            return None, data, {CONF_URL: "invalid_url"}
        data[CONF_URL] = client.url
        try:
            server = await client.server_info()
            await client.butler_tasks()
        except PlexButlerError as err:
            return None, data, form_error(err)
        except Exception:  # noqa: BLE001 - the flow must show an error, not crash
            LOGGER.exception("Unexpected error while checking the Plex server")
            return None, data, {"base": "unknown"}
        return server, data, {}

    async def _async_finish(self, server: ServerInfo, data: dict[str, Any]) -> ConfigFlowResult:
        """Create the entry, or update the one being reauthenticated or reconfigured."""
        await self.async_set_unique_id(server.machine_identifier, raise_on_progress=False)
        if self.source == SOURCE_REAUTH:
            self._abort_if_unique_id_mismatch(reason="wrong_server")
            return self.async_update_reload_and_abort(self._get_reauth_entry(), data_updates=data)
        if self.source == SOURCE_RECONFIGURE:
            self._abort_if_unique_id_mismatch(reason="wrong_server")
            return self.async_update_reload_and_abort(
                self._get_reconfigure_entry(), data_updates=data, title=server.friendly_name
            )
        self._abort_if_unique_id_configured()
        return self.async_create_entry(title=server.friendly_name, data=data)

    def _own_server_id(self) -> str | None:
        """Return the machine id of the entry being reauthenticated or reconfigured, or None."""
        if self.source == SOURCE_REAUTH:
            return self._get_reauth_entry().unique_id
        if self.source == SOURCE_RECONFIGURE:
            return self._get_reconfigure_entry().unique_id
        return None

    def _configured_server_ids(self) -> set[str]:
        """Return the machine identifiers of the servers Plex Butler already has."""
        return {
            entry.unique_id
            for entry in self.hass.config_entries.async_entries(DOMAIN, include_ignore=False)
            if entry.unique_id
        }
