"""The service desk's evaluation table at a large union's size: 2 000 members and 200 000
sign-ins in one term.

Timed from opening the desk (F8) on an already open store to the evaluation pane's first frame
(its loading line), and on to the ranked table filled; the baseline is the same on the plain
demo office in the same run. The sizes can be cut for a quick look with ``MISHU_BENCH_MEMBERS``
and ``MISHU_BENCH_SIGNINS``.
"""

from __future__ import annotations

import asyncio
import os
import random
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from store import DocumentStore
from store.demo import fill_demo
from tui.app import MishuApp
from tui.context import AppContext
from tui.i18n import Translator
from tui.settings import Settings
from tui.widgets.dashboard.panel import DashboardPanel
from tui.widgets.desk.evaluation_pane import EvaluationPane

from .table import BenchRow

NOW = datetime(2026, 11, 25, 9, 30)
MEMBERS = int(os.environ.get("MISHU_BENCH_MEMBERS", "2000"))
SIGNINS = int(os.environ.get("MISHU_BENCH_SIGNINS", "200000"))
ROSTER = 100
DEPARTMENTS = ["秘书处", "学习部", "宣传部", "文艺部", "体育部", "外联部", "生活部", "组织部"]


def union(store: DocumentStore, members: int, signins: int) -> None:
    """Members, then meetings of the autumn term up to now, 90 of each roster of 100 signed in
    (a tenth of them late), and a resolution per meeting."""
    rng = random.Random(22)
    ids = [f"b{n:05d}" for n in range(members)]
    store.bulk_put({"_id": f"member:{m}", "name": f"成员{n}", "department": DEPARTMENTS[n % 8],
                    "role": "干事", "qr_token": f"M{n:016X}"} for n, m in enumerate(ids))
    first, serial, written = datetime(2026, 8, 20, 9, 0), 0, 0
    span = (NOW - first).total_seconds()
    while written < signins:
        batch: list[dict[str, object]] = []
        for _ in range(20):
            serial += 1
            start = first + timedelta(seconds=rng.random() * span)
            start = start.replace(minute=0, second=0)
            roster = rng.sample(ids, min(ROSTER, len(ids)))
            key = f"bench-{serial}"
            stamp = start.isoformat(timespec="minutes")
            batch.append({"_id": f"meeting:{key}", "title": "部门例会", "start": stamp,
                          "end": (start + timedelta(hours=1)).isoformat(timespec="minutes"),
                          "meeting_class": "B", "roster": roster})
            for member_id in roster[: ROSTER * 9 // 10]:
                late = rng.random() < 0.1
                batch.append({"_id": f"signin:{key}:{member_id}", "meeting_id": f"meeting:{key}",
                              "member_id": member_id, "node": "kiosk-1", "method": "badge",
                              "time": (start + timedelta(minutes=10 if late else 0)
                                       ).isoformat(timespec="minutes")})
                written += 1
            batch.append({"_id": f"resolution:{key}", "meeting_id": f"meeting:{key}",
                          "text": "落实", "owner": rng.choice(ids),
                          "deadline": (start + timedelta(days=7)).date().isoformat(),
                          "status": "done" if rng.random() < 0.7 else "open",
                          "done_at": (start + timedelta(days=rng.randint(1, 10))
                                      ).isoformat(timespec="minutes")})
        store.bulk_put(batch)


async def paint(store: DocumentStore) -> tuple[float, float]:
    """(the pane's first frame after F8, the ranked table filled), in seconds."""
    ctx = AppContext(settings=Settings(), store=store, i18n=Translator("zh"), clock=lambda: NOW)
    frames: list[float] = []
    original = EvaluationPane.reload

    def timed_reload(pane: EvaluationPane) -> None:
        frames.append(time.perf_counter())
        original(pane)

    EvaluationPane.reload = timed_reload  # type: ignore[method-assign]
    try:
        app = MishuApp(ctx)
        async with app.run_test(size=(120, 40)) as pilot:
            while not app.screen.query(DashboardPanel) or not all(
                    panel.loaded for panel in app.screen.query(DashboardPanel)):
                await pilot.pause(0.005)  # the dashboard the app opens on is settled first
            started = time.perf_counter()
            await pilot.press("f8")
            while not frames:
                await pilot.pause(0.001)
            while not app.screen.query_one(EvaluationPane).loaded:
                await pilot.pause(0.005)
            filled = time.perf_counter() - started
    finally:
        EvaluationPane.reload = original  # type: ignore[method-assign]
    ctx.close()
    return frames[0] - started, filled


def benchmarks() -> list[BenchRow]:
    with tempfile.TemporaryDirectory() as tmp:
        with DocumentStore.open(Path(tmp) / "demo") as store:
            fill_demo(store, today=NOW.date())
            small = asyncio.run(paint(store))
            count_small = store.doc_count
        with DocumentStore.open(Path(tmp) / "union") as store:
            union(store, MEMBERS, SIGNINS)
            runs = sorted(asyncio.run(paint(store)) for _ in range(3))
    first = sorted(run[0] for run in runs)[1]
    filled = sorted(run[1] for run in runs)[1]
    size = f"{MEMBERS} members, {SIGNINS // 1000}k sign-ins"
    return [
        BenchRow(f"evaluation table first paint after F8, {size} (median of 3)",
                 f"{first * 1e3:.0f} ms",
                 f"demo office ({count_small} docs) {small[0] * 1e3:.0f} ms", "< 300 ms",
                 first < 0.3),
        BenchRow("evaluation table ranked and filled, same store", f"{filled * 1e3:.0f} ms",
                 f"demo office {small[1] * 1e3:.0f} ms", "(reported)", True),
    ]
