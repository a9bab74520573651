"""Asset reservations: a loanable asset (camera, projector) held for a member at future times.

A reservation is booked by the slot exactly as a room is, so it goes through the room
calendar's own rules rather than a copy of them: seen as a :class:`~store.booking.Booking` of
the asset (:meth:`Reservation.as_booking`) its recurrence expands with
:func:`~store.booking_recurrence.occurrences`, a local overlap is refused by
:func:`~store.booking_rules.slot_clash` (a series of which only some dates clash raises
:class:`~store.booking_rules.SeriesClash`), and :class:`ReservationBook` is a
:class:`~store.booking_calendar.BookingCalendar` fed reservation documents, so the pairs that two
offline nodes made are found the same way and listed as ``double_reservation`` attention items.

Whether a reservation was collected is never written: :mod:`store.reservation_pickup` derives
it on every node from the loans, as the room no-show is derived from the absence of a check-in.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

from .attention import AttentionItem
from .booking import CANCELLED, CONFIRMED, Booking, Recurrence, format_time
from .booking_calendar import BookingCalendar
from .booking_recurrence import Occurrence
from .booking_rules import slot_clash, slot_times
from .doc_codec import LocalTime, record_from_doc
from .docstore import DocumentStore
from .errors import ConflictError, ValidationError
from .supplies import Asset

RESERVATION = "reservation"
Released = Callable[[Occurrence, datetime], bool]  # whether a date was given up by ``now``


def never_released(_occurrence: Occurrence, _now: datetime) -> bool:
    return False


def _refuse(key: str, english: str, **params: Any) -> ValidationError:
    return ValidationError(f"reservations.error.{key}", english, **params)


@dataclass(frozen=True)
class Reservation:
    reservation_id: str  # the document id, ``reservation:<uuid hex>``
    asset_id: str
    member_id: str  # who reserved it, and the only one who may collect it
    start: LocalTime
    end: LocalTime
    note: str = ""
    cancelled: bool = False
    recurrence: Recurrence | None = None
    created_at: LocalTime = ""
    created_on: str = ""  # node name where it was made

    @staticmethod
    def new_id() -> str:
        return f"{RESERVATION}:{uuid.uuid4().hex}"

    def to_doc(self) -> dict[str, Any]:
        return {"_id": self.reservation_id, "asset": self.asset_id, "member": self.member_id,
                "start": self.start, "end": self.end, "note": self.note,
                "cancelled": self.cancelled,
                "recurrence": self.recurrence.to_doc() if self.recurrence else None,
                "created_at": self.created_at, "created_on": self.created_on}

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Reservation:
        return record_from_doc(cls, {**doc, "reservation_id": doc["_id"],
                                     "asset_id": doc.get("asset", ""),
                                     "member_id": doc.get("member", ""),
                                     "recurrence": Recurrence.from_doc(doc.get("recurrence"))})

    def as_booking(self) -> Booking:
        """The reservation as the room calendar sees a booking: the asset in place of a room."""
        return Booking(self.reservation_id, self.asset_id, self.start, self.end, self.note,
                       organiser=self.member_id,
                       status=CANCELLED if self.cancelled else CONFIRMED,
                       recurrence=self.recurrence, created_at=self.created_at,
                       created_on=self.created_on)


def check_reservation(reservation: Reservation, asset: Asset | None,
                      others: Iterable[Occurrence], now: datetime) -> None:
    """Refuse a reservation that breaks a rule (first problem wins)."""
    if asset is None:
        raise _refuse("no_asset", "Choose an asset to reserve")
    if not reservation.member_id:
        raise _refuse("no_member", "Say who reserves it")
    booking = reservation.as_booking()
    _start, end = slot_times(booking, "reservations")
    if end <= now and reservation.recurrence is None:
        raise _refuse("past", "A reservation must end in the future")
    clash = slot_clash(booking, others)
    if clash is not None:
        raise _refuse("overlap", "{asset} is already reserved {when}",
                      asset=f"{asset.tag} {asset.name}", when=clash.when)


class ReservationBook(BookingCalendar):
    """Every reservation, filed by day with its clashes kept current, as rooms' bookings are.

    The inherited calendar holds each reservation as its :meth:`Reservation.as_booking`, the
    asset's id where a room's would be; ``reservations`` keeps the records themselves.
    """

    doc_types = (RESERVATION,)

    def __init__(self) -> None:
        super().__init__()
        self.reservations: dict[str, Reservation] = {}

    def reset(self) -> None:
        super().reset()
        self.reservations.clear()

    def _place(self, doc_id: str, doc: dict[str, Any] | None) -> None:
        self.reservations.pop(doc_id, None)
        self._remove_booking(doc_id)
        if doc is not None:
            reservation = Reservation.from_doc(doc)
            self.reservations[doc_id] = reservation
            self._add_booking(reservation.as_booking())

    def reservation_of(self, occurrence: Occurrence) -> Reservation:
        return self.reservations[occurrence.booking.booking_id]

    def days(self, first: date, count: int) -> Iterator[Occurrence]:
        """Active occurrences on ``count`` days from ``first`` on, in time order."""
        for offset in range(count):
            yield from (occ for occ in self.day(first + timedelta(days=offset))
                        if occ.booking.active)

    def of_member(self, member_id: str) -> list[Occurrence]:
        """Every date a member reserved something (cancelled ones left out), newest first."""
        found = [occ for reservation in self.reservations.values()
                 if reservation.member_id == member_id and not reservation.cancelled
                 for occ in self.occurrences_of(reservation.reservation_id)]
        return sorted(found, key=lambda occ: (occ.start, occ.key), reverse=True)

    def covering(self, asset_id: str, now: datetime) -> list[Occurrence]:
        """The asset's active reservations under way at ``now``."""
        return [occ for occ in self.room_day(asset_id, now.date())
                if occ.booking.active and occ.start <= now < occ.end]

    def attention_items(self, assets: Mapping[str, Asset] | None = None,
                        settled: Callable[[Occurrence], bool] = lambda _occ: False
                        ) -> list[AttentionItem]:
        """Each pair two nodes reserved apart; ``assets`` names them (else their ids show).

        A pair of which one side is ``settled`` (released: its time went to the other) is
        no clash.
        """
        items = []
        for clash in self.clashes():
            if settled(clash.first) or settled(clash.second):
                continue
            a, b = self.reservation_of(clash.first), self.reservation_of(clash.second)
            asset = (assets or {}).get(a.asset_id)
            items.append(AttentionItem(
                kind="double_reservation",
                key=clash.key.replace("double_booking", "double_reservation", 1),
                doc_ids=(a.reservation_id, b.reservation_id),
                message_key="reservations.attention.double_reservation",
                params={"asset": f"{asset.tag} {asset.name}" if asset else a.asset_id,
                        "when": clash.first.when,
                        "who_a": a.member_id, "node_a": a.created_on,
                        "who_b": b.member_id, "node_b": b.created_on}))
        return items


