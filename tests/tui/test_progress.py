"""Long tasks behind a progress bar: the bar moves, the result arrives, failures are readable."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from textual.widgets import ProgressBar

from store import DocumentStore
from store.errors import ValidationError
from tui.app import MishuApp
from tui.context import AppContext
from tui.widgets.common.progress_dialog import Progress, ProgressDialog

from ..kiosk.driving import wait_until


def app_with_member(store: DocumentStore, make_ctx: Callable[..., AppContext]) -> MishuApp:
    store.put({"_id": "member:1", "name": "张三"})  # not empty: no first-start dialog
    return MishuApp(make_ctx())


async def test_the_bar_follows_the_task_and_the_result_arrives(
        store: DocumentStore, make_ctx: Callable[..., AppContext]) -> None:
    release = threading.Event()
    results: list[str] = []

    def job(progress: Progress) -> str:
        progress(1, 3)
        release.wait(10)
        return "done"

    app = app_with_member(store, make_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(ProgressDialog("Working", job, results.append))
        await wait_until(lambda: any(bar.total == 3 for bar in app.screen.query(ProgressBar)),
                         pilot)
        assert isinstance(app.screen, ProgressDialog)
        assert app.screen.query_one(ProgressBar).progress == 1
        release.set()
        await wait_until(lambda: results == ["done"], pilot)
        assert not isinstance(app.screen, ProgressDialog)


async def test_a_refusal_is_a_readable_notification(
        store: DocumentStore, make_ctx: Callable[..., AppContext]) -> None:
    def job(_progress: Progress) -> None:
        raise ValidationError("supplies.error.nothing_to_label", "There is nothing to label yet")

    app = app_with_member(store, make_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(ProgressDialog("Working", job, lambda _result: None))
        await wait_until(lambda: bool(app._notifications), pilot)
        assert [n.message for n in app._notifications] == ["There is nothing to label yet"]
        assert not isinstance(app.screen, ProgressDialog)


@pytest.mark.expect_ui_error
async def test_a_crash_is_logged_and_the_app_carries_on(
        store: DocumentStore, make_ctx: Callable[..., AppContext]) -> None:
    def job(_progress: Progress) -> None:
        raise RuntimeError("disk on fire")

    app = app_with_member(store, make_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(ProgressDialog("Working", job, lambda _result: None))
        await wait_until(lambda: bool(app._notifications), pilot)
        assert app.is_running and not isinstance(app.screen, ProgressDialog)
        assert [n.severity for n in app._notifications] == ["error"]
