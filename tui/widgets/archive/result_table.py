"""Search results: one row per record, best match first."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import DataTable

from store.archive import CONFIDENTIAL, CONFIDENTIALITY
from store.archive_index import ArchiveIndex

from ...i18n import Translator
from ...plain_text import cell

COLUMNS = ("number", "title", "category", "confidentiality", "status")
WIDTHS = {"number": 22, "category": 8, "confidentiality": 8, "status": 10}
TITLE_MIN = 12
"""The title takes what the other columns leave (22 cells at 80 columns), never less than this."""
STATUS_STYLE = {"on_loan": "yellow", "destroyed": "dim strike"}


def confidentiality_label(t: Translator, level: str) -> str:
    """A level in the UI language; a peer's unknown value as it is, never a catalog key."""
    return t(f"archive.confidentiality.{level}") if level in CONFIDENTIALITY else level


class ArchiveTable(DataTable[Text]):
    def __init__(self, **kwargs: object) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)  # type: ignore[arg-type]
        self._shown: tuple[list[str], ArchiveIndex] | None = None

    def on_mount(self) -> None:
        t = self.app.ctx.i18n  # type: ignore[attr-defined]
        for column in COLUMNS:
            self.add_column(t(f"archive.field.{column}"), key=column,
                            width=WIDTHS.get(column, TITLE_MIN))

    def _title_width(self) -> int:
        others = sum(WIDTHS.values()) + 2 * len(COLUMNS)  # each column is padded by one a side
        return max(TITLE_MIN, self.scrollable_content_region.width - others)

    def on_resize(self) -> None:
        """A wider window shows more of each title, cut with an ellipsis where it ends."""
        width = self._title_width()
        if self.columns["title"].width != width:
            self.columns["title"].width = width
            if self._shown is not None:
                cursor = self.cursor_row
                self.reload(*self._shown)
                self.move_cursor(row=cursor)

    def reload(self, archive_ids: list[str], index: ArchiveIndex) -> None:
        t = self.app.ctx.i18n  # type: ignore[attr-defined]
        self._shown = (archive_ids, index)
        title_width = self.columns["title"].width
        self.clear()
        for archive_id in archive_ids:
            record = index.record(archive_id)
            if record is None:
                continue
            status = index.state(archive_id).status
            level = cell(confidentiality_label(t, record.confidentiality),
                         style="bold red" if record.confidentiality == CONFIDENTIAL else "")
            number = cell(record.number, style="bold red" if index.is_duplicate(record) else "")
            self.add_row(number, cell(record.title, width=title_width), cell(record.category), level,
                         cell(t(f"archive.status.{status}"), style=STATUS_STYLE.get(status, "")),
                         key=archive_id)

    def selected_id(self) -> str | None:
        if self.row_count == 0:
            return None
        return str(self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value)
