"""The secretary's app opened on a data directory in a fresh process, as a secretary starts it.

The order is ``mishu``'s own (``tui/cli_commands/secretary.py``): the store is opened first,
the app's modules imported after. Prints, as JSON: seconds to open the store (the call alone), seconds until the dashboard is on
screen and until every panel is filled (both counted from before the imports, as the person at
the laptop waits), the peak memory then, and the peak after visiting every other area (F2–F8) and waiting
for each area's workers: the figure a full day's use reaches. Run as
``python -m bench.app_probe DIR``; the store bench runs it on a million documents.
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()

import asyncio  # noqa: E402  (after the clock: the imports are part of what a person waits for)
import json  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

from store import DocumentStore  # noqa: E402
from tui.cli import pypinyin_defaults  # noqa: E402

from .peak_memory import peak_rss_mb  # noqa: E402

pypinyin_defaults()  # as mishu's entry point does


async def probe(directory: Path) -> dict[str, float]:
    opening = time.perf_counter()
    store = DocumentStore.open(directory)
    opened = time.perf_counter() - opening
    from tui.app import AREAS, MishuApp
    from tui.widgets.dashboard.panel import DashboardPanel

    from .first_paint import bench_context, dashboard_settled, painted_after, wait_for

    ctx = bench_context(store)
    with painted_after(DashboardPanel, "build_views_then_fill") as frames:
        app = MishuApp(ctx)
        async with app.run_test(size=(120, 40)) as pilot:
            first = (await wait_for(frames, pilot)).wall - STARTED
            await dashboard_settled(app, pilot)
            filled = time.perf_counter() - STARTED
            dashboard_mb = peak_rss_mb()
            for key in [f"f{number}" for number in range(2, len(AREAS) + 1)]:
                await pilot.press(key)
                await app.workers.wait_for_complete()
                await pilot.pause()
            every_area_mb = peak_rss_mb()
    docs = store.doc_count
    ctx.close()
    return {"store_open_s": opened, "first_paint_s": first, "filled_s": filled,
            "dashboard_mb": dashboard_mb, "every_area_mb": every_area_mb,
            "docs": docs}


if __name__ == "__main__":
    print(json.dumps(asyncio.run(probe(Path(sys.argv[1])))))
