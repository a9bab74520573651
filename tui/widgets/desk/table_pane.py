"""A desk pane that is one table kept current from the store, with confirm-and-undo actions.

The requests and approvals panes both list rows derived from the :class:`DeskIndex` and act on
the row under the cursor; this base composes the table, refills it whenever the store changes
(a fact replicated in from another node shows at once), and carries :class:`Undoing` so a
decline or withdrawal is asked first and taken back with Ctrl+Z. The desk's view is first
built in a worker thread behind a loading line (a second at 20 000 requests), and the table
holds the first :data:`ROW_LIMIT` rows, most urgent first, with the count of all above it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.widgets import DataTable, Static
from textual.worker import Worker, WorkerState

from store.desk_index import DeskIndex

from ...screens.undoable import UNDO, Undoing
from .pane import DeskPane

if TYPE_CHECKING:
    pass

ROW_LIMIT = 500  # Textual fills about 4 000 rows a second; the rest are past any desk's work


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
        rows = self.rows()
        for key, cells in rows[:ROW_LIMIT]:
            table.add_row(*cells(), key=key)
        self.query_one(".desk-summary", Static).update(
            self.t("desk.count", count=len(rows)) if len(rows) <= ROW_LIMIT
            else self.t("desk.count_limited", shown=ROW_LIMIT, count=len(rows)))
        if kept is not None and kept in table.rows:
            table.move_cursor(row=table.get_row_index(kept))

    def rows(self) -> list[tuple[str, Callable[[], tuple[Text, ...]]]]:
        """Each row's key and how to draw it, in order; only the shown ones are drawn."""
        raise NotImplementedError

    def selected_key(self) -> str | None:
        table = self.table
        if table.row_count == 0:
            return None
        return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    def after_undoable(self) -> None:
        self.refill()
