"""The rules a booking must keep: one slot of one day, in an open room big enough, and no
clash with another active booking of that room (a series' dates each checked); form input
read into a booking's values, refused with the reason.

Local creation refuses overlaps. Two offline nodes can still each accept the same slot; after
a merge :class:`store.booking_calendar.BookingCalendar` lists such pairs for a person to settle.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from .booking import (CLASSES, FREQS, Booking, Recurrence, clock_time, format_time, overlaps,
                      parse_time)
from .booking_exceptions import SeriesException
from .booking_recurrence import MAX_OCCURRENCES, Occurrence, generated_dates, occurrences
from .errors import ValidationError
from .rooms import Room


def short_notice(booking: Booking, notice_hours: int, now: datetime | None = None) -> bool:
    """An A-class meeting booked less than ``notice_hours`` before it starts (flag, not refusal)."""
    if booking.meeting_class != "A":
        return False
    booked = now if now is not None else parse_time(booking.created_at or booking.start)
    return parse_time(booking.start) - booked < timedelta(hours=notice_hours)


def refuse(key: str, english: str, **params: Any) -> ValidationError:
    return ValidationError(f"bookings.error.{key}", english, **params)


def _bad_time() -> ValidationError:
    return refuse("bad_time", "Enter the date as YYYY-MM-DD and times as HH:MM")


def whole_number(text: str, field: str) -> int | None:
    """Form input → int (``None`` when blank); ``field`` names it in the refusal."""
    if not text.strip():
        return None
    try:
        return int(text.strip())
    except ValueError:
        raise refuse("bad_number", "{field} must be a whole number", field=field) from None


def check_date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise refuse("bad_date", "Dates are written YYYY-MM-DD: {text}", text=text) from None


def parse_slot(day: str, start: str, end: str) -> tuple[str, str]:
    """Form input (``2026-11-25``, ``14:00``, ``15:30``) → ISO start and end."""
    try:
        on = date.fromisoformat(day.strip())
        begin = datetime.combine(on, clock_time(start))
        finish = datetime.combine(on, clock_time(end))
    except ValueError:
        raise _bad_time() from None
    return format_time(begin), format_time(finish)


def _check_recurrence(recurrence: Recurrence, first: date) -> None:
    if recurrence.freq not in FREQS:
        raise refuse("bad_recurrence", "Repeat daily, weekly, every two weeks or monthly")
    if recurrence.until is None and recurrence.count is None:
        raise refuse("recurrence_end", "A repeating booking needs an end date or a count")
    if recurrence.count is not None and not 1 <= recurrence.count <= MAX_OCCURRENCES:
        raise refuse("recurrence_too_long", "A booking may repeat at most {limit} times",
                      limit=MAX_OCCURRENCES)
    until = check_date(recurrence.until) if recurrence.until else None
    for day in recurrence.exceptions:
        check_date(day)
    if until is not None:
        if until < first:
            raise refuse("until_before_start", "The repeat end date is before the first meeting")
        if recurrence.count is None and len(generated_dates(
                first, recurrence, MAX_OCCURRENCES + 1)) > MAX_OCCURRENCES:
            raise refuse("recurrence_too_long", "A booking may repeat at most {limit} times",
                          limit=MAX_OCCURRENCES)


@dataclass(frozen=True)
class BookingCheck:
    """What a booking that passed the rules still deserves a warning about."""

    short_notice: bool = False


class SeriesClash(ValidationError):
    """Some dates of a repeating booking clash, others are free: the caller may skip those."""

    def __init__(self, clashes: list[tuple[Occurrence, Occurrence]]) -> None:
        self.days = tuple(sorted({mine.day.isoformat() for mine, _other in clashes}))
        super().__init__("bookings.error.series_clash",
                         "{count} dates clash with other bookings: {days}",
                         count=len(self.days), days=", ".join(self.days))


def check_booking(
    booking: Booking,
    room: Room | None,
    others: Iterable[Occurrence],
    now: datetime,
    notice_hours: int = 24,
    exceptions: Mapping[str, SeriesException] | None = None,
) -> BookingCheck:
    """Refuse a booking that breaks a rule (first problem wins); flag short notice.

    ``others`` are occurrences of other bookings that might clash (the caller narrows them to
    the room and days concerned, see :meth:`BookingCalendar.candidates`). A series of which
    only some dates clash raises :class:`SeriesClash`, naming them, so they can be skipped.
    """
    if not booking.title.strip():
        raise refuse("title_required", "Give the meeting a title")
    if room is None:
        raise refuse("no_room", "Choose a room")
    start, end = slot_times(booking)
    if booking.meeting_class not in CLASSES:
        raise refuse("bad_class", "Meeting class is A, B or C")
    if booking.attendees < 1:
        raise refuse("attendees", "At least one person attends")
    if booking.attendees > room.capacity:
        raise refuse("over_capacity", "{room} holds {capacity} people, not {attendees}",
                      room=room.name, capacity=room.capacity, attendees=booking.attendees)
    if start.strftime("%H:%M") < room.open_from or end.strftime("%H:%M") > room.open_until:
        raise refuse("outside_hours", "{room} can be booked from {open_from} to {open_until}",
                      room=room.name, open_from=room.open_from, open_until=room.open_until)
    clash = slot_clash(booking, others, exceptions)
    if clash is not None:
        raise refuse("overlap", "{room} is already booked {when} for “{title}”",
                      room=room.name, when=clash.when, title=clash.booking.title)
    return BookingCheck(short_notice=short_notice(booking, notice_hours, now))


def slot_times(booking: Booking, area: str = "bookings") -> tuple[datetime, datetime]:
    """The start and end of a booking's first date, refused unless it is one slot of one day.

    Shared with anything else booked by the slot (an asset reservation); ``area`` names the
    catalog whose wording the refusal takes.
    """
    try:
        start, end = parse_time(booking.start), parse_time(booking.end)
    except ValueError:
        raise ValidationError(f"{area}.error.bad_time",
                              "Enter the date as YYYY-MM-DD and times as HH:MM") from None
    if end <= start:
        raise ValidationError(f"{area}.error.end_before_start", "It must end after it starts")
    if end.date() != start.date():
        raise ValidationError(f"{area}.error.one_day", "It must start and end on the same day")
    return start, end


def slot_clash(booking: Booking, others: Iterable[Occurrence],
               exceptions: Mapping[str, SeriesException] | None = None) -> Occurrence | None:
    """The earliest other occurrence that every date of ``booking`` runs into, or ``None``.

    The recurrence rule is checked first. A series of which only some dates clash raises
    :class:`SeriesClash` (naming them, so they can be skipped); a cancelled booking clashes
    with nothing.
    """
    if booking.recurrence is not None:
        _check_recurrence(booking.recurrence, parse_time(booking.start).date())
    if not booking.active:
        return None
    mine = occurrences(booking, exceptions)
    found = clashes_between(mine, others)
    if found and len({occ.day for occ, _other in found}) < len(mine):
        raise SeriesClash(found)
    return found[0][1] if found else None


def clashes_between(mine: Iterable[Occurrence],
                    others: Iterable[Occurrence]) -> list[tuple[Occurrence, Occurrence]]:
    """Pairs (mine, other) of another booking's active occurrence overlapping in one room."""
    by_day: dict[date, list[Occurrence]] = {}
    for occ in mine:
        by_day.setdefault(occ.day, []).append(occ)
    found = [
        (occ, other) for other in others if other.booking.active
        for occ in by_day.get(other.day, ())
        if other.booking.booking_id != occ.booking.booking_id
        and other.booking.room_id == occ.booking.room_id
        and overlaps(occ.start, occ.end, other.start, other.end)
    ]
    return sorted(found, key=lambda pair: (pair[0].start, pair[1].start))


def first_clash(booking: Booking, others: Iterable[Occurrence]) -> Occurrence | None:
    """The earliest active occurrence of another booking in the same room that overlaps."""
    found = clashes_between(occurrences(booking), others)
    return min((other for _mine, other in found), key=lambda occ: occ.start) if found else None

