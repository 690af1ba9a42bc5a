"""The simulated server's library endpoints (what is known and what is guessed: libraries.py)."""

from http import HTTPStatus

from aiohttp import web

from .libraries import Libraries
from .render import Node
from .responses import document, html_error


def library_routes(libraries: Libraries) -> list[web.RouteDef]:
    """Return the routes of the endpoints of a server's `libraries`."""

    async def sections(request: web.Request) -> web.Response:
        directories = [
            Node({"key": s.key, "title": s.title, "type": s.type, "refreshing": False})
            for s in libraries.sections.values()
        ]
        return document(
            request,
            "MediaContainer",
            Node(
                {"size": len(directories), "allowSync": False, "title1": "Plex Library"},
                {"Directory": directories},
            ),
        )

    async def refresh(request: web.Request) -> web.Response:
        key = request.match_info["key"]
        if key != "all" and key not in libraries.sections:
            return html_error(HTTPStatus.NOT_FOUND)
        await libraries.refresh(None if key == "all" else key)
        return web.Response()

    async def empty_trash(request: web.Request) -> web.Response:
        # Whether the server shows an activity while it empties the trash is not public: none.
        if request.match_info["key"] not in libraries.sections:
            return html_error(HTTPStatus.NOT_FOUND)
        return web.Response()

    async def clean_bundles(_request: web.Request) -> web.Response:
        await libraries.clean_bundles()
        return web.Response()

    async def optimize(_request: web.Request) -> web.Response:
        await libraries.optimize_database()
        return web.Response()

    return [
        web.get("/library/sections", sections),
        web.get("/library/sections/{key}/refresh", refresh),
        web.put("/library/sections/{key}/emptyTrash", empty_trash),
        web.put("/library/clean/bundles", clean_bundles),
        web.put("/library/optimize", optimize),
    ]
