"""Supply room: the full stock list of 500 items over 100 000 stock movements.

mishu keeps stock in a :class:`~store.supplies_index.SupplyIndex` that adds each movement's
delta as it is committed, so the stock list walks 500 items. The baseline is the obvious
implementation measured on the same store in the same run: read every movement document and
sum them (``stock_levels`` over ``iter_docs("movement")``) each time the list is shown.
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from datetime import datetime
from pathlib import Path

from store import DocumentStore
from store.supplies import RECEIVED, TAKEN, Asset, Item, Loan, Movement, stock_levels
from store.supplies_desk import Actor, take
from store.supplies_index import SupplyIndex

from .table import BenchRow

ITEMS = 500
MOVEMENTS = 100_000
ASSETS = 200
LOANS = 5_000
LIST_RUNS = 50
TARGET_MS = 50.0
NOW = datetime(2026, 11, 25, 9, 30)


def fill(store: DocumentStore) -> None:
    rng = random.Random(8)
    docs: list[dict[str, object]] = [
        Item(f"item:{n:04d}", f"物品{n}", "个", f"类别{n % 12}", reorder_level=rng.randint(0, 30),
             code=f"I{n:016X}").to_doc() for n in range(ITEMS)]
    docs += [Asset(f"asset:{n:04d}", f"GZ-{n:04d}", f"资产{n}", code=f"A{n:016X}").to_doc()
             for n in range(ASSETS)]
    for n in range(MOVEMENTS):
        item = f"item:{n % ITEMS:04d}"
        if n < ITEMS * 4:
            docs.append(Movement(f"movement:{n:06x}", item, RECEIVED, 500, "2026-09-01T09:00").to_doc())
        else:
            docs.append(Movement(f"movement:{n:06x}", item, TAKEN, -rng.randint(1, 3),
                                 "2026-10-01T09:00", member_id=f"{rng.randint(1, 2000)}").to_doc())
    for n in range(LOANS):
        docs.append(Loan(f"loan:{n:05x}", f"asset:{n % ASSETS:04d}", f"{n % 2000}",
                         "2026-10-01T09:00", "2026-10-15T09:00").to_doc())
        if n % ASSETS != ASSETS - 1 or n < LOANS - ASSETS:
            docs.append({"_id": f"return:{n:05x}", "loan_id": f"loan:{n:05x}",
                         "at": "2026-10-10T09:00"})
    for start in range(0, len(docs), 5000):
        store.bulk_put(docs[start:start + 5000])


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


def benchmarks() -> list[BenchRow]:
    with tempfile.TemporaryDirectory() as root:
        path = Path(root) / "data"
        with DocumentStore.open(path) as store:
            fill(store)
        with DocumentStore.open(path) as store:
            started = time.perf_counter()
            index = SupplyIndex.for_store(store)
            store.attach_index(index)
            build = time.perf_counter() - started

            list_times = []
            for _ in range(LIST_RUNS):
                started = time.perf_counter()
                rows = index.stock_list()
                list_times.append(time.perf_counter() - started)
            scan_times = []
            for _ in range(3):
                started = time.perf_counter()
                baseline = stock_levels(Movement.from_doc(doc) for doc in store.iter_docs("movement"))
                scan_times.append(time.perf_counter() - started)
            assert {row.item.item_id: row.stock for row in rows} == baseline

            paper = index.items["item:0000"]
            take_times = []
            for n in range(200):
                started = time.perf_counter()
                take(store, index, paper, f"{n}", 1, Actor(NOW, "bench"))
                take_times.append(time.perf_counter() - started)
            overdue_started = time.perf_counter()
            overdue = index.overdue(NOW)
            overdue_time = time.perf_counter() - overdue_started

    stock_p50 = statistics.median(list_times)
    stock_p99 = sorted(list_times)[int(0.99 * (len(list_times) - 1))]
    scan = statistics.median(scan_times)
    return [
        BenchRow(f"stock list, {ITEMS} items over {MOVEMENTS // 1000}k movements (p50 / p99)",
                 f"{_ms(stock_p50)} / {_ms(stock_p99)}",
                 f"sum every movement {_ms(scan)} ({scan / stock_p50:,.0f}x slower)",
                 f"< {TARGET_MS:.0f} ms", stock_p99 * 1000 < TARGET_MS),
        BenchRow("build supply index at open (100k movements, 5k loans)", f"{build:.2f} s", "-",
                 "(reported)", True),
        BenchRow("kiosk take recorded and stock updated (p50, fsync included)",
                 _ms(statistics.median(take_times)), "-", "(reported)", True),
        BenchRow(f"overdue loans among {LOANS} ({len(overdue)} overdue)", _ms(overdue_time), "-",
                 "(reported)", True),
    ]
