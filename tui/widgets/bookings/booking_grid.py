"""The grid: rooms × hours for a day, or days × hours for one room. One cell is one hour.

A booked cell shows the title, continued across the meeting's hours, then a bar; colour says
the status (requested amber, confirmed green) and red marks a double booking.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import DataTable

from store.booking import CONFIRMED, Occurrence
from store.booking_grid import Cell, GridRow

from ...plain_text import cell, printable
from .desk import hour_text

HOUR_WIDTH = 7
LABEL_WIDTH = 18


@dataclass(frozen=True)
class GridPosition:
    row: GridRow
    hour: int | None  # None on the label column
    occurrence: Occurrence | None


def _chunk(text: str, index: int, width: int) -> str:
    """The ``index``-th piece of ``text`` cut at ``width`` terminal cells (CJK is two wide).

    Only the start of ``text`` that the pieces up to ``index`` can hold is read, so a title
    of a megabyte costs no more than a short one.
    """
    pieces: list[str] = []
    current = ""
    for char in printable(text[: (index + 1) * width * 2], newlines=False):
        if cell_len(current + char) > width:
            pieces.append(current)
            if len(pieces) > index:
                return pieces[index]
            current = ""
        current += char
    pieces.append(current)
    return pieces[index] if index < len(pieces) else ""


def row_texts(cells: tuple[Cell, ...], clashing: set[str]) -> list[Text]:
    """A meeting spanning several hours spells its title across them, then a bar."""
    texts = []
    run = 0
    for i, slot in enumerate(cells):
        occ = slot.occurrence
        if occ is None:
            texts.append(Text("·", style="dim"))
            continue
        run = run + 1 if i and cells[i - 1].occurrence == occ else 0
        booking = occ.booking
        style = "on dark_green" if booking.status == CONFIRMED else "on dark_goldenrod"
        if booking.booking_id in clashing or slot.count > 1:
            style = "bold white on dark_red"
        piece = _chunk(booking.title, run, HOUR_WIDTH - 1) or "━" * (HOUR_WIDTH - 1)
        text = Text(piece, style=style)
        text.truncate(HOUR_WIDTH - 1, pad=True)
        texts.append(text)
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
            self.add_column(f" {corner}", key="label", width=LABEL_WIDTH)
            for hour in hours:
                self.add_column(hour_text(hour), key=str(hour), width=HOUR_WIDTH)
        else:
            self.clear()
            self.columns["label"].label = Text(f" {corner}")
        self.hours = hours
        self.rows_shown = rows
        for row, label in zip(rows, labels, strict=True):
            label_cell = cell(f" {label}", width=LABEL_WIDTH - 1)  # a gap before the hours
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
