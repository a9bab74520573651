"""物资 and 公文 requests handed to the supply room and the documents flow, done by their facts."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

import pytest

from store import DocumentStore
from store.booking_calendar import BookingCalendar
from store.desk_events import save_event
from store.desk_handoff import (
    LEND,
    RESERVE,
    TAKE,
    SupplyHandout,
    accept_into_supplies,
    suggested_handout,
    with_handoffs,
    withdraw_request,
)
from store.desk_index import DeskIndex
from store.desk_requests import (
    ACCEPTED,
    DONE_STATUS,
    DeskRequest,
    RequestState,
    accept_event,
    decline_event,
    file_request,
    parse_promises,
)
from store.documents import Actor as DocumentActor
from store.documents import Content, save_draft
from store.documents import save_event as save_document_event
from store.documents_index import DocumentIndex
from store.errors import ValidationError
from store.kpi import KpiReport, Period, request_figures
from store.reservations import Reservation, ReservationBook, ReservationDesk
from store.supplies_desk import Actor, lend, receive

from .test_supplies import PAPER, PROJECTOR, supply_room

PROMISES = parse_promises({"物资": "24h", "公文": "3wd", "初稿": "3wd", "公文审核": "24h"})
MONDAY = datetime(2026, 11, 23, 9, 0)


@dataclass
class Views:
    """The flows' real derived views, attached to the store (what the app's context holds)."""

    store: DocumentStore

    def __post_init__(self) -> None:
        self.desk = DeskIndex()
        self.calendar = BookingCalendar()
        self.book = ReservationBook()
        self.docs = DocumentIndex()
        for index in (self.desk, self.calendar, self.book, self.docs):
            self.store.attach_index(index)
        self.room = supply_room(self.store)

    def bookings(self) -> BookingCalendar:
        return self.calendar

    def reservations(self) -> dict[str, Reservation]:
        return self.book.reservations

    def supplies(self):  # type: ignore[no-untyped-def]
        return self.room

    def documents(self) -> DocumentIndex:
        return self.docs

    def name_of(self, person: str) -> str:
        return {"M7": "赵六"}.get(person, person)

    def state(self, request: DeskRequest) -> RequestState:
        return next(s for s in with_handoffs(self.desk.request_states(PROMISES), self)
                    if s.request.request_id == request.request_id)


def supplies_request(views: Views, title: str = "运动会借投影仪 1 台") -> DeskRequest:
    return file_request(views.store, DeskRequest("", "物资", "体育部", title,
                                                 needed_by="2026-11-23 14:00",
                                                 filed_by="M7"), PROMISES, MONDAY)


def reserved(views: Views) -> DeskRequest:
    """A 物资 request accepted as the form suggests: the projector reserved for its filer."""
    request = supplies_request(views)
    accept_into_supplies(views.store, views.state(request), "张三",
                         suggested_handout(request, views.room), MONDAY, views.room,
                         ReservationDesk(views.store, views.book))
    return request


def test_a_reserved_supplies_request_is_done_when_the_member_collects(
        store: DocumentStore) -> None:
    views = Views(store)
    request = supplies_request(views)
    suggested = suggested_handout(request, views.room)
    assert (suggested.action, suggested.thing_id, suggested.member_id, suggested.start) == (
        RESERVE, PROJECTOR.asset_id, "M7", "2026-11-23T14:00")
    accepted = accept_into_supplies(store, views.state(request), "张三", suggested,
                                    MONDAY + timedelta(hours=1), views.room,
                                    ReservationDesk(store, views.book))
    state = views.state(request)
    assert state.status == ACCEPTED and state.handoff == accepted.ref
    reservation = views.book.reservations[state.handoff]
    assert (reservation.member_id, reservation.note) == ("M7", request.title)

    collected = datetime(2026, 11, 23, 14, 5)
    lend(store, views.room, PROJECTOR, "M7", 1, Actor(collected, "office"))
    state = views.state(request)
    assert state.status == DONE_STATUS and state.outcome is not None
    assert (state.outcome.at, state.outcome.person) == ("2026-11-23T14:05", "赵六")
    report = KpiReport(Period(MONDAY.date(), MONDAY.date() + timedelta(days=7)))
    request_figures(report, [state.fact()], collected)
    assert report.requests_within["物资"] == 1.0


def test_a_take_is_done_at_once_and_a_refused_one_leaves_nothing(store: DocumentStore) -> None:
    views = Views(store)
    request = supplies_request(views, "宣传部要 A4 打印纸 3 包")
    with pytest.raises(ValidationError) as refused:  # nothing in stock yet
        accept_into_supplies(store, views.state(request), "张三",
                             SupplyHandout(TAKE, PAPER.item_id, "M7", 3), MONDAY, views.room,
                             ReservationDesk(store, views.book))
    assert refused.value.key == "supplies.error.not_enough"
    assert views.state(request).status == "new"
    receive(store, PAPER, 10, Actor(MONDAY, "office"))
    handout = suggested_handout(request, views.room)
    assert (handout.action, handout.thing_id, handout.quantity) == (TAKE, PAPER.item_id, 3)
    accept_into_supplies(store, views.state(request), "张三", handout,
                         MONDAY + timedelta(minutes=30), views.room,
                         ReservationDesk(store, views.book))
    assert views.room.level(PAPER.item_id) == 7
    state = views.state(request)
    assert state.status == DONE_STATUS and state.outcome.at == "2026-11-23T09:30"
    with pytest.raises(ValidationError):  # accepted once: a second handout is refused
        accept_into_supplies(store, state, "李四", SupplyHandout(LEND, PROJECTOR.asset_id, "M7"),
                             MONDAY, views.room, ReservationDesk(store, views.book))


def test_a_declined_outcome_stands_over_a_later_collection(store: DocumentStore) -> None:
    views = Views(store)
    request = reserved(views)
    save_event(store, decline_event(views.state(request), "张三", "活动取消",
                                    MONDAY + timedelta(hours=1)))
    lend(store, views.room, PROJECTOR, "M7", 1, Actor(datetime(2026, 11, 23, 14, 5), "office"))
    state = views.state(request)
    assert state.status == "declined" and state.outcome.reason == "活动取消"


def test_a_draft_request_becomes_a_document_request_done_when_the_draft_is_handed_in(
        store: DocumentStore) -> None:
    views = Views(store)
    request = file_request(store, DeskRequest("", "初稿", "学习部", "年度总结初稿",
                                              needed_by="2026-11-27 17:00", filed_by="李四"),
                           PROMISES, MONDAY)
    key = views.docs.key_of(request.handoff)
    assert key is not None
    document = views.docs.state(key)
    assert (document.department, document.title, document.request.due) == (
        "学习部", "年度总结初稿", "2026-11-27")
    assert views.state(request).status == "new"
    actor = DocumentActor(MONDAY + timedelta(days=1), "王五")
    save_document_event(store, save_draft(document, actor, Content("年度总结"), submit=True))
    state = views.state(request)
    assert state.status == DONE_STATUS and state.outcome.at == "2026-11-24T09:00"


def test_a_filing_from_before_routing_keeps_its_booking() -> None:
    doc = DeskRequest("desk_request:old", "场地", "宣传部", "评审会").to_doc()
    doc.pop("handoff")
    doc["booking_id"] = "booking:abc"
    assert DeskRequest.from_doc(doc).handoff == "booking:abc"


def test_withdrawing_a_supplies_request_cancels_its_reservation(store: DocumentStore) -> None:
    views = Views(store)
    request = reserved(views)
    state = views.state(request)
    withdraw_request(store, state, reservations=ReservationDesk(store, views.book))
    assert views.book.reservations[state.handoff].cancelled
    assert store.get_or_none(request.request_id) is None


def test_a_request_linked_to_a_garbled_take_stays_open(store: DocumentStore) -> None:
    """A peer's acceptance may name any document; one that is no readable take proves nothing
    (before: the Movement's decoding error escaped into the dashboard)."""
    views = Views(store)
    request = supplies_request(views)
    store.put({"_id": "movement:bad", "item_id": PAPER.item_id, "kind": "taken", "delta": "x",
               "at": "soon"})
    accepted = replace(accept_event(views.state(request), "张三", MONDAY), ref="movement:bad")
    save_event(store, accepted)
    assert views.state(request).status == ACCEPTED
