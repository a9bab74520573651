"""One double booking, both sides: who booked what, where and on which machine; keep one.

Cancelling or moving a side is an ordinary edit, so the resolution replicates to every node.
Takes the two booking ids of the attention item, so the dashboard can open it too.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from store.booking import Booking, BookingCalendar, Saved, occurrences

from ...plain_text import cell, plain
from ...screens.base import Dialog
from .booking_form import BookingForm
from .desk import booking_desk


class ClashDialog(Dialog[bool]):
    """Dismisses with True once one side was cancelled or moved."""

    DEFAULT_CLASSES = "form-dialog clash-dialog"
    BINDINGS = [("escape", "close", "common.close")]

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
                with Horizontal(classes="buttons"):
                    yield Button(cell(t("bookings.clash.cancel_this", title=booking.title)),
                                 id=f"cancel-{number}", variant="error")
                    yield Button(cell(t("bookings.clash.move_this", title=booking.title)),
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
            booking_desk(self.ctx).cancel(booking_id)
            self.notify(self.ctx.i18n("bookings.clash.resolved"))
            self.dismiss(True)
        elif action == "move":
            booking = self.ctx.index(BookingCalendar).bookings[booking_id]
            self.app.push_screen(BookingForm(booking), self._moved)

    def _moved(self, saved: Saved | None) -> None:
        if saved is not None:
            self.notify(self.ctx.i18n("bookings.clash.resolved"))
            self.dismiss(True)

    def action_close(self) -> None:
        self.dismiss(False)
