"""Working-day clocks for promised response times (a draft in 3 working days, a review in 24 hours).

A promise made on the Friday before 国庆 must not fall due during the holiday, and a 调休
Saturday is a working day like any other. The holidays and the adjusted working weekends come
from `chinese_calendar`, which is maintained as the State Council publishes each year's plan,
never from a list kept by hand here. For a year the package does not know yet, only weekends
are skipped, and `holidays_known()` lets a screen say so.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache

import chinese_calendar

_DAY = timedelta(days=1)


def holidays_known(day: date) -> bool:
    """Whether the installed calendar has the public holidays of `day`'s year."""
    try:
        chinese_calendar.is_workday(day)
    except NotImplementedError:
        return False
    return True


@lru_cache(maxsize=8192)  # chinese_calendar scans its whole table per call: 25 µs a day
def is_working_day(day: date) -> bool:
    """A weekday that is no public holiday, or a weekend day worked in exchange (调休)."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def add_working_time(start: datetime, span: timedelta) -> datetime:
    """The moment `span` of working-day time after `start`; time on rest days does not count.

    A clock started on a rest day starts at the next working day's midnight, so a request
    made on Saturday with 24 hours to answer is due on Monday night, not on Sunday.
    """
    if span < timedelta(0):
        raise ValueError("a promised span cannot be negative")
    moment = start
    left = span
    while True:
        day = moment.date()
        next_midnight = datetime.combine(day + _DAY, time(), tzinfo=moment.tzinfo)
        if is_working_day(day):
            room = next_midnight - moment
            if left <= room:
                return moment + left
            left -= room
        moment = next_midnight


def add_working_days(start: datetime, days: int) -> datetime:
    """`days` whole working days after `start` (the 3-working-day draft promise)."""
    return add_working_time(start, timedelta(days=days))


def working_time_between(start: datetime, end: datetime) -> timedelta:
    """Working-day time from `start` to `end` (zero when `end` is not after `start`)."""
    total = timedelta(0)
    moment = start
    while moment < end:
        day = moment.date()
        next_midnight = datetime.combine(day + _DAY, time(), tzinfo=moment.tzinfo)
        stop = min(next_midnight, end)
        if is_working_day(day):
            total += stop - moment
        moment = stop
    return total
