"""Requests waiting for confirmation, oldest first; past the confirmation target they stand out."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.widgets import DataTable

from store.booking import BookingCalendar, PendingRequest, occurrences, short_notice

from ...i18n import Translator
from ...plain_text import cell
from ..common.fit_columns import fit_rows

COLUMNS = ("title", "when", "room", "age", "flags", "who")
GIVE_WAY = (5, 4, 3)  # who, then the flags, then the age give way before title, time and room


class PendingList(DataTable[Text]):
    def __init__(self, **kwargs: object) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)  # type: ignore[arg-type]
        self.requests: list[PendingRequest] = []
        self._lines: list[tuple[str, list[str], dict[str, str]]] = []

    def on_mount(self) -> None:
        t = self.app.ctx.i18n  # type: ignore[attr-defined]
        for column in COLUMNS:
            self.add_column(t(f"bookings.field.{column}"), key=column)

    def reload(self, calendar: BookingCalendar, now: datetime, confirm_hours: int,
               notice_hours: int) -> None:
        t = self.app.ctx.i18n  # type: ignore[attr-defined]
        self.requests = calendar.pending(now, confirm_hours)
        self._lines = [self._line(calendar, request, t, confirm_hours, notice_hours)
                       for request in self.requests]
        self._show_lines()
        self.border_title = t("bookings.pending_title", count=len(self.requests))

    @staticmethod
    def _line(calendar: BookingCalendar, request: PendingRequest, t: Translator,
              confirm_hours: int, notice_hours: int) -> tuple[str, list[str], dict[str, str]]:
        """The booking id, the cells in column order, and the style of the cells that have one."""
        booking = request.booking
        room = calendar.rooms.get(booking.room_id)
        first = occurrences(booking)
        minutes = int(request.age.total_seconds() // 60)
        age = t("bookings.age", hours=minutes // 60, minutes=minutes % 60)
        styles = {}
        if request.overdue:
            age = t("bookings.age_overdue", age=age, hours=confirm_hours)
            styles["age"] = "bold red"
        flag = ""
        if short_notice(booking, notice_hours):
            flag = t("bookings.flag_short", hours=notice_hours)
            styles["flags"] = "bold yellow"
        texts = {"title": booking.title, "when": f"{first[0].start:%m-%d %H:%M}" if first else booking.start,
                 "room": room.name if room else booking.room_id, "age": age, "flags": flag,
                 "who": booking.organiser}
        return booking.booking_id, [texts[column] for column in COLUMNS], styles

    def on_resize(self) -> None:
        self._show_lines()

    def _show_lines(self) -> None:
        """Title, time and room first and whole where they can be: the long cells give way."""
        cursor = self.cursor_row
        headers = [str(column.label) for column in self.columns.values()]
        fitted = fit_rows(headers, [texts for _key, texts, _styles in self._lines],
                          self.scrollable_content_region.width, GIVE_WAY)
        self.clear()
        for (key, _texts, styles), shown in zip(self._lines, fitted):
            self.add_row(*(cell(text, style=styles.get(column, ""))
                           for column, text in zip(COLUMNS, shown)), key=key)
        if self._lines:
            self.move_cursor(row=min(cursor, len(self._lines) - 1), animate=False)

    def selected_id(self) -> str | None:
        if self.row_count == 0:
            return None
        return str(self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value)
