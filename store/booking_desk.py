"""Writing bookings: each edit is checked against the calendar before it is stored."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from .booking import CANCELLED, CONFIRMED, Booking, format_time
from .booking_calendar import BookingCalendar
from .booking_rules import BookingCheck, check_booking, refuse
from .docstore import DocumentStore
from .errors import ConflictError


@dataclass(frozen=True)
class Saved:
    booking_id: str
    rev: str
    short_notice: bool = False


@dataclass
class BookingDesk:
    """The store operations on bookings: each checks the rules against the calendar first.

    ``calendar`` is the shared :class:`BookingCalendar` (the TUI's ``ctx.index``); without one
    a fresh calendar is read from the store.
    """

    store: DocumentStore
    calendar: BookingCalendar | None = None
    notice_hours: int = 24
    node_name: str = ""
    _calendar: BookingCalendar = field(init=False)

    def __post_init__(self) -> None:
        self._calendar = self.calendar or BookingCalendar.from_store(self.store)

    @property
    def view(self) -> BookingCalendar:
        """The calendar the rules are checked against."""
        return self._calendar

    def _check(self, booking: Booking, now: datetime, ignore: str = "") -> BookingCheck:
        """The rules; ``ignore`` names a booking being replaced, whose dates do not clash."""
        others = [occ for occ in self._calendar.candidates(booking)
                  if occ.booking.booking_id != ignore and not self._calendar.released(occ, now)]
        return check_booking(booking, self._calendar.rooms.get(booking.room_id), others, now,
                             self.notice_hours, self._calendar.exceptions.get(booking.booking_id))

    def _write(self, doc: dict[str, Any]) -> str:
        try:
            rev = self.store.put(doc)
        except ConflictError:
            raise refuse("changed", "This booking was changed elsewhere; reload and retry") from None
        if self.calendar is None:
            self._calendar.update(doc["_id"], None if doc.get("_deleted") else {**doc, "_rev": rev})
        return rev

    def _put(self, booking: Booking, rev: str | None) -> str:
        doc = booking.to_doc()
        if rev is not None:
            doc["_rev"] = rev
        return self._write(doc)

    def create(self, booking: Booking, now: datetime) -> Saved:
        booking = replace(
            booking,
            booking_id=booking.booking_id or Booking.new_id(),
            title=booking.title.strip(),
            created_at=booking.created_at or format_time(now),
            created_on=booking.created_on or self.node_name,
            placed_at=format_time(now),
        )
        check = self._check(booking, now)
        return Saved(booking.booking_id, self._put(booking, None), check.short_notice)

    def current(self, booking_id: str) -> tuple[Booking, str]:
        doc = self.store.get_or_none(booking_id)
        if doc is None:
            raise refuse("gone", "This booking no longer exists")
        return Booking.from_doc(doc), str(doc["_rev"])

    def update(self, booking: Booking, now: datetime) -> Saved:
        """Save an edited booking (keeps who booked it, where and when; a new room or time is
        placed now, which is what a no-show release compares with)."""
        current, rev = self.current(booking.booking_id)
        moved = (booking.room_id, booking.start, booking.end) != (
            current.room_id, current.start, current.end)
        booking = replace(booking, title=booking.title.strip(), created_at=current.created_at,
                          created_on=current.created_on,
                          placed_at=format_time(now) if moved else current.placed_at)
        check = self._check(booking, now)
        return Saved(booking.booking_id, self._put(booking, rev), check.short_notice)

    def move(self, booking_id: str, room_id: str, start: str, end: str, now: datetime) -> Saved:
        current, _rev = self.current(booking_id)
        return self.update(replace(current, room_id=room_id, start=start, end=end), now)

    def confirm(self, booking_id: str, now: datetime | None = None) -> str:
        current, rev = self.current(booking_id)
        if current.status == CANCELLED:
            raise refuse("cancelled", "A cancelled booking cannot be confirmed; book again")
        confirmed_at = format_time(now) if now is not None else current.confirmed_at
        return self._put(replace(current, status=CONFIRMED, confirmed_at=confirmed_at), rev)

    def cancel(self, booking_id: str) -> str:
        current, rev = self.current(booking_id)
        return self._put(replace(current, status=CANCELLED), rev)


def create_booking(store: DocumentStore, booking: Booking, now: datetime, **desk: Any) -> Saved:
    return BookingDesk(store, **desk).create(booking, now)


def confirm_booking(store: DocumentStore, booking_id: str, now: datetime | None = None,
                    **desk: Any) -> str:
    return BookingDesk(store, **desk).confirm(booking_id, now)


def cancel_booking(store: DocumentStore, booking_id: str, **desk: Any) -> str:
    return BookingDesk(store, **desk).cancel(booking_id)


def move_booking(store: DocumentStore, booking_id: str, room_id: str, start: str, end: str,
                 now: datetime, **desk: Any) -> Saved:
    return BookingDesk(store, **desk).move(booking_id, room_id, start, end, now)

