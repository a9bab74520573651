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

import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from .attention import AttentionItem
from .doc_codec import (DATE_FORMAT, ClockTime, LocalTime, is_time, record_from_doc,
                         text_tuple)
from .docstore import DocumentStore
from .errors import ConflictError, InvalidDocument, ValidationError
from .kpi import BookingFact, RoomFact
from .textsearch import search_keys

ROOM = "room"
BOOKING = "booking"
REQUESTED, CONFIRMED, CANCELLED = "requested", "confirmed", "cancelled"
CLASSES = ("A", "B", "C")
FREQ_DAYS = {"daily": 1, "weekly": 7, "biweekly": 14}
MAX_OCCURRENCES = 400  # a bit over a year of daily meetings; keeps a typo from filling the index


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
    freq: str  # daily | weekly | biweekly
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
        }

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Booking:
        return record_from_doc(cls, {**doc, "booking_id": doc["_id"],
                                     "room_id": doc.get("room", ""),
                                     "recurrence": Recurrence.from_doc(doc.get("recurrence"))})


@dataclass(frozen=True)
class Occurrence:
    """One concrete meeting of a (possibly recurring) booking."""

    booking: Booking
    start: datetime
    end: datetime

    @property
    def day(self) -> date:
        return self.start.date()

    @property
    def when(self) -> str:
        return f"{self.start:%Y-%m-%d %H:%M}–{self.end:%H:%M}"


def occurrence_dates(first: date, recurrence: Recurrence | None) -> list[date]:
    """Dates a booking meets on, first date included, exceptions removed, at most MAX."""
    if recurrence is None:
        return [first]
    step = timedelta(days=FREQ_DAYS.get(recurrence.freq, 7))
    until = date.fromisoformat(recurrence.until) if recurrence.until else None
    limit = MAX_OCCURRENCES if recurrence.count is None else min(recurrence.count, MAX_OCCURRENCES)
    skipped = set(recurrence.exceptions)
    dates = []
    current = first
    for _ in range(limit):
        if until is not None and current > until:
            break
        if current.isoformat() not in skipped:
            dates.append(current)
        current += step
    return dates


def occurrences(booking: Booking) -> list[Occurrence]:
    start, end = parse_time(booking.start), parse_time(booking.end)
    length = end - start
    return [
        Occurrence(booking, datetime.combine(day, start.time()), datetime.combine(day, start.time()) + length)
        for day in occurrence_dates(start.date(), booking.recurrence)
    ]


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
    if recurrence.freq not in FREQ_DAYS:
        raise _refuse("bad_recurrence", "Repeat daily, weekly or every two weeks")
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
        generated = (until - first).days // FREQ_DAYS[recurrence.freq] + 1
        if recurrence.count is None and generated > MAX_OCCURRENCES:
            raise _refuse("recurrence_too_long", "A booking may repeat at most {limit} times",
                          limit=MAX_OCCURRENCES)


@dataclass(frozen=True)
class BookingCheck:
    """What a booking that passed the rules still deserves a warning about."""

    short_notice: bool = False


def check_booking(
    booking: Booking,
    room: Room | None,
    others: Iterable[Occurrence],
    now: datetime,
    notice_hours: int = 24,
) -> BookingCheck:
    """Refuse a booking that breaks a rule (first problem wins); flag short notice.

    ``others`` are occurrences of other bookings that might clash (the caller narrows them to
    the room and days concerned, see :meth:`BookingCalendar.candidates`).
    """
    if not booking.title.strip():
        raise _refuse("title_required", "Give the meeting a title")
    if room is None:
        raise _refuse("no_room", "Choose a room")
    try:
        start, end = parse_time(booking.start), parse_time(booking.end)
    except ValueError:
        raise _bad_time() from None
    if end <= start:
        raise _refuse("end_before_start", "The meeting must end after it starts")
    if end.date() != start.date():
        raise _refuse("one_day", "A booking must start and end on the same day")
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
    if booking.recurrence is not None:
        _check_recurrence(booking.recurrence, start.date())
    if booking.active:
        clash = first_clash(booking, others)
        if clash is not None:
            raise _refuse("overlap", "{room} is already booked {when} for “{title}”",
                          room=room.name, when=clash.when, title=clash.booking.title)
    return BookingCheck(short_notice=short_notice(booking, notice_hours, now))


