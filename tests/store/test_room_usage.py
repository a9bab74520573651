"""Room usage in the KPI view, from real booking documents, against figures worked out by hand.

The fortnight Mon 2026-11-16 … Sun 2026-11-29 (14 days); three rooms:

- A, open 08:00–18:00 (10 h a day, 140 h in the fortnight; it closed at 22:00 when booked):
  - weekly series Mon 09:00–11:00 from 11-16, three dates (11-16, 11-23, 11-30); 11-23 is
    cancelled on its own and 11-30 is after the period → 2 h;
  - a confirmed booking Tue 11-17 17:00–19:00, booked while A was open till 22:00; the hour
    after closing is not counted → 1 h;
  - a confirmed booking Wed 11-18 10:00–12:00 written without ``confirmed_at`` (as the demo
    and older nodes do; the status is what says it is confirmed) → 2 h;
  - total 5 h of 140 h = 3.57 %.
- B, open 09:00–21:00 (12 h a day, 168 h):
  - the meeting 全体干部大会 Thu 11-19 14:00–16:00, booked through the meeting → 2 h;
  - a cancelled booking Thu 11-19 10:00–12:00 → 0 h; a request not yet confirmed
    Fri 11-20 10:00–11:00 → 0 h;
  - a second node's booking Thu 11-19 15:00–17:00 that clashes with the meeting after a merge:
    the shared hour 15–16 counts once → 1 h more;
  - total 3 h of 168 h = 1.79 %.
- C, open 08:00–22:00, nothing booked → 0 %.

Bookings per week (occurrences not cancelled, requests included): week 1 has the series date,
A's Tue, A's Wed, the meeting, the clashing booking and the request = 6; week 2 has nothing
(the series' 11-23 is cancelled) = 0.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from store import DocumentStore
from store.booking import CANCELLED, CONFIRMED, REQUESTED, Booking, Recurrence
from store.booking_calendar import BookingCalendar, kpi_facts
from store.booking_series import SeriesDesk
from store.kpi import KpiReport, Period, booking_figures
from store.meeting_booking import book_meeting
from store.meetings import Meeting
from store.rooms import Room, save_room

NOW = datetime(2026, 11, 30, 12, 0)
FORTNIGHT = Period(date(2026, 11, 16), date(2026, 11, 29))
A = Room("room:a", "会议室A", 20, open_from="08:00", open_until="22:00")
B = Room("room:b", "会议室B", 20, open_from="09:00", open_until="21:00")
C = Room("room:c", "会议室C", 20, open_from="08:00", open_until="22:00")


def booking(room: Room, start: str, end: str, status: str = CONFIRMED, **fields: object) -> Booking:
    return Booking("", room.room_id, start, end, "例会", status=status,
                   created_at="2026-11-10T09:00", **fields)  # type: ignore[arg-type]


def test_room_usage_matches_the_hand_computed_fortnight(store: DocumentStore) -> None:
    for room in (A, B, C):
        save_room(store, room)
    calendar = BookingCalendar()
    store.attach_index(calendar)
    desk = SeriesDesk(store, calendar)
    series = desk.create(booking(A, "2026-11-16T09:00", "2026-11-16T11:00",
                                 recurrence=Recurrence("weekly", count=3)), NOW)
    desk.cancel_date(series.booking_id, date(2026, 11, 23))
    desk.create(booking(A, "2026-11-17T17:00", "2026-11-17T19:00"), NOW)
    desk.create(booking(A, "2026-11-18T10:00", "2026-11-18T12:00"), NOW)
    save_room(store, Room("room:a", "会议室A", 20, open_from="08:00", open_until="18:00"))
    book_meeting(store, calendar, Meeting(
        "meeting:plenary", "全体干部大会", "2026-11-19T14:00", "2026-11-19T16:00", "A", "room:b",
        roster=("2026001",)), NOW)
    desk.create(booking(B, "2026-11-19T10:00", "2026-11-19T12:00", status=CANCELLED), NOW)
    desk.create(booking(B, "2026-11-20T10:00", "2026-11-20T11:00", status=REQUESTED), NOW)
    store.put(Booking("booking:other-node", "room:b", "2026-11-19T15:00", "2026-11-19T17:00",
                      "社团联席会", status=CONFIRMED, created_at="2026-11-10T09:00").to_doc())

    report = KpiReport(FORTNIGHT)
    bookings, rooms = kpi_facts(calendar)
    booking_figures(report, bookings, rooms, NOW, timedelta(hours=4))

    assert report.utilisation == {"会议室A": pytest.approx(5 / 140),
                                  "会议室B": pytest.approx(3 / 168), "会议室C": 0.0}
    assert report.bookings_per_week == [6, 0]
