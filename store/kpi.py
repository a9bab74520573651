"""Key figures of the secretariat's work for a period (the seed's KPI view).

The rules are pure functions over small fact records, so the numbers can be checked by hand
against a fixture; each area turns its own documents into facts (see ``kpi_facts`` in the
area modules). Rates are ``None`` when nothing in the period could be measured, which the
UI shows as "—" rather than a misleading 0 % or 100 %.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive

    def contains(self, moment: datetime | date) -> bool:
        day = moment.date() if isinstance(moment, datetime) else moment
        return self.start <= day <= self.end

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def weeks(self) -> list[tuple[date, date]]:
        """Consecutive 7-day buckets covering the period (for sparklines)."""
        buckets = []
        start = self.start
        while start <= self.end:
            buckets.append((start, min(self.end, start + timedelta(days=6))))
            start += timedelta(days=7)
        return buckets


@dataclass(frozen=True)
class MeetingFact:
    start: datetime
    expected: int
    attended: int
    minutes_final_due: datetime
    minutes_final_at: datetime | None


@dataclass(frozen=True)
class BookingFact:
    room: str
    start: datetime
    end: datetime
    created_at: datetime
    confirmed_at: datetime | None
    cancelled: bool
    confirmed: bool = False  # the booking's status; confirmed_at is only the 4-hour KPI's clock
    booking_id: str = ""  # the occurrences of one series share it: one request to confirm
    released_at: datetime | None = None  # not checked in at the room's door: a no-show then


@dataclass(frozen=True)
class RoomFact:
    room: str
    name: str
    opens: time
    closes: time

    @property
    def open_hours_per_day(self) -> float:
        return max(0.0, (datetime.combine(date.min, self.closes)
                         - datetime.combine(date.min, self.opens)).total_seconds() / 3600)

    def open_hours(self, start: datetime, end: datetime) -> float:
        """Hours of ``start``–``end`` inside this room's opening hours on its day."""
        day = start.date()
        start = max(start, datetime.combine(day, self.opens))
        end = min(end, datetime.combine(day, self.closes))
        return max(0.0, (end - start).total_seconds() / 3600)


@dataclass(frozen=True)
class ArchiveFact:
    registered_at: datetime
    filed_at: datetime | None


@dataclass(frozen=True)
class LoanFact:
    lent_at: datetime
    due: datetime
    returned_at: datetime | None


@dataclass(frozen=True)
class PromiseFact:
    """A promised response (a document's first draft, a review) and when it was kept."""

    kind: str
    start: datetime
    due: datetime
    met_at: datetime | None


@dataclass(frozen=True)
class RequestFact:
    kind: str
    filed_at: datetime
    promised_by: datetime | None  # None: no promise for this kind
    answered_at: datetime | None  # when its outcome (done or declined) was recorded


@dataclass
class KpiReport:
    period: Period
    meetings_held: int = 0
    average_attendance: float | None = None
    minutes_on_time: float | None = None
    utilisation: dict[str, float] = field(default_factory=dict)  # room name → share of hours
    no_shows: int = 0  # bookings released for want of a check-in at the room's door
    confirmed_within: float | None = None
    archives_registered: int = 0
    median_days_to_filing: float | None = None
    loans: int = 0
    overdue_rate: float | None = None
    documents_on_time: float | None = None
    meetings_per_week: list[int] = field(default_factory=list)
    bookings_per_week: list[int] = field(default_factory=list)
    requests_within: dict[str, float | None] = field(default_factory=dict)  # kind → share


def _share(hits: int, total: int) -> float | None:
    return hits / total if total else None


def meeting_figures(report: KpiReport, meetings: Iterable[MeetingFact], now: datetime) -> None:
    held = [m for m in meetings if report.period.contains(m.start) and m.start <= now]
    report.meetings_held = len(held)
    rates = [m.attended / m.expected for m in held if m.expected > 0]
    report.average_attendance = statistics.fmean(rates) if rates else None
    judged = [m for m in held if m.minutes_final_at is not None or m.minutes_final_due <= now]
    on_time = [m for m in judged if m.minutes_final_at is not None
               and m.minutes_final_at <= m.minutes_final_due]
    report.minutes_on_time = _share(len(on_time), len(judged))
    report.meetings_per_week = [
        sum(1 for m in held if start <= m.start.date() <= end) for start, end in report.period.weeks()
    ]


