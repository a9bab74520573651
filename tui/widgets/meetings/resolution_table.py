"""The resolution tracking board (决议追踪看板): owner, deadline, status; overdue stands out."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.widgets import DataTable

from store.meetings import Resolution
from store.meetings_attendance import AttendanceIndex
from store.members import MemberDirectory

from ...plain_text import cell

COLUMNS = ("resolution", "owner", "deadline", "status", "meeting")


class ResolutionTable(DataTable[Text]):
    def __init__(self, **kwargs: object) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)  # type: ignore[arg-type]
        self.resolutions: list[Resolution] = []

    def on_mount(self) -> None:
        t = self.app.ctx.i18n  # type: ignore[attr-defined]
        for column in COLUMNS:
            self.add_column(t(f"meetings.column.{column}"), key=column)

    def reload(self, resolutions: list[Resolution], now: datetime, directory: MemberDirectory,
               meetings: AttendanceIndex) -> None:
        t = self.app.ctx.i18n  # type: ignore[attr-defined]
        keep = self.cursor_row
        self.resolutions = resolutions
        self.clear()
        for resolution in resolutions:
            owner = directory.by_id(resolution.owner)
            meeting = meetings.meeting(resolution.meeting_id)
            status = cell(t(f"meetings.resolution_status.{resolution.status}"))
            deadline = cell(resolution.deadline)
            if resolution.is_overdue(now):
                status.append(f" {t('meetings.overdue')}")
                status.stylize("bold red")
                deadline.stylize("bold red")
            self.add_row(cell(resolution.text), cell(owner.name if owner else resolution.owner),
                         deadline, status, cell(meeting.title if meeting else ""),
                         key=resolution.resolution_id)
        if resolutions:
            self.move_cursor(row=min(keep, len(resolutions) - 1))

    def selected(self) -> Resolution | None:
        if not self.resolutions:
            return None
        return self.resolutions[min(self.cursor_row, len(self.resolutions) - 1)]
