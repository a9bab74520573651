"""Gather each area's KPI facts for a period and compute the report.

Areas turn their documents into the fact records of ``store/kpi.py``; this module is the one
place that knows which area supplies which facts.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from store import booking_calendar, meetings_attendance
from store.archive_index import ArchiveIndex
from store.documents_index import DocumentIndex
from store.supplies_index import SupplyIndex
from store.kpi import (KpiReport, Period, archive_figures, booking_figures, document_figures,
                       loan_figures, meeting_figures, request_figures)

from .widgets.desk.handoffs import request_states

if TYPE_CHECKING:
    from .context import AppContext

PERIOD_CHOICES = ("this_month", "last_month", "this_quarter", "last_quarter", "last_30_days",
                  "this_year")


def period_for(choice: str, today: date) -> Period:
    first_of_month = today.replace(day=1)
    if choice == "last_month":
        end = first_of_month - timedelta(days=1)
        return Period(end.replace(day=1), end)
    quarter_start = first_of_month.replace(month=(today.month - 1) // 3 * 3 + 1)
    if choice == "this_quarter":
        return Period(quarter_start, today)
    if choice == "last_quarter":
        end = quarter_start - timedelta(days=1)
        return Period(end.replace(month=(end.month - 1) // 3 * 3 + 1, day=1), end)
    if choice == "last_30_days":
        return Period(today - timedelta(days=29), today)
    quarter_start = today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1)
    if choice == "this_quarter":
        return Period(quarter_start, today)
    if choice == "last_quarter":
        end = quarter_start - timedelta(days=1)
        return Period(end.replace(month=(end.month - 1) // 3 * 3 + 1, day=1), end)
    if choice == "this_year":
        return Period(today.replace(month=1, day=1), today)
    return Period(first_of_month, today)


def build_report(ctx: AppContext, period: Period) -> KpiReport:
    now = ctx.clock()
    report = KpiReport(period)
    meetings = ctx.settings.meetings
    meeting_figures(report, meetings_attendance.kpi_facts(
        ctx.index(meetings_attendance.AttendanceIndex), meetings.late_grace_minutes,
        meetings.minutes_final_hours, period), now)
    bookings, rooms = booking_calendar.kpi_facts(ctx.index(booking_calendar.BookingCalendar))
    booking_figures(report, bookings, rooms, now,
                    timedelta(hours=ctx.settings.booking.confirm_within_hours))
    archives, archive_loans = ctx.index(ArchiveIndex).kpi_facts()
    archive_figures(report, archives)
    loan_figures(report, [*ctx.index(SupplyIndex).loan_facts(), *archive_loans], now)
    document_figures(report, ctx.index(DocumentIndex).promise_facts(), now)
    request_figures(report, [state.fact() for state in request_states(ctx)], now)
    return report
