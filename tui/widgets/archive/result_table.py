"""Search results: one row per record, best match first."""

from __future__ import annotations

from rich.text import Text

from store.archive import CONFIDENTIAL, CONFIDENTIALITY
from store.archive_index import ArchiveIndex

from ...i18n import Translator
from ...plain_text import cell
from ..common.fit_columns import NUMBER_FLOOR, TITLE_FLOOR, FittedTable

COLUMNS = ("number", "title", "category", "confidentiality", "status")
TITLE_WIDTH = 160
"""Most of a title a row holds before the table fits it to the window."""
STATUS_STYLE = {"on_loan": "yellow", "destroyed": "dim strike"}


def confidentiality_label(t: Translator, level: str) -> str:
    """A level in the UI language; a peer's unknown value as it is, never a catalog key."""
    return t(f"archive.confidentiality.{level}") if level in CONFIDENTIALITY else level


class ArchiveTable(FittedTable):
    # The number gives way from its start first (…发〔2026〕909号: the office's prefix is on
    # every row), then the title takes what the others leave, cut with an ellipsis
    GIVE_WAY = ("number", "title")
    FLOORS = {"number": NUMBER_FLOOR, "title": TITLE_FLOOR}
    CUT_START = frozenset({"number"})

    def __init__(self, **kwargs: object) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)  # type: ignore[arg-type]

    def on_mount(self) -> None:
        t = self.app.ctx.i18n  # type: ignore[attr-defined]
        for column in COLUMNS:
            self.add_column(t(f"archive.field.{column}"), key=column)

    def reload(self, archive_ids: list[str], index: ArchiveIndex) -> None:
        t = self.app.ctx.i18n  # type: ignore[attr-defined]
        rows: list[tuple[str | None, list[Text]]] = []
        for archive_id in archive_ids:
            record = index.record(archive_id)
            if record is None:
                continue
            status = index.state(archive_id).status
            level = cell(confidentiality_label(t, record.confidentiality),
                         style="bold red" if record.confidentiality == CONFIDENTIAL else "")
            number = cell(record.number, style="bold red" if index.is_duplicate(record) else "")
            rows.append((archive_id, [
                number, cell(record.title, width=TITLE_WIDTH), cell(record.category), level,
                cell(t(f"archive.status.{status}"), style=STATUS_STYLE.get(status, ""))]))
        self.show_rows(rows)

    def selected_id(self) -> str | None:
        if self.row_count == 0:
            return None
        return str(self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value)
