"""The config flow's "Sign in with Plex": a plex.tv PIN, the account's servers, a connection.

As Home Assistant's Plex integration does it, with a client of our own (plextv.py) and a
callback of our own path: plex.tv's page sends the browser to the callback once the user signed
in, the callback moves the flow on, and the flow reads the account's token from the PIN.
"""

from __future__ import annotations

from typing import Any, Final
from uuid import uuid4

from aiohttp import web
from homeassistant.components.http import KEY_HASS, HomeAssistantView
from homeassistant.config_entries import SOURCE_REAUTH, ConfigFlowResult
from homeassistant.const import CONF_TOKEN, CONF_URL, CONF_VERIFY_SSL
from homeassistant.helpers import http
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.network import NoURLAvailableError, get_url
from homeassistant.helpers.selector import SelectOptionDict, SelectSelector, SelectSelectorConfig
from homeassistant.util.hass_dict import HassKey
import voluptuous as vol

from .api.client import PRODUCT, PRODUCT_VERSION, PlexButlerClient
from .api.exceptions import PlexButlerError
from .api.plextv import (
    APP_PLEX_TV,
    PLEX_TV,
    Connection,
    Pin,
    PlexTvClient,
    PlexTvError,
    PlexTvPinExpiredError,
    Resource,
    first_answering,
    owned_servers,
)
from .const import DOMAIN
from .flow_base import PlexButlerFlowBase

AUTH_CALLBACK_PATH: Final = "/auth/plex_butler/callback"
AUTH_CALLBACK_NAME: Final = "auth:plex_butler:callback"
HEADER_FRONTEND_BASE: Final = "HA-Frontend-Base"
# Where plex.tv and its sign-in page are; tests point both at a simulated plex.tv.
PLEX_TV_URLS: Final = {"plex_tv": PLEX_TV, "app": APP_PLEX_TV}
# After the callback, plex.tv has the token at once; a few tries cover a slow plex.tv.
POLL_TRIES: Final = 10
POLL_INTERVAL: Final = 1.0
# An address that does not answer /identity in this time is not taken.
PROBE_TIMEOUT: Final = 10.0
CONF_SERVER: Final = "server"
VIEW_REGISTERED: HassKey[bool] = HassKey(f"{DOMAIN}_auth_callback")


class PlexButlerAuthCallbackView(HomeAssistantView):
    """Where plex.tv's sign-in page sends the browser back: it moves the flow on."""

    url = AUTH_CALLBACK_PATH
    name = AUTH_CALLBACK_NAME
    requires_auth = False

    async def get(self, request: web.Request) -> web.Response:
        """Move a sign-in of Plex Butler on, and close the window."""
        hass = request.app[KEY_HASS]
        flow_id = request.query.get("flow_id", "")
        flows = hass.config_entries.flow
        # Only a sign-in of ours that waits for it: the view needs no authentication.
        waiting = [
            flow
            for flow in flows.async_progress_by_handler(DOMAIN)
            if flow["flow_id"] == flow_id and flow["step_id"] == "obtain_token"
        ]
        if not waiting:
            return web.Response(status=400, text="This sign-in has ended. Close this window.")
        await flows.async_configure(flow_id=flow_id, user_input=None)
        return web.Response(
            content_type="text/html",
            text="<script>window.close()</script>Signed in. This window can be closed.",
        )


