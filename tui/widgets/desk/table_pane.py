"""A desk pane that is one table kept current from the store, with confirm-and-undo actions.

The requests and approvals panes both list rows derived from the :class:`DeskIndex` and act on
the row under the cursor; this base composes the table, refills it whenever the store changes
(a fact replicated in from another node shows at once), and carries :class:`Undoing` so a
decline or withdrawal is asked first and taken back with Ctrl+Z.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import DataTable

from store.desk_index import DeskIndex

from ...screens.undoable import UNDO, Undoing
from .pane import DeskPane

if TYPE_CHECKING:
    from ...context import AppContext


class TablePane(Undoing, DeskPane):
    BINDINGS = [UNDO]
    columns: ClassVar[tuple[str, ...]]  # i18n keys of the column headings

    @property
    def ctx(self) -> AppContext:
        return self.app.ctx  # type: ignore[attr-defined,no-any-return]

    def t(self, key: str, **params: Any) -> str:
        return self.ctx.i18n(key, **params)

    @property
    def index(self) -> DeskIndex:
        return self.ctx.index(DeskIndex)

    @property
    def table(self) -> DataTable[Text]:
        return self.query_one(DataTable)

    def compose(self) -> ComposeResult:
        table: DataTable[Text] = DataTable(cursor_type="row", zebra_stripes=True)
        for key in self.columns:
            table.add_column(self.t(key))
        yield table

    def on_mount(self) -> None:
        self._unsubscribe = self.ctx.store.subscribe(lambda _seq: self.app.call_later(self.refill))
        self.refill()

    def on_unmount(self) -> None:
        self._unsubscribe()

    def refill(self) -> None:
        table = self.table
        kept = self.selected_key()
        table.clear()
        for key, cells in self.rows():
            table.add_row(*cells, key=key)
        if kept is not None and kept in table.rows:
            table.move_cursor(row=table.get_row_index(kept))

    def rows(self) -> list[tuple[str, tuple[Text, ...]]]:
        raise NotImplementedError

    def selected_key(self) -> str | None:
        table = self.table
        if table.row_count == 0:
            return None
        return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    def after_undoable(self) -> None:
        self.refill()
