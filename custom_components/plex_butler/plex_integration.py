"""What the set-up takes from elsewhere: Home Assistant's own Plex integration, and discovery.

The data of the `plex` integration's entries is no public API: every key is read defensively,
and a server whose entry lacks its address or token is still offered (it leads to the form).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from ipaddress import ip_address
from typing import Any

from homeassistant.config_entries import SOURCE_IGNORE
from homeassistant.core import HomeAssistant
from yarl import URL

PLEX_DOMAIN = "plex"
PLEX_DIRECT = ".plex.direct"


@dataclass(frozen=True, slots=True)
class PlexIntegrationServer:
    """A server of the `plex` integration, as far as its entry tells."""

    entry_id: str
    name: str
    server_id: str | None
    url: str | None
    token: str | None
    verify_ssl: bool


def _text(data: Mapping[str, Any], key: str) -> str | None:
    value = data.get(key)
    return value if isinstance(value, str) and value else None


def plex_integration_servers(hass: HomeAssistant) -> list[PlexIntegrationServer]:
    """Return the servers set up in the `plex` integration (not its ignored discoveries)."""
    servers = []
    for entry in hass.config_entries.async_entries(PLEX_DOMAIN):
        if entry.source == SOURCE_IGNORE:
            continue
        data = entry.data
        config = data.get("server_config")
        if not isinstance(config, Mapping):
            config = {}
        servers.append(
            PlexIntegrationServer(
                entry_id=entry.entry_id,
                name=_text(data, "server") or entry.title,
                server_id=_text(data, "server_id") or entry.unique_id,
                url=_text(config, "url"),
                token=_text(config, "token"),
                verify_ssl=config.get("verify_ssl") is not False,
            )
        )
    return servers


def _dashed(host: str) -> str | None:
    """Return the first label of a plex.direct name for an IPv4 address, else None."""
    try:
        address = ip_address(host)
    except ValueError:
        return None
    return str(address).replace(".", "-") if address.version == 4 else None


def moved_url(current: str, host: str, port: int) -> str | None:
    """Return the stored URL moved to a server's discovered address; None if it stays.

    Only an address that names the server by its IP moves: a raw IP, or a plex.direct name
    (`192-168-1-10.<hash>.plex.direct`, which encodes the IP). A host name, such as a reverse
    proxy's, stays as the user entered it.
    """
    url = URL(current)
    if url.host is None:
        return None
    if url.host.endswith(PLEX_DIRECT) and _dashed(url.host.split(".", 1)[0].replace("-", ".")):
        dashed = _dashed(host)
        if dashed is None:
            return None
        moved = url.with_host(f"{dashed}.{url.host.split('.', 1)[1]}")
    else:
        try:
            ip_address(url.host)
        except ValueError:
            return None
        moved = url.with_host(host)
    moved = moved.with_port(port)
    return str(moved) if moved != url else None
