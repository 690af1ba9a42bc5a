"""Config flow of Plex Butler: the Plex integration's server, sign in with Plex, or by hand.

The first step is a menu of the ways; discovery (zeroconf) names the server, fills in its
address and shows the same menu. Reauthentication and reconfiguration offer the same ways.
The sign-in steps are in sign_in_flow.py, the check and the end all ways share in flow_base.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import uuid4

from homeassistant.config_entries import (
    SOURCE_REAUTH,
    SOURCE_RECONFIGURE,
    ConfigFlowResult,
    OptionsFlowWithReload,
)
from homeassistant.const import CONF_SCAN_INTERVAL, CONF_TOKEN, CONF_URL, CONF_VERIFY_SSL
from homeassistant.core import callback
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.selector import (
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    SelectOptionDict,
    SelectSelector,
    SelectSelectorConfig,
)
from homeassistant.helpers.service_info.zeroconf import ZeroconfServiceInfo
import voluptuous as vol
from yarl import URL

from .api.client import PlexButlerClient
from .api.exceptions import PlexButlerError
from .const import (
    CONF_CLIENT_IDENTIFIER,
    DEFAULT_SCAN_INTERVAL,
    DOMAIN,
    MAX_SCAN_INTERVAL_SECONDS,
    MIN_SCAN_INTERVAL_SECONDS,
)
from .coordinator import PlexButlerConfigEntry
from .flow_base import TOKEN_SELECTOR, server_schema
from .plex_integration import PlexIntegrationServer, moved_url, plex_integration_servers
from .sign_in_flow import CONF_SERVER, PlexTvSignInFlow

DEFAULT_PORT = 32400


def _suggested(user_input: Mapping[str, Any] | None) -> dict[str, Any]:
    """Return what a form shows again after an error: all but the token, never shown."""
    return {key: value for key, value in (user_input or {}).items() if key != CONF_TOKEN}


class PlexButlerConfigFlow(PlexTvSignInFlow, domain=DOMAIN):
    """Set up a Plex Media Server."""

    VERSION = 1

    def __init__(self) -> None:
        """Start with nothing discovered and nothing to say on the form."""
        self._prefill: dict[str, Any] = {}
        self._note: dict[str, str] = {}

    def _ways(self, by_hand: str) -> list[str]:
        """Return the menu: the Plex integration's servers (if any), sign in, by hand."""
        taken = ["plex_integration"] if self._plex_integration_servers() else []
        return [*taken, "sign_in", by_hand]

    def _plex_integration_servers(self) -> list[PlexIntegrationServer]:
        """Return the Plex integration's servers this flow may take: its own, or new ones."""
        servers = plex_integration_servers(self.hass)
        if (own := self._own_server_id() or self._discovered_id) is not None:
            return [server for server in servers if server.server_id == own]
        configured = self._configured_server_ids()
        return [server for server in servers if server.server_id not in configured]

    def _client_identifier(self) -> str:
        """Return a new client identifier for a new entry; an existing one keeps its own."""
        if self.source == SOURCE_REAUTH:
            return str(self._get_reauth_entry().data[CONF_CLIENT_IDENTIFIER])
        if self.source == SOURCE_RECONFIGURE:
            return str(self._get_reconfigure_entry().data[CONF_CLIENT_IDENTIFIER])
        return uuid4().hex

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Offer the ways to connect a server."""
        return self.async_show_menu(step_id="user", menu_options=self._ways("manual"))

    async def async_step_zeroconf(self, discovery_info: ZeroconfServiceInfo) -> ConfigFlowResult:
        """Ask a server that announced itself who it is (no token needed); offer the menu."""
        port = discovery_info.port or DEFAULT_PORT
        url = str(URL.build(scheme="http", host=discovery_info.host, port=port))
        client = PlexButlerClient(
            url, "", async_get_clientsession(self.hass), client_identifier=uuid4().hex
        )
        try:
            identity = await client.identity()
        except PlexButlerError:
            return self.async_abort(reason="cannot_connect")
        await self.async_set_unique_id(identity.machine_identifier)
        entry = self.hass.config_entries.async_entry_for_domain_unique_id(
            DOMAIN, identity.machine_identifier
        )
        moved = None
        # An ignored discovery has no URL; an entry with one follows a new IP address.
        if entry is not None and isinstance(current := entry.data.get(CONF_URL), str):
            moved = moved_url(current, discovery_info.host, port)
        self._abort_if_unique_id_configured(updates={CONF_URL: moved} if moved else None)
        name = discovery_info.name.removesuffix(f".{discovery_info.type}")
        self.context["title_placeholders"] = {"name": name or discovery_info.host}
        self._discovered_id = identity.machine_identifier
        self._prefill = {CONF_URL: url}
        return await self.async_step_user()

    async def async_step_plex_integration(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Take a server's address, token and certificate check from the Plex integration."""
        servers = {server.entry_id: server for server in self._plex_integration_servers()}
        errors: dict[str, str] = {}
        if user_input is not None and (server := servers.get(user_input[CONF_SERVER])):
            if server.url is None or server.token is None:
                self._note = {"base": "plex_entry_incomplete"}
                self._prefill = {CONF_URL: server.url or "", CONF_VERIFY_SSL: server.verify_ssl}
                return await self._async_step_by_hand()
            taken: dict[str, Any] = {
                CONF_URL: server.url,
                CONF_TOKEN: server.token,
                CONF_VERIFY_SSL: server.verify_ssl,
            }
            if self.source == SOURCE_REAUTH:  # only the token: the entry keeps its address
                taken = {**self._get_reauth_entry().data, CONF_TOKEN: server.token}
            found, data, errors = await self._async_check_server(taken, self._client_identifier())
            if found is not None:
                return await self._async_finish(found, data)
        options = [SelectOptionDict(value=key, label=s.name) for key, s in servers.items()]
        return self.async_show_form(
            step_id="plex_integration",
            data_schema=vol.Schema(
                {vol.Required(CONF_SERVER): SelectSelector(SelectSelectorConfig(options=options))}
            ),
            errors=errors,
        )

    async def _async_step_by_hand(self) -> ConfigFlowResult:
        """Show the form of this flow's source: the Plex integration cannot give the server."""
        if self.source == SOURCE_REAUTH:
            return await self.async_step_reauth_confirm()
        if self.source == SOURCE_RECONFIGURE:
            return await self.async_step_reconfigure_manual()
        return await self.async_step_manual()

    async def async_step_manual(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Ask for the server's URL and the owner's token."""
        errors, self._note = self._note, {}
        if user_input is not None:
            server, data, errors = await self._async_check_server(
                user_input, self._client_identifier()
            )
            if server is not None:
                return await self._async_finish(server, data)
        return self.async_show_form(
            step_id="manual",
            data_schema=self.add_suggested_values_to_schema(
                server_schema(self._prefill), _suggested(user_input)
            ),
            errors=errors,
        )

    async def async_step_reauth(self, entry_data: Mapping[str, Any]) -> ConfigFlowResult:
        """Offer the ways to a new token after the server refused the old one."""
        entry = self._get_reauth_entry()
        return self.async_show_menu(
            step_id="reauth",
            menu_options=self._ways("reauth_confirm"),
            description_placeholders={"name": entry.title, "url": entry.data[CONF_URL]},
        )

    async def async_step_reauth_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for the new token and check it."""
        entry = self._get_reauth_entry()
        errors, self._note = self._note, {}
        if user_input is not None:
            server, data, errors = await self._async_check_server(
                {**entry.data, CONF_TOKEN: user_input[CONF_TOKEN]}, self._client_identifier()
            )
            if server is not None:
                return await self._async_finish(server, data)
        return self.async_show_form(
            step_id="reauth_confirm",
            data_schema=vol.Schema({vol.Required(CONF_TOKEN): TOKEN_SELECTOR}),
            description_placeholders={"name": entry.title, "url": entry.data[CONF_URL]},
            errors=errors,
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Offer the ways to change how Home Assistant reaches the server."""
        return self.async_show_menu(
            step_id="reconfigure",
            menu_options=self._ways("reconfigure_manual"),
            description_placeholders={"name": self._get_reconfigure_entry().title},
        )

    async def async_step_reconfigure_manual(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change the URL, the token or the TLS check of the same server."""
        entry = self._get_reconfigure_entry()
        errors, self._note = self._note, {}
        if user_input is not None:
            # An empty token field keeps the stored token: changing the URL needs no new one.
            token = user_input.get(CONF_TOKEN, "").strip() or entry.data[CONF_TOKEN]
            server, data, errors = await self._async_check_server(
                {**user_input, CONF_TOKEN: token}, self._client_identifier()
            )
            if server is not None:
                return await self._async_finish(server, data)
        return self.async_show_form(
            step_id="reconfigure_manual",
            data_schema=server_schema(
                _suggested(user_input) or self._prefill or entry.data, token_required=False
            ),
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
