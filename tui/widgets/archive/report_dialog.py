"""The archive's two reports: files whose retention has ended, and loans past their due date."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from store.archive_index import ArchiveIndex

from ...plain_text import cell
from ...screens.base import Dialog

TITLE_WIDTH = 24  # the rest of 80 columns goes to number, period and dates


class ReportDialog(Dialog[None]):
    DEFAULT_CLASSES = "form-dialog archive-dialog archive-report"
    BINDINGS = [("escape", "close", "common.close")]

    def compose(self) -> ComposeResult:
        t = self.ctx.i18n
        index = self.ctx.index(ArchiveIndex)
        today = self.ctx.clock().date()
        due = index.destruction_due(today)
        overdue = index.overdue_loans(today)
        with Vertical():
            yield Static(t("archive.report.destruction", count=len(due)), classes="dialog-title")
            destruction: DataTable[Text] = DataTable(id="report-destruction", cursor_type="row")
            destruction.add_column(t("archive.field.number"))
            destruction.add_column(t("archive.field.title"), width=TITLE_WIDTH)
            destruction.add_columns(t("archive.field.retention"), t("archive.report.ended"))
            for record in due:
                destruction.add_row(cell(record.number), cell(record.title, width=TITLE_WIDTH),
                                    cell(t(f"archive.retention.{record.retention}")),
                                    cell(record.retention_ends()))
            yield destruction
            yield Static(t("archive.report.overdue", count=len(overdue)), classes="dialog-title")
            loans: DataTable[Text] = DataTable(id="report-overdue", cursor_type="row")
            loans.add_column(t("archive.field.number"))
            loans.add_column(t("archive.field.title"), width=TITLE_WIDTH)
            loans.add_columns(t("archive.field.borrower"), t("archive.report.due"))
            for item in overdue:
                loans.add_row(cell(item.record.number), cell(item.record.title, width=TITLE_WIDTH),
                              cell(item.loan.lend.person), cell(item.loan.lend.due))
            yield loans

    def action_close(self) -> None:
        self.dismiss(None)
