"""Every meeting, newest first, with its live sign-in count and minutes status."""

from __future__ import annotations

from datetime import datetime
from functools import partial

from rich.text import Text

from store.booking_calendar import BookingCalendar
from store.meeting_booking import room_name
from store.meetings import Meeting, minutes_state
from store.meetings_attendance import AttendanceIndex
from tui.plain_text import cell
from tui.widgets.common.fit_columns import Cells, FittedTable
from tui.settings import MeetingSettings

COLUMNS = ("when", "title", "room", "class", "signed", "minutes")


class MeetingList(FittedTable):
    GIVE_WAY = ("minutes", "class", "room", "signed")  # before the time and title
    def __init__(self, **kwargs: object) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)  # type: ignore[arg-type]

    def on_mount(self) -> None:
        t = self.app.ctx.i18n  # type: ignore[attr-defined]
        for column in COLUMNS:
            self.add_column(t(f"meetings.column.{column}"), key=column)

    def reload(self, index: AttendanceIndex, now: datetime, rules: MeetingSettings) -> None:
        t = self.app.ctx.i18n  # type: ignore[attr-defined]
        keep = self.selected_id()
        calendar = self.app.ctx.index(BookingCalendar)  # type: ignore[attr-defined]

        def cells(meeting: Meeting) -> list[Text]:
            signed, expected = index.count(meeting.meeting_id)
            state = minutes_state(meeting, now, rules.minutes_draft_hours, rules.minutes_final_hours)
            minutes = cell(t(f"meetings.minutes.{meeting.minutes_status}"))
            if state.overdue:
                minutes.append(f" {t('meetings.overdue')}", style="bold red")
            title = cell(meeting.title)
            if meeting.cancelled:
                title.append(f" {t('meetings.cancelled')}", style="bold red")
            return [cell(meeting.start[5:16].replace("T", " ")), title,
                    cell(room_name(calendar, meeting.room_id)), cell(meeting.meeting_class),
                    cell(f"{signed}/{expected}"), minutes]

        # counted when a page is drawn: ten years hold 18 000 meetings and a million sign-ins
        rows: list[tuple[str | None, Cells]] = [
            (meeting.meeting_id, partial(cells, meeting)) for meeting in index.meeting_list()]
        self.show_rows(rows)
        if keep is not None:
            self.select(keep)

    def select(self, meeting_id: str) -> None:
        try:
            self.move_cursor(row=self.get_row_index(meeting_id))
        except Exception:  # the meeting is gone (deleted elsewhere): keep the cursor where it is
            return

    def selected_id(self) -> str | None:
        if self.row_count == 0:
            return None
        return str(self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value)
