"""How the simulated server answers: a document in JSON or XML, or an error page in HTML."""

from http import HTTPStatus

from aiohttp import web

from .render import Node, render_xml

XML_CONTENT_TYPE = "text/xml"
JSON_CONTENT_TYPE = "application/json"


def content_type(request: web.Request) -> str:
    """Return JSON where the request asks for it, else XML (the server's default)."""
    if JSON_CONTENT_TYPE in request.headers.get("Accept", ""):
        return JSON_CONTENT_TYPE
    return XML_CONTENT_TYPE


def document(request: web.Request, root: str, node: Node) -> web.Response:
    """Answer `node` under `root`, in JSON or XML as the request asks."""
    if content_type(request) == JSON_CONTENT_TYPE:
        return web.json_response({root: node.to_json()})
    return web.Response(text=render_xml(root, node), content_type=XML_CONTENT_TYPE)


def html_error(status: HTTPStatus) -> web.Response:
    """Answer an error as the server does: an HTML page, even where JSON was asked for."""
    title = f"{status.value} {status.phrase}"
    return web.Response(
        status=status,
        text=f"<html><head><title>{status.phrase}</title></head><body><h1>{title}</h1></body></html>",
        content_type="text/html",
    )
