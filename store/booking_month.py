"""The month view's figures: how many bookings each day of a month holds.

Weeks run Monday to Sunday (as the day grid's weekday names do); days of the neighbouring
months fill the first and last weeks so every row has seven cells, and carry their counts too.
"""

from __future__ import annotations

import calendar as monthly
from datetime import date

from .booking_calendar import BookingCalendar


def month_weeks(year: int, month: int) -> list[list[date]]:
    return monthly.Calendar(firstweekday=0).monthdatescalendar(year, month)


def day_counts(calendar: BookingCalendar, weeks: list[list[date]]) -> dict[date, int]:
    """Active bookings meeting on each day shown (a recurring booking counts on each date)."""
    return {day: sum(1 for occ in calendar.day(day) if occ.booking.active)
            for week in weeks for day in week}
