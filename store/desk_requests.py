"""Department requests to the secretariat, each kind with a promised response time.

A department files a request of a kind (场地, 物资, 公文审核, 初稿, 其他: the keys of
``[desk.promises]``) with the time it is needed by. The kind's promise ("4h", "24h", "3wd")
counts working-day time from the filing (:mod:`store.workdays`), so a request filed on the
Friday before 国庆 is not overdue during the holiday. The filing is one immutable document;
acceptance and the outcome (done or declined) are :mod:`store.desk_events` facts, and the
request's state is derived from them. A request counts as answered within its promise when its
outcome was recorded by the promised time.

Each kind feeds a flow of its own, and the request keeps the id of the record it became there,
its *handoff*: a 场地 request becomes a booking request and a 公文 request (公文, 公文审核, 初稿)
a document request in the documents flow as soon as it is filed (the filing holds the link); a
物资 request becomes a reservation, a loan or a take in the supply room when the secretary
accepts it, since only then is it known what is handed out (the acceptance holds the link).
:mod:`store.desk_handoff` derives from that flow's own facts when the request was met.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from .booking import Booking, parse_time
from .booking_desk import BookingDesk
from .booking_rules import parse_slot
from .desk_events import DeskEvent, StageDecision, new_event, refuse
from .doc_codec import DocumentRecord, LocalTime
from .docstore import DocumentStore
from .documents import Actor as DocumentActor
from .documents import request as document_request
from .documents import save_event as save_document_event
from .kpi import RequestFact
from .workdays import add_working_time

DESK_REQUEST = "desk_request"
VENUE, SUPPLIES = "场地", "物资"
DOCUMENT_KINDS = ("公文", "公文审核", "初稿")  # kinds the documents area answers
ACCEPT, OUTCOME = "accept", "outcome"  # the stages of a request
DONE, DECLINE = "done", "decline"
NEW, ACCEPTED, DONE_STATUS, DECLINED = "new", "accepted", "done", "declined"
_PROMISE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(h|wd)\s*$")


@dataclass(frozen=True)
class Promise:
    """A promised response time: ``span`` of working-day time (``wd``: whole working days)."""

    text: str
    span: timedelta

    def due(self, filed: datetime) -> datetime:
        return add_working_time(filed, self.span)


def parse_promise(text: str) -> Promise:
    """``"4h"`` (working hours), ``"3wd"`` (working days); a ValueError names what is wrong."""
    found = _PROMISE.match(text)
    if found is None:
        raise ValueError(f"{text!r} is not a promise like 4h or 3wd")
    amount, unit = float(found.group(1)), found.group(2)
    return Promise(text.strip(), timedelta(hours=amount) if unit == "h" else timedelta(days=amount))


def parse_promises(table: Mapping[str, str]) -> dict[str, Promise]:
    if not table:
        raise ValueError("[desk.promises] names no kind of request")
    return {kind.strip(): parse_promise(text) for kind, text in table.items()}


@dataclass(frozen=True)
class DeskRequest(DocumentRecord):
    ID_FIELD = "request_id"

    request_id: str
    kind: str
    department: str
    title: str
    detail: str = ""
    needed_by: LocalTime = ""
    filed_at: LocalTime = ""
    filed_by: str = ""
    handoff: str = ""  # the record it became when filed: a booking, a document's request event
    node: str = ""

    @staticmethod
    def new_id() -> str:
        return f"{DESK_REQUEST}:{uuid.uuid4().hex}"

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> DeskRequest:
        """Filings written before 物资 and 公文 were routed named their booking ``booking_id``."""
        if "handoff" not in doc and isinstance(doc.get("booking_id"), str):
            doc = {**doc, "handoff": doc["booking_id"]}
        return super().from_doc(doc)  # type: ignore[no-any-return,misc]

    @property
    def flow(self) -> str:
        """Which area answers it: 场地 the bookings, 物资 the supply room, 公文 documents."""
        if self.kind in DOCUMENT_KINDS:
            return DOCUMENT_KINDS[0]
        return self.kind if self.kind in (VENUE, SUPPLIES) else ""


@dataclass(frozen=True)
class RequestState:
    request: DeskRequest
    promised_by: datetime | None  # None: the kind has no promise configured (any longer)
    stages: Mapping[str, StageDecision]

    @property
    def accepted(self) -> DeskEvent | None:
        stage = self.stages.get(ACCEPT)
        return stage.standing if stage else None

    @property
    def outcome(self) -> DeskEvent | None:
        stage = self.stages.get(OUTCOME)
        return stage.standing if stage else None

    @property
    def handoff(self) -> str:
        """The record another flow keeps for this request: made at filing, or on acceptance."""
        accepted = self.accepted
        return self.request.handoff or (accepted.ref if accepted is not None else "")

    @property
    def status(self) -> str:
        outcome = self.outcome
        if outcome is not None:
            return DONE_STATUS if outcome.step == DONE else DECLINED
        return ACCEPTED if self.accepted is not None else NEW

    @property
    def open(self) -> bool:
        return self.outcome is None

    @property
    def filed(self) -> datetime:
        return parse_time(self.request.filed_at)

    def age(self, now: datetime) -> timedelta:
        return now - self.filed

    def overdue(self, now: datetime) -> bool:
        return self.open and self.promised_by is not None and now > self.promised_by

    def fact(self) -> RequestFact:
        outcome = self.outcome
        return RequestFact(self.request.kind, self.filed, self.promised_by,
                           parse_time(outcome.at) if outcome is not None else None)


def request_state(request: DeskRequest, promises: Mapping[str, Promise],
                  stages: Mapping[str, StageDecision]) -> RequestState:
    promise = promises.get(request.kind)
    due = promise.due(parse_time(request.filed_at)) if promise is not None else None
    return RequestState(request, due, stages)


@dataclass(frozen=True)
class Venue:
    """Where and when a 场地 request wants a room."""

    room_id: str
    day: str
    start: str
    end: str


def file_request(store: DocumentStore, request: DeskRequest, promises: Mapping[str, Promise],
                 now: datetime, venue: Venue | None = None, bookings: BookingDesk | None = None
                 ) -> DeskRequest:
    """Record a new request; a 场地 request first becomes a booking request for ``venue``, a
    公文 request a document request wanted by the day it is needed."""
    request = replace(request, request_id=request.request_id or DeskRequest.new_id(),
                      title=request.title.strip(), department=request.department.strip(),
                      detail=request.detail.strip(), filed_at=now.isoformat(timespec="minutes"),
                      needed_by=request.needed_by.strip().replace(" ", "T"))
    if request.kind not in promises:
        raise refuse("unknown_kind", "Unknown kind of request {kind}", kind=request.kind)
    if not request.department:
        raise refuse("department_required", "Say which department asks")
    if not request.title:
        raise refuse("title_required", "Give the request a title")
    if request.needed_by:
        try:
            parse_time(request.needed_by)
        except ValueError:
            raise refuse("bad_needed_by", "Write the time needed as YYYY-MM-DD HH:MM") from None
    if request.kind == VENUE:
        if venue is None or not venue.room_id:
            raise refuse("venue_required", "A 场地 request names a room, a day and the hours")
        start, end = parse_slot(venue.day, venue.start, venue.end)
        desk = bookings or BookingDesk(store)
        saved = desk.create(Booking("", venue.room_id, start, end, request.title,
                                    organiser=request.filed_by), now)
        request = replace(request, handoff=saved.booking_id)
    elif request.flow == DOCUMENT_KINDS[0]:
        asked = save_document_event(store, document_request(
            DocumentActor(now, request.filed_by, request.node), request.department,
            request.title, request.needed_by[:10]))
        request = replace(request, handoff=asked.event_id)
    store.put(request.to_doc())
    return request


def _open(state: RequestState) -> None:
    if not state.open:
        raise refuse("already_answered", "“{title}” was already answered",
                     title=state.request.title)


def _who(person: str) -> str:
    if not person.strip():
        raise refuse("person_required", "Say who does this")
    return person.strip()


def accept_event(state: RequestState, person: str, now: datetime, node: str = "") -> DeskEvent:
    _open(state)
    if state.accepted is not None:
        raise refuse("already_accepted", "“{title}” was already accepted by {person}",
                     title=state.request.title, person=state.accepted.person)
    return new_event(state.request.request_id, ACCEPT, ACCEPT, now, person=_who(person), node=node)


def done_event(state: RequestState, person: str, now: datetime, node: str = "",
               bookings: BookingDesk | None = None) -> DeskEvent:
    """Finishing a 场地 request confirms its booking (the bookings flow's own rules apply)."""
    _open(state)
    if state.handoff.startswith("booking:") and bookings is not None:
        bookings.confirm(state.handoff, now)
    return new_event(state.request.request_id, OUTCOME, DONE, now, person=_who(person), node=node)


def decline_event(state: RequestState, person: str, reason: str, now: datetime,
                  node: str = "") -> DeskEvent:
    _open(state)
    if not reason.strip():
        raise refuse("reason_required", "Give a reason")
    return new_event(state.request.request_id, OUTCOME, DECLINE, now, person=_who(person),
                     reason=reason.strip(), node=node)


def open_by_age(states: Iterable[RequestState], now: datetime) -> list[RequestState]:
    """Open requests, overdue ones first, each group oldest first."""
    return sorted((s for s in states if s.open),
                  key=lambda s: (not s.overdue(now), s.request.filed_at, s.request.request_id))
