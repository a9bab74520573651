"""Cluster trust a member cannot forge, end to end with real mutual-TLS nodes on 127.0.0.1.

A valid member turned hostile may write anything the peer API lets it write. These tests play
that member: planting an invite on the founder, pushing membership documents, deleting or
overwriting revocations, and check that none of it changes who belongs to the cluster.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web
from cryptography.hazmat.primitives.serialization import Encoding

from bench.forged_membership import forged_membership_scenario, forgeries
from store import DocumentStore
from sync.cluster_node import cluster_node
from sync.hosting import NodeSettings, SyncNode
from sync.pairing import Bundle, create_invite, join_cluster, make_join_app
from sync.peer_guard import is_checkpoint_id
from sync.pki import (
    Cluster,
    ClusterError,
    init_cluster,
    load_cluster,
    make_csr,
    sign_csr,
)
from sync.pull import PullReplicator
from sync.revocation import TrustLedger, register_node, revoke, serial_hex
from tests.tui.cli_runner import run


@dataclass
class Node:
    """One machine: its cluster files, store, verified ledger and running peer API."""

    cluster: Cluster
    store: DocumentStore
    ledger: TrustLedger
    sync: SyncNode

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.sync.port}"

    async def request(self, method: str, path: str, as_node: Cluster, **kwargs: object) -> int:
        """Status of a request made to this node with ``as_node``'s client certificate."""
        async with aiohttp.ClientSession() as session:
            async with session.request(method, self.url + path, ssl=as_node.client_context(),
                                       timeout=aiohttp.ClientTimeout(total=10),
                                       **kwargs) as response:  # type: ignore[arg-type]
                await response.read()
                return response.status


StartNode = Callable[[str, Cluster], Awaitable[Node]]


@pytest.fixture
async def start_node(make_store: Callable[[str], DocumentStore]
                     ) -> AsyncIterator[StartNode]:
    """Start a node as every mishu program does, on an ephemeral loopback port."""
    running: list[SyncNode] = []

    async def start(name: str, cluster: Cluster) -> Node:
        store = make_store(name)
        settings = NodeSettings(listen_host="127.0.0.1", listen_port=0, discovery=False)
        sync, ledger = cluster_node(store, cluster, settings)
        await sync.start()
        running.append(sync)
        return Node(cluster, store, ledger, sync)

    yield start
    for sync in running:
        await sync.stop()


@dataclass
class Founder:
    """The founder's running node and its join endpoint, as while `cluster invite` waits."""

    node: Node
    address: str

    async def admit(self, data_dir: Path, name: str) -> Cluster:
        """A new machine joins with a genuine invite."""
        return await join_cluster(data_dir, create_invite(self.node.cluster, self.address), name)


@pytest.fixture
async def founder(tmp_path: Path, start_node: StartNode) -> AsyncIterator[Founder]:
    cluster = init_cluster(tmp_path / "founder", "secretary-laptop")
    node = await start_node("founder-db", cluster)
    runner = web.AppRunner(make_join_app(node.store, cluster), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0,
                      ssl_context=cluster.server_context(require_client_cert=False)).start()
    yield Founder(node, f"127.0.0.1:{runner.addresses[0][1]}")
    await runner.cleanup()


async def pull(into: Node, source: Node) -> int:
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(
            ssl=into.cluster.client_context())) as session:
        return await PullReplicator(into.store, source.url, session,
                                    refuse_peer=into.ledger.is_revoked,
                                    ssl_context=into.cluster.client_context()).replicate()


async def test_a_member_cannot_plant_an_invite_and_rejoin_after_revocation(
    tmp_path: Path, founder: Founder
) -> None:
    node, address = founder.node, founder.address
    evil = await founder.admit(tmp_path / "evil", "laptop-e")
    assert await node.request("GET", "/mishu", evil) == 200
    token = "chosen-by-e"
    planted = {"expires": time.time() + 3600, "used": False}
    invite_id = "invite-" + hashlib.sha256(token.encode()).hexdigest()
    assert await node.request("PUT", f"/mishu/_local/{invite_id}", evil, json=planted) == 403
    assert await node.request("DELETE", f"/mishu/_local/{invite_id}", evil) == 403
    checkpoint = hashlib.md5(b"e|founder").hexdigest()  # replicators still checkpoint
    assert await node.request("PUT", f"/mishu/_local/{checkpoint}", evil,
                              json={"history": []}) == 201
    assert node.store.get_local(invite_id) is None

    revoke(node.store, node.cluster, node.ledger.find("laptop-e"))
    assert await node.request("GET", "/mishu/_all_docs", evil) == 403
    self_made = Bundle(token, node.cluster.ca_fingerprint, address, time.time() + 600)
    with pytest.raises(ClusterError, match="unknown invite"):
        await join_cluster(tmp_path / "evil-again", self_made, "laptop-e2")
    assert not (tmp_path / "evil-again" / "cluster" / "node.pem").exists()

    newcomer = await founder.admit(tmp_path / "new", "kiosk-door")
    assert await node.request("GET", "/mishu/_all_docs", newcomer) == 200
    known_at_join = TrustLedger.for_cluster(newcomer)  # before anything has replicated
    assert known_at_join.is_revoked(evil.node_cert.public_bytes(Encoding.DER))
    names = {record.name: record.revoked for record in node.ledger.nodes()}
    assert names == {"secretary-laptop": False, "laptop-e": True, "kiosk-door": False}


