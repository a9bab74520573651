"""Share a table's width among its columns so every column stays in view.

A table whose cells are each clipped to a fixed width still overflows a half-screen panel: the
last column (the overdue days, a meeting's sign-in count) scrolls out of sight and the screen
shows a horizontal scrollbar instead. :class:`FittedTable` narrows columns until they fit,
never below what their header needs: first the columns a table names as least important, then
the widest, so short columns (times, counts, states) keep their full text and a long title
gives way with an ellipsis. Where even that is too wide (a list in a third of 80 columns), the
least important columns are left out rather than every column cut to a stub. It fits again
whenever its width changes.

It draws :data:`PAGE` rows at a time, the next page when the cursor reaches the last row
drawn: Textual measures and keeps every cell of a row it is given, and ten years of meetings
(18 000 rows) drawn whole held the event loop for 20 s and 600 MB. A row's cells may be given
as a function, called when its page is drawn: a meeting's sign-in count is worked out only for
the meetings on screen.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.widgets import DataTable
from textual.widgets.data_table import RowKey

PADDING = 2
"""Terminal cells a DataTable adds around each column (one on either side)."""

FLOOR = 6
"""Narrowest a column that gives way is made (when its header is shorter)."""

NUMBER_FLOOR = 16
"""A document number cut from its start keeps its end whole: ``…发〔2026〕909号``."""

TITLE_FLOOR = 22
"""A title that gives way keeps 11 Chinese characters, enough to tell one notice from another."""

KEEP = 10
"""Narrowest the other columns of a table with columns that give way are made."""

PAGE = 100
"""Rows drawn at a time: two screens at 40 lines."""

Cells = list[Text] | Callable[[], list[Text]]
"""A row's cells in column order, or how to make them when the row is drawn."""


def fit_widths(natural: Sequence[int], floors: Sequence[int], available: int,
               give_way: Sequence[int] = ()) -> list[int]:
    """Column widths no wider than ``natural`` whose sum plus padding fits ``available``.

    The columns in ``give_way`` (indices, least important first) are narrowed to their floor
    first, in that order; then the widest column, one cell at a time, never below its floor.
    If the floors alone do not fit, the floors are returned (the table then scrolls).
    """
    widths = list(natural)
    room = available - PADDING * len(widths)
    excess = sum(widths) - room
    for index in give_way:
        cut = max(0, min(excess, widths[index] - floors[index]))
        widths[index] -= cut
        excess -= cut
    while excess > 0:
        shrinkable = [i for i, width in enumerate(widths) if width > floors[i]]
        if not shrinkable:
            break
        widest = max(shrinkable, key=lambda i: widths[i])
        widths[widest] -= 1
        excess -= 1
    return widths


def _clipped(text: Text, width: int, from_start: bool = False) -> Text:
    """``text`` in ``width`` cells, cut with an ellipsis at its end (or its start).

    Whole characters only: a CJK character that would be split is left out, rather than
    replaced by a space before the ellipsis (``关于组织新生杯 …``).
    """
    if text.cell_len <= width:
        return text
    room = width - 1
    chars = reversed(text.plain) if from_start else iter(text.plain)
    kept = 0
    for char in chars:
        room -= cell_len(char)
        if room < 0:
            break
        kept += 1
    if from_start:
        return Text("…", style=text.style) + text[len(text.plain) - kept:]
    return text[:kept] + Text("…", style=text.style)


