"""Meeting-room booking: rooms, bookings, recurrence, and the rules that keep rooms unclashed.

Times are naive local ISO strings (``2026-11-25T14:00``); a booking lies within one day, inside
its room's bookable hours, and occupies the half-open interval ``[start, end)`` so back-to-back
bookings do not clash. A recurring booking is one document; its occurrences are expanded here
(RFC 5545 semantics: ``count`` counts generated dates, exceptions are removed afterwards, so
the rule exports to iCalendar as RRULE + EXDATE unchanged).

Local creation refuses overlaps. Two offline nodes can still each accept the same slot; after
a merge :class:`BookingCalendar` lists such pairs as ``double_booking`` attention items, and
cancelling or moving one side (an ordinary edit that replicates) clears the item everywhere.
"""

from __future__ import annotations

import itertools
import logging
import uuid
from calendar import monthcalendar
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from .attention import AttentionItem
from .booking_exceptions import BOOKING_EXCEPTION, SeriesException, series_of
from .doc_codec import (DATE_FORMAT, ClockTime, LocalTime, is_time, record_from_doc,
                         text_tuple)
from .docstore import DocumentStore
from .errors import ConflictError, InvalidDocument, ValidationError
from .kpi import BookingFact, RoomFact
from .room_checkin import ROOM_CHECKIN, ROOM_DOOR, CheckInLedger
from .textsearch import search_keys

ROOM = "room"
BOOKING = "booking"
REQUESTED, CONFIRMED, CANCELLED = "requested", "confirmed", "cancelled"
CLASSES = ("A", "B", "C")
FREQ_DAYS = {"daily": 1, "weekly": 7, "biweekly": 14}
# monthly: the same day of the month (months without it are skipped, as RFC 5545 BYMONTHDAY);
# monthly_weekday: the same weekday in the same week of the month (第一个周一), or the last one
MONTHLY, MONTHLY_WEEKDAY = "monthly", "monthly_weekday"
FREQS = (*FREQ_DAYS, MONTHLY, MONTHLY_WEEKDAY)
MAX_OCCURRENCES = 400  # a bit over a year of daily meetings; keeps a typo from filling the index
# what reading a damaged or foreign document can raise: a field of the wrong type or shape,
# a date past the year 9999
UNREADABLE = (ValueError, TypeError, AttributeError, OverflowError, InvalidDocument)
log = logging.getLogger(__name__)


def parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text)


def format_time(moment: datetime) -> str:
    return moment.isoformat(timespec="minutes")


def overlaps(a_start: Any, a_end: Any, b_start: Any, b_end: Any) -> bool:
    """Half-open intervals ``[start, end)`` share time; touching ends do not overlap."""
    return bool(a_start < b_end and b_start < a_end)


@dataclass(frozen=True)
class Room:
    room_id: str  # the document id, ``room:…``
    name: str
    capacity: int
    equipment: tuple[str, ...] = ()
    location: str = ""
    open_from: ClockTime = "08:00"
    open_until: ClockTime = "22:00"

    @staticmethod
    def new_id(slug: str | None = None) -> str:
        return f"{ROOM}:{slug or uuid.uuid4().hex}"

    def to_doc(self) -> dict[str, Any]:
        return {
            "_id": self.room_id,
            "name": self.name,
            "capacity": self.capacity,
            "equipment": list(self.equipment),
            "location": self.location,
            "open_from": self.open_from,
            "open_until": self.open_until,
        }

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Room:
        return record_from_doc(cls, {**doc, "room_id": doc["_id"],
                                     "equipment": text_tuple(doc, "equipment")})

    def has_equipment(self, wanted: Iterable[str]) -> bool:
        have = {item.casefold() for item in self.equipment}
        return all(item.strip().casefold() in have for item in wanted if item.strip())


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


@dataclass(frozen=True)
class Occurrence:
    """One concrete meeting of a (possibly recurring) booking."""

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


