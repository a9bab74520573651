"""A fitted table draws a page of rows at a time and the next as the cursor reaches its end.

Before: every row was drawn at once; ten years of meetings (18 000 rows) held the event loop
for 20 s and 600 MB when the meetings area opened.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult

from tui.widgets.common.fit_columns import PAGE, FittedTable

ROWS = 2 * PAGE + 50


class Listing(FittedTable):
    def on_mount(self) -> None:
        self.add_column("n", key="n")
        self.add_column("title", key="title")


class ListingApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Listing(cursor_type="row")


def rows(count: int = ROWS, title: str = "例会") -> list[tuple[str | None, list[Text]]]:
    return [(f"row:{n}", [Text(str(n)), Text(f"{title}{n}")]) for n in range(count)]


async def test_a_page_is_drawn_and_the_next_when_the_cursor_reaches_its_end() -> None:
    app = ListingApp()
    async with app.run_test(size=(60, 20)) as pilot:
        table = app.query_one(Listing)
        table.show_rows(rows())
        table.focus()
        await pilot.pause()
        assert table.row_count == PAGE
        table.move_cursor(row=PAGE - 1)
        await pilot.pause()
        assert table.row_count == 2 * PAGE
        await pilot.press("ctrl+end")
        await pilot.pause()
        assert table.row_count == ROWS
        assert str(table.get_row_at(ROWS - 1)[1]) == f"例会{ROWS - 1}"


async def test_a_row_below_the_pages_drawn_is_found_by_its_key() -> None:
    app = ListingApp()
    async with app.run_test(size=(60, 20)) as pilot:
        table = app.query_one(Listing)
        table.show_rows(rows())
        await pilot.pause()
        assert table.get_row_index("row:230") == 230
        assert table.row_count == ROWS


async def test_new_rows_keep_the_cursor_and_the_pages_down_to_it() -> None:
    app = ListingApp()
    async with app.run_test(size=(60, 20)) as pilot:
        table = app.query_one(Listing)
        table.show_rows(rows())
        table.move_cursor(row=table.get_row_index("row:150"))
        await pilot.pause()
        table.show_rows(rows(title="周会"))
        await pilot.pause()
        assert table.cursor_row == 150
        assert str(table.get_row_at(150)[1]) == "周会150"
        assert table.row_count == 2 * PAGE
