"""Working-day clocks across 国庆 2026, a 调休 Saturday and a year the calendar does not know."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from store.workdays import (
    add_working_days,
    add_working_time,
    holidays_known,
    is_working_day,
    working_time_between,
)


def test_the_adjusted_saturday_works_and_the_holiday_rests() -> None:
    assert is_working_day(date(2026, 10, 10))  # 调休 Saturday after 国庆
    assert not is_working_day(date(2026, 10, 1))
    assert not is_working_day(date(2026, 10, 17))  # an ordinary Saturday


def test_three_working_days_from_before_guoqing_skip_the_whole_holiday() -> None:
    # Wednesday 30 September 10:00: 30 Sep counts, 1-7 Oct rest, 8 and 9 Oct count, then 10:00 on
    # the 调休 Saturday 10 Oct closes the third working day.
    due = add_working_days(datetime(2026, 9, 30, 10, 0), 3)
    assert due == datetime(2026, 10, 10, 10, 0)


def test_a_review_clock_started_on_a_rest_day_starts_at_the_next_working_midnight() -> None:
    due = add_working_time(datetime(2026, 10, 3, 15, 0), timedelta(hours=24))
    assert due == datetime(2026, 10, 9, 0, 0)


def test_time_between_counts_only_working_days() -> None:
    spent = working_time_between(datetime(2026, 9, 30, 12, 0), datetime(2026, 10, 8, 12, 0))
    assert spent == timedelta(hours=24)
    assert working_time_between(datetime(2026, 10, 8), datetime(2026, 10, 7)) == timedelta(0)


def test_a_year_without_published_holidays_skips_weekends_only() -> None:
    assert not holidays_known(date(2031, 3, 3))
    assert add_working_days(datetime(2031, 3, 7, 9, 0), 1) == datetime(2031, 3, 10, 9, 0)