def booking_figures(report: KpiReport, bookings: Iterable[BookingFact], rooms: Iterable[RoomFact],
                    now: datetime, confirm_within: timedelta) -> None:
    """Room use is the confirmed hours inside opening hours over the open hours of the period;
    two bookings overlapping in one room (a clash after a merge) count their shared time once;
    a booking released as a no-show did not use its room."""
    live = [b for b in bookings if not b.cancelled and report.period.contains(b.start)]
    report.no_shows = sum(1 for b in live if _no_show(b, now))
    for room in rooms:
        open_hours = room.open_hours_per_day * report.period.days
        held = [b for b in live if b.room == room.room and b.confirmed and not _no_show(b, now)]
        report.utilisation[room.name] = (_occupied_hours(room, held) / open_hours if open_hours
                                         else 0.0)
    requests = {b.booking_id or f"{b.room}@{b.start}": b for b in bookings}
    created = [b for b in requests.values() if report.period.contains(b.created_at)]
    judged = [b for b in created
              if b.confirmed_at is not None or b.created_at + confirm_within <= now]
    quick = [b for b in judged if b.confirmed_at is not None
             and b.confirmed_at - b.created_at <= confirm_within]
    report.confirmed_within = _share(len(quick), len(judged))
    report.bookings_per_week = [
        sum(1 for b in live if start <= b.start.date() <= end) for start, end in report.period.weeks()
    ]


def _no_show(booking: BookingFact, now: datetime) -> bool:
    return booking.released_at is not None and booking.released_at <= now


def _occupied_hours(room: RoomFact, bookings: list[BookingFact]) -> float:
    """Hours of the union of ``bookings`` within the room's opening hours."""
    total, reach = 0.0, datetime.min
    for booking in sorted(bookings, key=lambda b: b.start):
        start = max(booking.start, reach)
        if booking.end > start:
            total += room.open_hours(start, booking.end)
            reach = booking.end
    return total


def archive_figures(report: KpiReport, archives: Iterable[ArchiveFact]) -> None:
    registered = [a for a in archives if report.period.contains(a.registered_at)]
    report.archives_registered = len(registered)
    days = [(a.filed_at - a.registered_at).total_seconds() / 86400
            for a in registered if a.filed_at is not None]
    report.median_days_to_filing = statistics.median(days) if days else None


def loan_figures(report: KpiReport, loans: Iterable[LoanFact], now: datetime) -> None:
    lent = [loan for loan in loans if report.period.contains(loan.lent_at)]
    report.loans = len(lent)
    overdue = [loan for loan in lent if (loan.returned_at or now) > loan.due]
    report.overdue_rate = _share(len(overdue), len(lent))


def document_figures(report: KpiReport, promises: Iterable[PromiseFact], now: datetime) -> None:
    """Share of document promises (draft in 3 working days, review in 24 working hours)
    started in the period and kept; one not kept yet counts once it is past due."""
    judged = [p for p in promises if report.period.contains(p.start)
              and (p.met_at is not None or p.due <= now)]
    kept = [p for p in judged if p.met_at is not None and p.met_at <= p.due]
    report.documents_on_time = _share(len(kept), len(judged))


def request_figures(report: KpiReport, requests: Iterable[RequestFact], now: datetime) -> None:
    """Per kind, the share of requests filed in the period answered by their promised time.

    A request still open is judged only once its promise has passed (then it missed it)."""
    judged: dict[str, list[bool]] = {}
    for fact in requests:
        if fact.promised_by is None or not report.period.contains(fact.filed_at):
            continue
        if fact.answered_at is None and now <= fact.promised_by:
            continue
        met = fact.answered_at is not None and fact.answered_at <= fact.promised_by
        judged.setdefault(fact.kind, []).append(met)
    report.requests_within = {kind: _share(sum(hits), len(hits))
                              for kind, hits in sorted(judged.items())}