def short_notice(booking: Booking, notice_hours: int, now: datetime | None = None) -> bool:
    """An A-class meeting booked less than ``notice_hours`` before it starts (flag, not refusal)."""
    if booking.meeting_class != "A":
        return False
    booked = now if now is not None else parse_time(booking.created_at or booking.start)
    return parse_time(booking.start) - booked < timedelta(hours=notice_hours)


def _refuse(key: str, english: str, **params: Any) -> ValidationError:
    return ValidationError(f"bookings.error.{key}", english, **params)


def _bad_time() -> ValidationError:
    return _refuse("bad_time", "Enter the date as YYYY-MM-DD and times as HH:MM")


def whole_number(text: str, field: str) -> int | None:
    """Form input → int (``None`` when blank); ``field`` names it in the refusal."""
    if not text.strip():
        return None
    try:
        return int(text.strip())
    except ValueError:
        raise _refuse("bad_number", "{field} must be a whole number", field=field) from None


def check_date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise _refuse("bad_date", "Dates are written YYYY-MM-DD: {text}", text=text) from None


def _clock_time(text: str) -> time:
    return datetime.strptime(text.strip(), "%H:%M").time()


def parse_slot(day: str, start: str, end: str) -> tuple[str, str]:
    """Form input (``2026-11-25``, ``14:00``, ``15:30``) → ISO start and end."""
    try:
        on = date.fromisoformat(day.strip())
        begin = datetime.combine(on, _clock_time(start))
        finish = datetime.combine(on, _clock_time(end))
    except ValueError:
        raise _bad_time() from None
    return format_time(begin), format_time(finish)


