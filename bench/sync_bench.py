"""Replication speed and latency: mishu ↔ mishu, beside PouchDB → express-pouchdb.

The 1M-document row is the issue's ten-years office: a fresh node pulling it all. PouchDB's
memory adapter is run on :data:`POUCH_LARGE_DOCS` of them and its time multiplied by the
ratio (its own 50k → 200k growth is printed beside it, so a reader can see whether linear is
kind to it), because PouchDB holding a million documents twice in one Node heap is not what
it is built for and would run for many minutes.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import aiohttp
from aiohttp import web

from store import DocumentStore
from sync.http_api import make_app
from sync.pki import Cluster, init_cluster
from sync.pull import PullReplicator

from .store_bench import percentile, sample_doc
from .loopback_nodes import start_loopback_nodes
from .table import BenchRow

ROOT = Path(__file__).resolve().parent.parent
POUCH_DIR = ROOT / "tests" / "sync" / "pouch"
DOCS = 50_000
LARGE_DOCS = 1_000_000
POUCH_LARGE_DOCS = 200_000
LATENCY_WRITES = 200


async def _serve(store: DocumentStore, cluster: Cluster | None = None
                 ) -> tuple[web.AppRunner, str]:
    runner = web.AppRunner(make_app(store), access_log=None)
    await runner.setup()
    context = cluster.server_context() if cluster else None
    await web.TCPSite(runner, "127.0.0.1", 0, ssl_context=context).start()
    scheme = "https" if cluster else "http"
    return runner, f"{scheme}://127.0.0.1:{runner.addresses[0][1]}"


def fill(store: DocumentStore, count: int) -> None:
    for start in range(0, count, 2_000):
        store.bulk_put([{"_id": f"signin:{n}", **sample_doc(n)}
                        for n in range(start, min(count, start + 2_000))])


async def initial_replication(tmp: Path, cluster: Cluster | None = None,
                              docs: int = DOCS) -> float:
    """Pull ``docs`` documents into an empty node; over mutual TLS when a cluster is given."""
    label = f"{'tls' if cluster else 'plain'}-{docs}"
    with DocumentStore.open(tmp / f"source-{label}") as source, \
            DocumentStore.open(tmp / f"target-{label}") as target:
        fill(source, docs)
        runner, url = await _serve(source, cluster)
        connector = aiohttp.TCPConnector(ssl=cluster.client_context() if cluster else False)
        try:
            async with aiohttp.ClientSession(connector=connector) as session:
                started = time.perf_counter()
                written = await PullReplicator(target, url, session, batch_size=500).replicate()
                elapsed = time.perf_counter() - started
        finally:
            await runner.cleanup()
        assert written == docs and target.doc_count == docs
        return elapsed


def pouch_baseline(docs: int = DOCS) -> float | None:
    if shutil.which("node") is None or not (POUCH_DIR / "node_modules" / "express-pouchdb").exists():
        if shutil.which("npm") is None:
            return None
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--silent"], cwd=POUCH_DIR,
                       check=True, capture_output=True, timeout=600)
    env = {**os.environ, "NODE_PATH": str(POUCH_DIR / "node_modules")}
    output = subprocess.run(["node", str(ROOT / "bench" / "pouch_baseline.js"), str(docs)],
                            capture_output=True, text=True, env=env, timeout=1800, check=True)
    return float(json.loads(output.stdout)["seconds"])


async def write_to_visible(tmp: Path) -> list[float]:
    with DocumentStore.open(tmp / "a") as a, DocumentStore.open(tmp / "b") as b:
        nodes = await start_loopback_nodes([a, b])
        nodes[1].add_peer(f"http://127.0.0.1:{nodes[0].port}")
        samples = []
        try:
            for n in range(LATENCY_WRITES):
                doc_id = f"signin:latency-{n}"
                started = time.perf_counter()
                a.put({"_id": doc_id, **sample_doc(n)})
                while not b.exists(doc_id):
                    await asyncio.sleep(0.001)
                samples.append(time.perf_counter() - started)
        finally:
            for node in nodes:
                await node.stop()
        return samples


async def bulk_get_throughput(tmp: Path) -> float:
    with DocumentStore.open(tmp / "bulk") as store:
        fill(store, 20_000)
        runner, url = await _serve(store)
        try:
            async with aiohttp.ClientSession() as session:
                ids = [{"id": f"signin:{n}"} for n in range(20_000)]
                started = time.perf_counter()
                for start in range(0, len(ids), 500):
                    async with session.post(f"{url}/mishu/_bulk_get?revs=true",
                                            json={"docs": ids[start:start + 500]}) as response:
                        await response.read()
                return len(ids) / (time.perf_counter() - started)
        finally:
            await runner.cleanup()


def benchmarks() -> list[BenchRow]:
    with tempfile.TemporaryDirectory() as tmp:
        ours = asyncio.run(initial_replication(Path(tmp)))
        over_tls = asyncio.run(initial_replication(Path(tmp), init_cluster(Path(tmp) / "c", "bench")))
        large = asyncio.run(initial_replication(Path(tmp), docs=LARGE_DOCS))
        try:
            theirs = pouch_baseline()
            theirs_large = pouch_baseline(POUCH_LARGE_DOCS)
        except (subprocess.SubprocessError, OSError, ValueError) as exc:
            theirs = theirs_large = None
            print(f"PouchDB baseline unavailable: {exc}")
        latency = asyncio.run(write_to_visible(Path(tmp)))
        throughput = asyncio.run(bulk_get_throughput(Path(tmp)))
    baseline = "node/npm missing" if theirs is None else f"PouchDB → express-pouchdb {theirs:.1f} s"
    scale = LARGE_DOCS / POUCH_LARGE_DOCS
    large_baseline = "node/npm missing" if theirs_large is None or theirs is None else (
        f"PouchDB {POUCH_LARGE_DOCS // 1000}k {theirs_large:.1f} s × {scale:g} = "
        f"{theirs_large * scale:.0f} s (its 50k: {theirs:.1f} s)")
    return [
        BenchRow(f"initial replication, {DOCS // 1000}k docs", f"{ours:.1f} s", baseline,
                 "at least as fast as PouchDB", theirs is not None and ours <= theirs),
        BenchRow(f"initial replication of {LARGE_DOCS // 1000}k docs to a fresh node",
                 f"{large:.1f} s", large_baseline, "at least as fast as PouchDB, extrapolated",
                 theirs_large is not None and large <= theirs_large * scale),
        BenchRow(f"replication of {DOCS // 1000}k docs over mutual TLS", f"{over_tls:.1f} s",
                 f"plain HTTP {ours:.1f} s ({(over_tls / ours - 1) * 100:+.0f} %)",
                 "TLS costs < 30 % more", over_tls <= ours * 1.3),
        BenchRow(f"write → visible on peer, longpoll ({LATENCY_WRITES} writes, p50 / p99)",
                 f"{statistics.median(latency) * 1e3:.1f} / {percentile(latency, 0.99) * 1e3:.1f} ms",
                 "-", "p99 < 1 s", percentile(latency, 0.99) < 1.0),
        BenchRow("_bulk_get throughput (20k docs, batches of 500)", f"{throughput:,.0f} docs/s",
                 "-", "-", True),
    ]
