"""An optional plain-HTTP listener for tools on the same machine, loopback only.

Local scripts and CouchDB/PouchDB clients can replicate with a node without certificates,
but only from the machine itself and only with the password in ``DATA/local-admin.secret``
(user ``admin``; the file is created with mode 0600). Binding it anywhere but a loopback
address is refused: it would put member data on the LAN in plain text.
"""

from __future__ import annotations

import base64
import hmac
import ipaddress
import secrets
from collections.abc import Awaitable, Callable
from pathlib import Path

from aiohttp import web

from .pki import ClusterError, write_private

SECRET_NAME = "local-admin.secret"
USER = "admin"
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def parse_loopback(address: str) -> tuple[str, int]:
    """``"127.0.0.1:5984"`` → ``("127.0.0.1", 5984)``; anything not loopback is refused."""
    host, _, port_text = address.rpartition(":")
    host = host.strip("[]")
    try:
        port = int(port_text)
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        raise ClusterError(reason=f"{address!r} is not HOST:PORT") from None
    if not loopback:
        raise ClusterError(reason=f"the local listener must bind to a loopback address such as "
                                  f"127.0.0.1, not {host}: it speaks plain HTTP")
    if not 0 <= port <= 65535:
        raise ClusterError(reason=f"port {port} is out of range")
    return host, port


def admin_password(data_dir: Path) -> str:
    path = data_dir / SECRET_NAME
    if not path.exists():
        write_private(path, (secrets.token_urlsafe(24) + "\n").encode())
    return path.read_text().strip()


def basic_auth_middleware(password: str) -> Callable[[web.Request, Handler], Awaitable[web.StreamResponse]]:
    expected = "Basic " + base64.b64encode(f"{USER}:{password}".encode()).decode()

    @web.middleware
    async def check(request: web.Request, handler: Handler) -> web.StreamResponse:
        # a header of bytes that are not UTF-8 arrives with surrogate escapes: compare the
        # original bytes, so any header at all is a plain yes or no (never an encoding error)
        given = request.headers.get("Authorization", "").encode("utf-8", "surrogateescape")
        if not hmac.compare_digest(given, expected.encode()):
            return web.json_response({"error": "unauthorized", "reason": "name or password is "
                                      "incorrect"}, status=401,
                                     headers={"WWW-Authenticate": 'Basic realm="mishu"'})
        return await handler(request)

    return check
