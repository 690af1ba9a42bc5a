"""Reading an answer's body within a size limit, compressed or not.

aiohttp would decompress a gzip answer before any limit applies, so a small compressed body could
grow to tens of megabytes in memory first. The client asks for gzip or nothing, reads the body as
sent, and decompresses it here, never producing more than the limit.
"""

from __future__ import annotations

from typing import Final
import zlib

import aiohttp

from .exceptions import PlexButlerResponseError

ACCEPT_ENCODING: Final = "gzip"
_CHUNK: Final = 64 * 1024


def _too_large() -> PlexButlerResponseError:
    return PlexButlerResponseError("The server's answer is too large")


async def read_body(response: aiohttp.ClientResponse, limit: int) -> bytes:
    """Read a body sent as-is or gzip-compressed, refusing one over `limit` bytes either way.

    The response must have been requested with `auto_decompress=False`.
    """
    encoding = response.headers.get("Content-Encoding", "identity").strip().lower()
    if encoding not in ("identity", "gzip"):
        raise PlexButlerResponseError(f"The server's answer is encoded as {encoding:.20}")
    if (response.content_length or 0) > limit:
        raise _too_large()
    decoder = zlib.decompressobj(16 + zlib.MAX_WBITS) if encoding == "gzip" else None
    chunks: list[bytes] = []
    sent = size = 0
    try:
        async for chunk in response.content.iter_chunked(_CHUNK):
            sent += len(chunk)
            if decoder is not None:
                # At most one byte more than the limit: enough to know it is too large.
                chunk = decoder.decompress(chunk, limit + 1 - size)  # noqa: PLW2901
            size += len(chunk)
            if sent > limit or size > limit:
                raise _too_large()
            chunks.append(chunk)
        if decoder is not None:
            if not decoder.eof:
                raise PlexButlerResponseError("The server's compressed answer is cut short")
            chunks.append(decoder.flush())
    except zlib.error as err:
        raise PlexButlerResponseError("The server's compressed answer is garbled") from err
    return b"".join(chunks)
