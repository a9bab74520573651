"""Through a CouchDB hub, a document counts only when a member in good standing vouches for it.

On the LAN a revoked node is shut out by TLS: its certificate is refused on every connection.
A hub knows nothing of certificates — anyone with its password can write there, a revoked
laptop included, and what it wrote would reach every office through the hub. So each revision
a cluster node pushes to the hub carries the node's signature (its certificate and an ECDSA
signature with its TLS key over the document's id, revision, deletion and body, in the field
``mishu_signed``), and a cluster node pulling from the hub admits a revision only when

* the certificate was issued by the cluster's CA,
* the ledger does not list its serial as revoked, and
* the signature matches the revision as received.

The field is taken off again before the revision is stored, so the revision's body is the
same on every node, as its id says. Membership and revocation records (``clusternode:``,
``clusterrevoked:``) need no node signature: the CA signed them, the ledger checks that, and a
node must be able to learn the certificates and the revocations from the hub before it can
judge anything else.

What this does not do (the CLI says so when a node is revoked): the revoked laptop still
holds the hub password, so it can still read everything on the hub and fill or damage the
hub's database until the password is changed there and in the remaining nodes' password files.
"""

from __future__ import annotations

import base64
import json
import logging
from dataclasses import dataclass, field
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from .pki import Cluster
from .revocation import NODE, REVOKED, TrustLedger

log = logging.getLogger(__name__)

SIGNED_BY = "mishu_signed"  # {"cert": base64 DER certificate, "sig": base64 DER ECDSA}
CA_SIGNED = (NODE, REVOKED)


def payload(doc: dict[str, Any]) -> bytes:
    """What a signature covers: id, revision, deletion and body, in one canonical JSON form.
    A whole-number float is written as an integer, because a JavaScript hub (PouchDB) gives
    back ``1.0`` as ``1``."""
    body = {key: value for key, value in doc.items()
            if not key.startswith("_") and key != SIGNED_BY}
    signed = [doc.get("_id"), doc.get("_rev"), doc.get("_deleted") is True, _canonical(body)]
    return json.dumps(signed, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def _canonical(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {key: _canonical(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_canonical(item) for item in value]
    return value


@dataclass
class HubTrust:
    """This node's signature on what it pushes, and the check of what it pulls."""

    ledger: TrustLedger
    key: ec.EllipticCurvePrivateKey = field(repr=False)
    cert_der: bytes
    refused: int = 0  # revisions pulled from the hub and left out

    @classmethod
    def for_cluster(cls, cluster: Cluster, ledger: TrustLedger) -> HubTrust:
        return cls(ledger, cluster.node_key(),
                   cluster.node_cert.public_bytes(serialization.Encoding.DER))

    def sign(self, docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """``docs`` as the hub gets them, each with this node's signature."""
        cert = base64.b64encode(self.cert_der).decode()
        return [{**doc, SIGNED_BY: {"cert": cert, "sig": base64.b64encode(
            self.key.sign(payload(doc), ec.ECDSA(hashes.SHA256()))).decode()}}
                for doc in docs]

    def admit(self, docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The revisions a member in good standing signed, without their signature."""
        admitted = []
        for doc in docs:
            doc_id = str(doc.get("_id"))
            if doc_id.split(":", 1)[0] in CA_SIGNED or self._vouched(doc):
                admitted.append({key: value for key, value in doc.items() if key != SIGNED_BY})
            else:
                self.refused += 1
                log.warning("refused %r from the hub: not signed by a node in good standing",
                            doc_id[:80])
        return admitted

    def _vouched(self, doc: dict[str, Any]) -> bool:
        signed = doc.get(SIGNED_BY)
        if not isinstance(signed, dict):
            return False
        try:
            cert_der = base64.b64decode(str(signed.get("cert")), validate=True)
            signature = base64.b64decode(str(signed.get("sig")), validate=True)
        except ValueError:
            return False
        cert = self.ledger.in_good_standing(cert_der)
        if cert is None:
            return False
        public_key = cert.public_key()
        if not isinstance(public_key, ec.EllipticCurvePublicKey):
            return False
        try:
            public_key.verify(signature, payload(doc), ec.ECDSA(hashes.SHA256()))
        except InvalidSignature:
            return False
        return True

