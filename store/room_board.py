"""What a room's door says right now: today's bookings, which holds the room, and until when it
is free. A pure function of the calendar and the clock, so the door kiosk and the tests read the
same answer (the release rule itself lives in :mod:`store.room_checkin`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from .booking_calendar import BookingCalendar
from .booking_recurrence import Occurrence
from .room_checkin import RoomCheckIn


class SlotState(StrEnum):
    UPCOMING = "upcoming"  # later today; check-in opens a window's length before the start
    AWAITING = "awaiting"  # started, not yet checked in, still held until its deadline
    CHECKED_IN = "checked_in"
    BOOKED = "booked"  # the room asked no check-in of it (booked before the door was put up)
    RELEASED = "released"  # not checked in in time: a no-show, the slot is free
    ENDED = "ended"


@dataclass(frozen=True)
class BoardEntry:
    occurrence: Occurrence
    state: SlotState
    deadline: datetime | None  # released then unless checked in; None: no check-in asked
    claimed: RoomCheckIn | None

    @property
    def holds_room(self) -> bool:
        return self.state is not SlotState.RELEASED


@dataclass(frozen=True)
class RoomBoard:
    entries: list[BoardEntry]  # today's active bookings of the room, by start
    now: datetime

    @property
    def current(self) -> BoardEntry | None:
        """The booking holding the room at this moment."""
        return next((entry for entry in self.entries if entry.holds_room
                     and entry.occurrence.start <= self.now < entry.occurrence.end), None)

    @property
    def next(self) -> BoardEntry | None:
        return next((entry for entry in self.entries if entry.holds_room
                     and entry.occurrence.start > self.now), None)

    @property
    def free_until(self) -> datetime | None:
        """When the free room is taken next today; ``None``: free for the rest of the day."""
        upcoming = self.next
        return upcoming.occurrence.start if upcoming is not None else None

    def open_for_checkin(self, early: timedelta) -> BoardEntry | None:
        """The booking one may check in to now: from ``early`` before its start to its deadline
        (the earliest such, when two are close together)."""
        return next((entry for entry in self.entries
                     if entry.deadline is not None and entry.state is not SlotState.RELEASED
                     and entry.occurrence.start - early <= self.now < entry.deadline), None)

    def released_just_now(self) -> BoardEntry | None:
        """The latest booking released today and not yet over: what a late booker asks about."""
        return next((entry for entry in reversed(self.entries)
                     if entry.state is SlotState.RELEASED and self.now < entry.occurrence.end),
                    None)


def _state(calendar: BookingCalendar, occ: Occurrence, now: datetime) -> BoardEntry:
    ledger = calendar.checkins
    deadline, claimed = ledger.deadline(occ), ledger.claimed_by(occ)
    if calendar.released(occ, now):
        state = SlotState.RELEASED
    elif occ.end <= now:
        state = SlotState.ENDED
    elif claimed is not None:
        state = SlotState.CHECKED_IN
    elif deadline is None:
        state = SlotState.BOOKED
    elif occ.start <= now:
        state = SlotState.AWAITING
    else:
        state = SlotState.UPCOMING
    return BoardEntry(occ, state, deadline, claimed)


def room_board(calendar: BookingCalendar, room_id: str, now: datetime) -> RoomBoard:
    today = [occ for occ in calendar.room_day(room_id, now.date()) if occ.booking.active]
    return RoomBoard([_state(calendar, occ, now) for occ in today], now)
