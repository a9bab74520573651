"""The resolution tracking board (决议追踪看板): owner, deadline, status; overdue stands out."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text

from store.meetings import Resolution
from store.meetings_attendance import AttendanceIndex
from store.members import MemberDirectory

from ...plain_text import cell
from ..common.fit_columns import FittedTable

COLUMNS = ("resolution", "owner", "deadline", "status", "meeting")


class ResolutionTable(FittedTable):
    GIVE_WAY = ("meeting", "owner")  # before what is to be done, by when, and its state
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
        self.resolutions = resolutions
        rows: list[tuple[str | None, list[Text]]] = []
        for resolution in resolutions:
            owner = directory.by_id(resolution.owner)
            meeting = meetings.meeting(resolution.meeting_id)
            status = cell(t(f"meetings.resolution_status.{resolution.status}"))
            deadline = cell(resolution.deadline)
            if resolution.is_overdue(now):
                status.append(f" {t('meetings.overdue')}")
                status.stylize("bold red")
                deadline.stylize("bold red")
            rows.append((resolution.resolution_id, [
                cell(resolution.text), cell(owner.name if owner else resolution.owner), deadline,
                status, cell(meeting.title if meeting else "")]))
        self.show_rows(rows)

    def selected(self) -> Resolution | None:
        if not self.resolutions:
            return None
        return self.resolutions[min(self.cursor_row, len(self.resolutions) - 1)]
