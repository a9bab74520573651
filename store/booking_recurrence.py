"""A booking's meetings: the dates its repeat rule generates and the occurrences they make.

RFC 5545 semantics: ``count`` counts generated dates, exceptions are removed afterwards, so the
rule exports to iCalendar as RRULE + EXDATE unchanged. A date changed on its own (cancelled or
moved, :mod:`store.booking_exceptions`) is applied here, as the series is expanded.
"""

from __future__ import annotations

import itertools
from calendar import monthcalendar
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from .booking import FREQ_DAYS, MONTHLY, MONTHLY_WEEKDAY, Booking, Recurrence, parse_time
from .booking_exceptions import SeriesException

MAX_OCCURRENCES = 400  # a bit over a year of daily meetings; keeps a typo from filling the index


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One concrete meeting of a (possibly recurring) booking.

    Slotted: the calendar holds one per booking and date (~19k at 1M documents), and a
    per-instance ``__dict__`` was a third of each.
    """

    booking: Booking  # a moved date carries its own room and title here, the series' id
    start: datetime
    end: datetime
    recurrence_id: date | None = None  # the date the series put it on; None: not a series

    @property
    def day(self) -> date:
        return self.start.date()

    @property
    def key(self) -> str:
        """Unique among all occurrences: a moved date may share its day with another one."""
        return f"{self.booking.booking_id}@{self.recurrence_id or ''}"

    @property
    def when(self) -> str:
        return f"{self.start:%Y-%m-%d %H:%M}–{self.end:%H:%M}"


def week_of_month(day: date) -> int:
    """1–4 for the first to fourth such weekday of its month, -1 for a fifth (the last)."""
    number = (day.day - 1) // 7 + 1
    return number if number <= 4 else -1


def _month_day(year: int, month: int, first: date, freq: str) -> date | None:
    """The date a monthly rule generates in that month, or None when the month lacks it."""
    if freq == MONTHLY:
        try:
            return date(year, month, first.day)
        except ValueError:
            return None
    week = week_of_month(first)
    found = [row[first.weekday()] for row in monthcalendar(year, month) if row[first.weekday()]]
    return date(year, month, found[week - 1] if week > 0 else found[-1])


def _candidates(first: date, freq: str) -> Iterator[date]:
    """Every date the rule generates from ``first`` on, endless."""
    if freq in (MONTHLY, MONTHLY_WEEKDAY):
        months = itertools.count()
        while True:
            index = first.month - 1 + next(months)
            found = _month_day(first.year + index // 12, index % 12 + 1, first, freq)
            if found is not None:
                yield found
    else:
        step = timedelta(days=FREQ_DAYS.get(freq, 7))
        yield from (first + step * k for k in itertools.count())


def generated_dates(first: date, recurrence: Recurrence, limit: int = MAX_OCCURRENCES) -> list[date]:
    """The dates the rule generates (RFC 5545: COUNT and UNTIL applied, exceptions not yet)."""
    until = date.fromisoformat(recurrence.until) if recurrence.until else None
    count = limit if recurrence.count is None else min(recurrence.count, limit)
    dates = []
    for current in itertools.islice(_candidates(first, recurrence.freq), count):
        if until is not None and current > until:
            break
        dates.append(current)
    return dates


def occurrence_dates(first: date, recurrence: Recurrence | None) -> list[date]:
    """Dates a booking meets on, first date included, exceptions removed, at most MAX."""
    if recurrence is None:
        return [first]
    skipped = set(recurrence.exceptions)
    return [day for day in generated_dates(first, recurrence) if day.isoformat() not in skipped]


def occurrences(booking: Booking,
                exceptions: Mapping[str, SeriesException] | None = None) -> list[Occurrence]:
    """Every meeting of ``booking``; ``exceptions`` (by original date) cancel or move dates."""
    start, end = parse_time(booking.start), parse_time(booking.end)
    length = end - start
    series = booking.recurrence is not None
    found = []
    for day in occurrence_dates(start.date(), booking.recurrence):
        begin = datetime.combine(day, start.time())
        change = exceptions.get(day.isoformat()) if series and exceptions else None
        if change is None:
            found.append(Occurrence(booking, begin, begin + length, day if series else None))
        elif not change.cancelled:
            found.append(moved_occurrence(booking, change, begin, begin + length))
    return found


def moved_occurrence(booking: Booking, change: SeriesException, start: datetime,
                     end: datetime) -> Occurrence:
    """The occurrence ``change`` makes of the one the series puts at ``start``–``end``."""
    moved = replace(booking, room_id=change.room or booking.room_id,
                    title=change.title or booking.title)
    try:
        start, end = (parse_time(change.start), parse_time(change.end)) if change.start else (start, end)
    except ValueError:
        pass  # an unreadable time from a foreign node: keep the series' slot
    return Occurrence(moved, start, end, date.fromisoformat(change.day))

