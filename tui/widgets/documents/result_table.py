"""Documents found: number (once issued), title, department, stage, owner and what is due.

The title gives way first when the window is narrow, then the department (see
:class:`~tui.widgets.common.fit_columns.FittedTable`)."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text

from store.documents import CLASH
from store.documents_index import DocumentIndex

from ...plain_text import cell
from ..common.fit_columns import NUMBER_FLOOR, TITLE_FLOOR, FittedTable

COLUMNS = ("number", "title", "department", "stage", "owner", "due")
TITLE_WIDTH = 160
"""Most of a title a row holds before the table fits it to the window."""


class DocumentTable(FittedTable):
    # The number first, from its start (the office's prefix is on every row): down to what
    # tells documents apart, …发〔2026〕909号; then the title, then the department
    GIVE_WAY = ("number", "title", "department")
    FLOORS = {"number": NUMBER_FLOOR, "title": TITLE_FLOOR}
    CUT_START = frozenset({"number"})

    def __init__(self, **kwargs: object) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)  # type: ignore[arg-type]

    def on_mount(self) -> None:
        t = self.app.ctx.i18n  # type: ignore[attr-defined]
        for column in COLUMNS:
            self.add_column(t(f"documents.column.{column}"), key=column)

    def reload(self, keys: list[str], index: DocumentIndex, now: datetime) -> None:
        t = self.app.ctx.i18n  # type: ignore[attr-defined]
        rows: list[tuple[str | None, list[Text]]] = []
        for key in keys:
            state = index.state(key)
            promise = state.open_promise()
            late = promise is not None and promise.overdue(now)
            rows.append((key, [
                cell(state.issue.number if state.issue else ""),
                cell(state.title, width=TITLE_WIDTH), cell(state.department),
                cell(t(f"documents.stage.{state.stage}"),
                     style="b red" if state.stage == CLASH else ""),
                cell(state.owner),
                cell(promise.due.strftime("%m-%d %H:%M") if promise else "",
                     style="b red" if late else "")]))
        self.show_rows(rows)
