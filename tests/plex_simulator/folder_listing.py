"""`GET /services/browse/<base64 path>?includeFiles=1`: a folder's files, as python-plexapi asks.

Only the backup folder (`ButlerDatabaseBackupPath`) exists on this server's disk; every other
path answers 404, as does the backup folder while `backup_folder_status` is 404 (both inference:
what a real server answers for a missing folder is not public; 403 stands for one it may not read).
"""

import base64
import binascii
from http import HTTPStatus

from aiohttp import web

from .backups import folder_file_names, join
from .render import Node
from .settings import BACKUP_PATH
from .state import ServerState


def browse_key(path: str) -> str:
    """The `key` a listing gives an entry: its own browse path (python-plexapi follows it)."""
    return "/services/browse/" + base64.b64encode(path.encode("utf-8")).decode("ascii")


def _decoded(encoded: str) -> str | None:
    try:
        return base64.b64decode(encoded, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None


def browse_folder(server: ServerState, request: web.Request) -> Node | HTTPStatus:
    """The listing of the folder a request names, or the status the server answers instead.

    Without `includeFiles=1` only subfolders are listed (none here), as servers from 1.32.7 do.
    """
    folder = server.preferences.get(BACKUP_PATH, "")
    path = _decoded(request.match_info["encoded"])
    if path is None or not folder or path.rstrip("/\\") != folder.rstrip("/\\"):
        return HTTPStatus.NOT_FOUND
    if server.backup_folder_status is not None:
        return HTTPStatus(server.backup_folder_status)
    names = folder_file_names(server.backups) if request.query.get("includeFiles") == "1" else []
    files = [
        Node({"key": browse_key(join(folder, name)), "path": join(folder, name), "title": name})
        for name in names
    ]
    return Node({"size": len(files)}, {"File": files})