@dataclass
class ReservationDesk:
    """The store operations on reservations: each checks the rules against the book first.

    ``book`` is the shared :class:`ReservationBook` (the TUI's ``ctx.index``); without one a
    fresh book is read from the store. A date ``released`` (not collected in time) clashes with
    nothing, as a room's no-show is bookable again.
    """

    store: DocumentStore
    book: ReservationBook | None = None
    node_name: str = ""
    released: Released = never_released
    _book: ReservationBook = field(init=False)

    def __post_init__(self) -> None:
        self._book = self.book or ReservationBook.from_store(self.store)  # type: ignore[assignment]

    def reserve(self, reservation: Reservation, assets: Mapping[str, Asset],
                now: datetime) -> Reservation:
        reservation = replace(
            reservation,
            reservation_id=reservation.reservation_id or Reservation.new_id(),
            note=reservation.note.strip(),
            created_at=reservation.created_at or format_time(now),
            created_on=reservation.created_on or self.node_name)
        others = [occ for occ in self._book.candidates(reservation.as_booking())
                  if not self.released(occ, now)]
        check_reservation(reservation, assets.get(reservation.asset_id), others, now)
        self._write(reservation.to_doc())
        return reservation

    def cancel(self, reservation_id: str) -> str:
        doc = self.store.get_or_none(reservation_id)
        if doc is None:
            raise _refuse("gone", "This reservation no longer exists")
        return self._write({**replace(Reservation.from_doc(doc), cancelled=True).to_doc(),
                            "_rev": doc["_rev"]})

    def _write(self, doc: dict[str, Any]) -> str:
        try:
            rev = self.store.put(doc)
        except ConflictError:
            raise _refuse("changed", "This reservation was changed elsewhere; reload and "
                          "retry") from None
        if self.book is None:
            self._book.update(doc["_id"], {**doc, "_rev": rev})
        return rev

