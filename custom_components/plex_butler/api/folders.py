"""Listing a folder on the server's disk (`/services/browse`), as python-plexapi's `browse()`."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import Any, Final

from .exceptions import PlexButlerFolderError, PlexButlerResponseError
from .models import BrowsedFile
from .parsing import parse_document

FOLDER_REFUSED: Final = 403
FOLDER_MISSING: Final = 404


def browse_path(folder: str) -> str:
    """Return the API path that lists a folder: its UTF-8 path in standard base64, as is.

    Standard base64 may hold "/" and "+": python-plexapi sends them unquoted, and so does this.
    """
    return "/services/browse/" + base64.b64encode(folder.encode("utf-8")).decode("ascii")


def folder_error(status: int) -> PlexButlerFolderError:
    """Return the error for a status other than 200 (401 is a refused token, raised before)."""
    if status == FOLDER_MISSING:
        return PlexButlerFolderError("missing", "no such folder (404)")
    if status == FOLDER_REFUSED:
        return PlexButlerFolderError("refused", "not allowed to read it (403)")
    return PlexButlerFolderError("failed", f"the server answered {status}")


def parse_folder(body: bytes) -> tuple[BrowsedFile, ...]:
    """Return the `File` elements of a listing (folders, `Path`, and anything else are ignored).

    A file without a text `path` is skipped; a missing title is the path's last part.
    """
    try:
        document = parse_document(body)
    except PlexButlerResponseError as err:
        raise PlexButlerFolderError("unreadable", "the answer is neither JSON nor XML") from err
    container = document.get("MediaContainer")
    if not isinstance(container, Mapping):
        raise PlexButlerFolderError("unreadable", "the answer has no MediaContainer")
    items = container.get("File", [])
    if isinstance(items, Mapping):
        items = [items]
    if not isinstance(items, list):
        raise PlexButlerFolderError("unreadable", "its File list is malformed")
    return tuple(file for item in items if (file := _file(item)) is not None)


def _file(item: Any) -> BrowsedFile | None:
    if not isinstance(item, Mapping) or not isinstance(path := item.get("path"), str) or not path:
        return None
    title = item.get("title")
    if not isinstance(title, str) or not title:
        title = path.replace("\\", "/").rstrip("/").rpartition("/")[2]
    return BrowsedFile(path=path, title=title)