async def test_forged_membership_is_ignored_and_revocations_cannot_be_undone(
    tmp_path: Path, founder: Founder, start_node: StartNode
) -> None:
    member_cluster = await founder.admit(tmp_path / "member", "laptop-m")
    hostile = await founder.admit(tmp_path / "hostile", "laptop-h")
    evil = await founder.admit(tmp_path / "evil", "laptop-e")
    member = await start_node("member-db", member_cluster)
    origin = founder.node

    stranger = init_cluster(tmp_path / "stranger", "stranger")
    forged = forgeries(origin.cluster, stranger, origin.cluster.node_serial, 0)
    for doc in forged:  # pushed by a valid member, as replication would
        status = await member.request("POST", "/mishu/_bulk_docs", hostile, json={"docs": [doc]})
        assert status == 201
    assert member.ledger.rejected == len(forged)
    await pull(member, origin)
    assert {node.name: node.revoked for node in member.ledger.nodes()} == {
        "secretary-laptop": False, "laptop-m": False, "laptop-h": False, "laptop-e": False}

    revoke(origin.store, origin.cluster, origin.ledger.find("laptop-e"))
    await pull(member, origin)
    assert await member.request("GET", "/mishu", evil) == 403
    revoked_id = f"clusterrevoked:{serial_hex(evil.node_cert)}"
    current = member.store.get(revoked_id)
    assert await member.request("PUT", f"/mishu/{revoked_id}", hostile,
                                json={"_rev": current["_rev"], "crl": "none"}) == 201
    assert await member.request("GET", "/mishu", evil) == 403
    current = member.store.get(revoked_id)
    assert await member.request("DELETE", f"/mishu/{revoked_id}?rev={current['_rev']}",
                                hostile) == 200
    assert member.store.get_or_none(revoked_id) is None
    assert await member.request("GET", "/mishu", evil) == 403

    reopened = TrustLedger.for_cluster(member_cluster)  # a restart: the verified set is on disk
    assert reopened.is_revoked(evil.node_cert.public_bytes(Encoding.DER))
    assert reopened.republish(member.store) == 1  # and the deleted record is written back
    assert "crl" in member.store.get(revoked_id)


def test_status_and_revoke_survive_malformed_membership_documents(tmp_path: Path) -> None:
    data = tmp_path / "founder"
    code, _out, err = run(data, "cluster", "init")
    assert code == 0, err
    cluster = load_founder(data)
    key, csr = make_csr("kiosk-door")
    kiosk = sign_csr(cluster.ca_key(), cluster.ca_cert, csr, "kiosk-door")
    with DocumentStore.open(data) as store:
        store.put({"_id": "clusternode:x", "name": "x"})
        store.put({"_id": "clusterrevoked:y"})
        register_node(store, kiosk)
    code, out, err = run(data, "--lang", "en", "cluster", "status")
    assert code == 0, err
    assert "kiosk-door" in out and "active" in out and "  x " not in out
    assert "2 membership records not signed" in out
    code, out, err = run(data, "--lang", "en", "cluster", "revoke", "kiosk-door", "--yes")
    assert code == 0, err
    code, out, err = run(data, "--lang", "zh", "cluster", "status")
    assert code == 0 and "已吊销" in out


def load_founder(data: Path) -> Cluster:
    cluster = load_cluster(data)
    assert cluster is not None and cluster.holds_ca_key
    return cluster


async def test_the_chaos_forgery_scenario_rejects_every_forgery(tmp_path: Path) -> None:
    report = await forged_membership_scenario(tmp_path, rounds=2)
    assert report.sent == 2 * 12 + 1 and report.ok, report


@pytest.mark.parametrize("local_id, checkpoint", [
    ("1b2c3d4e5f60718293a4b5c6d7e8f901", True),  # mishu's and CouchDB's replication ids
    ("1b2c3d4e5f60718293a4b5c6d7e8f901+continuous+create_target", True),
    ("sPoZlVRr_FA7Jrbd5RuLOg==", True),  # PouchDB's
    ("invite-" + "0" * 64, False),
    ("1B2C3D4E5F60718293A4B5C6D7E8F901", False),
    ("settings", False),
    ("sPoZlVRr_FA7Jrbd5RuLOg", False),
])
def test_only_replication_checkpoint_ids_are_writable_by_peers(local_id: str,
                                                               checkpoint: bool) -> None:
    assert is_checkpoint_id(local_id) is checkpoint
