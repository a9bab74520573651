"""Requests waiting for confirmation, oldest first; past the confirmation target they stand out."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.widgets import DataTable

from store.booking import BookingCalendar, PendingRequest, occurrences, short_notice

from ...plain_text import cell

COLUMNS = ("title", "age", "flags", "when", "room", "who")


class PendingList(DataTable[Text]):
    def __init__(self, **kwargs: object) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)  # type: ignore[arg-type]
        self.requests: list[PendingRequest] = []

    def on_mount(self) -> None:
        t = self.app.ctx.i18n  # type: ignore[attr-defined]
        for column in COLUMNS:
            self.add_column(t(f"bookings.field.{column}"), key=column)

    def reload(self, calendar: BookingCalendar, now: datetime, confirm_hours: int,
               notice_hours: int) -> None:
        t = self.app.ctx.i18n  # type: ignore[attr-defined]
        self.requests = calendar.pending(now, confirm_hours)
        self.clear()
        for request in self.requests:
            booking = request.booking
            room = calendar.rooms.get(booking.room_id)
            first = occurrences(booking)
            minutes = int(request.age.total_seconds() // 60)
            age = cell(t("bookings.age", hours=minutes // 60, minutes=minutes % 60))
            if request.overdue:
                age.append(f" ({t('bookings.overdue', hours=confirm_hours)})")
                age.stylize("bold red")
            flag = (cell(t("bookings.flag_short", hours=notice_hours), style="bold yellow")
                    if short_notice(booking, notice_hours) else cell(""))
            self.add_row(cell(booking.title), age, flag,
                         cell(first[0].when if first else booking.start),
                         cell(room.name if room else booking.room_id), cell(booking.organiser),
                         key=booking.booking_id)
        self.border_title = t("bookings.pending_title", count=len(self.requests))

    def selected_id(self) -> str | None:
        if self.row_count == 0:
            return None
        return str(self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value)
