"""The KPI view's room use and weekly charts, read off the screen in both languages."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.widgets import DataTable

from store import DocumentStore
from store.booking import CONFIRMED, Booking
from store.booking_desk import BookingDesk
from store.rooms import Room, save_room
from tui.app import MishuApp
from tui.context import AppContext
from tui.screens.kpi import KpiScreen
from tui.widgets.common.bar_chart import BarChart

from ..conftest import FIXED_NOW
from .screen_text import screen_text

EXPECTED = {
    "en": ("Room use: 报告厅", "Week of", "11/22", "bookings"),
    "zh": ("会议室使用率：报告厅", "周起始", "11月22日", "次"),
}


@pytest.mark.parametrize("language", ["en", "zh"])
async def test_room_use_and_labelled_weekly_bars(
    store: DocumentStore, make_ctx: Callable[..., AppContext], language: str
) -> None:
    """报告厅 is open 08:00–22:00 (14 h × 25 days of November so far = 350 h) and holds two
    confirmed two-hour bookings in the week of 22 November: 4 / 350 = 1 %."""
    save_room(store, Room("room:hall", "报告厅", 200))
    desk = BookingDesk(store)
    for day in (23, 24):
        desk.create(Booking("", "room:hall", f"2026-11-{day}T10:00", f"2026-11-{day}T12:00",
                            "例会", status=CONFIRMED), FIXED_NOW)
    use, axis, week, unit = EXPECTED[language]
    app = MishuApp(make_ctx(language=language))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+k")
        await pilot.pause()
        assert isinstance(app.screen, KpiScreen)
        table = app.screen.query_one("#kpi-table", DataTable)
        rows = {str(table.get_row_at(i)[0]): str(table.get_row_at(i)[1])
                for i in range(table.row_count)}
        assert rows[use] == "1%"
        chart = app.screen.query_one("#kpi-bookings-trend", BarChart)
        chart.scroll_visible(animate=False)
        await pilot.pause()
        lines = chart.lines(chart.size.width)
        assert lines[0].startswith(axis)
        assert lines[-2].startswith(week) and lines[-2].endswith("█ 2")
        assert lines[-1].rstrip().endswith(unit)
        text = screen_text(app)
        assert f"{week}" in text and "█ 2" in text


@pytest.mark.parametrize("language", ["zh", "en"])
async def test_every_key_figure_is_named_in_full_at_80_columns(
    language: str, store: DocumentStore, make_ctx: Callable[..., AppContext]
) -> None:
    """Before: ``Documents on time (drafts and r…`` at 32 cells, with 40 free beside it."""
    from tui.screens.kpi import kpi_rows

    save_room(store, Room("room:hall", "报告厅", 200))  # not an empty store: no first-start
    app = MishuApp(make_ctx(language=language))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+k")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, KpiScreen)
        table = screen.query_one("#kpi-table", DataTable)
        shown = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        assert shown == [figure for figure, _value in kpi_rows(screen.report, app.ctx.i18n)]
