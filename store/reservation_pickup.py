"""Whether a reserved asset was collected, and whom the reservation keeps it from.

Nothing here is written. A reservation counts as collected when its member held the asset at
some moment of the collection window (from its start to ``collect_minutes`` later, or to its
end if sooner); once the window has passed without that, it is released: the asset is free
for anyone again. Every node derives the same answer from the same reservations and loans,
with no central job, so a kiosk that was offline agrees once the loans replicate, as the room
no-show is derived from the absence of a check-in.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from .booking import parse_time
from .booking_recurrence import Occurrence
from .reservations import Released, ReservationBook
from .supplies import Loan, Return
from .supplies_index import SupplyIndex


class Pickup(StrEnum):
    UPCOMING = "upcoming"  # not started yet
    WAITING = "waiting"  # started, still within the collection window
    COLLECTED = "collected"
    RELEASED = "released"  # the window passed with no loan to its member


def collect_deadline(occurrence: Occurrence, collect_minutes: int) -> datetime:
    return min(occurrence.start + timedelta(minutes=collect_minutes), occurrence.end)


def pickup(occurrence: Occurrence, history: Iterable[tuple[Loan, Return | None]],
           now: datetime, collect_minutes: int) -> Pickup:
    """The state of one reserved date; ``history`` is the asset's loans with their returns."""
    deadline = collect_deadline(occurrence, collect_minutes)
    member = occurrence.booking.organiser
    for loan, returned in history:
        try:
            held_from = parse_time(loan.at)
            held_until = parse_time(returned.at) if returned is not None else None
        except ValueError:
            continue  # a foreign writer's unreadable time proves nothing
        if (loan.member_id == member and held_from <= deadline
                and (held_until is None or held_until >= occurrence.start)):
            return Pickup.COLLECTED
    if now < occurrence.start:
        return Pickup.UPCOMING
    return Pickup.WAITING if now < deadline else Pickup.RELEASED


def release_rule(supplies: SupplyIndex, collect_minutes: int) -> Released:
    """Whether a reserved date is released at a given time, judged by ``supplies``' loans."""
    def released(occurrence: Occurrence, now: datetime) -> bool:
        return pickup(occurrence, supplies.loan_history(occurrence.booking.room_id), now,
                      collect_minutes) is Pickup.RELEASED

    return released


def next_for_other(book: ReservationBook, asset_id: str, member_id: str, now: datetime,
                   until: datetime) -> Occurrence | None:
    """The first reservation of ``asset_id`` by someone else starting after ``now`` and by
    ``until`` (when a loan made now would be due): the loan must be back before it."""
    day = now.date()
    while day <= until.date():
        for occurrence in book.room_day(asset_id, day):
            if (occurrence.booking.active and occurrence.booking.organiser != member_id
                    and now < occurrence.start <= until):
                return occurrence
        day += timedelta(days=1)
    return None


def held_for_other(book: ReservationBook, history: list[tuple[Loan, Return | None]],
                   asset_id: str, member_id: str, now: datetime,
                   collect_minutes: int) -> Occurrence | None:
    """The reservation under way that keeps ``asset_id`` from ``member_id`` now, if any.

    A released reservation keeps nothing; the reserver's own reservation keeps nothing from
    them.
    """
    for occurrence in book.covering(asset_id, now):
        if (occurrence.booking.organiser != member_id
                and pickup(occurrence, history, now, collect_minutes) is not Pickup.RELEASED):
            return occurrence
    return None


@dataclass(frozen=True)
class ReservedDate:
    """One date of a reservation with its pickup state, as the lists show it."""

    occurrence: Occurrence
    state: Pickup

    @property
    def asset_id(self) -> str:
        return self.occurrence.booking.room_id

    @property
    def member_id(self) -> str:
        return self.occurrence.booking.organiser

    @property
    def reservation_id(self) -> str:
        return self.occurrence.booking.booking_id


def with_pickup(occurrences: Iterable[Occurrence], supplies: SupplyIndex, now: datetime,
                collect_minutes: int) -> list[ReservedDate]:
    return [ReservedDate(occ, pickup(occ, supplies.loan_history(occ.booking.room_id), now,
                                     collect_minutes))
            for occ in occurrences]
