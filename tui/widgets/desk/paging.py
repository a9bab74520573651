"""A desk table drawn a page at a time: the first :data:`PAGE` rows, and the next page when
the cursor reaches the last row drawn.

Textual draws a row in about a quarter of a millisecond and measures every cell of it, so a
board of 20 000 requests or a union of 2 000 members drawn whole would hold the first paint
back for rows below the fold. The requests and approvals boards and the evaluation table use it.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.widgets import DataTable

PAGE = 100  # rows drawn at a time: two screens at 40 lines

Row = tuple[str, Callable[[], tuple[Text, ...]]]  # a row's key, and how to draw its cells


class Pages:
    def __init__(self, table: DataTable[Text]) -> None:
        self.table = table
        self.rows: list[Row] = []  # every row in order, of which the first pages are drawn

    def show(self, rows: list[Row]) -> None:
        """Replace the rows; the row under the cursor stays drawn and under the cursor."""
        table = self.table
        kept = (str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
                if table.row_count else None)
        table.clear()
        self.rows = rows
        place = next((n for n, (key, _cells) in enumerate(rows) if key == kept), 0)
        self.draw(max(PAGE, place + 1))
        if kept is not None and kept in table.rows:
            table.move_cursor(row=table.get_row_index(kept))

    def draw(self, upto: int) -> None:
        table = self.table
        for key, cells in self.rows[table.row_count:upto]:
            table.add_row(*cells(), key=key)

    def follow(self, cursor_row: int) -> bool:
        """Draw the next page if the cursor is on the last row drawn; whether it did."""
        drawn = self.table.row_count
        if cursor_row < drawn - 1 or drawn >= len(self.rows):
            return False
        self.draw(drawn + PAGE)
        return True

    @property
    def drawn(self) -> int:
        return self.table.row_count
