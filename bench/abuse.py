"""Abusive clients against a node while an honest peer keeps replicating from it.

Two TLS nodes of one cluster on 127.0.0.1: the peer pulls from the node (longpoll), and a
writer adds a document to the node every 50 ms. Meanwhile, for ``seconds``, the node is hit by
clients holding a cluster certificate (so they pass TLS): 7.5 MB bodies of empty arrays,
documents carrying 100 000-entry ``_revisions`` histories, and a few hundred TCP connections
that never start TLS. Reported: the honest peer's replication lag (p50, p99, max: from the
write on the node until the document is in the peer's store) and what the abusers got back.
Everything runs in one process, so the abusers' own work competes for the same CPU.
"""

from __future__ import annotations

import asyncio
import json
import ssl
import statistics
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

import aiohttp

from store import DocumentStore
from sync.connection_gate import ConnectionLimits
from sync.hosting import NodeSettings, SyncNode
from sync.pki import Cluster, init_cluster, make_csr, sign_csr, write_node_files

WRITE_EVERY = 0.05
IDLE_SOCKETS = 300
BIG_BODY = b'{"docs":[' + b",".join([b"[]"] * (int(7.5 * 1024 * 1024) // 3)) + b"]}"
DEEP_HISTORY = 100_000


@dataclass
class AbuseReport:
    lags: list[float] = field(default_factory=list)  # seconds, one per document written
    missing: int = 0  # written but never replicated
    answers: dict[str, int] = field(default_factory=dict)  # "big body 413" → count

    def lag_percentile(self, fraction: float) -> float:
        ordered = sorted(self.lags)
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0

    def summary(self) -> str:
        if not self.lags:
            return "no document replicated"
        return (f"p50 {statistics.median(self.lags) * 1000:.0f} ms, "
                f"p99 {self.lag_percentile(0.99) * 1000:.0f} ms, "
                f"max {max(self.lags) * 1000:.0f} ms, {self.missing} missing")


def join_offline(cluster: Cluster, data_dir: Path, name: str) -> Cluster:
    """A member of ``cluster`` (what `cluster join` achieves, without the network)."""
    key, csr = make_csr(name)
    return write_node_files(data_dir, cluster.ca_cert, key,
                            sign_csr(cluster.ca_key(), cluster.ca_cert, csr, name))


def tls_settings(cluster: Cluster, **changes: object) -> NodeSettings:
    """A loopback node of ``cluster`` on an ephemeral port, no discovery."""
    settings = NodeSettings(listen_host="127.0.0.1", listen_port=0, discovery=False,
                            server_ssl=cluster.server_context(),
                            client_ssl=cluster.client_context(), longpoll_seconds=10.0)
    return replace(settings, **changes)  # type: ignore[arg-type]


def _deep_body(serial: int) -> bytes:
    """A ``_bulk_docs`` body (new_edits=false) whose one document has a 100 000-step history."""
    ids = [f"{serial:08x}{n:024x}" for n in range(DEEP_HISTORY, 0, -1)]
    doc = {"_id": f"member:deep-{serial}", "_rev": f"{DEEP_HISTORY}-{ids[0]}",
           "_revisions": {"start": DEEP_HISTORY, "ids": ids}, "name": "深"}
    return json.dumps({"docs": [doc], "new_edits": False}).encode()


async def _abuse(base: str, context: ssl.SSLContext, until: float, report: AbuseReport) -> None:
    connector = aiohttp.TCPConnector(ssl=context, limit=16)
    timeout = aiohttp.ClientTimeout(total=60)

    def count(what: str) -> None:
        report.answers[what] = report.answers.get(what, 0) + 1

    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:

        async def big_bodies() -> None:
            while time.monotonic() < until:
                async with session.post(f"{base}/mishu/_bulk_docs", data=BIG_BODY,
                                        headers={"Content-Type": "application/json"}) as answer:
                    await answer.read()
                    count(f"7.5 MB body → {answer.status}")

        async def deep_histories() -> None:
            serial = 0
            while time.monotonic() < until:
                serial += 1
                body = await asyncio.to_thread(_deep_body, serial)
                async with session.post(f"{base}/mishu/_bulk_docs", data=body,
                                        headers={"Content-Type": "application/json"}) as answer:
                    await answer.read()
                    count(f"100k-revision history → {answer.status}")

        await asyncio.gather(*(big_bodies() for _ in range(4)), deep_histories())


async def _idle_sockets(port: int, until: float) -> None:
    held: list[asyncio.StreamWriter] = []
    try:
        while time.monotonic() < until:
            held = [writer for writer in held if not writer.is_closing()]
            while len(held) < IDLE_SOCKETS:
                try:
                    _reader, writer = await asyncio.open_connection("127.0.0.1", port)
                except OSError:
                    break
                held.append(writer)
            await asyncio.sleep(0.5)
    finally:
        for writer in held:
            writer.close()


async def run_abuse(work: Path, seconds: float) -> AbuseReport:
    office = init_cluster(work / "office", "office")
    peer_cluster = join_offline(office, work / "peer", "peer")
    abuser = join_offline(office, work / "abuser", "abuser")
    report = AbuseReport()
    with DocumentStore.open(work / "office-store") as served, \
            DocumentStore.open(work / "peer-store") as pulling:
        node = SyncNode(served, tls_settings(office, connections=ConnectionLimits(
            handshake_seconds=2.0)))
        await node.start()
        peer = SyncNode(pulling, tls_settings(
            peer_cluster, static_peers=(f"https://127.0.0.1:{node.port}",)))
        await peer.start()
        until = time.monotonic() + seconds
        abusers = asyncio.gather(_abuse(f"https://127.0.0.1:{node.port}", abuser.client_context(),
                                        until, report), _idle_sockets(node.port, until))
        written: dict[str, float] = {}
        serial = 0
        try:
            while time.monotonic() < until or (written and time.monotonic() < until + 30):
                if time.monotonic() < until:
                    serial += 1
                    doc_id = f"member:honest-{serial}"
                    await asyncio.to_thread(served.put, {"_id": doc_id, "name": "张三"})
                    written[doc_id] = time.monotonic()
                for doc_id, at in list(written.items()):
                    if pulling.exists(doc_id):
                        report.lags.append(time.monotonic() - at)
                        del written[doc_id]
                await asyncio.sleep(WRITE_EVERY)
            report.missing = len(written)
        finally:
            await abusers
            await peer.stop()
            await node.stop()
    return report
