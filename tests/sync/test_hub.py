"""Two nodes that never see each other converge through a CouchDB hub (a stand-in speaking
CouchDB's HTTP API with Basic auth, from npm), conflicts kept and scans delivered; the hub is
trusted no more than a peer; a wrong password is a clear status, not a crash."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import aiohttp
from cryptography.hazmat.primitives.serialization import Encoding

from bench.forged_membership import forgeries
from bench.stand_in_hub import HUB_PASSWORD, HUB_USER, StandInHub
from store import DocumentStore
from store.archive import load_record
from store.archive_blobs import BlobStore
from sync.blob_fetch import BlobFetcher
from sync.cluster_node import cluster_node
from sync.hosting import NodeSettings, SyncNode
from sync.hub import HubLink, HubSettings
from sync.pki import Cluster, init_cluster, make_csr, sign_csr, write_node_files
from sync.revocation import register_node, revoke
from sync.selector import Selector
from tests.sync.test_archive_blobs_sync import SCAN, record_with_scan
from tests.sync.test_pouchdb_interop import mishu_state
from tests.sync.test_replication import wait_until

AUTH = {"Authorization": aiohttp.encode_basic_auth(HUB_USER, HUB_PASSWORD, "utf-8")}


@asynccontextmanager
async def linked(store: DocumentStore, hub: StandInHub | HubSettings,
                 password: str = HUB_PASSWORD, selector: Callable[[], Selector] | None = None
                 ) -> AsyncIterator[HubLink]:
    """``store`` pulling from and pushing to ``hub`` (a kiosk's selector filtering its pull)
    until the block ends."""
    settings = hub if isinstance(hub, HubSettings) else HubSettings(hub.url, HUB_USER, password)
    link = HubLink(store, settings, BlobFetcher(store), longpoll_seconds=1.0, selector=selector)
    stop = asyncio.Event()
    task = asyncio.create_task(link.run(stop))
    try:
        yield link
    finally:
        stop.set()
        task.cancel()  # as SyncNode.stop does: a longpoll on the hub ends now
        await asyncio.gather(task, return_exceptions=True)


def edit(store: DocumentStore, doc_id: str, **fields: object) -> None:
    current = store.get_or_none(doc_id)
    store.put({"_id": doc_id, **({"_rev": current["_rev"]} if current else {}), **fields})


async def test_two_nodes_converge_through_the_hub_with_conflicts_kept_and_scans_delivered(
        hub: StandInHub, tmp_path: Path, make_store: Callable[[str], DocumentStore]) -> None:
    a, b = make_store("a"), make_store("b")
    for i in range(120):
        edit(a, f"note:a{i}", text=f"甲 {i}")
        edit(b, f"note:b{i}", text=f"乙 {i}")
    for i in range(10):  # the same documents written on both sides before they meet
        edit(a, f"note:both{i}", text="甲写的")
        edit(b, f"note:both{i}", text="乙写的")
    record, attachment = record_with_scan(a, tmp_path)
    async with linked(a, hub) as link_a, linked(b, hub) as link_b:
        await wait_until(lambda: mishu_state(a) == mishu_state(b) and len(mishu_state(a)) == 251,
                         60)
        edit(b, "note:a0", text="乙改了甲的")  # and keep replicating while both run
        await wait_until(lambda: a.get("note:a0")["text"] == "乙改了甲的", 60)
        assert link_a.status.state in ("idle", "syncing") and link_b.status.kind == "hub"
    conflicted = [doc_id for doc_id, entry in mishu_state(b).items() if len(entry["leaves"]) == 2]
    assert sorted(conflicted) == sorted(f"note:both{i}" for i in range(10))
    assert a.conflicts("note:both3") == b.conflicts("note:both3")
    assert load_record(b, record.archive_id) is not None
    assert BlobStore.for_store(b).read(attachment) == SCAN
    assert not any(doc_id.startswith("blob:") for doc_id in mishu_state(b))


async def test_a_wrong_password_is_a_clear_status_and_nothing_crashes(
        hub: StandInHub, make_store: Callable[[str], DocumentStore]) -> None:
    a = make_store("a")
    edit(a, "note:1", text="x")
    async with linked(a, hub, password="wrong") as link:
        await wait_until(lambda: link.status.state == "failing", 30)
        assert link.status.problem == "unauthorized"
        assert "401" in link.status.last_error
    async with aiohttp.ClientSession(headers=AUTH) as session, session.get(hub.url) as response:
        assert (await response.json(content_type=None))["doc_count"] == 0


async def plant(hub: StandInHub, docs: list[dict[str, object]], new_edits: bool = True) -> None:
    """Write straight into the hub, as anyone holding its password could."""
    async with aiohttp.ClientSession(headers=AUTH) as session, session.post(
            f"{hub.url}/_bulk_docs", json={"docs": docs, "new_edits": new_edits}) as response:
        assert response.status == 201, await response.text()


async def test_the_hub_is_trusted_no_more_than_a_peer(
        hub: StandInHub, tmp_path: Path, make_store: Callable[[str], DocumentStore]) -> None:
    founder = init_cluster(tmp_path / "founder", "secretary-laptop")
    member = joined(founder, tmp_path / "member", "laptop-m")
    revoked = joined(founder, tmp_path / "revoked", "laptop-e")
    stranger = init_cluster(tmp_path / "stranger", "stranger")
    forged = forgeries(founder, stranger, member.node_serial, 0)
    await plant(hub, [*forged, {"_id": "note:ok", "text": "来自枢纽"}])
    await plant(hub, [{"_id": "note:absurd", "_rev": "1000000001-abc", "text": "x"}],
                new_edits=False)
    async with aiohttp.ClientSession(headers=AUTH) as session, session.get(
            f"{hub.url}/note:absurd") as response:
        assert response.status == 200  # the hub took it; the nodes must not
    settings = NodeSettings(listen_host="127.0.0.1", listen_port=0, discovery=False,
                            longpoll_seconds=1.0,
                            hubs=(HubSettings(hub.url, HUB_USER, HUB_PASSWORD),))
    stores = make_store("founder-db"), make_store("member-db")
    (founder_node, founder_ledger), (member_node, member_ledger) = (
        cluster_node(stores[0], founder, settings), cluster_node(stores[1], member, settings))
    await founder_node.start()
    await member_node.start()
    try:
        register_node(stores[0], revoked.node_cert)
        revoke(stores[0], founder, founder_ledger.find("laptop-e"))
        await wait_until(lambda: member_ledger.is_revoked(der(revoked)), 60)
        assert stores[1].get_or_none("note:ok") is None  # only the hub password: no member
        await wait_until(lambda: member_ledger.rejected >= len(forged), 30)
        assert not member_ledger.is_revoked(der(member)) and not founder_ledger.is_revoked(
            der(member))
        assert {node.name for node in member_ledger.nodes()} == {
            "secretary-laptop", "laptop-m", "laptop-e"}
        assert stores[1].get_or_none("note:absurd") is None
        assert [status.kind for status in member_node.peer_statuses] == ["hub"]
    finally:
        await founder_node.stop()
        await member_node.stop()


async def test_a_node_lists_its_hub_as_a_peer_with_the_reason_it_fails(
        hub: StandInHub, make_store: Callable[[str], DocumentStore]) -> None:
    settings = NodeSettings(listen_host="127.0.0.1", listen_port=0, discovery=False,
                            hubs=(HubSettings(hub.url, HUB_USER, "not the password"),))
    node = SyncNode(make_store("a"), settings)
    await node.start()
    try:
        await wait_until(lambda: node.peer_statuses[0].state == "failing", 30)
        [status] = node.peer_statuses
        assert (status.kind, status.url, status.problem) == ("hub", hub.url, "unauthorized")
    finally:
        await node.stop()


def der(cluster: Cluster) -> bytes:
    return cluster.node_cert.public_bytes(Encoding.DER)


def joined(founder: Cluster, directory: Path, name: str) -> Cluster:
    key, csr = make_csr(name)
    return write_node_files(directory, founder.ca_cert, key,
                            sign_csr(founder.ca_key(), founder.ca_cert, csr, name))


async def test_a_scan_the_pushing_node_lacked_reaches_the_hub_once_it_arrives(
        hub: StandInHub, tmp_path: Path, make_store: Callable[[str], DocumentStore]) -> None:
    a, b = make_store("a"), make_store("b")
    record, attachment = record_with_scan(a, tmp_path)
    on_a = BlobStore.for_store(a).path(attachment.sha256)
    on_a.rename(tmp_path / "still-downloading")  # A has the record, its scan is on the way
    settings = NodeSettings(listen_host="127.0.0.1", listen_port=0, discovery=False,
                            longpoll_seconds=0.5, blob_sweep_seconds=0.5,
                            hubs=(HubSettings(hub.url, HUB_USER, HUB_PASSWORD),))
    nodes = [SyncNode(store, settings) for store in (a, b)]
    for node in nodes:
        await node.start()
    try:
        await wait_until(lambda: load_record(b, record.archive_id) is not None, 30)
        # B counts the scan missing once its first ask of the hub finds none, and asks again
        await wait_until(lambda: nodes[1].scans_missing == 1, 30)
        (tmp_path / "still-downloading").rename(on_a)  # A's download completes
        await wait_until(lambda: nodes[1].scans_missing == 0, 60)
        assert BlobStore.for_store(b).read(attachment) == SCAN
    finally:
        for node in nodes:
            await node.stop()


async def test_a_scan_owed_to_the_hub_is_not_forgotten_across_a_restart(
        hub: StandInHub, tmp_path: Path, make_store: Callable[[str], DocumentStore]) -> None:
    a, b = make_store("a"), make_store("b")
    record, attachment = record_with_scan(a, tmp_path)
    on_a = BlobStore.for_store(a).path(attachment.sha256)
    on_a.rename(tmp_path / "still-downloading")
    async with linked(a, hub) as link:
        await wait_until(lambda: link.push.status.docs_pushed > 0 and link.uploader.owed == 1, 30)
    (tmp_path / "still-downloading").rename(on_a)  # arrived while this node was stopped
    async with linked(a, hub):
        await wait_until_on_hub(hub, f"/blob%3A{attachment.sha256}/data")
    async with linked(b, hub):
        await wait_until(lambda: load_record(b, record.archive_id) is not None
                         and BlobStore.for_store(b).has(attachment.sha256), 30)
    assert BlobStore.for_store(b).read(attachment) == SCAN


async def wait_until_on_hub(hub: StandInHub, path: str) -> None:
    async with aiohttp.ClientSession(headers=AUTH) as session:
        async def present() -> bool:
            async with session.head(f"{hub.url}{path}") as response:
                return response.status == 200

        deadline = asyncio.get_running_loop().time() + 30
        while not await present():
            assert asyncio.get_running_loop().time() < deadline, f"{path} never reached the hub"
            await asyncio.sleep(0.05)
