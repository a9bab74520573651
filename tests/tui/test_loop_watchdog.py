"""The blocked-loop watchdog catches a frozen screen, and slow index builds no longer freeze one."""

from __future__ import annotations

import random
import time
from collections.abc import Callable

from textual.widgets import Static

from store import DocumentStore
from store.archive_demo import generate_records
from store.archive_index import ArchiveIndex
from tests.loop_watchdog import LIMIT_SECONDS, LoopWatchdog
from tui.app import MishuApp
from tui.context import AppContext
from tui.screens.archive import ArchiveScreen

from .test_archive import wait_until

ARCHIVE_RECORDS = 10_000  # a cold search-index build over 200 ms of CPU here
# recent records: none due for destruction, so the dashboard's own lists stay short


def busy(seconds: float) -> None:
    started = time.thread_time()
    while time.thread_time() - started < seconds:
        pass


async def test_watchdog_reports_a_callback_that_blocks_the_loop(
        store: DocumentStore, make_ctx: Callable[..., AppContext],
        loop_watchdog: LoopWatchdog) -> None:
    store.put({"_id": "member:001", "name": "张三"})
    app = MishuApp(make_ctx())
    async with app.run_test(size=(80, 24)) as pilot:
        app.call_later(busy, LIMIT_SECONDS * 1.5)
        await wait_until(lambda: bool(loop_watchdog.stalls), pilot)
    stalls, loop_watchdog.stalls[:] = list(loop_watchdog.stalls), []  # seen, not a failure
    assert len(stalls) == 1 and " ms in <" in stalls[0]  # seen: this test must not fail for the stall it made


async def test_archive_search_index_is_built_off_the_event_loop(
        store: DocumentStore, make_ctx: Callable[..., AppContext]) -> None:
    store.put({"_id": "member:001", "name": "张三"})
    ctx = make_ctx()
    scheme = ctx.settings.archive.scheme()
    store.bulk_put([record.to_doc() for record in
                    generate_records(random.Random(1), scheme, ARCHIVE_RECORDS, (2024, 2026))])
    ctx.index(ArchiveIndex)  # as the dashboard leaves it: records indexed, search index cold
    app = MishuApp(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f6")
        await wait_until(lambda: isinstance(app.screen, ArchiveScreen), pilot)
        count = app.screen.query_one("#archive-count", Static)
        await wait_until(lambda: ctx.has_index(ArchiveIndex)
                         and ctx.index(ArchiveIndex).search_ready, pilot, timeout=120)
        await wait_until(lambda: str(ARCHIVE_RECORDS) in str(count.content), pilot, timeout=30)
