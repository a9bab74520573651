"""The bookings of one member (picked by name), upcoming first: see :mod:`store.member_bookings`."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from store.booking_calendar import BookingCalendar
from store.meeting_booking import room_name
from store.meetings_attendance import AttendanceIndex
from store.member_bookings import bookings_of
from store.people import person_label

from ...screens.base import Dialog


class MyBookingsDialog(Dialog[None]):
    DEFAULT_CLASSES = "form-dialog"
    BINDINGS = [("escape", "close", "common.close")]

    def __init__(self, member_id: str) -> None:
        super().__init__()
        self.member_id = member_id

    def compose(self) -> ComposeResult:
        t, ctx = self.ctx.i18n, self.ctx
        calendar = ctx.index(BookingCalendar)
        found = bookings_of(calendar, ctx.index(AttendanceIndex).meetings.values(),
                            self.member_id, ctx.clock().date())
        who = person_label(ctx.directory, self.member_id, t("people.guest"))
        table: DataTable[Text] = DataTable(id="my-bookings", cursor_type="row")
        table.add_columns(t("bookings.my.when"), t("bookings.my.room"), t("bookings.my.title"))
        for occ in found:
            table.add_row(Text(occ.when), Text(room_name(calendar, occ.booking.room_id)),
                          Text(occ.booking.title))
        with Vertical():
            yield Static(Text(t("bookings.my.heading", who=who, count=len(found))),
                         classes="dialog-title")
            yield table

    def action_close(self) -> None:
        self.dismiss(None)
