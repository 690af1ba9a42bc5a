"""Async client for plex.tv: the sign-in with a PIN, and the servers of an account.

This module never imports Home Assistant. The base URLs of plex.tv and of its sign-in page are
arguments, so that tests talk to a simulated plex.tv.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import urlencode

import aiohttp
from yarl import URL

PLEX_TV: Final = "https://plex.tv"
APP_PLEX_TV: Final = "https://app.plex.tv"
DEFAULT_TIMEOUT: Final = 10.0


class PlexTvError(Exception):
    """Talking to plex.tv failed."""


class PlexTvConnectionError(PlexTvError):
    """plex.tv cannot be reached, or answered what it should not."""


class PlexTvPinExpiredError(PlexTvError):
    """plex.tv no longer knows the PIN: it expired."""


@dataclass(frozen=True, slots=True)
class Pin:
    """A sign-in PIN: plex.tv attaches the account's token to it once the user signs in."""

    id: int
    code: str


@dataclass(frozen=True, slots=True)
class Connection:
    """One address of a server, as plex.tv lists it."""

    uri: str
    local: bool
    relay: bool
    https: bool
    ipv6: bool

    @property
    def preference(self) -> tuple[bool, bool, bool, bool]:
        """Sort key as Plex apps try them: local, remote, relay; https before http; IPv4 first."""
        return (self.relay, not self.local, not self.https, self.ipv6)


@dataclass(frozen=True, slots=True)
class Resource:
    """A device of an account that plex.tv knows (`/api/v2/resources`)."""

    name: str
    client_identifier: str
    access_token: str | None
    owned: bool
    provides: frozenset[str]
    connections: tuple[Connection, ...]

    @property
    def is_server(self) -> bool:
        """Whether it is a Plex Media Server."""
        return "server" in self.provides

    def preferred_connections(self) -> list[Connection]:
        """Return the connections in the order Plex apps prefer them."""
        return sorted(self.connections, key=lambda connection: connection.preference)


def _connection(raw: Any) -> Connection | None:
    if not isinstance(raw, dict) or not isinstance(uri := raw.get("uri"), str):
        return None
    return Connection(
        uri=uri,
        local=raw.get("local") is True,
        relay=raw.get("relay") is True,
        https=uri.startswith("https:"),
        ipv6=raw.get("IPv6") is True,
    )


def parse_resources(document: Any) -> tuple[Resource, ...]:
    """Read the resources plex.tv lists, skipping what does not look like one."""
    if not isinstance(document, list):
        raise PlexTvConnectionError("plex.tv answered no list of resources")
    resources = []
    for raw in document:
        if not isinstance(raw, dict):
            continue
        identifier, provides = raw.get("clientIdentifier"), raw.get("provides")
        if not isinstance(identifier, str) or not isinstance(provides, str):
            continue
        token = raw.get("accessToken")
        connections = raw.get("connections")
        resources.append(
            Resource(
                name=str(raw.get("name") or identifier),
                client_identifier=identifier,
                access_token=token if isinstance(token, str) and token else None,
                owned=raw.get("owned") is True,
                provides=frozenset(provides.split(",")),
                connections=tuple(
                    connection
                    for connection in map(_connection, connections or ())
                    if connection is not None
                )
                if isinstance(connections, list)
                else (),
            )
        )
    return tuple(resources)


class PlexTvClient:
    """Signs in to plex.tv with a PIN and lists the account's servers."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        *,
        client_identifier: str,
        product: str,
        version: str,
        device_name: str,
        plex_tv_url: str = PLEX_TV,
        app_url: str = APP_PLEX_TV,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        """Set up the client; nothing is sent until a method is called."""
        self._session = session
        self._plex_tv = URL(plex_tv_url)
        self._app = app_url.rstrip("/")
        self._product = product
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self.client_identifier = client_identifier
        self._headers = {
            "Accept": "application/json",
            "X-Plex-Client-Identifier": client_identifier,
            "X-Plex-Product": product,
            "X-Plex-Version": version,
            "X-Plex-Device-Name": device_name,
        }

    async def _json(
        self, method: str, path: str, *, token: str | None = None, **params: str
    ) -> tuple[int, Any]:
        headers = dict(self._headers)
        if token is not None:
            headers["X-Plex-Token"] = token
        try:
            async with self._session.request(
                method,
                self._plex_tv.with_path(path),
                params=params,
                headers=headers,
                timeout=self._timeout,
            ) as response:
                if response.status >= 300:
                    return response.status, None
                return response.status, await response.json(content_type=None)
        except (aiohttp.ClientError, TimeoutError, ValueError) as err:
            raise PlexTvConnectionError(f"plex.tv: {type(err).__name__}") from err

    async def create_pin(self) -> Pin:
        """Ask plex.tv for a new sign-in PIN."""
        status, document = await self._json("POST", "/api/v2/pins", strong="true")
        if not isinstance(document, dict):
            raise PlexTvConnectionError(f"plex.tv answered {status} to a new PIN")
        pin_id, code = document.get("id"), document.get("code")
        if not isinstance(pin_id, int) or not isinstance(code, str):
            raise PlexTvConnectionError("plex.tv answered a PIN without id or code")
        return Pin(pin_id, code)

    def auth_url(self, pin: Pin, forward_url: str) -> str:
        """Return the sign-in page of the PIN; it goes on to `forward_url` after the sign-in."""
        query = urlencode(
            {
                "clientID": self.client_identifier,
                "code": pin.code,
                "context[device][product]": self._product,
                "forwardUrl": forward_url,
            }
        )
        return f"{self._app}/auth#!?{query}"

    async def pin_token(self, pin: Pin) -> str | None:
        """Return the account's token once the user signed in, else None."""
        status, document = await self._json("GET", f"/api/v2/pins/{pin.id}", code=pin.code)
        if status == 404:
            raise PlexTvPinExpiredError("plex.tv no longer knows the PIN")
        if not isinstance(document, dict):
            raise PlexTvConnectionError(f"plex.tv answered {status} for the PIN")
        token = document.get("authToken")
        return token if isinstance(token, str) and token else None

    async def wait_for_token(self, pin: Pin, *, tries: int, interval: float) -> str | None:
        """Poll the PIN until it carries a token, at most `tries` times."""
        for attempt in range(tries):
            if attempt:
                await asyncio.sleep(interval)
            if token := await self.pin_token(pin):
                return token
        return None

    async def resources(self, token: str) -> tuple[Resource, ...]:
        """Return the devices of the account, with their addresses and tokens."""
        status, document = await self._json(
            "GET",
            "/api/v2/resources",
            token=token,
            includeHttps="1",
            includeRelay="1",
            includeIPv6="1",
        )
        if document is None:
            raise PlexTvConnectionError(f"plex.tv answered {status} for the resources")
        return parse_resources(document)


def owned_servers(resources: Iterable[Resource]) -> list[Resource]:
    """Return the servers the account owns: only their owner can run Butler tasks."""
    return [resource for resource in resources if resource.is_server and resource.owned]


async def first_answering[T](
    candidates: Sequence[T], answers: Callable[[T], Awaitable[bool]]
) -> T | None:
    """Ask all candidates at once; return the first, in their order, that answers.

    A later candidate that answers sooner waits for the earlier ones to fail.
    """
    tasks = [asyncio.ensure_future(answers(candidate)) for candidate in candidates]
    try:
        for candidate, task in zip(candidates, tasks, strict=True):
            if await task:
                return candidate
        return None
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
