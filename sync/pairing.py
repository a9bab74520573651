"""Joining a new machine to the cluster with a one-time invite (text or QR code).

The inviting node (the one holding the CA key) makes a *bundle*: a random single-use token, the
CA certificate's SHA-256 fingerprint and its own address, valid for 10 minutes. Only a hash
of the token is kept, in ``DATA/cluster/invites.json`` on the inviting node (mode 0600): not in
the store, so no peer can plant a token there by replication or through the API. The new
machine:

1. fetches the CA certificate from the inviter over TLS *without* trusting it yet, and aborts
   unless its fingerprint equals the one in the bundle (a stranger on the LAN posing as the
   inviter gets nothing, not even a certificate request);
2. with the CA now pinned, sends a certificate request and the token;
3. receives its signed certificate, the founder's verified membership and revocation
   records (checked again here against the pinned CA), so that a revoked machine is refused
   from the first connection, before anything has replicated, and the cluster key that
   USB bundles are encrypted with (:mod:`sync.cluster_key`). The token is spent before the
   certificate is issued, so a replayed or leaked bundle is refused.

The join endpoint is a small separate aiohttp app (no client certificate can be required of
a machine that has none yet), run by ``mishu cluster invite`` while it waits.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import secrets
import socket
import ssl
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web
from cryptography import x509

from store import DocumentStore

from . import cluster_key
from .pki import (Cluster, ClusterError, cert_pem, fingerprint, make_csr, sign_csr,
                  write_node_files, write_private)
from .revocation import TrustLedger, register_node

log = logging.getLogger(__name__)

BUNDLE_PREFIX = "mishu1:"
INVITES_FILE = "invites.json"
INVITE_TTL_SECONDS = 600
JOINED = web.AppKey("joined", "list[str]")


@dataclass(frozen=True)
class Bundle:
    token: str
    ca_fingerprint: str
    address: str  # host:port of the inviter's join endpoint
    expires: float

    def encode(self) -> str:
        raw = json.dumps({"t": self.token, "fp": self.ca_fingerprint, "a": self.address,
                          "e": int(self.expires)}, separators=(",", ":")).encode()
        return BUNDLE_PREFIX + base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str) -> Bundle:
        text = text.strip()
        if not text.startswith(BUNDLE_PREFIX):
            raise ClusterError(reason="this is not a mishu invite bundle")
        payload = text[len(BUNDLE_PREFIX):]
        try:
            data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
            return cls(str(data["t"]), str(data["fp"]), str(data["a"]), float(data["e"]))
        except (ValueError, KeyError, TypeError):
            raise ClusterError(reason="the invite bundle is damaged; copy it again") from None


def _token_key(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _read_invites(cluster: Cluster) -> dict[str, dict[str, Any]]:
    try:
        invites = json.loads((cluster.directory / INVITES_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except ValueError:
        log.error("%s is damaged; open invites are void", cluster.directory / INVITES_FILE)
        return {}
    if not isinstance(invites, dict):
        return {}
    return {key: record for key, record in invites.items() if isinstance(record, dict)}


def _write_invites(cluster: Cluster, invites: dict[str, dict[str, Any]], now: float) -> None:
    """Keep only what can still matter: spent and expired tokens are dropped after a day."""
    kept = {key: record for key, record in invites.items()
            if float(record.get("expires", 0)) > now - 86_400}
    write_private(cluster.directory / INVITES_FILE, json.dumps(kept).encode())


def create_invite(cluster: Cluster, address: str, ttl: float = INVITE_TTL_SECONDS,
                  now: float | None = None) -> Bundle:
    if not cluster.holds_ca_key:
        raise ClusterError(key="cluster.not_founder",
                           reason="only the node holding the cluster's CA key can invite")
    now = now if now is not None else time.time()
    token = secrets.token_urlsafe(24)
    expires = float(int(now + ttl))
    invites = _read_invites(cluster)
    invites[_token_key(token)] = {"expires": expires, "used": False}
    _write_invites(cluster, invites, now)
    return Bundle(token, cluster.ca_fingerprint, address, expires)


def spend_token(cluster: Cluster, token: str, now: float | None = None) -> None:
    """Accept a token once: unknown, expired or already used tokens are refused."""
    now = now if now is not None else time.time()
    invites = _read_invites(cluster)
    record = invites.get(_token_key(token)) if isinstance(token, str) else None
    if not isinstance(record, dict):
        raise web.HTTPForbidden(reason="unknown invite")
    if record.get("used"):
        raise web.HTTPGone(reason="this invite was already used")
    if now > float(record.get("expires", 0)):
        raise web.HTTPGone(reason="this invite has expired")
    invites[_token_key(token)] = {**record, "used": True}
    _write_invites(cluster, invites, now)


def make_join_app(store: DocumentStore, cluster: Cluster) -> web.Application:
    async def ca(request: web.Request) -> web.Response:
        return web.Response(text=cert_pem(cluster.ca_cert), content_type="application/x-pem-file")

    async def join(request: web.Request) -> web.Response:
        try:
            body = await request.json()
            token, csr, name = body["token"], body["csr"], body["name"]
            if (not all(isinstance(v, str) for v in (token, csr, name))
                    or not 0 < len(name) <= 64 or not name.isprintable()):
                raise ValueError
        except (ValueError, KeyError, TypeError):
            return web.json_response({"error": "bad_request", "reason": "token, csr and name "
                                      "are required"}, status=400)
        try:
            spend_token(cluster, token)
        except web.HTTPException as refusal:
            return web.json_response({"error": "forbidden", "reason": refusal.reason},
                                     status=refusal.status)
        try:
            cert = sign_csr(cluster.ca_key(), cluster.ca_cert, csr.encode(), name)
        except (ValueError, ClusterError):
            return web.json_response({"error": "bad_request", "reason": "invalid CSR"}, status=400)
        register_node(store, cert)
        request.app[JOINED].append(name)
        return web.json_response({"cert": cert_pem(cert), "ca": cert_pem(cluster.ca_cert),
                                  "trust": TrustLedger.for_cluster(cluster).records(),
                                  "bundle_key": cluster_key.for_joiner(cluster)})

    app = web.Application(client_max_size=64 * 1024)
    app[JOINED] = []
    app.router.add_get("/_cluster/ca", ca)
    app.router.add_post("/_cluster/join", join)
    return app


def _unverified_context() -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # we verify the CA ourselves, by fingerprint
    return context


async def join_cluster(data_dir: Path, bundle: Bundle, node_name: str) -> Cluster:
    """Join the cluster of ``bundle``; writes this node's key and certificate on success."""
    base = f"https://{bundle.address}"
    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        try:
            async with session.get(f"{base}/_cluster/ca", ssl=_unverified_context()) as response:
                ca_pem = await response.read()
        except aiohttp.ClientError as exc:
            raise ClusterError(reason=f"cannot reach the inviting node at {bundle.address} "
                                      f"({exc})") from None
        try:
            ca_cert = x509.load_pem_x509_certificate(ca_pem)
        except ValueError:
            raise ClusterError(reason="the inviting node sent no valid CA certificate") from None
        if fingerprint(ca_cert) != bundle.ca_fingerprint:
            raise ClusterError(reason="the inviting node's certificate does not match the "
                                      "invite: joining aborted (wrong machine, or an impostor)")
        pinned = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        pinned.check_hostname = False
        pinned.load_verify_locations(cadata=ca_pem.decode())
        key, csr = make_csr(node_name)
        payload: dict[str, Any] = {"token": bundle.token, "csr": csr.decode(), "name": node_name}
        async with session.post(f"{base}/_cluster/join", json=payload, ssl=pinned) as response:
            answer = await response.json(content_type=None)
            if response.status != 200:
                raise ClusterError(reason=f"the invite was refused: {answer.get('reason', '')}")
    cert = x509.load_pem_x509_certificate(answer["cert"].encode())
    joined = write_node_files(data_dir, ca_cert, key, cert)
    cluster_key.keep(joined, answer.get("bundle_key"))  # for USB bundles (sync.bundle)
    ledger = TrustLedger.for_cluster(joined)  # revocations known before the first replication
    trust = answer.get("trust")
    for doc_id, body in (trust.items() if isinstance(trust, dict) else ()):
        if isinstance(body, dict):
            ledger.update(doc_id, body)
    return joined


def default_address(port: int) -> str:
    """This machine's LAN address as others would reach it (best effort, no traffic sent)."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("192.0.2.1", 9))  # TEST-NET: connect() on UDP sends nothing
        host = probe.getsockname()[0]
    except OSError:
        host = "127.0.0.1"
    finally:
        probe.close()
    return f"{host}:{port}"
