"""Documents found: number (once issued), title, department, stage, owner and what is due."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.widgets import DataTable

from store.documents import CLASH
from store.documents_index import DocumentIndex

from ...plain_text import cell

COLUMNS = ("number", "title", "department", "stage", "owner", "due")
WIDTHS = {"number": 14, "title": 22, "department": 8, "stage": 8, "owner": 8}


class DocumentTable(DataTable[Text]):
    def __init__(self, **kwargs: object) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)  # type: ignore[arg-type]

    def on_mount(self) -> None:
        t = self.app.ctx.i18n  # type: ignore[attr-defined]
        for column in COLUMNS:
            self.add_column(t(f"documents.column.{column}"), key=column, width=WIDTHS.get(column))

    def reload(self, keys: list[str], index: DocumentIndex, now: datetime) -> None:
        t = self.app.ctx.i18n  # type: ignore[attr-defined]
        self.clear()
        for key in keys:
            state = index.state(key)
            promise = state.open_promise()
            late = promise is not None and promise.overdue(now)
            due = promise.due.strftime("%m-%d %H:%M") if promise else ""
            self.add_row(cell(state.issue.number if state.issue else ""), cell(state.title),
                         cell(state.department),
                         cell(t(f"documents.stage.{state.stage}"),
                              style="b red" if state.stage == CLASH else ""),
                         cell(state.owner), cell(due, style="b red" if late else ""), key=key)
