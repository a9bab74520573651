"""KPI rules on a hand-built fixture, checked against numbers worked out by hand."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from store.kpi import (
    ArchiveFact,
    BookingFact,
    KpiReport,
    LoanFact,
    MeetingFact,
    Period,
    RoomFact,
    archive_figures,
    booking_figures,
    loan_figures,
    meeting_figures,
)

NOW = datetime(2026, 11, 30, 12, 0)
NOVEMBER = Period(date(2026, 11, 1), date(2026, 11, 30))


def at(day: int, hour: int = 9) -> datetime:
    return datetime(2026, 11, day, hour)


def test_meeting_figures() -> None:
    report = KpiReport(NOVEMBER)
    meeting_figures(report, [
        MeetingFact(at(3), expected=10, attended=9, minutes_final_due=at(5), minutes_final_at=at(4)),
        MeetingFact(at(10), expected=20, attended=15, minutes_final_due=at(12),
                    minutes_final_at=at(13)),  # late minutes
        MeetingFact(at(29), expected=4, attended=4, minutes_final_due=datetime(2026, 12, 1, 10),
                    minutes_final_at=None),  # final not due yet: not judged
        MeetingFact(datetime(2026, 10, 30, 9), expected=5, attended=5,
                    minutes_final_due=at(1), minutes_final_at=at(1)),  # other month
        MeetingFact(datetime(2026, 11, 30, 15), expected=8, attended=0,
                    minutes_final_due=datetime(2026, 12, 2), minutes_final_at=None),  # not yet held
    ], NOW)
    assert report.meetings_held == 3
    assert report.average_attendance == pytest.approx((0.9 + 0.75 + 1.0) / 3)
    assert report.minutes_on_time == pytest.approx(1 / 2)
    assert report.meetings_per_week == [1, 1, 0, 0, 1]


def test_booking_figures() -> None:
    report = KpiReport(NOVEMBER)
    rooms = [RoomFact("room:a", "201", time(8), time(18)), RoomFact("room:b", "302", time(9), time(14))]
    bookings = [
        BookingFact("room:a", at(2, 9), at(2, 12), at(1, 9), at(1, 10), False, True),   # 3 h, 1 h to confirm
        BookingFact("room:a", at(3, 14), at(3, 16), at(1, 9), at(1, 15), False, True),  # 2 h, 6 h to confirm
        BookingFact("room:a", at(4, 8), at(4, 18), at(2, 9), None, True),        # cancelled
        BookingFact("room:b", at(5, 9), at(5, 10), at(30, 11), None, False),     # pending, < 4 h old
    ]
    booking_figures(report, bookings, rooms, NOW, timedelta(hours=4))
    assert report.utilisation == {"201": pytest.approx(5 / 300), "302": 0.0}
    # judged: the first three (confirmed, or 4 h passed); the last is still within its window
    assert report.confirmed_within == pytest.approx(1 / 3)


def test_archive_and_loan_figures() -> None:
    report = KpiReport(NOVEMBER)
    archive_figures(report, [
        ArchiveFact(at(1), at(3)), ArchiveFact(at(2), at(9)), ArchiveFact(at(5), at(6)),
        ArchiveFact(at(20), None), ArchiveFact(datetime(2026, 10, 1), at(1)),
    ])
    assert report.archives_registered == 4
    assert report.median_days_to_filing == 2
    loan_figures(report, [
        LoanFact(at(1), at(8), at(7)),     # returned in time
        LoanFact(at(1), at(8), at(9)),     # returned late
        LoanFact(at(20), at(27), None),    # still out, overdue
        LoanFact(at(25), at(30, 13), None),  # still out, due later today
    ], NOW)
    assert report.loans == 4
    assert report.overdue_rate == pytest.approx(2 / 4)


def test_empty_period_gives_no_rate_rather_than_a_fake_one() -> None:
    report = KpiReport(NOVEMBER)
    meeting_figures(report, [], NOW)
    loan_figures(report, [], NOW)
    assert report.average_attendance is None and report.overdue_rate is None


def test_a_series_is_one_request_to_confirm_not_one_per_date() -> None:
    """A weekly series confirmed after a day and a single booking confirmed in an hour: one of
    two requests was confirmed within 4 h (not one of four, counting each date of the series)."""
    report = KpiReport(NOVEMBER)
    series = [BookingFact("room:a", at(day, 9), at(day, 10), at(1, 9), at(2, 9), False, True,
                          "booking:series") for day in (2, 9, 16)]
    single = BookingFact("room:a", at(3, 14), at(3, 15), at(1, 9), at(1, 10), False, True,
                         "booking:single")
    booking_figures(report, [*series, single], [], NOW, timedelta(hours=4))
    assert report.confirmed_within == pytest.approx(1 / 2)
    assert report.bookings_per_week == [2, 1, 1, 0, 0]  # every date is still a booking held
