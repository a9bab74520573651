"""A booking as stored: its record, its repeat rule, and the office's way of writing times.

Times are naive local ISO strings (``2026-11-25T14:00``); a booking lies within one day, inside
its room's bookable hours, and occupies the half-open interval ``[start, end)`` so back-to-back
bookings do not clash. A recurring booking is one document holding its :class:`Recurrence`;
its dates are expanded by :mod:`store.booking_recurrence`, checked by
:mod:`store.booking_rules`, filed by day in :mod:`store.booking_calendar` and written by
:mod:`store.booking_desk`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from .doc_codec import DATE_FORMAT, LocalTime, is_time, record_from_doc, text_tuple
from .errors import InvalidDocument

BOOKING = "booking"
REQUESTED, CONFIRMED, CANCELLED = "requested", "confirmed", "cancelled"
CLASSES = ("A", "B", "C")
FREQ_DAYS = {"daily": 1, "weekly": 7, "biweekly": 14}
# monthly: the same day of the month (months without it are skipped, as RFC 5545 BYMONTHDAY);
# monthly_weekday: the same weekday in the same week of the month (第一个周一), or the last one
MONTHLY, MONTHLY_WEEKDAY = "monthly", "monthly_weekday"
FREQS = (*FREQ_DAYS, MONTHLY, MONTHLY_WEEKDAY)


def parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text)


def format_time(moment: datetime) -> str:
    return moment.isoformat(timespec="minutes")


def clock_time(text: str) -> time:
    """``14:00`` → a time of day (a room's hours, a form's start and end)."""
    return datetime.strptime(text.strip(), "%H:%M").time()


def overlaps(a_start: Any, a_end: Any, b_start: Any, b_end: Any) -> bool:
    """Half-open intervals ``[start, end)`` share time; touching ends do not overlap."""
    return bool(a_start < b_end and b_start < a_end)


@dataclass(frozen=True)
class Recurrence:
    freq: str  # one of FREQS
    until: str | None = None  # last possible date, YYYY-MM-DD, inclusive
    count: int | None = None  # dates generated, exceptions included (as RFC 5545 COUNT)
    exceptions: tuple[str, ...] = ()  # YYYY-MM-DD dates skipped

    def to_doc(self) -> dict[str, Any]:
        return {"freq": self.freq, "until": self.until, "count": self.count,
                "exceptions": sorted(self.exceptions)}

    @classmethod
    def from_doc(cls, doc: dict[str, Any] | None) -> Recurrence | None:
        if not doc:
            return None
        if not isinstance(doc, dict):
            raise InvalidDocument(reason="a booking's recurrence is not an object")
        until, count = doc.get("until") or None, doc.get("count")
        if ((until is not None and not is_time(until, DATE_FORMAT))
                or not isinstance(count, int | None) or isinstance(count, bool)):
            raise InvalidDocument(reason="a booking's recurrence is malformed")
        return record_from_doc(cls, {"freq": "weekly", **doc, "until": until,
                                     "exceptions": text_tuple(doc, "exceptions")})


@dataclass(frozen=True)
class Booking:
    booking_id: str  # the document id, ``booking:<uuid hex>``
    room_id: str
    start: LocalTime
    end: LocalTime
    title: str
    organiser: str = ""  # member_id of the organiser
    attendees: int = 1
    meeting_class: str = "B"
    status: str = REQUESTED
    recurrence: Recurrence | None = None
    created_at: LocalTime = ""
    created_on: str = ""  # node name where it was booked
    confirmed_at: LocalTime = ""  # when the secretariat confirmed it (the 4-hour KPI)
    placed_at: LocalTime = ""  # when it last took its room and time: booked, or moved there

    @property
    def placed(self) -> str:
        """When it took its slot (a booking from before ``placed_at`` existed: its creation)."""
        return self.placed_at or self.created_at

    @staticmethod
    def new_id() -> str:
        return f"{BOOKING}:{uuid.uuid4().hex}"

    @property
    def active(self) -> bool:
        return self.status != CANCELLED

    def to_doc(self) -> dict[str, Any]:
        return {
            "_id": self.booking_id,
            "room": self.room_id,
            "start": self.start,
            "end": self.end,
            "title": self.title,
            "organiser": self.organiser,
            "attendees": self.attendees,
            "meeting_class": self.meeting_class,
            "status": self.status,
            "recurrence": self.recurrence.to_doc() if self.recurrence else None,
            "created_at": self.created_at,
            "created_on": self.created_on,
            "confirmed_at": self.confirmed_at,
            "placed_at": self.placed_at,
        }

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Booking:
        return record_from_doc(cls, {**doc, "booking_id": doc["_id"],
                                     "room_id": doc.get("room", ""),
                                     "recurrence": Recurrence.from_doc(doc.get("recurrence"))})

