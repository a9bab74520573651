"""The grid: rooms × hours for a day, or days × hours for one room. One cell is one hour.

A booked cell shows the title, flowing across the meeting's hours, then a bar; colour says
the status (requested amber, confirmed green) and red marks a double booking.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import DataTable

from store.booking import CONFIRMED
from store.booking_grid import Cell, GridRow
from store.booking_recurrence import Occurrence

from ...plain_text import cell, clip
from .desk import hour_text

HOUR_WIDTH = 8  # even: four Chinese characters to an hour, none cut in half
LABEL_WIDTH = 16  # 学生活动中心201 and a gap; with eight hours, 80 columns


@dataclass(frozen=True)
class GridPosition:
    row: GridRow
    hour: int | None  # None on the label column
    occurrence: Occurrence | None


def _pieces(text: str, count: int) -> list[str]:
    """``text`` laid over ``count`` hour cells: one line of ``count`` cells less a gap, cut
    with an ellipsis, split where the cells meet (a wide character never straddles two)."""
    pieces = [""]
    for char in clip(text, count * HOUR_WIDTH - 1):
        if cell_len(pieces[-1] + char) > HOUR_WIDTH:
            pieces.append("")
        pieces[-1] += char
    return pieces + [""] * (count - len(pieces))


def row_texts(cells: tuple[Cell, ...], clashing: set[str]) -> list[Text]:
    """A meeting spanning several hours reads as one title across them, then a bar; the last
    hour of a run keeps a gap so two meetings in a row stay apart."""
    texts: list[Text] = []
    start = 0
    while start < len(cells):
        occ = cells[start].occurrence
        if occ is None:
            texts.append(Text("·", style="dim"))
            start += 1
            continue
        end = start + 1
        while end < len(cells) and cells[end].occurrence == occ:
            end += 1
        booking = occ.booking
        for offset, piece in enumerate(_pieces(booking.title, end - start)):
            style = "on dark_green" if booking.status == CONFIRMED else "on dark_goldenrod"
            if booking.booking_id in clashing or cells[start + offset].count > 1:
                style = "bold white on dark_red"
            last = start + offset == end - 1
            width = HOUR_WIDTH - 1 if last else HOUR_WIDTH
            text = Text(piece or "━" * width, style=style)
            text.truncate(width, pad=True)
            texts.append(text)
        start = end
    return texts


class BookingGrid(DataTable[Text]):
    """Keeps the rows it shows, so the cursor maps back to a room (or day) and an hour."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(cursor_type="cell", zebra_stripes=False, cell_padding=0, **kwargs)  # type: ignore[arg-type]
        self.rows_shown: list[GridRow] = []
        self.hours = range(0)

    def show(self, rows: list[GridRow], labels: list[str], hours: range, corner: str,
             clashing: set[str]) -> None:
        """Replace the grid's content, keeping the cursor where it was."""
        cursor = self.cursor_coordinate
        if self.hours != hours or not self.columns:
            self.clear(columns=True)
            self.add_column(corner, key="label", width=LABEL_WIDTH)
            for hour in hours:
                self.add_column(hour_text(hour), key=str(hour), width=HOUR_WIDTH)
        else:
            self.clear()
            self.columns["label"].label = Text(corner)
        self.hours = hours
        self.rows_shown = rows
        for row, label in zip(rows, labels, strict=True):
            label_cell = cell(label, width=LABEL_WIDTH - 1)  # a gap before the hours
            self.add_row(label_cell, *row_texts(row.cells, clashing), key=row.key)
        if rows:
            self.move_cursor(row=min(cursor.row, len(rows) - 1), column=cursor.column,
                             animate=False)

    def position(self) -> GridPosition | None:
        if not self.rows_shown:
            return None
        coordinate = self.cursor_coordinate
        row = self.rows_shown[min(coordinate.row, len(self.rows_shown) - 1)]
        if coordinate.column == 0:
            return GridPosition(row, None, None)
        hour = self.hours.start + coordinate.column - 1
        return GridPosition(row, hour, row.cells[coordinate.column - 1].occurrence)

    def go_to(self, key: str, hour: int) -> None:
        for index, row in enumerate(self.rows_shown):
            if row.key == key:
                self.move_cursor(row=index, column=hour - self.hours.start + 1, animate=False)
                return

    @staticmethod
    def day_label(day: date, weekday: str) -> str:
        return f"{weekday} {day:%m-%d}"
