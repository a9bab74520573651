"""Requests waiting for confirmation, oldest first; past the confirmation target they stand out."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text

from store.booking_calendar import BookingCalendar, PendingRequest
from store.booking_recurrence import occurrences
from store.booking_rules import short_notice

from ...i18n import Translator
from ...plain_text import cell
from ..common.fit_columns import FittedTable

COLUMNS = ("title", "when", "room", "age", "flags", "who")


class PendingList(FittedTable):
    GIVE_WAY = ("who", "flags", "age")  # before title, time and room
    WHOLE_OR_NOT = frozenset({"who"})  # the organiser's number, whole or not at all

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
        self.show_rows([self._line(calendar, request, t, confirm_hours, notice_hours)
                        for request in self.requests])
        self.border_title = t("bookings.pending_title", count=len(self.requests))

    @staticmethod
    def _line(calendar: BookingCalendar, request: PendingRequest, t: Translator,
              confirm_hours: int, notice_hours: int) -> tuple[str | None, list[Text]]:
        booking = request.booking
        room = calendar.rooms.get(booking.room_id)
        first = occurrences(booking)
        minutes = int(request.age.total_seconds() // 60)
        age = cell(t("bookings.age", hours=minutes // 60, minutes=minutes % 60))
        if request.overdue:
            age = cell(t("bookings.age_overdue", age=age.plain, hours=confirm_hours),
                       style="bold red")
        flag = (cell(t("bookings.flag_short", hours=notice_hours), style="bold yellow")
                if short_notice(booking, notice_hours) else cell(""))
        when = f"{first[0].start:%m-%d %H:%M}" if first else booking.start
        return booking.booking_id, [cell(booking.title), cell(when),
                                    cell(room.name if room else booking.room_id), age, flag,
                                    cell(booking.organiser)]

    def selected_id(self) -> str | None:
        if self.row_count == 0:
            return None
        return str(self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value)
