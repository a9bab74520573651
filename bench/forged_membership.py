"""A valid member turned hostile forges membership, for ``make chaos`` and the trust tests.

Two real nodes of one cluster on 127.0.0.1 (mutual TLS): the founder, which revokes a
laptop, and a member. A third member, hostile but not yet revoked, pushes forged
``clusternode:``/``clusterrevoked:`` documents to the member over the peer API (unsigned, signed
by another CA, a CA lookalike, damaged PEM, a real certificate under another id), plants an
invite in the founder's ``_local`` space, and overwrites and deletes the genuine revocation.
Everything must be rejected: the member's ledger counts what it ignored, the founder answers
403, and the revoked laptop stays refused.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from store import DocumentStore
from sync.cluster_node import cluster_node
from sync.hosting import NodeSettings, SyncNode
from sync.pki import Cluster, init_cluster, make_ca, make_csr, sign_csr, write_node_files
from sync.pull import PullReplicator
from sync.revocation import REVOKED, TrustLedger, node_doc, register_node, revoke, serial_hex


def _lookalike_crl(founder: Cluster, serial: int) -> str:
    """A well-formed CRL naming our CA as issuer, signed by some other key."""
    now = dt.datetime.now(dt.timezone.utc)
    entry = x509.RevokedCertificateBuilder().serial_number(serial).revocation_date(now).build()
    crl = (x509.CertificateRevocationListBuilder().issuer_name(founder.ca_cert.subject)
           .last_update(now).next_update(now + dt.timedelta(days=1))
           .add_revoked_certificate(entry).sign(ec.generate_private_key(ec.SECP256R1()),
                                                 hashes.SHA256()))
    return crl.public_bytes(serialization.Encoding.PEM).decode()


def _lookalike_cert(founder: Cluster, name: str) -> x509.Certificate:
    """A node certificate naming our CA as issuer, signed by some other key."""
    _key, csr = make_csr(name)
    other_key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.timezone.utc)
    forged_ca = (x509.CertificateBuilder().subject_name(founder.ca_cert.subject)
                 .issuer_name(founder.ca_cert.subject).public_key(other_key.public_key())
                 .serial_number(x509.random_serial_number()).not_valid_before(now)
                 .not_valid_after(now + dt.timedelta(days=1)).sign(other_key, hashes.SHA256()))
    return sign_csr(other_key, forged_ca, csr, name)


def forgeries(founder: Cluster, stranger: Cluster, victim_serial: int, index: int
              ) -> list[dict[str, Any]]:
    """One round of forged membership documents; ``index`` keeps their ids apart."""
    _self_key, self_signed = make_ca(f"self-made-{index}")
    _key, csr = make_csr(f"impostor-{index}")
    real = sign_csr(founder.ca_key(), founder.ca_cert, csr, f"impostor-{index}")
    return [
        {"_id": f"clusternode:x{index}", "name": "x"},
        {"_id": f"clusternode:ff{index}", "name": "ghost", "serial": f"ff{index}",
         "issued_at": "2026-01-01T00:00"},
        node_doc(self_signed),
        node_doc(stranger.node_cert) | {"_id": f"clusternode:s{index}"},
        node_doc(_lookalike_cert(founder, f"lookalike-{index}")),
        {**node_doc(real), "_id": f"clusternode:{index:x}"},  # a real certificate, wrong id
        {"_id": f"clusternode:pem{index}", "cert": "-----BEGIN CERTIFICATE-----\nnot base64\n"},
        {"_id": f"clusternode:num{index}", "cert": index},
        {"_id": f"{REVOKED}:{index:x}", "name": "secretary-laptop"},
        {"_id": f"{REVOKED}:g{index}", "crl": "garbage"},
        {"_id": f"{REVOKED}:l{index}", "crl": _lookalike_crl(founder, victim_serial)},
    ]


@dataclass(frozen=True)
class ForgeryReport:
    sent: int  # forged documents and writes attempted
    rejected: int  # of those, ignored by the ledger or refused by the API
    revocation_held: bool  # the revoked laptop was refused throughout
    victim_trusted: bool  # the founder's own node was never marked revoked

    @property
    def ok(self) -> bool:
        return self.sent == self.rejected and self.revocation_held and self.victim_trusted


async def _status(session: aiohttp.ClientSession, method: str, url: str, **kwargs: Any) -> int:
    async with session.request(method, url, timeout=aiohttp.ClientTimeout(total=10),
                               **kwargs) as response:
        await response.read()
        return response.status


def _session(cluster: Cluster) -> aiohttp.ClientSession:
    return aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=cluster.client_context()))


def _member(founder: Cluster, directory: Path, name: str) -> Cluster:
    key, csr = make_csr(name)
    return write_node_files(directory, founder.ca_cert, key,
                            sign_csr(founder.ca_key(), founder.ca_cert, csr, name))


async def forged_membership_scenario(work: Path, rounds: int) -> ForgeryReport:
    founder = init_cluster(work / "founder", "secretary-laptop")
    member = _member(founder, work / "member", "laptop-m")
    hostile = _member(founder, work / "hostile", "laptop-h")
    revoked = _member(founder, work / "revoked", "laptop-e")
    stranger = init_cluster(work / "stranger", "stranger")
    settings = NodeSettings(listen_host="127.0.0.1", listen_port=0, discovery=False)
    stores = [DocumentStore.open(work / name) for name in ("founder-db", "member-db")]
    nodes: list[tuple[SyncNode, TrustLedger]] = [
        cluster_node(store, cluster, settings) for store, cluster in zip(stores, (founder, member))]
    try:
        for node, _ledger in nodes:
            await node.start()
        (founder_node, founder_ledger), (member_node, member_ledger) = nodes
        register_node(stores[0], revoked.node_cert)
        revoke(stores[0], founder, founder_ledger.find("laptop-e"))
        founder_url = f"https://127.0.0.1:{founder_node.port}"
        member_url = f"https://127.0.0.1:{member_node.port}"
        async with _session(member) as session:
            await PullReplicator(stores[1], founder_url, session,
                                 refuse_peer=member_ledger.is_revoked,
                                 ssl_context=member.client_context()).replicate()
        sent = refused = 0
        async with _session(hostile) as session, _session(revoked) as outcast:
            for index in range(rounds):
                docs = forgeries(founder, stranger, founder.node_serial, index)
                async with session.post(f"{member_url}/mishu/_bulk_docs",
                                        json={"docs": docs}) as response:
                    sent += sum("ok" in result for result in await response.json())
                invite = "invite-" + hashlib.sha256(f"token-{index}".encode()).hexdigest()
                sent += 1
                refused += await _status(session, "PUT", f"{founder_url}/mishu/_local/{invite}",
                                         json={"expires": 4e9, "used": False}) == 403
            revocation_id = f"{REVOKED}:{serial_hex(revoked.node_cert)}"
            current = stores[1].get(revocation_id)
            await _status(session, "PUT", f"{member_url}/mishu/{revocation_id}",
                          json={"_rev": current["_rev"], "crl": "withdrawn"})
            current = stores[1].get(revocation_id)
            await _status(session, "DELETE",
                          f"{member_url}/mishu/{revocation_id}?rev={current['_rev']}")
            sent += 1  # the overwrite; the deletion is not a document the ledger sees
            held = await _status(outcast, "GET", f"{member_url}/mishu") == 403
        victim = founder.node_cert.public_bytes(serialization.Encoding.DER)
        return ForgeryReport(sent, member_ledger.rejected + refused, held,
                             not member_ledger.is_revoked(victim))
    finally:
        for node, _ledger in nodes:
            await node.stop()
        for store in stores:
            store.close()


def forged_membership(work: Path, rounds: int) -> ForgeryReport:
    return asyncio.run(forged_membership_scenario(work, rounds))
