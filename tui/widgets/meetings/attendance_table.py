"""One meeting's attendance, person by person, coloured by status."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import DataTable

from store.meetings_export import COLUMNS, AttendanceRecord

STATUS_STYLE = {"present": "green", "late": "yellow", "absent": "bold red", "excused": "cyan",
                "walk_in": "magenta", "not_yet": "dim"}


class AttendanceTable(DataTable[Text]):
    def __init__(self, **kwargs: object) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)  # type: ignore[arg-type]
        self.records: list[AttendanceRecord] = []

    def on_mount(self) -> None:
        t = self.app.ctx.i18n  # type: ignore[attr-defined]
        for column in COLUMNS:
            self.add_column(t(f"meetings.column.{column}"), key=column)

    def reload(self, records: list[AttendanceRecord]) -> None:
        t = self.app.ctx.i18n  # type: ignore[attr-defined]
        keep = self.cursor_row
        self.records = records
        self.clear()
        for record in records:
            status = record.status.value
            self.add_row(Text(record.name), Text(record.member_id), Text(record.department),
                         Text(t(f"meetings.status.{status}"), style=STATUS_STYLE[status]),
                         Text(record.time),
                         Text(t(f"meetings.method.{record.method}") if record.method else ""),
                         Text(record.note), key=record.member_id)
        if records:
            self.move_cursor(row=min(keep, len(records) - 1))

    def selected(self) -> AttendanceRecord | None:
        if not self.records:
            return None
        return self.records[min(self.cursor_row, len(self.records) - 1)]
