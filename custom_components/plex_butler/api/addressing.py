"""Where the client sends requests: the server's base URL, task paths, and TLS failures."""

from __future__ import annotations

from typing import Final

from yarl import URL

from .exceptions import PlexButlerPlainHttpError, PlexButlerSSLError, PlexButlerUnknownTaskError

# What OpenSSL reports when a TLS hello gets a plain-HTTP answer (the newer name is from 3.2 on).
PLAIN_HTTP_REASONS: Final = frozenset({"WRONG_VERSION_NUMBER", "RECORD_LAYER_FAILURE"})


def is_addressable(name: str) -> bool:
    """Tell whether a task name is one path segment, which `/butler/{name}` can address.

    Without this check "../butler" would address `/butler` itself (start or stop every task).
    """
    return name not in ("", ".", "..") and "/" not in name


def base_url(url: str) -> URL:
    """Return the server's base URL from what was typed or pasted.

    A query or fragment is no part of it, and one copied from Plex Web may carry the token
    (?X-Plex-Token=...): keep neither, so the token never shows in the URL. A pasted Plex Web
    address (`.../web/index.html`) loses its `/web` and all after it, but not a reverse proxy's
    own path before it (`https://example.org/plex/web` is the server `https://example.org/plex`).
    """
    base = URL(url.strip().partition("#")[0].partition("?")[0])
    segments = base.path.split("/")
    if "web" in segments:
        last_web = len(segments) - 1 - segments[::-1].index("web")
        base = base.with_path("/".join(segments[:last_web]))
    return base.with_path(base.path.rstrip("/"))


def tls_error(host: str | None, err: Exception) -> PlexButlerSSLError:
    """Tell a port that answers plain HTTP apart from a TLS failure such as a wrong certificate."""
    cause = getattr(err, "os_error", err)
    if getattr(cause, "reason", None) in PLAIN_HTTP_REASONS:
        return PlexButlerPlainHttpError(f"{host} answers plain HTTP, not HTTPS")
    return PlexButlerSSLError(f"TLS handshake with {host} failed")


def task_path(name: str) -> str:
    """Return the path of one task; a name that is not one path segment is no task's."""
    if not is_addressable(name):
        raise PlexButlerUnknownTaskError(f"The server does not know the task {name:.60}")
    return f"/butler/{name}"
