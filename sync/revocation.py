"""Which nodes belong to the cluster and which were shut out, as the CA key signed it.

The records replicate like any document, but no peer can forge them, because each carries
the CA's signature and every node checks it against the CA certificate:

- ``clusternode:<serial>`` holds the node's certificate (PEM). The certificate *is* the signed
  membership record, so any node may publish it (each node publishes its own at start).
- ``clusterrevoked:<serial>`` holds an X.509 CRL, signed with the CA key, listing that serial.
  Only the node holding the CA key (the founder) can make one.

A :class:`TrustLedger` is fed every change of those two types (it is a store ``DocIndex``).
A record that verifies is kept in ``DATA/cluster/trust.json`` and never forgotten: deleting
the document or writing a later revision over it changes nothing here, and at start the node
writes back any record the store lost, so a deletion cannot hide a revocation from nodes that
join later either. A record that does not verify is ignored, counted and logged. The servers
refuse a revoked client certificate on every request (:func:`revocation_middleware`) and the
replicator a revoked server, both from the verified set alone.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiohttp import web
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from store import DocumentStore

from .pki import Cluster, ClusterError, cert_pem, issued_by, write_private

log = logging.getLogger(__name__)

NODE, REVOKED = "clusternode", "clusterrevoked"
TRUST_FILE = "trust.json"
CRL_VALIDITY = dt.timedelta(days=7300)  # revocation is permanent; next_update is a formality
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass(frozen=True)
class NodeRecord:
    serial: str
    name: str
    issued_at: str
    revoked: bool


def serial_hex(cert: x509.Certificate) -> str:
    return format(cert.serial_number, "x")


def node_doc(cert: x509.Certificate) -> dict[str, Any]:
    return {"_id": f"{NODE}:{serial_hex(cert)}", "cert": cert_pem(cert)}


def revocation_doc(cluster: Cluster, serial: str) -> dict[str, Any]:
    """A CRL naming ``serial``, signed with the CA key this node holds (founders only)."""
    now = dt.datetime.now(dt.timezone.utc)
    revoked = (x509.RevokedCertificateBuilder().serial_number(int(serial, 16))
               .revocation_date(now).build())
    crl = (x509.CertificateRevocationListBuilder().issuer_name(cluster.ca_cert.subject)
           .last_update(now).next_update(now + CRL_VALIDITY).add_revoked_certificate(revoked)
           .sign(cluster.ca_key(), hashes.SHA256()))
    return {"_id": f"{REVOKED}:{serial}",
            "crl": crl.public_bytes(serialization.Encoding.PEM).decode()}


def _common_name(cert: x509.Certificate) -> str:
    names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(names[0].value) if names else ""


class TrustLedger:
    """The verified membership and revocations of one cluster; it only ever grows."""

    doc_types = (NODE, REVOKED)

    def __init__(self, ca_cert: x509.Certificate, path: Path) -> None:
        self._ca = ca_cert
        self._path = path
        self._certs: dict[str, x509.Certificate] = {}
        self._crls: dict[str, x509.CertificateRevocationList] = {}
        self._revoked: set[int] = set()
        self._issued: dict[bytes, x509.Certificate] = {}  # certificates the CA signed, by DER
        self.rejected = 0  # documents ignored because the CA did not sign them
        self._load()

    @classmethod
    def for_cluster(cls, cluster: Cluster) -> TrustLedger:
        return cls(cluster.ca_cert, cluster.directory / TRUST_FILE)

    # -- verification -----------------------------------------------------------------------

    def _verified_cert(self, doc_id: str, pem: Any) -> x509.Certificate | None:
        try:
            cert = x509.load_pem_x509_certificate(pem.encode())
        except (ValueError, AttributeError):
            return None
        if not issued_by(self._ca, cert) or doc_id != f"{NODE}:{serial_hex(cert)}":
            return None
        return cert

    def _verified_crl(self, pem: Any) -> x509.CertificateRevocationList | None:
        try:
            crl = x509.load_pem_x509_crl(pem.encode())
        except (ValueError, AttributeError):
            return None
        public_key = self._ca.public_key()
        if crl.issuer != self._ca.subject or not isinstance(public_key, ec.EllipticCurvePublicKey):
            return None
        return crl if crl.is_signature_valid(public_key) else None

    def _verify(self, doc_id: str, doc: dict[str, Any]
                ) -> x509.Certificate | x509.CertificateRevocationList | None:
        """The signed object ``doc`` carries, if the CA signed it."""
        if doc_id.split(":", 1)[0] == NODE:
            return self._verified_cert(doc_id, doc.get("cert"))
        return self._verified_crl(doc.get("crl"))

    def _accept(self, doc_id: str, doc: dict[str, Any]) -> bool:
        """Keep ``doc`` if the CA signed it; True when it verified. The first record verified
        under an id is the one kept and republished."""
        signed = self._verify(doc_id, doc)
        if isinstance(signed, x509.Certificate):
            self._certs.setdefault(doc_id, signed)
        elif signed is not None:
            self._crls.setdefault(doc_id, signed)
            self._revoked.update(entry.serial_number for entry in signed)
        return signed is not None

    # -- DocIndex ---------------------------------------------------------------------------

    def reset(self) -> None:
        """Nothing to forget: what verified once stays verified."""

    def update(self, doc_id: str, doc: dict[str, Any] | None) -> None:
        if doc is None:
            if doc_id in self._certs or doc_id in self._crls:
                log.warning("%s was deleted by a peer; the verified record is kept", doc_id)
            return
        known = doc_id in self._certs or doc_id in self._crls
        if not self._accept(doc_id, doc):
            self.rejected += 1
            log.warning("ignored %r: not signed by this cluster's CA%s", doc_id[:80],
                        "; the verified record is kept" if known else "")
            return
        if not known:
            self._save()

    # -- persistence ------------------------------------------------------------------------

    def _load(self) -> None:
        try:
            saved = json.loads(self._path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return
        except ValueError:
            saved = None
        if not isinstance(saved, dict):
            log.error("%s is damaged; rebuilding it from the replicated records", self._path)
            return
        for doc_id, body in saved.items():
            if not isinstance(body, dict) or not self._accept(doc_id, body):
                log.warning("dropped %r from %s: it does not verify", doc_id, self._path)

    def records(self) -> dict[str, dict[str, str]]:
        """Every verified record as its document body, by document id."""
        return {**{doc_id: {"cert": cert_pem(cert)} for doc_id, cert in self._certs.items()},
                **{doc_id: {"crl": crl.public_bytes(serialization.Encoding.PEM).decode()}
                   for doc_id, crl in self._crls.items()}}

    def _save(self) -> None:
        write_private(self._path, json.dumps(self.records(), indent=1).encode())

    def republish(self, store: DocumentStore) -> int:
        """Write back every verified record whose document was deleted or overwritten by
        something the CA did not sign."""
        written = 0
        for doc_id, body in self.records().items():
            current = store.get_or_none(doc_id)
            if current is None or self._verify(doc_id, current) is None:
                store.put_latest({"_id": doc_id, **body})
                written += 1
        return written

    # -- questions --------------------------------------------------------------------------

    def is_revoked(self, cert_der: bytes | None) -> bool:
        if not cert_der:
            return False
        return x509.load_der_x509_certificate(cert_der).serial_number in self._revoked

    def in_good_standing(self, cert_der: bytes) -> x509.Certificate | None:
        """The certificate, if this cluster's CA issued it and it is not revoked: whose
        signature on a hub's document counts (see :mod:`sync.hub_trust`)."""
        cert = self._issued.get(cert_der)
        if cert is None:
            try:
                cert = x509.load_der_x509_certificate(cert_der)
            except ValueError:
                return None
            if not issued_by(self._ca, cert):
                return None
            self._issued[cert_der] = cert
        return None if cert.serial_number in self._revoked else cert

    def nodes(self) -> list[NodeRecord]:
        records = [NodeRecord(serial_hex(cert), _common_name(cert),
                              cert.not_valid_before_utc.astimezone().isoformat(timespec="minutes")[:16],
                              cert.serial_number in self._revoked)
                   for cert in self._certs.values()]
        return sorted(records, key=lambda node: (node.issued_at, node.name))

    def find(self, name_or_serial: str) -> NodeRecord:
        matches = [node for node in self.nodes() if name_or_serial in (node.name, node.serial)]
        if not matches:
            raise ClusterError(key="cluster.no_such_node", name=name_or_serial,
                               reason=f"no node called {name_or_serial}")
        if len(matches) > 1:
            raise ClusterError(key="cluster.ambiguous_node", name=name_or_serial,
                               reason=f"several nodes are called {name_or_serial}; use the serial")
        return matches[0]


