"""Room-door check-in and the no-show release derived from it (no job, no cron).

A room with a door kiosk (``mishu kiosk room``) requires its bookings to be claimed: the booker
or an attendee checks in at the door, or signs in to the booking's meeting, and each such act
is an immutable ``roomcheckin:`` fact (one per person, occurrence and node, so two offline
doors never make a conflict). The kiosk announces itself with a ``roomdoor:`` record saying
since when the room has a door and how long after the start a booking waits for its check-in.

From those documents alone every node derives the same answer: an occurrence in such a room,
starting after the door was put up, with no check-in by its start plus the window, is
*released* at that moment. Nothing is written when it happens, so an offline node releases it
on time as well. A released slot can be booked again; a check-in made on a node that did not
yet know of the new booking (it was apart) brings the old booking back, and the two are then a
double booking for a person to settle, like any other (see :meth:`CheckInLedger.settles`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from .doc_codec import DocumentRecord, LocalDate, LocalTime
from .docstore import DocumentStore
from .errors import ConflictError, InvalidDocument
from .filing import Filing

if TYPE_CHECKING:
    from .booking_recurrence import Occurrence

ROOM_CHECKIN = "roomcheckin"
ROOM_DOOR = "roomdoor"
MAX_WINDOW_MINUTES = 24 * 60  # a peer's absurd window must not overflow the time arithmetic


def _key(doc_id: str) -> str:
    """``booking:ab12`` → ``ab12``: the part a fact's id embeds."""
    return doc_id.split(":", 1)[-1]


@dataclass(frozen=True)
class RoomCheckIn(DocumentRecord):
    """Someone claimed one day's occurrence of a booking at the door (or by signing in)."""

    booking_id: str
    day: LocalDate  # the occurrence's date: a series is claimed one date at a time
    member_id: str
    time: LocalTime
    node: str
    via: str = "badge"  # how: "badge", "id", "name" at the door, or "signin" at the meeting
    door: str = ""

    @property
    def doc_id(self) -> str:
        return f"{ROOM_CHECKIN}:{_key(self.booking_id)}:{self.day}:{self.member_id}:{self.node}"


def checkin_prefix(booking_id: str, day: str) -> str:
    return f"{ROOM_CHECKIN}:{_key(booking_id)}:{day}:"


@dataclass(frozen=True)
class RoomDoor(DocumentRecord):
    """A door kiosk stands at ``room_id`` since ``since``; its bookings wait ``checkin_minutes``."""

    room_id: str
    node: str
    since: LocalTime
    checkin_minutes: int

    @property
    def doc_id(self) -> str:
        return f"{ROOM_DOOR}:{_key(self.room_id)}:{self.node}"


@dataclass(frozen=True)
class DoorRule:
    since: datetime
    window: timedelta


def record_checkin(store: DocumentStore, checkin: RoomCheckIn) -> bool:
    """Keep the fact; ``False`` when this node had already recorded that person's check-in."""
    if store.exists(checkin.doc_id):
        return False
    try:
        store.put(checkin.to_doc())
    except ConflictError:  # replicated in between: the same fact
        return False
    return True


def put_up_door(store: DocumentStore, room_id: str, node: str, now: datetime,
                checkin_minutes: int) -> RoomDoor:
    """Announce this node's door kiosk; a restart keeps the first ``since``."""
    door = RoomDoor(room_id, node, now.isoformat(timespec="minutes"), checkin_minutes)
    current = store.get_or_none(door.doc_id)
    if current is not None:
        try:
            known = RoomDoor.from_doc(current)
        except InvalidDocument:
            known = None
        if known is not None and known.checkin_minutes == checkin_minutes:
            return known
        if known is not None:
            door = RoomDoor(room_id, node, known.since, checkin_minutes)
    store.put_latest(door.to_doc())
    return door


class CheckInLedger:
    """Check-ins by occurrence and door rules by room, fed with ``roomcheckin``/``roomdoor``
    documents by :class:`store.booking_calendar.BookingCalendar` (which owns one)."""

    doc_types = (ROOM_CHECKIN, ROOM_DOOR)

    def __init__(self) -> None:
        self._checkins: Filing[tuple[str, str], RoomCheckIn] = Filing()  # by booking and day
        self._doors: Filing[str, RoomDoor] = Filing()  # by room

    def reset(self) -> None:
        self._checkins.clear()
        self._doors.clear()

    def update(self, doc_id: str, doc: dict[str, Any] | None) -> None:
        """Raises what reading a malformed document raises; the calendar logs and skips it."""
        self._checkins.take_out(doc_id)
        self._doors.take_out(doc_id)
        if doc is None:
            return
        if doc_id.startswith(ROOM_DOOR + ":"):
            door = RoomDoor.from_doc(doc)
            if not 0 <= door.checkin_minutes <= MAX_WINDOW_MINUTES:
                raise InvalidDocument(reason=f"{doc_id}: a check-in window out of range")
            self._doors.file(door.room_id, doc_id, door)
        else:
            checkin = RoomCheckIn.from_doc(doc)
            place = (checkin.booking_id, checkin.day)
            self._checkins.file(place, doc_id, checkin)

    # -- the rule ---------------------------------------------------------------------------

    def rule(self, room_id: str) -> DoorRule | None:
        """The room's rule: from its first door's start, with the most lenient window."""
        doors = self._doors.group(room_id)
        if not doors:
            return None
        return DoorRule(min(datetime.fromisoformat(door.since) for door in doors.values()),
                        timedelta(minutes=max(door.checkin_minutes for door in doors.values())))

    def deadline(self, occ: Occurrence) -> datetime | None:
        """When ``occ`` is released unless claimed; ``None`` when its room asks no check-in."""
        rule = self.rule(occ.booking.room_id)
        if rule is None or occ.start < rule.since or not occ.booking.active:
            return None
        return min(occ.start + rule.window, occ.end)

    def checkins(self, occ: Occurrence) -> list[RoomCheckIn]:
        """Every check-in for that day's occurrence, earliest first."""
        found = self._checkins.group((occ.booking.booking_id, occ.day.isoformat()))
        return sorted(found.values(), key=lambda c: (c.time, c.node, c.member_id))

    def claimed_by(self, occ: Occurrence) -> RoomCheckIn | None:
        """The earliest check-in made in time (before the deadline), if any."""
        deadline = self.deadline(occ)
        limit = deadline.isoformat(timespec="minutes") if deadline is not None else "9999"
        return next((c for c in self.checkins(occ) if c.time <= limit), None)

    def released_at(self, occ: Occurrence) -> datetime | None:
        """When ``occ`` was (or will be) released; ``None`` when it is claimed or need not be."""
        deadline = self.deadline(occ)
        if deadline is None or self.claimed_by(occ) is not None:
            return None
        return deadline

    def released(self, occ: Occurrence, now: datetime) -> bool:
        at = self.released_at(occ)
        return at is not None and at <= now

    def settles(self, first: Occurrence, second: Occurrence) -> bool:
        """Whether an overlap of two bookings is no clash: one side was released before the
        other was booked or moved there, so the later booking took a free slot. Uses only the documents, so
        every node agrees; a check-in arriving from a node that was apart undoes it."""
        for released, other in ((first, second), (second, first)):
            at = self.released_at(released)
            if at is not None and other.booking.placed >= at.isoformat(timespec="minutes"):
                return True
        return False
