"""The dashboard at 80x24 and 120x40: every column of every panel in view, panels readable.

Before: at 120x40 the overdue-days column of the loans panel and the sign-in count of today's
meeting were cut off behind a horizontal scrollbar; at 80x24 each panel showed one or two rows.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from store import DocumentStore
from store.demo import fill_demo
from tui.app import MishuApp
from tui.context import AppContext
from tui.widgets.common.fit_columns import PADDING, fit_widths
from tui.widgets.dashboard.panel import DashboardPanel

from ..conftest import FIXED_NOW


def test_the_widest_column_gives_way_first_and_never_below_its_floor() -> None:
    assert fit_widths([11, 15, 14, 11], [4, 6, 4, 6], 40 + 4 * PADDING) == [10, 10, 10, 10]
    assert fit_widths([5, 5], [4, 4], 100) == [5, 5]
    assert fit_widths([30, 30], [10, 10], 10) == [10, 10]  # floors win: the table scrolls


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
@pytest.mark.parametrize("language", ["zh", "en"])
async def test_every_panel_shows_all_its_columns_and_several_rows(
    size: tuple[int, int], language: str, store: DocumentStore,
    make_ctx: Callable[..., AppContext],
) -> None:
    fill_demo(store, today=FIXED_NOW.date())
    app = MishuApp(make_ctx(language))
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        for panel in app.screen.query(DashboardPanel):
            assert panel.loaded, panel.id
            assert panel.virtual_size.width <= panel.scrollable_content_region.width, panel.id
            assert panel.size.height >= 7, panel.id  # a header and five lines at least
        loans = app.screen.query_one("#panel-loans", DashboardPanel)
        overdue = [str(loans.get_row_at(row)[-1]) for row in range(loans.row_count)]
        assert overdue and all(text.split()[0].isdigit() for text in overdue)


def test_columns_named_to_give_way_shrink_first_in_their_order() -> None:
    assert fit_widths([14, 11, 15, 27], [8, 4, 6, 6], 50 + 4 * PADDING, give_way=(3, 2)) == [
        14, 11, 15, 10]
    assert fit_widths([14, 11, 15, 27], [8, 4, 6, 6], 30 + 4 * PADDING, give_way=(3, 2)) == [
        9, 9, 6, 6]
