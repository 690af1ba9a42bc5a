"""Discovery: a server that announces itself is named, its address filled in, the menu shown."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from ipaddress import ip_address
from urllib.parse import urlsplit

from homeassistant.config_entries import SOURCE_IGNORE, SOURCE_ZEROCONF
from homeassistant.const import CONF_TOKEN, CONF_URL, CONF_VERIFY_SSL
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResult, FlowResultType
from homeassistant.helpers.service_info.zeroconf import ZeroconfServiceInfo
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.plex_butler.const import DOMAIN
from custom_components.plex_butler.plex_integration import moved_url

from .conftest import MACHINE_ID, SERVER_NAME, TOKEN
from .flow_helpers import assert_no_token, choose, plex_entry
from .plex_simulator import PlexSimulator
from .plextv_simulator import PlexTvSimulator, connection, server_resource
from .test_config_flow_sign_in import (
    come_back,
    dead,
    plex_tv,  # noqa: F401 - a fixture
)

TYPE = "_plexmediasvr._tcp.local."


@pytest.fixture(autouse=True)
async def unload_before_the_server_stops(
    hass: HomeAssistant, plex_server: PlexSimulator
) -> AsyncGenerator[None]:
    """Unload the entries a flow created while their server still runs."""
    yield
    for entry in hass.config_entries.async_entries(DOMAIN):
        await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()


def announced(url: str, name: str = SERVER_NAME) -> ZeroconfServiceInfo:
    """What zeroconf hands a flow for a Plex Media Server at `url`."""
    parts = urlsplit(url)
    assert parts.hostname is not None
    assert parts.port is not None
    return ZeroconfServiceInfo(
        ip_address=ip_address(parts.hostname),
        ip_addresses=[ip_address(parts.hostname)],
        hostname="plex.local.",
        name=f"{name}.{TYPE}",
        port=parts.port,
        type=TYPE,
        properties={},
    )


async def discover(hass: HomeAssistant, url: str, name: str = SERVER_NAME) -> FlowResult:
    """Start a discovery flow for a server at `url`."""
    return await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_ZEROCONF}, data=announced(url, name)
    )


async def test_a_new_server_is_named_and_filled_in(
    hass: HomeAssistant, plex_server: PlexSimulator
) -> None:
    """The discovered server is named, and the form has its address: the token is all."""
    result = await discover(hass, plex_server.url)
    assert result["type"] is FlowResultType.MENU
    assert result["menu_options"] == ["sign_in", "manual"]
    [flow] = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert flow["context"]["title_placeholders"] == {"name": SERVER_NAME}
    assert flow["context"]["unique_id"] == MACHINE_ID
    result = await choose(hass, result, "manual")
    [url_key] = [key for key in result["data_schema"].schema if key == CONF_URL]
    assert url_key.default() == plex_server.url
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_URL: plex_server.url, CONF_TOKEN: TOKEN, CONF_VERIFY_SSL: True}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["result"].unique_id == MACHINE_ID
    await hass.async_block_till_done()


async def test_a_nameless_announcement_is_named_by_its_address(
    hass: HomeAssistant, plex_server: PlexSimulator
) -> None:
    """An announcement without a name shows the address."""
    await discover(hass, plex_server.url, name="")
    [flow] = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert flow["context"]["title_placeholders"] == {"name": "127.0.0.1"}


async def test_the_plex_integration_offers_the_discovered_server(
    hass: HomeAssistant, plex_server: PlexSimulator
) -> None:
    """The Plex integration's entry for the discovered server is offered, no other."""
    core = plex_entry(plex_server.url)
    core.add_to_hass(hass)
    other = MockConfigEntry(
        domain="plex", title="Other", data={"server": "Other", "server_id": "e" * 40}
    )
    other.add_to_hass(hass)
    result = await choose(hass, await discover(hass, plex_server.url), "plex_integration")
    [selector] = result["data_schema"].schema.values()
    assert selector.config["options"] == [{"value": core.entry_id, "label": SERVER_NAME}]
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"server": core.entry_id}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()


@pytest.mark.usefixtures("current_request_with_host")
async def test_sign_in_takes_the_discovered_server(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    plex_tv: PlexTvSimulator,  # noqa: F811 - the fixture imported above
    plex_server: PlexSimulator,
    second_server: PlexSimulator,
) -> None:
    """Signed in to an account with two servers, the discovered one is taken, no pick."""
    plex_tv.resources = [
        server_resource(s.friendly_name, s.machine_identifier, [connection(s.url)], token=TOKEN)
        for s in (plex_server, second_server)
    ]
    result = await choose(hass, await discover(hass, second_server.url), "sign_in")
    result = await come_back(hass, hass_client_no_auth, plex_tv, result)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Basement Plex"
    await hass.async_block_till_done()


async def test_a_known_server_at_a_new_address(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, plex_server: PlexSimulator
) -> None:
    """A server already set up is not offered again; its entry follows the new address."""
    old = dead()
    mock_config_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        mock_config_entry, data={**mock_config_entry.data, CONF_URL: old}
    )
    result = await discover(hass, plex_server.url)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert mock_config_entry.data[CONF_URL] == plex_server.url
    assert mock_config_entry.data[CONF_TOKEN] == TOKEN


async def test_a_known_server_by_its_name_keeps_it(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, plex_server: PlexSimulator
) -> None:
    """An entry that reaches the server by a host name (a proxy, say) keeps it."""
    mock_config_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        mock_config_entry, data={**mock_config_entry.data, CONF_URL: "https://plex.example.org"}
    )
    result = await discover(hass, plex_server.url)
    assert result["reason"] == "already_configured"
    assert mock_config_entry.data[CONF_URL] == "https://plex.example.org"


async def test_an_ignored_server_stays_ignored(
    hass: HomeAssistant, plex_server: PlexSimulator
) -> None:
    """A server whose discovery the user ignored is not offered again."""
    MockConfigEntry(domain=DOMAIN, source=SOURCE_IGNORE, unique_id=MACHINE_ID).add_to_hass(hass)
    result = await discover(hass, plex_server.url)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


async def test_a_server_that_does_not_answer(
    hass: HomeAssistant, plex_server: PlexSimulator
) -> None:
    """An announcement nothing answers behind ends the flow."""
    result = await discover(hass, dead())
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "cannot_connect"
    assert_no_token(result)


@pytest.mark.parametrize(
    ("current", "host", "port", "moved"),
    [
        ("http://192.168.1.10:32400", "192.168.1.20", 32400, "http://192.168.1.20:32400"),
        ("https://192.168.1.10:32400", "192.168.1.10", 32401, "https://192.168.1.10:32401"),
        ("http://192.168.1.10:32400", "192.168.1.10", 32400, None),
        (
            "https://192-168-1-10.0123abcd.plex.direct:32400",
            "192.168.1.20",
            32400,
            "https://192-168-1-20.0123abcd.plex.direct:32400",
        ),
        ("https://192-168-1-10.0123abcd.plex.direct:32400", "fe80::1", 32400, None),
        ("https://abc.0123abcd.plex.direct:32400", "192.168.1.20", 32400, None),
        ("https://plex.example.org/plex", "192.168.1.20", 32400, None),
        ("http://[fd00::10]:32400", "fd00::20", 32400, "http://[fd00::20]:32400"),
        ("not a url", "192.168.1.20", 32400, None),
    ],
)
def test_moved_url(current: str, host: str, port: int, moved: str | None) -> None:
    """Only an address naming the server by its IP follows it."""
    assert moved_url(current, host, port) == moved
