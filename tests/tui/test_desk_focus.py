"""The desk's list has the focus as soon as the desk or one of its tabs opens, so the pane's
keys work at once (before: the tab strip had it, and `n`, `a`, Enter did nothing until Tab)."""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import DataTable, TabbedContent

from store import DocumentStore
from store.demo import fill_demo
from tui.app import MishuApp
from tui.context import AppContext

from ..conftest import FIXED_NOW


async def test_each_tab_of_the_desk_puts_its_list_under_the_keys(
    store: DocumentStore, make_ctx: Callable[..., AppContext]
) -> None:
    fill_demo(store, today=FIXED_NOW.date())
    app = MishuApp(make_ctx("zh"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f8")
        await pilot.pause()
        tabs = app.screen.query_one("#desk-tabs", TabbedContent)
        for pane in tabs.query("TabPane"):
            tabs.active = str(pane.id)
            await pilot.pause()
            focused = app.focused
            assert isinstance(focused, DataTable), pane.id
            assert pane in focused.ancestors, pane.id