def _pages(rows: int) -> int:
    """Rows in the whole pages that hold ``rows`` rows (at least one page)."""
    return max(1, -(-rows // PAGE)) * PAGE


class FittedTable(DataTable[Text]):
    """A table given whole rows with :meth:`show_rows`; it clips them to fit its width."""

    GIVE_WAY: ClassVar[tuple[str, ...]] = ()
    """Column keys that give way first (and are left out first), least important first."""

    FLOORS: ClassVar[dict[str, int]] = {}
    """Narrowest some columns that give way are made, where :data:`FLOOR` would be too narrow
    (a title, a number that should keep its distinguishing end)."""

    WHOLE_OR_NOT: ClassVar[frozenset[str]] = frozenset()
    """Columns shown whole or left out (a member number: ``20260…`` tells nothing)."""

    CUT_START: ClassVar[frozenset[str]] = frozenset()
    """Columns cut at their start: numbers whose beginning is the same on every row."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._full_rows: list[tuple[str | None, Cells]] = []
        self._all_columns: list[tuple[str, Text]] = []
        self._drawn = 0  # how many of the rows are in the table

    def show_rows(self, rows: list[tuple[str | None, Cells]]) -> None:
        """Replace the rows (key, cells in column order), keeping the cursor's row number."""
        self._full_rows = rows
        self._drawn = min(len(rows), _pages(self.cursor_row + 1))
        self._fit()

    def get_row_index(self, row_key: RowKey | str) -> int:
        """The row's index, drawing the pages down to it first (a record just added)."""
        key = row_key.value if isinstance(row_key, RowKey) else row_key
        if key not in self.rows:
            position = next((n for n, (k, _cells) in enumerate(self._full_rows) if k == key), None)
            if position is not None:
                self._grow(_pages(position + 1))
        return super().get_row_index(row_key)

    @on(DataTable.RowHighlighted)
    def _next_page(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table is self and event.cursor_row >= self._drawn - 1:
            self._grow(self._drawn + PAGE)

    def _grow(self, upto: int) -> None:
        """Draw the rows up to ``upto``, fitted again: a longer title further down gets the
        room there is rather than the width the first page needed."""
        if self._drawn < min(upto, len(self._full_rows)):
            self._drawn = min(upto, len(self._full_rows))
            self._fit()

    def on_resize(self) -> None:
        self.call_after_refresh(self._fit)  # once the new layout has given the new width

    def _fit_shown(self, shown: list[int], keys: list[str], natural: list[int],
                   floors: list[int], preferred: list[int], available: int) -> list[int]:
        """Widths of the ``shown`` columns: those that give way first, down to their preferred
        floors, then widest first down to the plain floors; only then the others (a date)."""
        give_way = [shown.index(keys.index(key)) for key in self.GIVE_WAY
                    if key in keys and keys.index(key) in shown]
        widths = [natural[i] for i in shown]
        for floor_of in (preferred, floors):
            widths = fit_widths(widths, [floor_of[shown[at]] if at in give_way else width
                                         for at, width in enumerate(widths)], available,
                                give_way if floor_of is preferred else ())
        return fit_widths(widths, [floors[i] for i in shown], available)

    def _made(self, count: int) -> list[tuple[str | None, list[Text]]]:
        """The first ``count`` rows with their cells made (once: kept for the next fit)."""
        rows = self._full_rows
        for position in range(count):
            key, cells = rows[position]
            if callable(cells):
                rows[position] = (key, cells())
        return rows[:count]  # type: ignore[return-value]

    def _fit(self) -> None:
        if not self._all_columns:  # the columns as the subclass added them, all of them
            self._all_columns = [(str(key.value), column.label)
                                 for key, column in self.columns.items()]
        keys = [key for key, _label in self._all_columns]
        headers = [label.cell_len for _key, label in self._all_columns]
        drawn = self._made(self._drawn)
        natural = [max([header, *(row[i].cell_len for _key, row in drawn)])
                   for i, header in enumerate(headers)]
        keep = KEEP if self.GIVE_WAY else FLOOR
        region = self.scrollable_content_region
        available = region.width
        if (not self.show_vertical_scrollbar
                and len(self._full_rows) + self.header_height > region.height):
            available -= self.styles.scrollbar_size_vertical  # the rows will bring it

        def floors_with(preferred: dict[str, int]) -> list[int]:
            return [min(width, max(header, preferred.get(key, FLOOR) if key in self.GIVE_WAY
                                   else keep))
                    for key, width, header in zip(keys, natural, headers)]

        floors = floors_with({})
        needs = [floor if key in self.GIVE_WAY else width
                 for key, width, floor in zip(keys, natural, floors)]
        # Leave out the least important columns while the others could not be shown whole
        shown = list(range(len(keys)))
        for key in self.GIVE_WAY:
            if sum(needs[i] + PADDING for i in shown) <= available or key not in keys:
                continue
            shown.remove(keys.index(key))
        widths = self._fit_shown(shown, keys, natural, floors, floors_with(self.FLOORS),
                                 available)
        while (stub := next((at for at, i in enumerate(shown) if keys[i] in self.WHOLE_OR_NOT
                             and widths[at] < natural[i]), None)) is not None:
            del shown[stub]  # an id cut to 20260… tells nothing: its room goes to the others
            widths = self._fit_shown(shown, keys, natural, floors, floors_with(self.FLOORS),
                                     available)
        cursor = self.cursor_row
        self.clear(columns=True)  # a column kept would keep the width its widest cell gave it
        for i in shown:
            self.add_column(self._all_columns[i][1], key=keys[i])
        for key, row in drawn:
            self.add_row(*(_clipped(row[i], width, keys[i] in self.CUT_START)
                           for i, width in zip(shown, widths)), key=key)
        if drawn:
            self.move_cursor(row=min(cursor, len(drawn) - 1), animate=False)
