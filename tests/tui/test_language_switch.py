"""F9 switches the language of every screen, on view or not, and each keeps showing its data."""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import DataTable

from store import DocumentStore
from store.demo import fill_demo
from tui.app import AREAS, MishuApp
from tui.context import AppContext
from tui.i18n import Translator

from ..conftest import FIXED_NOW

# area key, a table on its screen, the i18n key of one of that table's headers
TABLES = [
    ("f2", "#member-table", "members.field.name"),
    ("f4", "#meeting-list", "meetings.column.title"),
    ("f6", "#archive-results", "archive.field.title"),
    ("f5", "#stock-table", "supplies.column.category"),
]


def headers_and_rows(app: MishuApp, selector: str) -> tuple[list[str], int]:
    table = app.screen.query_one(selector, DataTable)
    return [str(column.label) for column in table.ordered_columns], table.row_count


async def test_switching_language_after_visiting_every_area_rebuilds_their_tables(
    store: DocumentStore, make_ctx: Callable[..., AppContext]
) -> None:
    fill_demo(store, today=FIXED_NOW.date())
    app = MishuApp(make_ctx(language="zh"))
    async with app.run_test(size=(120, 40)) as pilot:
        for key in ("f4", "f6", "f5", "f3", "f2", "f1", "f9", "f4", "f9", "f6", "f1", "f9"):
            await pilot.press(key)
            await pilot.pause()
        assert app.ctx.i18n.language == "en"
        english = Translator("en")
        for key, selector, header in TABLES:
            await pilot.press(key)
            await pilot.pause()
            headers, rows = headers_and_rows(app, selector)
            assert english(header) in headers and rows > 0, (selector, headers, rows)
        for mode in AREAS:
            app.switch_mode(mode)
            await pilot.pause()
            assert app.screen.is_mounted


async def test_switching_language_on_the_kpi_view_keeps_its_figures(
    store: DocumentStore, make_ctx: Callable[..., AppContext]
) -> None:
    fill_demo(store, today=FIXED_NOW.date())
    app = MishuApp(make_ctx(language="en"))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+k")
        await pilot.pause()
        await pilot.press("f9")
        await pilot.pause()
        table = app.screen.query_one("#kpi-table", DataTable)
        chinese = Translator("zh")
        assert [str(c.label) for c in table.ordered_columns] == [chinese("kpi.figure"),
                                                                 chinese("kpi.value")]
        assert table.row_count > 0


async def test_f9_in_a_dialog_says_when_the_language_can_change(
    store: DocumentStore, make_ctx: Callable[..., AppContext]
) -> None:
    """Before: F9 in an open dialog did nothing at all (the area keys are not active there).
    Switching would rebuild the form and lose what was typed, so it says to close it first."""
    from tui.widgets.directory.member_form import MemberForm

    app = MishuApp(make_ctx("zh"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f2")
        await pilot.pause()
        await app.push_screen(MemberForm())
        await pilot.press("王", "f9")
        await pilot.pause()
        assert isinstance(app.screen, MemberForm)
        assert app.ctx.i18n.language == "zh"
        assert app.screen.query_one("#field-name").value == "王"
        notices = [str(notice.message) for notice in app._notifications]
        assert app.ctx.i18n("app.language_after_dialog") in notices
