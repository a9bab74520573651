"""Requests aiohttp cannot even parse (a line too long, a bad Content-Length), answered as JSON.

aiohttp answers those 400s itself, before any middleware runs, in plain text, and logs each at
ERROR with a traceback: a port scanner or a broken client then fills the node's log with
tracebacks that say nothing about the node, and a CouchDB client gets a body it cannot read.
The server-side ``RequestHandler`` (aiohttp's public protocol class) builds that answer in
``handle_error``; this subclass answers CouchDB's ``{"error", "reason"}`` shape instead and
logs one INFO line naming the client. Every other error keeps aiohttp's handling.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError

log = logging.getLogger(__name__)


class CouchRequestHandler(web.RequestHandler):  # type: ignore[type-arg]
    def handle_error(self, request: web.BaseRequest, status: int = 500,
                     exc: BaseException | None = None, message: str | None = None
                     ) -> web.StreamResponse:
        if status != 400 or not isinstance(exc, HttpProcessingError):
            return super().handle_error(request, status, exc, message)
        reason = (exc.message or type(exc).__name__).splitlines()[0][:120]
        log.info("refused a malformed request from %s: %s", request.remote, reason)
        response = web.json_response({"error": "bad_request", "reason": reason}, status=400)
        response.force_close()
        return response


def handler_factory(server: web.Server) -> Callable[[], asyncio.Protocol]:
    """What ``server()`` does (one handler per connection), with the JSON answer above."""
    loop = asyncio.get_running_loop()
    return lambda: CouchRequestHandler(server, loop=loop, access_log=None)