def first_clash(booking: Booking, others: Iterable[Occurrence]) -> Occurrence | None:
    """The earliest active occurrence of another booking in the same room that overlaps."""
    mine: dict[date, Occurrence] = {occ.day: occ for occ in occurrences(booking)}
    clashes = [
        other for other in others
        if other.booking.booking_id != booking.booking_id
        and other.booking.room_id == booking.room_id
        and other.booking.active
        and other.day in mine
        and overlaps(mine[other.day].start, mine[other.day].end, other.start, other.end)
    ]
    return min(clashes, key=lambda occ: occ.start) if clashes else None


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

    doc_types = (ROOM, BOOKING)

    def __init__(self) -> None:
        self.rooms: dict[str, Room] = {}
        self.bookings: dict[str, Booking] = {}
        self._by_day: dict[date, dict[str, Occurrence]] = {}
        self._days_of: dict[str, list[date]] = {}
        self._clashes: dict[tuple[str, str], Clash] = {}
        self._clash_keys_of: dict[str, set[tuple[str, str]]] = {}

    @classmethod
    def from_store(cls, store: DocumentStore) -> BookingCalendar:
        calendar = cls()
        for kind in cls.doc_types:
            for doc in store.iter_docs(kind):
                calendar.update(doc["_id"], doc)
        return calendar

    def reset(self) -> None:
        for table in (self.rooms, self.bookings, self._by_day, self._days_of, self._clashes,
                      self._clash_keys_of):
            table.clear()

    def update(self, doc_id: str, doc: dict[str, Any] | None) -> None:
        if doc_id.startswith(ROOM + ":"):
            self.rooms.pop(doc_id, None)
            if doc is not None:
                self.rooms[doc_id] = Room.from_doc(doc)
            return
        self._remove_booking(doc_id)
        if doc is not None:
            self._add_booking(Booking.from_doc(doc))

    def _remove_booking(self, booking_id: str) -> None:
        self.bookings.pop(booking_id, None)
        for day in self._days_of.pop(booking_id, ()):
            on_day = self._by_day.get(day)
            if on_day is not None:
                on_day.pop(booking_id, None)
                if not on_day:
                    del self._by_day[day]
        for pair in self._clash_keys_of.pop(booking_id, set()):
            self._clashes.pop(pair, None)
            for side in pair:
                self._clash_keys_of.get(side, set()).discard(pair)

    def _add_booking(self, booking: Booking) -> None:
        try:
            expanded = occurrences(booking)
        except ValueError:
            return  # unreadable times from a foreign node: nothing to place on the calendar
        self.bookings[booking.booking_id] = booking
        self._days_of[booking.booking_id] = [occ.day for occ in expanded]
        for occ in expanded:
            self._by_day.setdefault(occ.day, {})[booking.booking_id] = occ
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

    def day(self, day: date) -> list[Occurrence]:
        return sorted(self._by_day.get(day, {}).values(), key=lambda occ: occ.start)

    def room_day(self, room_id: str, day: date) -> list[Occurrence]:
        return [occ for occ in self.day(day) if occ.booking.room_id == room_id]

    def candidates(self, booking: Booking) -> list[Occurrence]:
        """Occurrences on the days ``booking`` would meet: everything it could clash with."""
        try:
            days = {occ.day for occ in occurrences(booking)}
        except ValueError:
            return []
        return [occ for day in days for occ in self._by_day.get(day, {}).values()]

    def clashes(self) -> list[Clash]:
        return sorted(self._clashes.values(), key=lambda clash: (clash.first.start, clash.key))

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
                   equipment: Iterable[str] = ()) -> list[Room]:
        """Rooms big enough, equipped, open then, and with no active booking overlapping."""
        begin, finish = parse_time(start), parse_time(end)
        wanted = list(equipment)
        busy = {
            occ.booking.room_id for occ in self._by_day.get(begin.date(), {}).values()
            if occ.booking.active and overlaps(begin, finish, occ.start, occ.end)
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

    def _check(self, booking: Booking, now: datetime) -> BookingCheck:
        return check_booking(booking, self._calendar.rooms.get(booking.room_id),
                             self._calendar.candidates(booking), now, self.notice_hours)

    def _put(self, booking: Booking, rev: str | None) -> str:
        doc = booking.to_doc()
        if rev is not None:
            doc["_rev"] = rev
        try:
            rev = self.store.put(doc)
        except ConflictError:
            raise _refuse("changed", "This booking was changed elsewhere; reload and retry") from None
        if self.calendar is None:
            self._calendar.update(booking.booking_id, {**doc, "_rev": rev})
        return rev

    def create(self, booking: Booking, now: datetime) -> Saved:
        booking = replace(
            booking,
            booking_id=booking.booking_id or Booking.new_id(),
            title=booking.title.strip(),
            created_at=booking.created_at or format_time(now),
            created_on=booking.created_on or self.node_name,
        )
        check = self._check(booking, now)
        return Saved(booking.booking_id, self._put(booking, None), check.short_notice)

    def _current(self, booking_id: str) -> tuple[Booking, str]:
        doc = self.store.get_or_none(booking_id)
        if doc is None:
            raise _refuse("gone", "This booking no longer exists")
        return Booking.from_doc(doc), str(doc["_rev"])

    def update(self, booking: Booking, now: datetime) -> Saved:
        """Save an edited booking (keeps who booked it, where and when)."""
        current, rev = self._current(booking.booking_id)
        booking = replace(booking, title=booking.title.strip(), created_at=current.created_at,
                          created_on=current.created_on)
        check = self._check(booking, now)
        return Saved(booking.booking_id, self._put(booking, rev), check.short_notice)

    def move(self, booking_id: str, room_id: str, start: str, end: str, now: datetime) -> Saved:
        current, _rev = self._current(booking_id)
        return self.update(replace(current, room_id=room_id, start=start, end=end), now)

    def confirm(self, booking_id: str, now: datetime | None = None) -> str:
        current, rev = self._current(booking_id)
        if current.status == CANCELLED:
            raise _refuse("cancelled", "A cancelled booking cannot be confirmed; book again")
        confirmed_at = format_time(now) if now is not None else current.confirmed_at
        return self._put(replace(current, status=CONFIRMED, confirmed_at=confirmed_at), rev)

    def cancel(self, booking_id: str) -> str:
        current, rev = self._current(booking_id)
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
        for occurrence in occurrences(booking):
            bookings.append(BookingFact(booking.room_id, occurrence.start, occurrence.end,
                                        created, confirmed, not booking.active))
    rooms = []
    for room in calendar.room_list():
        opening = datetime.combine(date.min, _clock_time(room.open_from))
        closing = datetime.combine(date.min, _clock_time(room.open_until))
        rooms.append(RoomFact(room.room_id, room.name, (closing - opening).total_seconds() / 3600))
    return bookings, rooms
