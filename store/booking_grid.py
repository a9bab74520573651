"""The rows behind the bookings screen: rooms × hours for a day, days × hours for one room.

Built from :class:`store.booking_calendar.BookingCalendar` by asking only for the days shown, so a
refresh costs the same with 50 bookings or 50 000. A cell holds the occurrence that covers
part of that hour (the earliest one when two share it) and how many there are. Given ``now``,
a booking released for want of a check-in at its room's door (:mod:`store.room_checkin`) leaves
its hours free, as the door shows them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from .booking import overlaps
from .booking_calendar import BookingCalendar
from .booking_recurrence import Occurrence


@dataclass(frozen=True)
class Cell:
    occurrence: Occurrence | None = None
    count: int = 0

    @property
    def free(self) -> bool:
        return self.occurrence is None


@dataclass(frozen=True)
class GridRow:
    key: str  # room id in the day grid, ISO date in the week grid
    room_id: str
    day: date
    cells: tuple[Cell, ...]  # one per hour, first_hour … last_hour - 1


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def hour_cells(occurrences: list[Occurrence], day: date, hours: range) -> tuple[Cell, ...]:
    cells = []
    for hour in hours:
        slot_start = datetime.combine(day, time(hour))
        slot_end = slot_start + timedelta(hours=1)
        inside = [occ for occ in occurrences
                  if occ.booking.active and overlaps(slot_start, slot_end, occ.start, occ.end)]
        cells.append(Cell(inside[0], len(inside)) if inside else Cell())
    return tuple(cells)


def _held(calendar: BookingCalendar, occurrences: list[Occurrence],
          now: datetime | None) -> list[Occurrence]:
    return [occ for occ in occurrences if now is None or not calendar.released(occ, now)]


def day_grid(calendar: BookingCalendar, day: date, hours: range,
             now: datetime | None = None) -> list[GridRow]:
    """One row per room (by name) for ``day``."""
    by_room: dict[str, list[Occurrence]] = {}
    for occ in _held(calendar, calendar.day(day), now):
        by_room.setdefault(occ.booking.room_id, []).append(occ)
    return [GridRow(room.room_id, room.room_id, day, hour_cells(by_room.get(room.room_id, []), day, hours))
            for room in calendar.room_list()]


def week_grid(calendar: BookingCalendar, room_id: str, day: date, hours: range,
              now: datetime | None = None) -> list[GridRow]:
    """Seven rows, Monday to Sunday of the week holding ``day``, for one room."""
    monday = week_start(day)
    rows = []
    for offset in range(7):
        on = monday + timedelta(days=offset)
        rows.append(GridRow(on.isoformat(), room_id, on,
                            hour_cells(_held(calendar, calendar.room_day(room_id, on), now),
                                       on, hours)))
    return rows
