"""Double bookings left by a merge of two offline machines: room, time and both sides."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import DataTable

from store.booking_calendar import BookingCalendar, Clash

from ...plain_text import cell

COLUMNS = ("room", "when", "first", "second")


class ClashList(DataTable[Text]):
    def __init__(self, **kwargs: object) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)  # type: ignore[arg-type]
        self.clashes: list[Clash] = []

    def on_mount(self) -> None:
        t = self.app.ctx.i18n  # type: ignore[attr-defined]
        self.add_column(t("bookings.field.room"), key="room")
        self.add_column(t("bookings.field.when"), key="when")
        self.add_column(t("bookings.field.first_booking"), key="first")
        self.add_column(t("bookings.field.second_booking"), key="second")

    def reload(self, calendar: BookingCalendar) -> None:
        t = self.app.ctx.i18n  # type: ignore[attr-defined]
        self.clashes = calendar.clashes()
        self.clear()
        for clash in self.clashes:
            room = calendar.rooms.get(clash.first.booking.room_id)
            sides = [cell(f"{occ.booking.title} · {occ.booking.organiser or '?'}"
                          f"@{occ.booking.created_on or '?'} · {occ.start:%H:%M}–{occ.end:%H:%M}")
                     for occ in (clash.first, clash.second)]
            self.add_row(cell(room.name if room else clash.first.booking.room_id),
                         cell(clash.first.when, style="bold red"), *sides, key=clash.key)
        self.border_title = t("bookings.clashes_title", count=len(self.clashes))

    def selected(self) -> Clash | None:
        if self.row_count == 0:
            return None
        key = str(self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value)
        return next((clash for clash in self.clashes if clash.key == key), None)
