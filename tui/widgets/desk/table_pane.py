"""A desk pane that is one table kept current from the store, with confirm-and-undo actions.

The requests and approvals panes both list rows derived from the :class:`DeskIndex` and act on
the row under the cursor; this base composes the table, refills it whenever the store changes
(a fact replicated in from another node shows at once), and carries :class:`Undoing` so a
decline or withdrawal is asked first and taken back with Ctrl+Z. The desk's view is first
built in a worker thread behind a loading line (a second at 20 000 requests). The table draws
:data:`PAGE` rows, most urgent first, with the count of all above it, and the next page when
the cursor reaches the last row drawn: drawing a row costs Textual about a quarter of a
millisecond, so drawing every row would hold the board's first paint back for what is below
the fold.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.widgets import DataTable, Static
from textual.worker import Worker, WorkerState

from store.desk_index import DeskIndex

from ...screens.undoable import UNDO, Undoing
from .pane import DeskPane

PAGE = 100  # rows drawn at a time: two screens at 40 lines


Row = tuple[str, Callable[[], tuple[Text, ...]]]


class TablePane(Undoing, DeskPane):
    BINDINGS = [UNDO]
    columns: ClassVar[tuple[str, ...]]  # i18n keys of the column headings

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[Row] = []  # every row in order, of which the table draws the first pages

    @property
    def index(self) -> DeskIndex:
        return self.ctx.index(DeskIndex)

    @property
    def table(self) -> DataTable[Text]:
        return self.query_one(DataTable)

    def compose(self) -> ComposeResult:
        yield Static(self.t("desk.loading"), classes="desk-summary")
        table: DataTable[Text] = DataTable(cursor_type="row", zebra_stripes=True)
        for key in self.columns:
            table.add_column(self.t(key))
        yield table

    def on_mount(self) -> None:
        self._unsubscribe = self.ctx.store.subscribe(lambda _seq: self.app.call_later(self.refill))
        if self.ctx.has_index(DeskIndex):
            self.refill()
        else:
            self._build_index()

    @work(thread=True, exclusive=True, group="desk-index")
    def _build_index(self) -> None:
        self.ctx.index(DeskIndex)

    @on(Worker.StateChanged)
    def _index_built(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "desk-index" and event.state is WorkerState.SUCCESS:
            self.refill()

    def on_unmount(self) -> None:
        self._unsubscribe()

    def refill(self) -> None:
        if not self.ctx.has_index(DeskIndex):
            return  # the worker's refill follows
        table = self.table
        kept = self.selected_key()
        table.clear()
        self._rows = self.rows()
        # the row the cursor was on stays drawn (and under the cursor) wherever it moved to
        place = next((n for n, (key, _cells) in enumerate(self._rows) if key == kept), 0)
        self._draw(max(PAGE, place + 1))
        if kept is not None and kept in table.rows:
            table.move_cursor(row=table.get_row_index(kept))

    def _draw(self, upto: int) -> None:
        """Draw the rows not drawn yet up to ``upto``, and say how many of all are drawn."""
        table = self.table
        for key, cells in self._rows[table.row_count:upto]:
            table.add_row(*cells(), key=key)
        drawn, count = table.row_count, len(self._rows)
        self.query_one(".desk-summary", Static).update(
            self.t("desk.count", count=count) if drawn == count
            else self.t("desk.count_limited", shown=drawn, count=count))

    @on(DataTable.RowHighlighted)
    def _next_page(self, event: DataTable.RowHighlighted) -> None:
        table = self.table
        if event.cursor_row >= table.row_count - 1 and table.row_count < len(self._rows):
            self._draw(table.row_count + PAGE)

    def rows(self) -> list[Row]:
        """Each row's key and how to draw it, in order; only the drawn ones are drawn."""
        raise NotImplementedError

    def selected_key(self) -> str | None:
        table = self.table
        if table.row_count == 0:
            return None
        return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    def after_undoable(self) -> None:
        self.refill()
