"""The derived calendar: rooms and bookings, every occurrence filed under its day.

Fed by the changes feed (a :class:`~store.docstore.DocIndex`), it answers the day grid, the
month view, free rooms, pending requests and the KPI's facts. Two offline nodes can each
accept the same slot; after a merge the calendar lists such pairs as ``double_booking``
attention items, and cancelling or moving one side (an ordinary edit that replicates) clears
the item everywhere.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from .attention import AttentionItem
from .booking import BOOKING, CONFIRMED, REQUESTED, Booking, clock_time, overlaps, parse_time
from .booking_exceptions import BOOKING_EXCEPTION, SeriesException, series_of
from .booking_recurrence import Occurrence, occurrences
from .docstore import DocumentStore
from .errors import InvalidDocument
from .kpi import BookingFact, RoomFact
from .room_checkin import ROOM_CHECKIN, ROOM_DOOR, CheckInLedger
from .rooms import ROOM, Room
from .textsearch import search_keys

# what reading a damaged or foreign document can raise: a field of the wrong type or shape,
# a date past the year 9999
UNREADABLE = (ValueError, TypeError, AttributeError, OverflowError, InvalidDocument)
log = logging.getLogger(__name__)


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
            hours = clock_time(room.open_from), clock_time(room.open_until)
        except ValueError:
            continue  # a room from a foreign node with unreadable hours has no measurable use
        rooms.append(RoomFact(room.room_id, room.name, *hours))
    return bookings, rooms
