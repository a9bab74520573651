"""The service desk at a large union's size: 2 000 members, 20 000 department requests and
200 000 sign-ins in one term.

The requests board is timed from opening the desk (F8) on an already open store, the dashboard
settled, to the first frame on screen with the board's rows in it. The evaluation table is
timed from opening its tab on that desk to its first frame (the loading line) on screen, and on
to the ranked table on screen. The baselines are the same on the plain demo office in the same
run. The garbage the store's loading and the dashboard left is collected before F8: a full
collection over a large store stalls whatever screen is up for a third of a second or more,
the desk or not, and would land in one run's figure and not another's. The sizes can be cut for a quick look with ``MISHU_BENCH_MEMBERS``,
``MISHU_BENCH_REQUESTS`` and ``MISHU_BENCH_SIGNINS``.
"""

from __future__ import annotations

import asyncio
import gc
import os
import random
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

from textual.widgets import TabbedContent

from store import DocumentStore
from store.demo import fill_demo
from tui.app import MishuApp
from tui.widgets.desk.evaluation_pane import EvaluationPane
from tui.widgets.desk.requests_pane import RequestsPane

from .first_paint import (
    NOW,
    Mark,
    bench_context,
    dashboard_settled,
    median,
    painted_after,
    wait_for,
)
from .table import BenchRow

MEMBERS = int(os.environ.get("MISHU_BENCH_MEMBERS", "2000"))
REQUESTS = int(os.environ.get("MISHU_BENCH_REQUESTS", "20000"))
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


def requests(store: DocumentStore, count: int) -> None:
    """Department requests filed over the term up to now: most answered (accepted, then done
    or declined, each an event), the last few hundred still open, some of them overdue."""
    rng = random.Random(23)
    kinds = ["场地", "物资", "公文审核", "初稿", "其他"]
    first = datetime(2026, 8, 20, 9, 0)
    span = (NOW - first).total_seconds()
    batch: list[dict[str, object]] = []
    for n in range(count):
        filed = first + timedelta(seconds=span * n / count)
        request_id = f"desk_request:bench-{n:06d}"
        batch.append({"_id": request_id, "kind": kinds[n % len(kinds)],
                      "department": DEPARTMENTS[n % 8], "title": f"第{n}号需求",
                      "filed_at": filed.isoformat(timespec="minutes"), "filed_by": "干事"})
        answered = n < count - 300  # the last 300 filed are open, half of them accepted
        events = [("accept", "accept", 1)] if answered or rng.random() < 0.5 else []
        if answered:
            events.append(("outcome", "decline" if rng.random() < 0.05 else "done", 20))
        for stage, step, hours in events:
            batch.append({"_id": f"desk_event:bench-{n:06d}-{stage}", "subject": request_id,
                          "stage": stage, "step": step, "person": "秘书处",
                          "at": (filed + timedelta(hours=hours)).isoformat(timespec="minutes")})
        if len(batch) >= 2000:
            store.bulk_put(batch)
            batch = []
    store.bulk_put(batch)


async def paint(store: DocumentStore) -> tuple[Mark, Mark, Mark]:
    """(the requests board's rows on screen after F8, the evaluation tab's first frame, its
    ranked table on screen), in seconds."""
    ctx = bench_context(store)
    with painted_after(RequestsPane, "refill", lambda pane: pane.table.row_count > 0) as board, \
            painted_after(EvaluationPane, "reload") as loading, \
            painted_after(EvaluationPane, "show_rows") as ranked:
        app = MishuApp(ctx)
        async with app.run_test(size=(120, 40)) as pilot:
            await dashboard_settled(app, pilot)  # the dashboard the app opens on, read first:
            await pilot.pause(0.5)  # its panels refit to their sizes once laid out
            gc.collect()  # what loading the store and the dashboard left, not the desk's own
            started = Mark.now()
            await pilot.press("f8")
            board_painted = (await wait_for(board, pilot)).since(started)
            await pilot.pause(0.2)  # the desk settled, as when someone reads the board first
            started = Mark.now()
            app.screen.query_one(TabbedContent).active = "desk-evaluation"
            first = (await wait_for(loading, pilot)).since(started)
            filled = (await wait_for(ranked, pilot)).since(started)
    ctx.close()
    return board_painted, first, filled


def benchmarks() -> list[BenchRow]:
    with tempfile.TemporaryDirectory() as tmp:
        with DocumentStore.open(Path(tmp) / "demo") as store:
            fill_demo(store, today=NOW.date())
            demo_runs = [asyncio.run(paint(store)) for _ in range(3)]
            count_small = store.doc_count
        with DocumentStore.open(Path(tmp) / "union") as store:
            union(store, MEMBERS, SIGNINS)
            requests(store, REQUESTS)
            runs = [asyncio.run(paint(store)) for _ in range(3)]
    board, first, filled = (median(runs, column) for column in range(3))
    small = [median(demo_runs, column) for column in range(3)]
    size = f"{MEMBERS} members / {REQUESTS // 1000}k requests / {SIGNINS // 1000}k sign-ins"
    demo = f"demo office ({count_small} docs, median of 3)"
    return [
        BenchRow(f"requests board first paint after F8, {size} (median of 3)",
                 board.text(), f"{demo} {small[0].text()}", "< 300 ms", board.wall < 0.3),
        BenchRow("evaluation table first paint after opening its tab, same store",
                 first.text(), f"{demo} {small[1].text()}", "< 300 ms", first.wall < 0.3),
        BenchRow("evaluation table ranked and on screen, same store", filled.text(),
                 f"demo office {small[2].text()}", "(reported)", True),
    ]
