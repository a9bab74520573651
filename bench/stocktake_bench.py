"""Stock-take report: 5 000 items, 2 000 assets, 20 000 scans counted on 3 nodes and merged.

mishu sums each scan into its stock-take's :class:`~store.stocktake.Tally` as the scan is
committed (locally or by replication), so refreshing the report after a scan walks the register
once, never the scans. The baseline, measured on the same merged store in the same run, is the
obvious implementation: read every scan of the stock-take and recompute the report from them.
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from store import DocumentStore
from store.stocktake import Scan, Stocktake, Tally
from store.stocktake_report import stocktake_report
from store.supplies import RECEIVED, Asset, Item, Movement
from store.supplies_index import SupplyIndex

from .table import BenchRow

ITEMS, ASSETS, SCANS, NODES = 5_000, 2_000, 20_000, 3
REFRESHES = 300
TARGET_MS = 50.0
NOW = datetime(2026, 11, 25, 9, 30)
STOCKTAKE = Stocktake("stocktake:2026-11-25-1", "2026-11-25T09:30", "秘书处")


def register() -> list[dict[str, object]]:
    docs: list[dict[str, object]] = [STOCKTAKE.to_doc()]
    for n in range(ITEMS):
        docs.append(Item(f"item:{n:05d}", f"物品{n}", "个", f"类别{n % 12}", f"柜{n % 40}",
                         code=f"I{n:016X}").to_doc())
        docs.append(Movement(f"movement:r{n:05d}", f"item:{n:05d}", RECEIVED, 50,
                             "2026-09-01T09:00").to_doc())
    docs += [Asset(f"asset:{n:05d}", f"GZ-{n:05d}", f"资产{n}", location=f"柜{n % 40}",
                   code=f"A{n:016X}").to_doc() for n in range(ASSETS)]
    return docs


def scan(rng: random.Random, node: int, n: int) -> Scan:
    """Mostly items, some assets, a few unknown tags; each node counts its own shelves."""
    pick = rng.random()
    code = (f"I{rng.randrange(ITEMS):016X}" if pick < 0.85 else
            f"A{rng.randrange(ASSETS):016X}" if pick < 0.99 else f"GZ-X{rng.randrange(50)}")
    return Scan(f"stockscan:{node}-{n:06d}", STOCKTAKE.stocktake_id, code, rng.randint(1, 3),
                (NOW + timedelta(seconds=n)).isoformat(timespec="minutes"), f"counter{node}",
                f"柜{rng.randrange(40)}", f"node{node}")


def merge_into(target: DocumentStore, source: DocumentStore) -> None:
    changes, _ = source.changes(0)
    batch = []
    for change in changes:
        batch += [answer["ok"] for answer in source.open_revs(change["id"], None) if "ok" in answer]
        if len(batch) >= 2000:
            target.put_revisions(batch)
            batch = []
    target.put_revisions(batch)


def fill(root: Path) -> DocumentStore:
    rng = random.Random(16)
    stores = [DocumentStore.open(root / f"node{n}") for n in range(NODES)]
    for store in stores:
        docs = register()
        for start in range(0, len(docs), 5000):
            store.bulk_put(docs[start:start + 5000])
    for node, store in enumerate(stores):
        scans = [scan(rng, node, n).to_doc() for n in range(SCANS // NODES)]
        for start in range(0, len(scans), 5000):
            store.bulk_put(scans[start:start + 5000])
    for other in stores[1:]:
        merge_into(stores[0], other)
        other.close()
    return stores[0]


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


def benchmarks() -> list[BenchRow]:
    rng = random.Random(61)
    with tempfile.TemporaryDirectory() as root:
        store = fill(Path(root))
        try:
            index = SupplyIndex.for_store(store)
            store.attach_index(index)
            assert len(index.tallies[STOCKTAKE.stocktake_id].scans) == SCANS // NODES * NODES
            refresh_times = []
            for n in range(REFRESHES):  # a scan arrives, the screen refreshes the report
                store.put(scan(rng, n % NODES, SCANS + n).to_doc())
                started = time.perf_counter()
                report = index.stocktake_report(STOCKTAKE.stocktake_id)
                refresh_times.append(time.perf_counter() - started)
            baseline_times = []
            for _ in range(5):
                started = time.perf_counter()
                scans = (Scan.from_doc(doc) for doc in store.iter_docs("stockscan"))
                recomputed = stocktake_report(STOCKTAKE, Tally.of(
                    s for s in scans if s.stocktake_id == STOCKTAKE.stocktake_id), index)
                baseline_times.append(time.perf_counter() - started)
            assert recomputed == report
        finally:
            store.close()
    p50 = statistics.median(refresh_times)
    p99 = sorted(refresh_times)[int(0.99 * (len(refresh_times) - 1))]
    baseline = statistics.median(baseline_times)
    return [BenchRow(f"stock-take report, {ITEMS} items / {ASSETS} assets / {SCANS} scans from "
                     f"{NODES} nodes, refresh after a scan (p50 / p99)",
                     f"{_ms(p50)} / {_ms(p99)}",
                     f"recompute from all scans {_ms(baseline)} ({baseline / p50:,.0f}x slower)",
                     f"< {TARGET_MS:.0f} ms", p99 * 1000 < TARGET_MS)]
