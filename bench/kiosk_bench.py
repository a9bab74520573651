"""A kiosk of a big office: what its filtered pull brings, and how fast its store then opens.

An office node is filled with :data:`OFFICE_DOCS` documents in the proportions a large union
accumulates over years (mostly sign-ins of past meetings, archive records and their events,
stock movements; a few thousand members, meetings and items) and served on 127.0.0.1. A
sign-in kiosk and a supplies kiosk each pull from it with their selectors
(:mod:`sync.kiosk_selectors`), from empty; then each kiosk's store is opened in a fresh
process. The baseline is the full copy a secretary keeps: the office store opened the same
way. Stock movements span ten years; the supplies kiosk carries the last two and the yearly
balances the office folded the older ones into (:mod:`store.supply_balances`). Run alone with
``python -m bench.kiosk_bench [DOCS]``.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

from store import DocumentStore
from store.supply_balances import carry_forward
from sync.http_api import make_app
from sync.kiosk_selectors import signin_selector, supplies_selector
from sync.pull import PullReplicator

from .store_bench import open_in_fresh_process
from .table import BenchRow

OFFICE_DOCS = 1_000_000  # the office of issue #21: ten years of a large union
TODAY = date(2026, 11, 25)
OPEN_TARGET_S, RSS_TARGET_MB = 0.5, 120.0
# share of the office per document type, as a union's store grows: sign-ins dominate
MIX = (("signin", 0.55), ("archive", 0.10), ("archive_event", 0.10), ("movement", 0.12),
       ("member", 0.03), ("meeting", 0.02), ("loan", 0.03), ("booking", 0.04), ("item", 0.01))


def office_docs(total: int) -> Iterator[dict[str, Any]]:
    counts = {kind: max(1, int(total * share)) for kind, share in MIX}
    meetings = counts["meeting"]
    for n in range(counts["member"]):
        yield {"_id": f"member:{n:05d}", "name": "张三丰", "department": "秘书处",
               "qr_token": f"M{n:016X}"}
    for n in range(meetings):  # the last three are today's
        day = TODAY.isoformat() if n >= meetings - 3 else f"20{10 + n % 16}-0{1 + n % 9}-1{n % 10}"
        yield {"_id": f"meeting:m{n}", "title": "部长例会", "start": f"{day}T09:30",
               "end": f"{day}T11:00", "roster": [f"{r:05d}" for r in range(30)]}
    for n in range(counts["signin"]):
        yield {"_id": f"signin:m{n % meetings}:{n // meetings:05d}", "time": "2026-11-25T09:31",
               "node": "door", "method": "badge"}
    for n in range(counts["archive"]):
        yield {"_id": f"archive:{n}", "title": "关于举办秋季运动会的通知", "category": "发文",
               "year": 2010 + n % 16, "seq": n, "keywords": ["运动会"]}
    for n in range(counts["archive_event"]):
        yield {"_id": f"archive_event:{n}", "archive_id": f"archive:{n}", "kind": "file"}
    for n in range(counts["movement"]):  # ten years of them, oldest first
        year = 2016 + n * 11 // counts["movement"]
        yield {"_id": f"movement:{n}", "item_id": f"item:{n % 100}", "kind": "taken",
               "delta": -1, "at": f"{year}-0{1 + n % 9}-1{n % 10}T09:31"}
    for kind in ("loan", "booking", "item"):
        for n in range(counts[kind]):
            yield {"_id": f"{kind}:{n}", "item_id": f"item:{n % 100}", "delta": -1,
                   "at": "2026-11-25T09:31"}
    yield {"_id": "room:201", "name": "201会议室", "capacity": 40}


async def pull(kiosk: DocumentStore, url: str, selector: Callable[[], dict[str, Any]]) -> float:
    """Seconds for a fresh kiosk to catch up (two passes when the selector widens)."""
    started = time.perf_counter()
    async with aiohttp.ClientSession() as session:
        replicator = PullReplicator(kiosk, url, session, batch_size=500, selector=selector)
        await replicator.replicate()
        await replicator.replicate()  # the sign-ins of the meetings the first pass brought
    return time.perf_counter() - started


async def kiosks(office: DocumentStore, directory: Path) -> dict[str, tuple[float, int]]:
    runner = web.AppRunner(make_app(office))
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    url = f"http://127.0.0.1:{runner.addresses[0][1]}"
    pulled = {}
    try:
        for name in ("signin", "supplies"):
            with DocumentStore.open(directory / name) as kiosk:
                selector = (lambda store=kiosk: signin_selector(store, TODAY)) \
                    if name == "signin" else (lambda: supplies_selector(TODAY))
                seconds = await pull(kiosk, url, selector)
                kiosk.compact()
                pulled[name] = (seconds, kiosk.doc_count)
    finally:
        await runner.cleanup()
    return pulled


def benchmarks(total: int = OFFICE_DOCS) -> list[BenchRow]:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        with DocumentStore.open(Path(tmp) / "office") as office:
            batch: list[dict[str, Any]] = []
            for doc in office_docs(total):
                batch.append(doc)
                if len(batch) == 5_000:
                    office.bulk_put(batch)
                    batch = []
            office.bulk_put(batch)
            carry_forward(office, TODAY)  # the secretary node folds the closed years
            office.compact()
            pulled = asyncio.run(kiosks(office, Path(tmp)))
        # peaks after a first lookup by type, as a running kiosk makes at once
        full_s, _, full_count, full_mb = open_in_fresh_process(Path(tmp) / "office")
        size = f"{full_count // 1000}k"
        for name, (seconds, count) in pulled.items():
            open_s, _, _, rss = open_in_fresh_process(Path(tmp) / name)
            rows.append(BenchRow(
                f"{name} kiosk open, office of {size} docs (open / RSS)",
                f"{open_s:.2f} s / {rss:.0f} MB ({count} docs)",
                f"full copy {full_s:.2f} s / {full_mb:.0f} MB",
                f"< {OPEN_TARGET_S} s, < {RSS_TARGET_MB:.0f} MB",
                open_s < OPEN_TARGET_S and rss < RSS_TARGET_MB))
            rows.append(BenchRow(f"{name} kiosk first filtered pull, office of {size} docs",
                                 f"{seconds:.1f} s", "-", "-", True))
    return rows


if __name__ == "__main__":
    from .table import render

    print(render(benchmarks(int(sys.argv[1]) if len(sys.argv) > 1 else OFFICE_DOCS)))
