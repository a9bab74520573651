"""The paths and headers a stock CouchDB client touches besides replication, answered as
CouchDB 3 answers them.

An unmodified PouchDB created the ordinary way (no ``skip_setup``) first asks ``GET /db/`` and,
on a 404, ``PUT /db/`` (with the trailing slash); CouchDB's own replicator asks ``HEAD /db/``
and ``GET /``; status pages ask ``GET /_up``; admin tools ask ``_session`` and look for design
documents. A node that answered only the replication endpoints failed such clients at once, so
these are answered here in CouchDB's shapes: the database exists already (412 ``file_exists``),
there are no design documents (404 JSON), and ``_session`` reports the Basic-auth user.

mishu trusts machines by mutual TLS, not by passwords, so ``_session`` reports the name a client
sent without checking it: it is what the client believes, never a grant of access.
"""

from __future__ import annotations

import base64
import binascii
import uuid
from collections.abc import Iterable

from aiohttp import hdrs, web

SERVER_HEADER = "CouchDB/3.3.3 (Erlang OTP/25)"


def _basic_user(request: web.Request) -> str | None:
    header = request.headers.get(hdrs.AUTHORIZATION, "")
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        name, _, _ = base64.b64decode(encoded, validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return name or None


async def session(request: web.Request) -> web.Response:
    name = _basic_user(request)
    return web.json_response({
        "ok": True, "userCtx": {"name": name, "roles": []},
        "info": {"authentication_handlers": ["default"],
                 **({"authenticated": "default"} if name else {})},
    })


async def end_session(request: web.Request) -> web.Response:
    return web.json_response({"ok": True})


async def up(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok", "seeds": {}})


async def no_design_docs(request: web.Request) -> web.Response:
    return web.json_response({"error": "not_found", "reason": "missing"}, status=404)


async def refuse_design_docs(request: web.Request) -> web.Response:
    return web.json_response({"error": "forbidden",
                              "reason": "design documents are not kept by this node"}, status=403)


def compat_routes(db: str) -> Iterable[web.AbstractRouteDef]:
    """Routes for ``db`` (``/mishu``); the database itself answers its trailing-slash path via
    the handlers given by the caller, so these are only the paths with no replication role."""
    return [
        web.get("/_up", up),
        web.get("/_session", session), web.delete("/_session", end_session),
        web.get(f"{db}/_design/{{name:.+}}", no_design_docs),
        web.put(f"{db}/_design/{{name:.+}}", refuse_design_docs),
        web.delete(f"{db}/_design/{{name:.+}}", no_design_docs),
    ]


async def couch_headers(request: web.Request, response: web.StreamResponse) -> None:
    """The headers CouchDB sends on every answer, which clients and proxies read."""
    response.headers[hdrs.SERVER] = SERVER_HEADER
    response.headers.setdefault(hdrs.CACHE_CONTROL, "must-revalidate")
    response.headers.setdefault("X-Couch-Request-ID", uuid.uuid4().hex[:10])
    response.headers.setdefault("X-CouchDB-Body-Time", "0")
