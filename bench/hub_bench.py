"""Through a CouchDB hub: how long until a write on one node is on the others, beside the same
write travelling directly between two peers, and an initial sync through the hub beside one
directly between peers (same run), and that sync again between cluster nodes, which sign what
they push and check every signature they pull (:mod:`sync.hub_trust`).

The hub is the stand-in (express-pouchdb in memory behind Basic auth, :mod:`bench.stand_in_hub`);
every simulated node is a real store with a real :class:`~sync.hub.HubLink` pulling and pushing
continuously, all in this process. ``python -m bench.hub_bench NODES WRITES DOCS`` runs one size.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path

from store import DocumentStore
from sync.blob_fetch import BlobFetcher
from sync.hub import HubLink, HubSettings
from sync.hub_trust import HubTrust
from sync.pki import init_cluster, make_csr, sign_csr, write_node_files
from sync.revocation import TrustLedger

from .loopback_nodes import start_loopback_nodes
from .stand_in_hub import HUB_PASSWORD, HUB_USER, NodeMissing, StandInHub, stand_in_hub
from .store_bench import percentile, sample_doc
from .sync_bench import fill, initial_replication
from .table import BenchRow

NODES = 50
WRITES = 40  # each seen by every other node: NODES - 1 samples per write
DOCS = 50_000  # initial sync through the hub (push from one node, pull into another), as the issue asks
POLL = 0.002


@asynccontextmanager
async def linked(stores: Sequence[DocumentStore], hub: StandInHub,
                 trusts: Sequence[HubTrust | None] = ()) -> AsyncIterator[None]:
    """Every store pulling from and pushing to ``hub`` until the block ends; with ``trusts``,
    as cluster nodes do, signing what they push and checking what they pull."""
    settings = HubSettings(hub.url, HUB_USER, HUB_PASSWORD)
    stop = asyncio.Event()
    trusts = list(trusts) or [None] * len(stores)
    tasks = [asyncio.create_task(HubLink(store, settings, BlobFetcher(store),
                                         trust=trust).run(stop))
             for store, trust in zip(stores, trusts, strict=True)]
    try:
        yield
    finally:
        stop.set()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


async def seen_by_all(writer: DocumentStore, others: Sequence[DocumentStore], doc_id: str,
                      timeout: float = 120.0) -> list[float]:
    """Write ``doc_id`` on ``writer``; seconds until each of ``others`` has it."""
    started = time.perf_counter()
    writer.put({"_id": doc_id, **sample_doc(len(doc_id))})
    lags: dict[int, float] = {}
    while len(lags) < len(others):
        now = time.perf_counter()
        if now - started > timeout:
            raise TimeoutError(f"{doc_id} reached {len(lags)} of {len(others)} nodes")
        for index, store in enumerate(others):
            if index not in lags and store.exists(doc_id):
                lags[index] = now - started
        await asyncio.sleep(POLL)
    return list(lags.values())


async def hub_lag(tmp: Path, hub: StandInHub, nodes: int, writes: int) -> list[float]:
    stores = [DocumentStore.open(tmp / f"node-{n}") for n in range(nodes)]
    try:
        async with linked(stores, hub):
            await seen_by_all(stores[0], stores[1:], "signin:warm-up")
            samples: list[float] = []
            for n in range(writes):
                writer = stores[n % nodes]
                samples += await seen_by_all(writer, [s for s in stores if s is not writer],
                                             f"signin:lag-{nodes}-{n}")
            return samples
    finally:
        for store in stores:
            store.close()


async def direct_lag(tmp: Path, writes: int) -> list[float]:
    with DocumentStore.open(tmp / "direct-a") as a, DocumentStore.open(tmp / "direct-b") as b:
        nodes = await start_loopback_nodes([a, b])
        nodes[1].add_peer(f"http://127.0.0.1:{nodes[0].port}")
        try:
            await seen_by_all(a, [b], "signin:warm-up")
            return [lag for n in range(writes)
                    for lag in await seen_by_all(a, [b], f"signin:direct-{n}")]
        finally:
            for node in nodes:
                await node.stop()


def cluster_pair(tmp: Path) -> list[HubTrust | None]:
    """Two nodes of one cluster: each signs what it pushes and checks what it pulls."""
    founder = init_cluster(tmp / "trust-a", "bench-a")
    key, csr = make_csr("bench-b")
    member = write_node_files(tmp / "trust-b", founder.ca_cert, key,
                              sign_csr(founder.ca_key(), founder.ca_cert, csr, "bench-b"))
    return [HubTrust.for_cluster(node, TrustLedger.for_cluster(node)) for node in (founder, member)]


async def initial_sync_through_hub(tmp: Path, hub: StandInHub, docs: int,
                                   signed: bool = False) -> float:
    """``docs`` documents from one node to an empty one, by way of the hub."""
    name = "signed" if signed else "sync"
    with DocumentStore.open(tmp / f"{name}-source") as source, \
            DocumentStore.open(tmp / f"{name}-target") as target:
        fill(source, docs)
        trusts = cluster_pair(tmp / name) if signed else []
        started = time.perf_counter()
        async with linked([source, target], hub, trusts):
            while target.doc_count < docs:
                await asyncio.sleep(0.05)
        return time.perf_counter() - started


def _ms(samples: list[float]) -> str:
    return f"{statistics.median(samples) * 1e3:.0f} / {percentile(samples, 0.99) * 1e3:.0f} ms"


async def measure(tmp: Path, nodes: int, writes: int, docs: int) -> list[BenchRow]:
    direct = await direct_lag(tmp, writes)
    async with stand_in_hub() as hub:
        pair = await hub_lag(tmp / "pair", hub, 2, writes)
    async with stand_in_hub() as hub:
        many = await hub_lag(tmp / "many", hub, nodes, writes)
    async with stand_in_hub() as hub:
        through_hub = await initial_sync_through_hub(tmp, hub, docs)
    async with stand_in_hub() as hub:
        signed = await initial_sync_through_hub(tmp, hub, docs, signed=True)
    directly = await initial_replication(tmp, docs=docs)
    p99 = percentile(many, 0.99)
    return [
        BenchRow("hub: write → visible on the other node (2 nodes, p50 / p99)", _ms(pair),
                 f"directly between peers {_ms(direct)}", "p99 < 2 s",
                 percentile(pair, 0.99) < 2.0),
        BenchRow(f"hub: write → visible on all {nodes - 1} others ({nodes} nodes pulling and "
                 f"pushing, {writes} writes, p50 / p99)", _ms(many),
                 f"2 nodes {_ms(pair)}", "p99 < 10 s", p99 < 10.0),
        BenchRow(f"initial sync of {docs:,} docs through the hub (push + pull)",
                 f"{through_hub:.1f} s", f"directly between peers {directly:.1f} s",
                 "-", True),
        BenchRow(f"initial sync of {docs:,} docs through the hub, signed and checked "
                 "(cluster nodes)", f"{signed:.1f} s", f"unsigned {through_hub:.1f} s", "-",
                 True),
    ]


def benchmarks(nodes: int = NODES, writes: int = WRITES, docs: int = DOCS) -> list[BenchRow]:
    with tempfile.TemporaryDirectory() as tmp:
        try:
            return asyncio.run(measure(Path(tmp), nodes, writes, docs))
        except NodeMissing as missing:
            return [BenchRow("hub: write → visible", str(missing), "-", "-", False)]


if __name__ == "__main__":
    from .table import render

    sizes = [int(arg) for arg in sys.argv[1:4]]
    print(render(benchmarks(*sizes)))