def open_ledger(store: DocumentStore, cluster: Cluster) -> TrustLedger:
    """The ledger of ``cluster``, fed every membership document ``store`` holds or receives."""
    ledger = TrustLedger.for_cluster(cluster)
    store.attach_index(ledger)
    return ledger


def register_node(store: DocumentStore, cert: x509.Certificate) -> None:
    """Publish ``cert`` as a membership record (again, if a peer deleted it)."""
    doc = node_doc(cert)
    current = store.get_or_none(doc["_id"])
    if current is None or current.get("cert") != doc["cert"]:
        store.put_latest(doc)


def revoke(store: DocumentStore, cluster: Cluster, node: NodeRecord) -> NodeRecord:
    """Sign and publish the revocation of ``node``; only a node holding the CA key can."""
    if not cluster.holds_ca_key:
        raise ClusterError(key="cluster.not_founder",
                           reason="only the node holding the cluster's CA key can revoke")
    store.put_latest(revocation_doc(cluster, node.serial))
    return NodeRecord(node.serial, node.name, node.issued_at, True)


def revocation_middleware(ledger: TrustLedger) -> Callable[[web.Request, Handler], Awaitable[web.StreamResponse]]:
    @web.middleware
    async def check(request: web.Request, handler: Handler) -> web.StreamResponse:
        ssl_object = request.transport.get_extra_info("ssl_object") if request.transport else None
        if ssl_object is not None and ledger.is_revoked(ssl_object.getpeercert(binary_form=True)):
            return web.json_response({"error": "forbidden", "reason": "this node was revoked"},
                                     status=403)
        return await handler(request)

    return check
