""""My bookings": what a member has booked or is expected at, from a day on.

A member's bookings are those they organise plus the rooms of meetings whose roster (or
minute-taker) names them, so a person sees the 报告厅 of the 全体干部大会 they must attend
beside the room they booked themselves.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from .booking_calendar import BookingCalendar
from .booking_recurrence import Occurrence, occurrences
from .meetings import Meeting


def bookings_of(calendar: BookingCalendar, meetings: Iterable[Meeting], member_id: str,
                since: date) -> list[Occurrence]:
    expected = {m.booking_id for m in meetings
                if m.booking_id and (member_id in m.roster or m.minute_taker == member_id)}
    return sorted(
        (occ for booking in calendar.iter_bookings()
         if booking.active and (booking.organiser == member_id or booking.booking_id in expected)
         for occ in occurrences(booking) if occ.day >= since),
        key=lambda occ: (occ.start, occ.booking.booking_id))
