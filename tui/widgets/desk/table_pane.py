"""A desk pane that is one table kept current from the store, with confirm-and-undo actions.

The requests and approvals panes both list rows derived from the :class:`DeskIndex` and act on
the row under the cursor; this base composes the table, refills it whenever the store changes
(a fact replicated in from another node shows at once), and carries :class:`Undoing` so a
decline or withdrawal is asked first and taken back with Ctrl+Z. The desk's view is first
built in a worker thread behind a loading line (a second at 20 000 requests). The table is
drawn a page at a time (:mod:`.paging`), most urgent first, with the count of all above it.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.widgets import DataTable, Static
from textual.worker import Worker, WorkerState

from store.desk_index import DeskIndex

from ...screens.undoable import UNDO, Undoing
from .paging import Pages, Row
from .pane import DeskPane


class TablePane(Undoing, DeskPane):
    BINDINGS = [UNDO]
    columns: ClassVar[tuple[str, ...]]  # i18n keys of the column headings

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
        self.pages = Pages(table)
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
        self.pages.show(self.rows())
        self._summarise()

    def _summarise(self) -> None:
        drawn, count = self.pages.drawn, len(self.pages.rows)
        self.query_one(".desk-summary", Static).update(
            self.t("desk.count", count=count) if drawn == count
            else self.t("desk.count_limited", shown=drawn, count=count))

    @on(DataTable.RowHighlighted)
    def _next_page(self, event: DataTable.RowHighlighted) -> None:
        if self.pages.follow(event.cursor_row):
            self._summarise()

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
