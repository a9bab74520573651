"""A meeting holds its room: the booking that follows the meeting's room and time.

A meeting with a room owns one booking, ``booking:meeting-{key}`` (deterministic, so the same
meeting on two nodes means the same booking document, never two). Saving the meeting checks
that booking against the calendar with the ordinary booking rules first, so a clash is refused
before anything is written; moving the meeting moves the booking, clearing its room or
cancelling the meeting cancels it. The booking is a plain booking, so a meeting whose room
clashes with another booking after a merge shows up as a ``double_booking`` like any other.

When two offline nodes change the same meeting, the meeting document is in conflict and is
listed for a person to resolve; its booking's own conflict is part of that one item (see
:func:`owner_of`) and, once the meeting is resolved, :func:`follow_meeting` brings the booking
in line with whatever version was kept.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from .booking import BOOKING, CANCELLED, CONFIRMED, Booking, format_time
from .booking_calendar import BookingCalendar
from .booking_desk import BookingDesk
from .conflicts import resolve_conflict
from .docstore import DocumentStore
from .meetings import MEETING, Meeting, check_meeting, load_meeting, meeting_key, save_meeting

PREFIX = f"{BOOKING}:{MEETING}-"


def meeting_booking_id(meeting_id: str) -> str:
    return f"{PREFIX}{meeting_key(meeting_id)}"


def owner_of(doc_id: str) -> str | None:
    """The meeting a booking belongs to (``booking:meeting-ab`` → ``meeting:ab``), else None."""
    return f"{MEETING}:{doc_id[len(PREFIX):]}" if doc_id.startswith(PREFIX) else None


def wanted_booking(meeting: Meeting, current: Booking | None, now: datetime) -> Booking:
    """The booking ``meeting`` should hold, keeping what the current one already records."""
    base = current or Booking(meeting_booking_id(meeting.meeting_id), meeting.room_id,
                              meeting.start, meeting.end, meeting.title,
                              created_at=format_time(now), confirmed_at=format_time(now))
    active = bool(meeting.room_id) and not meeting.cancelled
    return replace(
        base,
        room_id=meeting.room_id or base.room_id,
        start=meeting.start, end=meeting.end, title=meeting.title,
        organiser=meeting.minute_taker or base.organiser,
        attendees=max(1, len(meeting.roster)),
        meeting_class=meeting.meeting_class,
        status=CONFIRMED if active else CANCELLED,
        confirmed_at=base.confirmed_at or format_time(now),
    )


def book_meeting(store: DocumentStore, calendar: BookingCalendar | None, meeting: Meeting,
                 now: datetime, *, node_name: str = "", notice_hours: int = 24) -> Meeting:
    """Save ``meeting`` and its booking; a room clash or a rule the booking breaks is refused
    (:class:`~store.errors.ValidationError`) before either document is written."""
    meeting = check_meeting(replace(meeting, booking_id=meeting_booking_id(meeting.meeting_id)))
    desk = BookingDesk(store, calendar, notice_hours=notice_hours, node_name=node_name)
    doc = store.get_or_none(meeting.booking_id)
    current = Booking.from_doc(doc) if doc is not None else None
    booking = wanted_booking(meeting, current, now)
    if current is None and booking.active:
        desk.create(booking, now)
    elif current is not None and (booking.active or current.active):
        desk.update(booking, now)
    if current is None and not booking.active:
        meeting = replace(meeting, booking_id="")
    save_meeting(store, meeting)
    return meeting


def cancel_meeting(store: DocumentStore, calendar: BookingCalendar | None, meeting: Meeting,
                   now: datetime, *, cancelled: bool = True) -> Meeting:
    """Cancel (or, with ``cancelled=False``, restore) a meeting together with its booking."""
    return book_meeting(store, calendar, replace(meeting, cancelled=cancelled), now)


def booking_fields(meeting: Meeting, current: dict[str, Any] | None, now: datetime
                   ) -> dict[str, Any]:
    """The booking document's content for ``meeting``, without ``_id``/``_rev``."""
    booking = wanted_booking(meeting, Booking.from_doc(current) if current else None, now)
    return {key: value for key, value in booking.to_doc().items() if key != "_id"}


def follow_meeting(store: DocumentStore, meeting_id: str, now: datetime) -> bool:
    """Bring a meeting's booking in line with the meeting as it now stands (after a merge or a
    conflict resolution); the booking's own conflicting branches are closed. No clash check:
    a clash this leaves is listed as a double booking for a person to settle."""
    meeting = load_meeting(store, meeting_id)
    if meeting is None or not meeting.booking_id.startswith(PREFIX):
        return False
    doc = store.get_or_none(meeting.booking_id)
    fields = booking_fields(meeting, doc, now)
    if doc is not None and not store.conflicts(meeting.booking_id):
        current = {key: value for key, value in doc.items() if not key.startswith("_")}
        if current == fields:
            return False
    if doc is None:
        store.put({"_id": meeting.booking_id, **fields})
    else:
        resolve_conflict(store, meeting.booking_id, fields)
    return True


def room_name(calendar: BookingCalendar, room_id: str) -> str:
    """What a person calls the room: its name, or the bare id of a room no longer listed."""
    room = calendar.rooms.get(room_id)
    return room.name if room is not None else room_id