class PlexTvSignInFlow(PlexButlerFlowBase):
    """The steps of "Sign in with Plex"."""

    _plex_tv: PlexTvClient
    _pin: Pin
    _account_token: str = ""
    _servers: list[Resource] | None = None
    _sign_in_error: str = ""
    _tried: str = ""
    _discovered_id: str | None = None

    async def async_step_sign_in(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Create a PIN and open plex.tv's sign-in page for it."""
        self._account_token, self._servers = "", None
        if not self.hass.data.get(VIEW_REGISTERED):
            self.hass.http.register_view(PlexButlerAuthCallbackView)
            self.hass.data[VIEW_REGISTERED] = True
        request = http.current_request.get()
        base = request.headers.get(HEADER_FRONTEND_BASE) if request is not None else None
        if base is None:
            try:
                base = get_url(self.hass)
            except NoURLAvailableError:
                return self.async_abort(reason="no_url_available")
        self._plex_tv = PlexTvClient(
            async_get_clientsession(self.hass),
            client_identifier=uuid4().hex,
            product=PRODUCT,
            version=PRODUCT_VERSION,
            device_name=self.hass.config.location_name,
            plex_tv_url=PLEX_TV_URLS["plex_tv"],
            app_url=PLEX_TV_URLS["app"],
        )
        try:
            self._pin = await self._plex_tv.create_pin()
        except PlexTvError:
            return await self._async_sign_in_failed("plextv_unreachable")
        forward_url = f"{base}{AUTH_CALLBACK_PATH}?flow_id={self.flow_id}"
        return self.async_external_step(
            step_id="obtain_token", url=self._plex_tv.auth_url(self._pin, forward_url)
        )

    async def async_step_obtain_token(self, user_input: None = None) -> ConfigFlowResult:
        """Read the account's token from the PIN, now that the sign-in page came back."""
        try:
            token = await self._plex_tv.wait_for_token(
                self._pin, tries=POLL_TRIES, interval=POLL_INTERVAL
            )
        except PlexTvPinExpiredError:
            token = None
        except PlexTvError:
            self._sign_in_error = "plextv_unreachable"
            return self.async_external_step_done(next_step_id="sign_in_again")
        if token is None:
            self._sign_in_error = "sign_in_incomplete"
            return self.async_external_step_done(next_step_id="sign_in_again")
        self._account_token = token
        return self.async_external_step_done(next_step_id="plex_server")

    async def _async_sign_in_failed(self, error: str) -> ConfigFlowResult:
        self._sign_in_error = error
        return await self.async_step_sign_in_again()

    async def async_step_sign_in_again(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Say what went wrong; going on tries again (with the same account where it helps)."""
        if user_input is not None:
            if self._account_token:
                return await self.async_step_plex_server()
            return await self.async_step_sign_in()
        return self.async_show_form(
            step_id="sign_in_again",
            errors={"base": self._sign_in_error},
            description_placeholders={"tried": self._tried or "-"},
        )

    def _wanted(self, servers: list[Resource]) -> list[Resource]:
        """Return the servers this flow may set up: the entry's own, or those not set up yet."""
        if (own := self._own_server_id()) is not None:
            return [server for server in servers if server.client_identifier == own]
        configured = self._configured_server_ids()
        return [server for server in servers if server.client_identifier not in configured]

    async def async_step_plex_server(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Take the account's server, or let the user pick one of several."""
        if self._servers is None:
            try:
                resources = await self._plex_tv.resources(self._account_token)
            except PlexTvError:
                return await self._async_sign_in_failed("plextv_unreachable")
            owned = owned_servers(resources)
            if not (servers := self._wanted(owned)):
                self._account_token = ""
                if self._own_server_id() is not None:
                    return await self._async_sign_in_failed("server_not_owned")
                if owned:
                    return self.async_abort(reason="already_configured")
                return await self._async_sign_in_failed("no_owned_server")
            self._servers = servers
        servers = self._servers
        chosen = next((s for s in servers if s.client_identifier == self._discovered_id), None) or (
            servers[0] if len(servers) == 1 else None
        )
        if picked := (user_input or {}).get(CONF_SERVER):  # an external step's end sends {}
            chosen = next(s for s in servers if s.client_identifier == picked)
        if chosen is not None:
            return await self._async_connect(chosen)
        options = [SelectOptionDict(value=s.client_identifier, label=s.name) for s in servers]
        return self.async_show_form(
            step_id="plex_server",
            data_schema=vol.Schema(
                {vol.Required(CONF_SERVER): SelectSelector(SelectSelectorConfig(options=options))}
            ),
        )

    async def _async_connect(self, server: Resource) -> ConfigFlowResult:
        """Find the server's first answering address, check it with the token, and finish."""
        token = server.access_token or self._account_token
        if self.source == SOURCE_REAUTH:
            entry = self._get_reauth_entry()
            url, verify_ssl = entry.data[CONF_URL], entry.data[CONF_VERIFY_SSL]
        else:
            connections = server.preferred_connections()
            answering = await first_answering(
                connections, lambda connection: self._answers(connection, server)
            )
            if answering is None:
                self._tried = ", ".join(connection.uri for connection in connections) or "-"
                return await self._async_sign_in_failed("no_connection")
            url, verify_ssl = answering.uri, True
        found, data, errors = await self._async_check_server(
            {CONF_URL: url, CONF_TOKEN: token, CONF_VERIFY_SSL: verify_ssl},
            self._plex_tv.client_identifier,
        )
        if found is None:
            return await self._async_sign_in_failed(next(iter(errors.values())))
        return await self._async_finish(found, data)

    async def _answers(self, connection: Connection, server: Resource) -> bool:
        """Whether the server answers at this address (its identity needs no token)."""
        try:
            client = PlexButlerClient(
                connection.uri,
                "",
                async_get_clientsession(self.hass),
                client_identifier=self._plex_tv.client_identifier,
                timeout=PROBE_TIMEOUT,
            )
            identity = await client.identity()
        except (ValueError, PlexButlerError):
            return False
        return identity.machine_identifier == server.client_identifier
