"""One meeting's attendance, person by person, coloured by status."""

from __future__ import annotations


from store.meetings_export import COLUMNS, AttendanceRecord

from ...plain_text import cell
from ..common.fit_columns import FittedTable

STATUS_STYLE = {"present": "green", "late": "yellow", "absent": "bold red", "excused": "cyan",
                "walk_in": "magenta", "not_yet": "dim"}


class AttendanceTable(FittedTable):
    GIVE_WAY = ("note", "method", "department", "member_id")  # before name, status, time
    def __init__(self, **kwargs: object) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)  # type: ignore[arg-type]
        self.records: list[AttendanceRecord] = []

    def on_mount(self) -> None:
        t = self.app.ctx.i18n  # type: ignore[attr-defined]
        for column in COLUMNS:
            self.add_column(t(f"meetings.column.{column}"), key=column)

    def reload(self, records: list[AttendanceRecord]) -> None:
        t = self.app.ctx.i18n  # type: ignore[attr-defined]
        self.records = records
        self.show_rows([(record.member_id, [
            cell(record.name), cell(record.member_id), cell(record.department),
            cell(t(f"meetings.status.{record.status.value}"),
                 style=STATUS_STYLE[record.status.value]),
            cell(record.time),
            cell(t(f"meetings.method.{record.method}") if record.method else ""),
            cell(self._note(record))]) for record in records])

    def _note(self, record: AttendanceRecord) -> str:
        if not record.also:
            return record.note
        also = self.app.ctx.i18n("meetings.also_at", doors=record.also)  # type: ignore[attr-defined]
        return f"{record.note} {also}".strip()

    def selected(self) -> AttendanceRecord | None:
        if not self.records:
            return None
        return self.records[min(self.cursor_row, len(self.records) - 1)]
