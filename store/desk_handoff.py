"""When a department request was met by the flow it was handed to, and 物资 handed to the supply room.

A request's *handoff* (:attr:`store.desk_requests.RequestState.handoff`) is the document id of
the record another flow keeps for it. The request counts as done when that flow fulfils the
record, at the time the flow recorded it: a booking confirmed, a reservation collected (the
member took the asset out after it was made), a loan or a take recorded (handed out on the
spot), a document's first draft handed in (初稿), its first review answered (公文审核) or the
document issued (公文). Nothing is written for it: :func:`with_handoffs` derives the outcome
from the flows' own facts, so the supplies kiosk that lends the reserved camera, or the
documents screen that issues the 公文, answers the request on every node once its fact
replicates, and the promise is measured against that fact's time. An outcome the desk recorded
itself (done or declined) stands over the derived one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Protocol

from .booking import CONFIRMED, parse_time
from .booking_calendar import BookingCalendar
from .booking_desk import BookingDesk
from .desk_events import DeskEvent, StageDecision, refuse, save_event
from .desk_requests import ACCEPT, DONE, OUTCOME, SUPPLIES, DeskRequest, RequestState, accept_event
from .docstore import DocumentStore, doc_type
from .errors import InvalidDocument
from .documents import DOCEVENT, DocumentState
from .documents_index import DocumentIndex
from .reservations import RESERVATION, Reservation, ReservationDesk
from .supplies import LOAN, MOVEMENT, Movement
from .supplies_desk import Actor, lend, take
from .supplies_index import SupplyIndex

RESERVE, LEND, TAKE = "reserve", "lend", "take"  # what the supply room does with a 物资 request


@dataclass(frozen=True)
class Met:
    """When and by whom the flow fulfilled a request's record."""

    at: str  # local time, as the flow recorded it
    by: str = ""


class Flows(Protocol):
    """The derived views a handoff is looked up in; each is asked only for its own records."""

    def bookings(self) -> BookingCalendar: ...
    def reservations(self) -> dict[str, Reservation]: ...
    def supplies(self) -> SupplyIndex: ...
    def documents(self) -> DocumentIndex: ...
    def name_of(self, person: str) -> str: ...  # a member id as the desk shows it


def _collected(reservation: Reservation, supplies: SupplyIndex) -> Met | None:
    """The first loan of the asset to its member since it was reserved: it was picked up."""
    loans = [loan for loan, _returned in supplies.loan_history(reservation.asset_id)
             if loan.member_id == reservation.member_id and loan.at >= reservation.created_at]
    first = min(loans, key=lambda loan: loan.at, default=None)
    return Met(first.at, first.member_id) if first is not None else None


def _document_met(kind: str, state: DocumentState) -> Met | None:
    """初稿: the first draft handed in; 公文审核: its first review answered; 公文: issued."""
    if kind == "初稿":
        first = state.rounds[0].submit if state.rounds else None
    elif kind == "公文审核":
        answers = [e for e in (*state.rounds[0].comments, *state.rounds[0].returns,
                               *state.rounds[0].signoffs)] if state.rounds else []
        first = min(answers, key=lambda e: (e.at, e.event_id), default=None)
    else:
        first = state.issue
    return Met(first.at, first.person) if first is not None else None


def met(state: RequestState, flows: Flows) -> Met | None:
    """When the record ``state`` was handed to was fulfilled, if it was."""
    target = state.handoff
    kind = doc_type(target) if target else ""
    if kind == "booking":
        booking = flows.bookings().bookings.get(target)
        if booking is not None and booking.status == CONFIRMED and booking.confirmed_at:
            return Met(booking.confirmed_at)
    elif kind == RESERVATION:
        reservation = flows.reservations().get(target)
        if reservation is not None and not reservation.cancelled:
            return _collected(reservation, flows.supplies())
    elif kind == LOAN:
        loan = flows.supplies().loans.get(target)
        if loan is not None:
            return Met(loan.at, loan.member_id)
    elif kind == MOVEMENT:
        doc = flows.supplies().store.get_or_none(target)
        try:
            taken = Movement.from_doc(doc) if doc is not None else None
        except (InvalidDocument, TypeError, ValueError):
            taken = None  # a peer's garbled take proves nothing
        if taken is not None:
            return Met(taken.at, taken.member_id)
    elif kind == DOCEVENT:
        documents = flows.documents()
        key = documents.key_of(target)
        if key is not None:
            return _document_met(state.request.kind, documents.state(key))
    return None


