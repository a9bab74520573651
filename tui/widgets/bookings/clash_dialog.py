"""One double booking, both sides: who booked what, where and on which machine; keep one.

Cancelling or moving a side is an ordinary edit, so the resolution replicates to every node.
Takes the two booking ids of the attention item, so the dashboard can open it too. A side that
repeats is cancelled on the clashing date only: the clash is about that date, not the series.
"""

from __future__ import annotations

from datetime import date

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from store.booking import Booking
from store.booking_calendar import BookingCalendar
from store.booking_desk import Saved
from store.booking_exceptions import exception_id
from store.booking_recurrence import Occurrence, occurrences
from store.booking_series import Scope, alone

from ...plain_text import cell, plain
from ...screens.base import Dialog
from ...screens.undoable import UNDO, Undoable, Undoing
from .booking_form import BookingForm
from .desk import booking_desk

BUTTON_WIDTH = 60  # a sentence naming the title and the date; titles longer than that are cut


class ClashDialog(Undoing, Dialog[bool]):
    """Dismisses with True once one side was cancelled or moved (a cancel Ctrl+Z takes back)."""

    DEFAULT_CLASSES = "form-dialog clash-dialog"
    BINDINGS = [("escape", "close", "common.close"), UNDO]

    def __init__(self, first_id: str, second_id: str) -> None:
        super().__init__()
        self.booking_ids = (first_id, second_id)

    def _sides(self) -> list[Booking]:
        calendar = self.ctx.index(BookingCalendar)
        return [calendar.bookings[booking_id] for booking_id in self.booking_ids
                if booking_id in calendar.bookings]

    def _describe(self, booking: Booking) -> str:
        first = occurrences(booking)
        return self.ctx.i18n(
            "bookings.clash.side", title=booking.title,
            when=first[0].when if first else booking.start,
            who=self._who(booking.organiser), created=booking.created_at.replace("T", " "),
            node=booking.created_on or "?")

    def _cancelling(self, booking_id: str) -> Undoable:
        """The button was the question: it names the booking (and date) it cancels."""
        t, desk = self.ctx.i18n, booking_desk(self.ctx)
        title = self.ctx.index(BookingCalendar).bookings[booking_id].title
        day = self._clashing_date(booking_id)
        if day is None:
            return Undoable("", (booking_id,), lambda: desk.cancel(booking_id),
                            t("bookings.cancelled", title=title))
        return Undoable("", (exception_id(booking_id, day.isoformat()),),
                        lambda: desk.cancel_date(booking_id, day),
                        t("bookings.cancelled_date", title=title, date=day.isoformat()))

    def _clashing(self, booking_id: str) -> Occurrence | None:
        """The date of a repeating ``booking_id`` in the earliest clash of this pair."""
        pair = set(self.booking_ids)
        for clash in self.ctx.index(BookingCalendar).clashes():
            sides = (clash.first, clash.second)
            if {occ.booking.booking_id for occ in sides} == pair:
                return next((occ for occ in sides if occ.booking.booking_id == booking_id
                             and occ.recurrence_id is not None), None)
        return None

    def _clashing_date(self, booking_id: str) -> date | None:
        occurrence = self._clashing(booking_id)
        return occurrence.recurrence_id if occurrence is not None else None

    def _who(self, member_id: str) -> str:
        member = self.ctx.directory.by_id(member_id) if member_id else None
        return f"{member.name} ({member_id})" if member else member_id or "?"

    def compose(self) -> ComposeResult:
        t = self.ctx.i18n
        calendar = self.ctx.index(BookingCalendar)
        sides = self._sides()
        room = calendar.rooms.get(sides[0].room_id) if sides else None
        with Vertical():
            yield Static(plain(t("bookings.clash.title", room=room.name if room else "?")),
                         classes="dialog-title")
            yield Static(t("bookings.clash.help"))
            for number, booking in enumerate(sides):
                yield Static(plain(f"{number + 1}. {self._describe(booking)}"),
                             classes="clash-side")
                day = self._clashing_date(booking.booking_id)
                with Horizontal(classes="buttons"):
                    yield Button(cell(t("bookings.clash.cancel_date", title=booking.title,
                                        date=day.isoformat()) if day else
                                      t("bookings.clash.cancel_this", title=booking.title),
                                      width=BUTTON_WIDTH),
                                 id=f"cancel-{number}", variant="error")
                    yield Button(cell(t("bookings.clash.move_this", title=booking.title),
                                      width=BUTTON_WIDTH),
                                 id=f"move-{number}")
            with Horizontal(classes="buttons"):
                yield Button(t("common.close"), id="close")

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        action, _, number = (event.button.id or "").partition("-")
        if action == "close":
            self.dismiss(False)
            return
        booking_id = self.booking_ids[int(number)]
        if action == "cancel":
            self.run_undoable(self._cancelling(booking_id))
            self.dismiss(True)
        elif action == "move":
            occurrence = self._clashing(booking_id)
            if occurrence is not None and occurrence.recurrence_id is not None:
                form = BookingForm(alone(occurrence), Scope.THIS, occurrence.recurrence_id,
                                   booking_id)
            else:
                form = BookingForm(self.ctx.index(BookingCalendar).bookings[booking_id])
            self.app.push_screen(form, self._moved)

    def _moved(self, saved: Saved | None) -> None:
        if saved is not None:
            self.notify(self.ctx.i18n("bookings.clash.resolved"))
            self.dismiss(True)

    def action_close(self) -> None:
        self.dismiss(False)
