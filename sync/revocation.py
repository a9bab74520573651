"""Which nodes belong to the cluster, and which have been shut out.

Both are ordinary replicated documents, so a revocation made on any node reaches every node:
``clusternode:<serial>`` records each certificate issued (name, serial, when) and
``clusterrevoked:<serial>`` marks one as revoked. One document per fact means two nodes
revoking at once never conflict. Servers check the client certificate of every request
against the revocation documents (:func:`revocation_middleware`), so a revoked laptop is
refused on its next request, however long its TLS session has been open.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from aiohttp import web
from cryptography import x509

from store import DocumentStore

from .pki import ClusterError

NODE, REVOKED = "clusternode", "clusterrevoked"
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass(frozen=True)
class NodeRecord:
    serial: str
    name: str
    issued_at: str
    revoked: bool


def register_node(store: DocumentStore, cert: x509.Certificate, name: str) -> None:
    serial = format(cert.serial_number, "x")
    if not store.exists(f"{NODE}:{serial}"):
        store.put({"_id": f"{NODE}:{serial}", "name": name, "serial": serial,
                   "issued_at": dt.datetime.now().isoformat(timespec="minutes")})


def known_nodes(store: DocumentStore) -> list[NodeRecord]:
    revoked = {doc_id.split(":", 1)[1] for doc_id in store.ids_of_type(REVOKED)}
    nodes = [NodeRecord(doc["serial"], doc.get("name", ""), doc.get("issued_at", ""),
                        doc["serial"] in revoked) for doc in store.iter_docs(NODE)]
    return sorted(nodes, key=lambda node: (node.issued_at, node.name))


def revoke(store: DocumentStore, name_or_serial: str) -> NodeRecord:
    matches = [node for node in known_nodes(store)
               if name_or_serial in (node.name, node.serial)]
    if not matches:
        raise ClusterError(reason=f"no node called {name_or_serial}")
    if len(matches) > 1:
        raise ClusterError(reason=f"several nodes are called {name_or_serial}; use the serial")
    node = matches[0]
    if not store.exists(f"{REVOKED}:{node.serial}"):
        store.put({"_id": f"{REVOKED}:{node.serial}", "name": node.name,
                   "revoked_at": dt.datetime.now().isoformat(timespec="minutes")})
    return NodeRecord(node.serial, node.name, node.issued_at, True)


def is_revoked(store: DocumentStore, cert_der: bytes | None) -> bool:
    if not cert_der:
        return False
    serial = format(x509.load_der_x509_certificate(cert_der).serial_number, "x")
    return store.exists(f"{REVOKED}:{serial}")


def revocation_middleware(store: DocumentStore) -> Callable[[web.Request, Handler], Awaitable[web.StreamResponse]]:
    @web.middleware
    async def check(request: web.Request, handler: Handler) -> web.StreamResponse:
        ssl_object = request.transport.get_extra_info("ssl_object") if request.transport else None
        if ssl_object is not None and is_revoked(store, ssl_object.getpeercert(binary_form=True)):
            return web.json_response({"error": "forbidden", "reason": "this node was revoked"},
                                     status=403)
        return await handler(request)

    return check