def with_handoffs(states: list[RequestState], flows: Flows) -> list[RequestState]:
    """``states`` with each open request whose record was fulfilled shown as done then.

    The board redraws on every change in the store, over 20 000 requests at a large union:
    the cheap tests come first (a handoff at all, still open), and ``states`` itself is
    returned while nothing was met."""
    shown = states
    for position, state in enumerate(states):
        if OUTCOME in state.stages or not (state.request.handoff or ACCEPT in state.stages):
            continue
        found = met(state, flows) if state.handoff else None
        if found is not None:
            done = DeskEvent(f"{state.handoff}#met", state.request.request_id, OUTCOME, DONE,
                             found.at, person=flows.name_of(found.by) if found.by else "")
            if shown is states:
                shown = list(states)
            shown[position] = replace(state, stages={**state.stages,
                                                     OUTCOME: StageDecision((done,))})
    return shown


@dataclass(frozen=True)
class SupplyHandout:
    """What the supply room hands out for a 物资 request, as the secretary filled it in."""

    action: str  # RESERVE, LEND or TAKE
    thing_id: str  # an asset (reserve, lend) or an item (take)
    member_id: str  # who collects it
    quantity: int = 1  # of a take
    start: str = ""  # of a reservation, YYYY-MM-DDTHH:MM
    end: str = ""
    days: int = 7  # of a loan


def accept_into_supplies(store: DocumentStore, state: RequestState, person: str,
                         handout: SupplyHandout, now: datetime, supplies: SupplyIndex,
                         reservations: ReservationDesk, node: str = "") -> DeskEvent:
    """Accept a 物资 request by making its record in the supply room; the acceptance links it.

    The acceptance is checked before anything is written, so a refused one leaves no orphan
    reservation; the record is written before the acceptance, so a crash between them leaves
    a record a person can see in the supply room rather than a link to nothing.
    """
    accepted = accept_event(state, person, now, node)  # refuses an answered or accepted one
    if state.request.flow != SUPPLIES:
        raise refuse("not_supplies", "Only a 物资 request is handed to the supply room")
    if not handout.member_id.strip():
        raise refuse("collector_required", "Say who collects it")
    actor = Actor(now, node, person)
    asset = supplies.assets.get(handout.thing_id)
    item = supplies.items.get(handout.thing_id)
    if handout.action == RESERVE and asset is not None:
        start, end = (text.strip().replace(" ", "T") for text in (handout.start, handout.end))
        try:
            parse_time(start), parse_time(end)
        except ValueError:
            raise refuse("bad_reserve_time", "Write the times as YYYY-MM-DD HH:MM") from None
        record_id = reservations.reserve(
            Reservation("", asset.asset_id, handout.member_id, start, end,
                        note=state.request.title), supplies.assets, now).reservation_id
    elif handout.action == LEND and asset is not None:
        record_id = lend(store, supplies, asset, handout.member_id, handout.days,
                         actor).loan_id
    elif handout.action == TAKE and item is not None:
        record_id = take(store, supplies, item, handout.member_id, handout.quantity,
                         actor).movement_id
    else:
        raise refuse("thing_required", "Choose an asset to reserve or lend, or an item to take")
    return save_event(store, replace(accepted, ref=record_id))


_COUNT = re.compile(r"\d+")


def suggested_handout(request: DeskRequest, supplies: SupplyIndex) -> SupplyHandout:
    """What the supply room most likely hands out, read from the request's words.

    The first asset or item named in the title or the detail (the longest name wins, so
    ``对讲机`` is not taken for ``机``), a reservation from the time needed if an asset is
    named, and the first number outside its name as the quantity; the secretary corrects what
    is wrong."""
    words = f"{request.title} {request.detail}"
    things = [(asset.name, asset.asset_id) for asset in supplies.assets.values()]
    things += [(item.name, item.item_id) for item in supplies.items.values()]
    name, named = max(((name, thing_id) for name, thing_id in things if name and name in words),
                      key=lambda found: len(found[0]), default=("", ""))
    counted = _COUNT.search(words.replace(name, " ") if name else words)  # not A4's 4
    action = TAKE if named in supplies.items else RESERVE if request.needed_by else LEND
    start = request.needed_by
    end = (parse_time(start) + timedelta(hours=2)).isoformat(timespec="minutes") if start else ""
    return SupplyHandout(action, named, request.filed_by,
                         int(counted.group()) if counted else 1, start, end)


def withdraw_request(store: DocumentStore, state: RequestState,
                     bookings: BookingDesk | None = None,
                     reservations: ReservationDesk | None = None) -> None:
    """Take a request back: its filing is deleted, and what it became that has not happened
    yet is cancelled too (a 场地 request's booking, a 物资 request's reservation). A loan or a
    take already handed out, or a document already under way, stays as it is."""
    current = store.get_or_none(state.request.request_id)
    if current is None:
        raise refuse("gone", "This request no longer exists")
    target = state.handoff
    if target and store.get_or_none(target) is not None:
        if doc_type(target) == "booking" and bookings is not None:
            bookings.cancel(target)
        elif doc_type(target) == RESERVATION and reservations is not None:
            reservations.cancel(target)
    store.delete(state.request.request_id, current["_rev"])
