"""A revoked laptop that still knows the hub password cannot reach the office through the hub:
cluster nodes sign what they push to it and admit from it only what a node in good standing
signed; whatever else anyone writes to the hub stays there."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import aiohttp

from bench.stand_in_hub import (
    HUB_PASSWORD,
    HUB_USER,
    StandInHub,
)
from store import DocumentStore
from sync.cluster_node import cluster_node
from sync.hosting import NodeSettings, SyncNode
from sync.hub import HubSettings
from sync.hub_trust import SIGNED_BY, HubTrust
from sync.pki import Cluster, init_cluster
from sync.revocation import TrustLedger, register_node, revoke
from tests.sync.test_hub import AUTH, der, joined, plant
from tests.sync.test_replication import wait_until


def hub_only(hub: StandInHub) -> NodeSettings:
    """A node that meets the others only through the hub (no LAN peers)."""
    return NodeSettings(listen_host="127.0.0.1", listen_port=0, discovery=False,
                        longpoll_seconds=0.5, hubs=(HubSettings(hub.url, HUB_USER, HUB_PASSWORD),))


@asynccontextmanager
async def running(*nodes: SyncNode) -> AsyncIterator[None]:
    for node in nodes:
        await node.start()
    try:
        yield
    finally:
        for node in nodes:
            await node.stop()


async def on_hub(hub: StandInHub, doc_id: str) -> dict[str, object] | None:
    async with aiohttp.ClientSession(headers=AUTH) as session, session.get(
            f"{hub.url}/{doc_id}") as response:
        return await response.json(content_type=None) if response.status == 200 else None


async def test_a_revoked_laptop_with_the_hub_password_does_not_reach_the_office(
        hub: StandInHub, tmp_path: Path, make_store: Callable[[str], DocumentStore]) -> None:
    founder = init_cluster(tmp_path / "founder", "secretary-laptop")
    member = joined(founder, tmp_path / "member", "laptop-m")
    lost = joined(founder, tmp_path / "lost", "laptop-lost")
    office, campus, thief = make_store("office-db"), make_store("campus-db"), make_store("lost-db")
    (office_node, office_ledger) = cluster_node(office, founder, hub_only(hub))
    (campus_node, campus_ledger) = cluster_node(campus, member, hub_only(hub))
    register_node(office, lost.node_cert)
    revoke(office, founder, office_ledger.find("laptop-lost"))
    async with running(office_node, campus_node):
        await wait_until(lambda: campus_ledger.is_revoked(der(lost)), 60)
        # the lost laptop still runs mishu with the hub's password in its settings
        (lost_node, _ledger) = cluster_node(thief, lost, hub_only(hub))
        thief.put({"_id": "member:mole", "name": "内鬼", "role": "主席"})
        async with running(lost_node):
            await wait_until(lambda: lost_node.peer_statuses[0].docs_pushed > 0, 60)
            assert (await on_hub(hub, "member:mole")) is not None  # the hub took it
        campus.put({"_id": "note:after", "text": "之后", "score": 1.0, "ratio": 0.1})
        await wait_until(lambda: office.get_or_none("note:after") is not None, 60)
    assert office.get("note:after")["score"] == 1.0 and SIGNED_BY not in office.get("note:after")
    assert office.get_or_none("member:mole") is None
    assert campus.get_or_none("member:mole") is None


async def test_the_office_admits_only_what_a_member_in_good_standing_signed(
        hub: StandInHub, tmp_path: Path, make_store: Callable[[str], DocumentStore]) -> None:
    founder = init_cluster(tmp_path / "founder", "secretary-laptop")
    member = joined(founder, tmp_path / "member", "laptop-m")
    stranger = init_cluster(tmp_path / "stranger", "stranger")
    office = make_store("office-db")
    genuine = signer(member, founder)
    good = {"_id": "note:good", "_rev": "1-aaaa", "text": "真的"}
    [signed] = genuine.sign([good])
    tampered = {**signed, "_id": "note:tampered", "text": "改过"}
    altered_rev = {**signed, "_id": "note:good2", "_rev": "2-bbbb"}
    [outsider] = signer(stranger, stranger).sign([{"_id": "note:outsider", "_rev": "1-cccc"}])
    forged_cert = {**signed, "_id": "note:forged-cert",
                   SIGNED_BY: {**signed[SIGNED_BY], "cert": base64.b64encode(b"junk").decode()}}
    await plant(hub, [signed, tampered, altered_rev, outsider, forged_cert,
                      {"_id": "note:unsigned", "_rev": "1-dddd", "text": "无签名"}],
                new_edits=False)
    office_node, _ledger = cluster_node(office, founder, hub_only(hub))
    async with running(office_node):
        # one write brings a batch, so once it is here the others would be too
        await wait_until(lambda: office.get_or_none("note:good") is not None, 60)
    assert office.get("note:good") == good
    assert [doc_id for doc_id in ("note:tampered", "note:good2", "note:outsider",
                                  "note:forged-cert", "note:unsigned")
            if office.get_or_none(doc_id) is not None] == []


def signer(node: Cluster, ca_of: Cluster) -> HubTrust:
    ledger = TrustLedger(ca_of.ca_cert, node.directory / "signer-trust.json")
    return HubTrust.for_cluster(node, ledger)


async def test_a_node_without_a_cluster_still_replicates_through_the_hub_unsigned(
        hub: StandInHub, make_store: Callable[[str], DocumentStore]) -> None:
    a, b = make_store("a"), make_store("b")
    a.put({"_id": "note:1", "text": "独立节点"})
    settings = hub_only(hub)
    async with running(SyncNode(a, settings), SyncNode(b, settings)):
        await wait_until(lambda: b.get_or_none("note:1") is not None, 60)
    assert SIGNED_BY not in (await on_hub(hub, "note:1") or {})
