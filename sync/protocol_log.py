"""A quiet log for requests aiohttp cannot even parse (a line too long, a bad Content-Length).

aiohttp answers those 400s itself, before any middleware runs, and logs each one at ERROR with
a traceback; a port scanner or a broken client then fills the node's log with tracebacks that
say nothing about the node. The server's ``logger`` (an ``AppRunner`` keyword, handed to every
``RequestHandler``) is the hook aiohttp offers: this logger turns those records into one INFO
line naming the client and the reason. Anything else aiohttp logs there stays as it was.
"""

from __future__ import annotations

import logging

from aiohttp.http_exceptions import HttpProcessingError

PROTOCOL_LOG = logging.getLogger("sync.protocol")


class _MalformedRequestsAtInfo(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, HttpProcessingError) and error.code == 400:
            reason = (error.message or type(error).__name__).splitlines()[0][:120]
            record.msg = "refused a malformed request from %s: %s"
            record.args = (*(record.args or ("?",))[:1], reason)  # type: ignore[misc]
            record.levelno, record.levelname = logging.INFO, "INFO"
            record.exc_info, record.exc_text = None, None
        return True


PROTOCOL_LOG.addFilter(_MalformedRequestsAtInfo())
