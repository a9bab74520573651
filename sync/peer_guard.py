"""What a peer may write in this node's ``_local`` space: replication checkpoints, nothing else.

``_local`` documents never replicate, which once made them look like the place for a node's
private state (invite tokens lived there, and any member could plant one on the founder and
rejoin with it after its revocation). Peers need ``_local`` only for the checkpoints their
replicators keep on both sides, so over the LAN API a write is accepted only for the id shapes
replicators give them: an MD5 in hex (mishu's pull replicator and CouchDB's, which may append
``+continuous``-style suffixes) or PouchDB's MD5 in URL-safe base64. Everything else is a 403.

The loopback listener does not use this guard: it is the local user, who owns the data
directory and can read or change anything in it anyway.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable

from aiohttp import web

log = logging.getLogger(__name__)

CHECKPOINT_ID = re.compile(r"[0-9a-f]{32}(?:\+[a-z_]+)*|[A-Za-z0-9._]{22}==")
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def is_checkpoint_id(local_id: str) -> bool:
    return CHECKPOINT_ID.fullmatch(local_id) is not None


@web.middleware
async def checkpoint_writes_only(request: web.Request, handler: Handler) -> web.StreamResponse:
    local_id = request.match_info.get("local_id")
    if local_id is not None and request.method not in ("GET", "HEAD") and not is_checkpoint_id(local_id):
        log.warning("refused a peer's %s of _local/%r: not a replication checkpoint",
                    request.method, local_id[:80])
        return web.json_response({"error": "forbidden", "reason": "peers may write only "
                                  "replication checkpoints in _local"}, status=403)
    return await handler(request)
