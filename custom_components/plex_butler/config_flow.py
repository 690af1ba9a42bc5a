"""Config flow of Plex Butler: URL and token, checked against the server."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import uuid4

from homeassistant.config_entries import (
    ConfigFlow,
    ConfigFlowResult,
    OptionsFlowWithReload,
)
from homeassistant.const import CONF_SCAN_INTERVAL, CONF_TOKEN, CONF_URL, CONF_VERIFY_SSL
from homeassistant.core import callback
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.selector import (
    BooleanSelector,
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)
import voluptuous as vol

from .client import PlexButlerClient
from .const import (
    CONF_CLIENT_IDENTIFIER,
    DEFAULT_SCAN_INTERVAL,
    DOMAIN,
    LOGGER,
    MAX_SCAN_INTERVAL_SECONDS,
    MIN_SCAN_INTERVAL_SECONDS,
)
from .coordinator import PlexButlerConfigEntry
from .models import (
    PlexButlerAuthenticationError,
    PlexButlerError,
    PlexButlerPlainHttpError,
    PlexButlerSSLError,
    ServerInfo,
)

URL_SELECTOR = TextSelector(TextSelectorConfig(type=TextSelectorType.URL))
TOKEN_SELECTOR = TextSelector(TextSelectorConfig(type=TextSelectorType.PASSWORD))


def _server_schema(defaults: Mapping[str, Any], *, token_required: bool = True) -> vol.Schema:
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


def _form_error(err: PlexButlerError) -> dict[str, str]:
    """Return the form's error for a check that failed."""
    if isinstance(err, PlexButlerAuthenticationError):
        return {"base": "invalid_auth"}
    if isinstance(err, PlexButlerPlainHttpError):
        return {CONF_URL: "plain_http"}
    if isinstance(err, PlexButlerSSLError):
        return {"base": "ssl_error"}
    return {"base": "cannot_connect"}


class PlexButlerConfigFlow(ConfigFlow, domain=DOMAIN):
    """Set up a Plex Media Server."""

    VERSION = 1

    async def _async_check_server(
        self, user_input: Mapping[str, Any], client_identifier: str
    ) -> tuple[ServerInfo | None, dict[str, Any], dict[str, str]]:
        """Ask the server who it is and for its tasks: proves the URL and the owner's token.

        Returns the server, the input as it is stored (the URL as the client uses it, without a
        query that may hold the token; the token without the spaces a paste may bring), and the
        errors to show.
        """
        user_input = {**user_input, CONF_TOKEN: user_input[CONF_TOKEN].strip()}
        try:
            client = PlexButlerClient(
                user_input[CONF_URL],
                user_input[CONF_TOKEN],
                async_get_clientsession(self.hass, verify_ssl=user_input[CONF_VERIFY_SSL]),
                client_identifier=client_identifier,
                verify_ssl=user_input[CONF_VERIFY_SSL],
            )
        except ValueError:
            return None, dict(user_input), {CONF_URL: "invalid_url"}
        checked = {**user_input, CONF_URL: client.url}
        try:
            server = await client.server_info()
            await client.butler_tasks()
        except PlexButlerError as err:
            return None, checked, _form_error(err)
        except Exception:  # noqa: BLE001 - the flow must show an error, not crash
            LOGGER.exception("Unexpected error while checking the Plex server")
            return None, checked, {"base": "unknown"}
        return server, checked, {}

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Ask for the server's URL and the owner's token."""
        errors: dict[str, str] = {}
        if user_input is not None:
            client_identifier = uuid4().hex
            server, data, errors = await self._async_check_server(user_input, client_identifier)
            if server is not None:
                await self.async_set_unique_id(server.machine_identifier)
                self._abort_if_unique_id_configured()
                return self.async_create_entry(
                    title=server.friendly_name,
                    data={**data, CONF_CLIENT_IDENTIFIER: client_identifier},
                )
        return self.async_show_form(
            step_id="user",
            data_schema=self.add_suggested_values_to_schema(_server_schema({}), user_input or {}),
            errors=errors,
        )

    async def async_step_reauth(self, entry_data: Mapping[str, Any]) -> ConfigFlowResult:
        """Ask for a new token after the server refused the old one."""
        return await self.async_step_reauth_confirm()

    async def async_step_reauth_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for the new token and check it."""
        entry = self._get_reauth_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            server, new_data, errors = await self._async_check_server(
                {**entry.data, CONF_TOKEN: user_input[CONF_TOKEN]},
                entry.data[CONF_CLIENT_IDENTIFIER],
            )
            if server is not None:
                await self.async_set_unique_id(server.machine_identifier)
                self._abort_if_unique_id_mismatch(reason="wrong_server")
                return self.async_update_reload_and_abort(entry, data=new_data)
        return self.async_show_form(
            step_id="reauth_confirm",
            data_schema=vol.Schema({vol.Required(CONF_TOKEN): TOKEN_SELECTOR}),
            description_placeholders={"name": entry.title, "url": entry.data[CONF_URL]},
            errors=errors,
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change the URL, the token or the TLS check of the same server."""
        entry = self._get_reconfigure_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            # An empty token field keeps the stored token: changing the URL needs no new one.
            token = user_input.get(CONF_TOKEN, "").strip() or entry.data[CONF_TOKEN]
            server, data, errors = await self._async_check_server(
                {**user_input, CONF_TOKEN: token}, entry.data[CONF_CLIENT_IDENTIFIER]
            )
            if server is not None:
                await self.async_set_unique_id(server.machine_identifier)
                self._abort_if_unique_id_mismatch(reason="wrong_server")
                return self.async_update_reload_and_abort(
                    entry, data_updates=data, title=server.friendly_name
                )
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=_server_schema(user_input or entry.data, token_required=False),
            description_placeholders={"name": entry.title},
            errors=errors,
        )

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: PlexButlerConfigEntry) -> PlexButlerOptionsFlow:
        """Options of a server."""
        return PlexButlerOptionsFlow()


class PlexButlerOptionsFlow(OptionsFlowWithReload):
    """How often the server is polled."""

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Ask for the polling interval."""
        if user_input is not None:
            return self.async_create_entry(
                data={CONF_SCAN_INTERVAL: int(user_input[CONF_SCAN_INTERVAL])}
            )
        schema = vol.Schema(
            {
                vol.Required(
                    CONF_SCAN_INTERVAL,
                    default=self.config_entry.options.get(
                        CONF_SCAN_INTERVAL, int(DEFAULT_SCAN_INTERVAL.total_seconds())
                    ),
                ): NumberSelector(
                    NumberSelectorConfig(
                        min=MIN_SCAN_INTERVAL_SECONDS,
                        max=MAX_SCAN_INTERVAL_SECONDS,
                        step=1,
                        unit_of_measurement="s",
                        mode=NumberSelectorMode.BOX,
                    )
                ),
            }
        )
        return self.async_show_form(step_id="init", data_schema=schema)
