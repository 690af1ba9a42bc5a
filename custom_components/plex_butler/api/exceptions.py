"""The client's errors; their messages never contain the token.

Like the client, these never import Home Assistant.
"""

from __future__ import annotations


class PlexButlerError(Exception):
    """Base error of the client; its messages never contain the token."""


class PlexButlerConnectionError(PlexButlerError):
    """The server could not be reached, or did not answer in time."""


class PlexButlerTimeoutError(PlexButlerConnectionError):
    """The server did not answer in time; it may still have carried out the request."""


class PlexButlerSSLError(PlexButlerConnectionError):
    """The TLS handshake failed (for example a certificate for another host name)."""


class PlexButlerPlainHttpError(PlexButlerSSLError):
    """An https:// URL leads to a port that answers plain HTTP."""


class PlexButlerAuthenticationError(PlexButlerError):
    """The token was refused (401 or 403): the server owner's token is needed."""


class PlexButlerResponseError(PlexButlerError):
    """The server answered something that is not a valid Plex answer."""


class PlexButlerUnknownTaskError(PlexButlerError):
    """The server does not know the task name."""


class PlexButlerUnknownLibraryError(PlexButlerError):
    """The server has no library (section) of that key: it answered 404."""


class PlexButlerSettingRefusedError(PlexButlerResponseError):
    """The server refused a preference (400 or 403): a name or a value it does not take."""


class PlexButlerFolderError(PlexButlerResponseError):
    """The server cannot list a folder (`/services/browse`); `reason` says why, in one word.

    Reasons: "missing" (404), "refused" (403: the owner's token is fine, the folder is not
    readable), "failed" (another status, such as 500), "unreadable" (an answer that is no listing).
    """

    def __init__(self, reason: str, detail: str) -> None:
        """Keep the reason apart from the message, for diagnostics to show."""
        super().__init__(f"The server cannot list the folder: {detail}")
        self.reason = reason