def _check_recurrence(recurrence: Recurrence, first: date) -> None:
    if recurrence.freq not in FREQS:
        raise _refuse("bad_recurrence", "Repeat daily, weekly, every two weeks or monthly")
    if recurrence.until is None and recurrence.count is None:
        raise _refuse("recurrence_end", "A repeating booking needs an end date or a count")
    if recurrence.count is not None and not 1 <= recurrence.count <= MAX_OCCURRENCES:
        raise _refuse("recurrence_too_long", "A booking may repeat at most {limit} times",
                      limit=MAX_OCCURRENCES)
    until = check_date(recurrence.until) if recurrence.until else None
    for day in recurrence.exceptions:
        check_date(day)
    if until is not None:
        if until < first:
            raise _refuse("until_before_start", "The repeat end date is before the first meeting")
        if recurrence.count is None and len(generated_dates(
                first, recurrence, MAX_OCCURRENCES + 1)) > MAX_OCCURRENCES:
            raise _refuse("recurrence_too_long", "A booking may repeat at most {limit} times",
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
        raise _refuse("title_required", "Give the meeting a title")
    if room is None:
        raise _refuse("no_room", "Choose a room")
    start, end = slot_times(booking)
    if booking.meeting_class not in CLASSES:
        raise _refuse("bad_class", "Meeting class is A, B or C")
    if booking.attendees < 1:
        raise _refuse("attendees", "At least one person attends")
    if booking.attendees > room.capacity:
        raise _refuse("over_capacity", "{room} holds {capacity} people, not {attendees}",
                      room=room.name, capacity=room.capacity, attendees=booking.attendees)
    if start.strftime("%H:%M") < room.open_from or end.strftime("%H:%M") > room.open_until:
        raise _refuse("outside_hours", "{room} can be booked from {open_from} to {open_until}",
                      room=room.name, open_from=room.open_from, open_until=room.open_until)
    clash = slot_clash(booking, others, exceptions)
    if clash is not None:
        raise _refuse("overlap", "{room} is already booked {when} for “{title}”",
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


# -- the derived calendar ---------------------------------------------------------------------


@dataclass(frozen=True)
class Clash:
    """Two active bookings of one room that overlap: only a merge of offline nodes makes one."""

    first: Occurrence
    second: Occurrence

    @property
    def key(self) -> str:
        return f"double_booking:{self.first.booking.booking_id}|{self.second.booking.booking_id}"


@dataclass(frozen=True)
class PendingRequest:
    booking: Booking
    age: timedelta
    overdue: bool


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


class BookingCalendar:
    """Rooms and bookings, with every occurrence filed under its day.

    The day grid asks for one day and gets only that day's occurrences (a dict hit), so a
    store with thousands of bookings renders as fast as an empty one. Clashing pairs are kept
    up to date on each change by looking only at the changed booking's days.
    """

    doc_types = (ROOM, BOOKING, BOOKING_EXCEPTION, ROOM_CHECKIN, ROOM_DOOR)

    def __init__(self) -> None:
        self.rooms: dict[str, Room] = {}
        self.bookings: dict[str, Booking] = {}
        self.exceptions: dict[str, dict[str, SeriesException]] = {}  # series → date → change
        self._by_day: dict[date, dict[str, Occurrence]] = {}  # day → occurrence key → it
        self._occurrences_of: dict[str, list[Occurrence]] = {}
        self._clashes: dict[tuple[str, str], Clash] = {}
        self._clash_keys_of: dict[str, set[tuple[str, str]]] = {}
        self.unreadable: dict[str, str] = {}  # document id → why the calendar left it out
        self.checkins = CheckInLedger()  # door check-ins: which occurrences were released

    @classmethod
    def from_store(cls, store: DocumentStore) -> BookingCalendar:
        calendar = cls()
        for kind in cls.doc_types:
            for doc in store.iter_docs(kind):
                calendar.update(doc["_id"], doc)
        return calendar

    def reset(self) -> None:
        for table in (self.rooms, self.bookings, self.exceptions, self._by_day,
                      self._occurrences_of, self._clashes, self._clash_keys_of, self.unreadable):
            table.clear()
        self.checkins.reset()

    def update(self, doc_id: str, doc: dict[str, Any] | None) -> None:
        """Take in a changed document. One the calendar cannot read (a foreign or damaged
        writer's: capacity ``"lots"``, a series running past the year 9999, a recurrence
        that is not an object) is left out and listed in ``unreadable`` with the reason, so
        an export can name it while the rest of the calendar works."""
        self.unreadable.pop(doc_id, None)
        try:
            self._place(doc_id, doc)
        except UNREADABLE as exc:
            self.unreadable[doc_id] = f"{type(exc).__name__}: {exc}"
            log.warning("calendar leaves out %s: %s", doc_id, exc)

    def _place(self, doc_id: str, doc: dict[str, Any] | None) -> None:
        if doc_id.startswith(ROOM + ":"):
            self.rooms.pop(doc_id, None)
            if doc is not None:
                self.rooms[doc_id] = Room.from_doc(doc)
            return
        if doc_id.startswith(BOOKING_EXCEPTION + ":"):
            self._update_exception(doc_id, doc)
            return
        if doc_id.split(":", 1)[0] in CheckInLedger.doc_types:
            self.checkins.update(doc_id, doc)
            return
        self._remove_booking(doc_id)
        if doc is not None:
            self._add_booking(Booking.from_doc(doc))

    def _update_exception(self, doc_id: str, doc: dict[str, Any] | None) -> None:
        new = SeriesException.from_doc(doc) if doc is not None else None  # may refuse: first
        series_id = series_of(doc_id)
        changes = self.exceptions.setdefault(series_id, {})
        for day, change in list(changes.items()):
            if change.doc_id == doc_id:
                del changes[day]
        if new is not None and new.doc_id == doc_id:  # naming another series or date: ignored
            changes[new.day] = new
        if not changes:
            del self.exceptions[series_id]
        series = self.bookings.get(series_id)
        if series is not None:
            self._remove_booking(series_id)
            self._add_booking(series)

    def _remove_booking(self, booking_id: str) -> None:
        self.bookings.pop(booking_id, None)
        for occ in self._occurrences_of.pop(booking_id, ()):
            on_day = self._by_day.get(occ.day)
            if on_day is not None:
                on_day.pop(occ.key, None)
                if not on_day:
                    del self._by_day[occ.day]
        for pair in self._clash_keys_of.pop(booking_id, set()):
            self._clashes.pop(pair, None)
            for side in pair:
                self._clash_keys_of.get(side, set()).discard(pair)

    def _add_booking(self, booking: Booking) -> None:
        expanded = occurrences(booking, self.exceptions.get(booking.booking_id))
        self.bookings[booking.booking_id] = booking
        self._occurrences_of[booking.booking_id] = expanded
        for occ in expanded:
            self._by_day.setdefault(occ.day, {})[occ.key] = occ
        if booking.active:
            self._find_clashes(expanded)

    def _find_clashes(self, expanded: list[Occurrence]) -> None:
        for occ in expanded:
            for other in self._by_day.get(occ.day, {}).values():
                ob = other.booking
                if (ob.booking_id == occ.booking.booking_id or ob.room_id != occ.booking.room_id
                        or not ob.active or not overlaps(occ.start, occ.end, other.start, other.end)):
                    continue
                pair = _pair(ob.booking_id, occ.booking.booking_id)
                existing = self._clashes.get(pair)
                if existing is None or occ.start < existing.first.start:
                    first, second = (occ, other) if pair[0] == occ.booking.booking_id else (other, occ)
                    self._clashes[pair] = Clash(first, second)
                    for side in pair:
                        self._clash_keys_of.setdefault(side, set()).add(pair)

    # -- queries ------------------------------------------------------------------------------

    def room_list(self) -> list[Room]:
        """Rooms in the order people look for them: by pinyin of the name."""
        return sorted(self.rooms.values(),
                      key=lambda room: (search_keys(room.name).pinyin, room.room_id))

    def room_named(self, text: str) -> Room | None:
        """The room a person names on a command line: its id, the id without ``room:``, or its
        name."""
        return next((room for room in self.room_list()
                     if text in (room.room_id, room.room_id.split(":", 1)[1], room.name)), None)

    def day(self, day: date) -> list[Occurrence]:
        return sorted(self._by_day.get(day, {}).values(), key=lambda occ: occ.start)

    def room_day(self, room_id: str, day: date) -> list[Occurrence]:
        return [occ for occ in self.day(day) if occ.booking.room_id == room_id]

    def occurrences_of(self, booking_id: str) -> list[Occurrence]:
        """The booking's meetings as placed on the calendar (its exceptions applied)."""
        return list(self._occurrences_of.get(booking_id, ()))

    def candidates(self, booking: Booking) -> list[Occurrence]:
        """Occurrences on the days ``booking`` would meet: everything it could clash with."""
        try:
            days = {occ.day for occ in occurrences(booking, self.exceptions.get(booking.booking_id))}
        except ValueError:
            return []
        return [occ for day in days for occ in self._by_day.get(day, {}).values()]

    def clashes(self) -> list[Clash]:
        """Overlapping active bookings, except a slot booked again after its no-show release."""
        found = (clash for clash in self._clashes.values()
                 if not self.checkins.settles(clash.first, clash.second))
        return sorted(found, key=lambda clash: (clash.first.start, clash.key))

    def released(self, occ: Occurrence, now: datetime) -> bool:
        """Whether ``occ`` was not checked in at its door in time and its slot is free again."""
        return self.checkins.released(occ, now)

    def pending(self, now: datetime, confirm_within_hours: int) -> list[PendingRequest]:
        """Requests still waiting for confirmation, oldest first, with their age."""
        limit = timedelta(hours=confirm_within_hours)
        requests = []
        for booking in self.bookings.values():
            if booking.status != REQUESTED:
                continue
            try:  # a clock ahead on the booking node must not show "waiting -3 h"
                age = max(timedelta(0), now - parse_time(booking.created_at))
            except ValueError:
                age = timedelta(0)
            requests.append(PendingRequest(booking, age, age > limit))
        return sorted(requests, key=lambda request: -request.age)

    def attention_items(self) -> list[AttentionItem]:
        items = []
        for clash in self.clashes():
            a, b = clash.first.booking, clash.second.booking
            room = self.rooms.get(a.room_id)
            items.append(AttentionItem(
                kind="double_booking",
                key=clash.key,
                doc_ids=(a.booking_id, b.booking_id),
                message_key="bookings.attention.double_booking",
                params={
                    "room": room.name if room else a.room_id,
                    "when": clash.first.when,
                    "title_a": a.title, "who_a": a.organiser, "node_a": a.created_on,
                    "title_b": b.title, "who_b": b.organiser, "node_b": b.created_on,
                },
            ))
        return items

    def free_rooms(self, start: str, end: str, people: int,
                   equipment: Iterable[str] = (), now: datetime | None = None) -> list[Room]:
        """Rooms big enough, equipped, open then, and with no active booking overlapping
        (one released by ``now`` for want of a check-in no longer holds its room)."""
        begin, finish = parse_time(start), parse_time(end)
        wanted = list(equipment)
        busy = {
            occ.booking.room_id for occ in self._by_day.get(begin.date(), {}).values()
            if occ.booking.active and overlaps(begin, finish, occ.start, occ.end)
            and not (now is not None and self.released(occ, now))
        }
        return [
            room for room in self.room_list()
            if room.room_id not in busy and room.capacity >= people
            and room.has_equipment(wanted)
            and room.open_from <= f"{begin:%H:%M}" and f"{finish:%H:%M}" <= room.open_until
        ]

    def iter_bookings(self) -> Iterator[Booking]:
        return iter(sorted(self.bookings.values(), key=lambda booking: booking.start))


# -- edits ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Saved:
    booking_id: str
    rev: str
    short_notice: bool = False


@dataclass
class BookingDesk:
    """The store operations on bookings: each checks the rules against the calendar first.

    ``calendar`` is the shared :class:`BookingCalendar` (the TUI's ``ctx.index``); without one
    a fresh calendar is read from the store.
    """

    store: DocumentStore
    calendar: BookingCalendar | None = None
    notice_hours: int = 24
    node_name: str = ""
    _calendar: BookingCalendar = field(init=False)

    def __post_init__(self) -> None:
        self._calendar = self.calendar or BookingCalendar.from_store(self.store)

    @property
    def view(self) -> BookingCalendar:
        """The calendar the rules are checked against."""
        return self._calendar

    def _check(self, booking: Booking, now: datetime, ignore: str = "") -> BookingCheck:
        """The rules; ``ignore`` names a booking being replaced, whose dates do not clash."""
        others = [occ for occ in self._calendar.candidates(booking)
                  if occ.booking.booking_id != ignore and not self._calendar.released(occ, now)]
        return check_booking(booking, self._calendar.rooms.get(booking.room_id), others, now,
                             self.notice_hours, self._calendar.exceptions.get(booking.booking_id))

    def _write(self, doc: dict[str, Any]) -> str:
        try:
            rev = self.store.put(doc)
        except ConflictError:
            raise _refuse("changed", "This booking was changed elsewhere; reload and retry") from None
        if self.calendar is None:
            self._calendar.update(doc["_id"], None if doc.get("_deleted") else {**doc, "_rev": rev})
        return rev

    def _put(self, booking: Booking, rev: str | None) -> str:
        doc = booking.to_doc()
        if rev is not None:
            doc["_rev"] = rev
        return self._write(doc)

    def create(self, booking: Booking, now: datetime) -> Saved:
        booking = replace(
            booking,
            booking_id=booking.booking_id or Booking.new_id(),
            title=booking.title.strip(),
            created_at=booking.created_at or format_time(now),
            created_on=booking.created_on or self.node_name,
            placed_at=format_time(now),
        )
        check = self._check(booking, now)
        return Saved(booking.booking_id, self._put(booking, None), check.short_notice)

    def current(self, booking_id: str) -> tuple[Booking, str]:
        doc = self.store.get_or_none(booking_id)
        if doc is None:
            raise _refuse("gone", "This booking no longer exists")
        return Booking.from_doc(doc), str(doc["_rev"])

    def update(self, booking: Booking, now: datetime) -> Saved:
        """Save an edited booking (keeps who booked it, where and when; a new room or time is
        placed now, which is what a no-show release compares with)."""
        current, rev = self.current(booking.booking_id)
        moved = (booking.room_id, booking.start, booking.end) != (
            current.room_id, current.start, current.end)
        booking = replace(booking, title=booking.title.strip(), created_at=current.created_at,
                          created_on=current.created_on,
                          placed_at=format_time(now) if moved else current.placed_at)
        check = self._check(booking, now)
        return Saved(booking.booking_id, self._put(booking, rev), check.short_notice)

    def move(self, booking_id: str, room_id: str, start: str, end: str, now: datetime) -> Saved:
        current, _rev = self.current(booking_id)
        return self.update(replace(current, room_id=room_id, start=start, end=end), now)

    def confirm(self, booking_id: str, now: datetime | None = None) -> str:
        current, rev = self.current(booking_id)
        if current.status == CANCELLED:
            raise _refuse("cancelled", "A cancelled booking cannot be confirmed; book again")
        confirmed_at = format_time(now) if now is not None else current.confirmed_at
        return self._put(replace(current, status=CONFIRMED, confirmed_at=confirmed_at), rev)

    def cancel(self, booking_id: str) -> str:
        current, rev = self.current(booking_id)
        return self._put(replace(current, status=CANCELLED), rev)


def create_booking(store: DocumentStore, booking: Booking, now: datetime, **desk: Any) -> Saved:
    return BookingDesk(store, **desk).create(booking, now)


def confirm_booking(store: DocumentStore, booking_id: str, now: datetime | None = None,
                    **desk: Any) -> str:
    return BookingDesk(store, **desk).confirm(booking_id, now)


def cancel_booking(store: DocumentStore, booking_id: str, **desk: Any) -> str:
    return BookingDesk(store, **desk).cancel(booking_id)


def move_booking(store: DocumentStore, booking_id: str, room_id: str, start: str, end: str,
                 now: datetime, **desk: Any) -> Saved:
    return BookingDesk(store, **desk).move(booking_id, room_id, start, end, now)


def save_room(store: DocumentStore, room: Room) -> str:
    if not room.name.strip():
        raise _refuse("room_name", "Give the room a name")
    if room.capacity < 1:
        raise _refuse("room_capacity", "A room holds at least one person")
    return store.put_latest(room.to_doc())


def kpi_facts(calendar: BookingCalendar) -> tuple[list[BookingFact], list[RoomFact]]:
    """Every occurrence of every booking, and each room's bookable hours, for the KPI view."""
    bookings = []
    for booking in calendar.iter_bookings():
        try:
            created = parse_time(booking.created_at)
        except ValueError:
            continue
        confirmed = parse_time(booking.confirmed_at) if booking.confirmed_at else None
        for occurrence in calendar.occurrences_of(booking.booking_id):  # a moved date: its room
            bookings.append(BookingFact(occurrence.booking.room_id, occurrence.start,
                                        occurrence.end, created, confirmed, not booking.active,
                                        booking.status == CONFIRMED, booking.booking_id,
                                        calendar.checkins.released_at(occurrence)))
    rooms = []
    for room in calendar.room_list():
        try:
            hours = _clock_time(room.open_from), _clock_time(room.open_until)
        except ValueError:
            continue  # a room from a foreign node with unreadable hours has no measurable use
        rooms.append(RoomFact(room.room_id, room.name, *hours))
    return bookings, rooms
