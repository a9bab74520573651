"""Asset reservations: the room calendar's clash and series rules, merge clashes, pickup."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

import pytest

from store import DocumentStore
from store.booking import Recurrence
from store.booking_rules import SeriesClash
from store.errors import ValidationError
from store.reservation_pickup import Pickup, held_for_other, pickup, release_rule
from store.reservations import Reservation, ReservationBook, ReservationDesk
from store.supplies_desk import Actor, close_loan, lend
from store.supplies_index import SupplyIndex

from .merging import sync
from .test_supplies import PROJECTOR, supply_room

NOW = datetime(2026, 11, 25, 9, 0)


def book_for(store: DocumentStore) -> ReservationBook:
    book = ReservationBook()
    store.attach_index(book)
    return book


def slot(member: str, day: str = "2026-11-26", start: str = "14:00", end: str = "16:00",
         **more: object) -> Reservation:
    return Reservation("", PROJECTOR.asset_id, member, f"{day}T{start}", f"{day}T{end}",
                       **more)  # type: ignore[arg-type]


def desk(store: DocumentStore, node: str = "office") -> ReservationDesk:
    return ReservationDesk(store, book_for(store), node)


def test_reserving_refuses_an_overlap_and_allows_touching_ends(store: DocumentStore) -> None:
    index = supply_room(store)
    reservations = desk(store)
    reservations.reserve(slot("M1"), index.assets, NOW)
    with pytest.raises(ValidationError) as refused:
        reservations.reserve(slot("M2", start="15:00", end="17:00"), index.assets, NOW)
    assert refused.value.key == "reservations.error.overlap"
    assert "2026-11-26 14:00–16:00" in str(refused.value.params["when"])
    reservations.reserve(slot("M2", start="16:00", end="17:00"), index.assets, NOW)


def test_bad_slots_are_refused_in_the_reservations_wording(store: DocumentStore) -> None:
    index = supply_room(store)
    reservations = desk(store)
    for bad, key in ((slot("M1", start="16:00", end="14:00"), "end_before_start"),
                     (slot("M1", day="2026-11-20"), "past"),
                     (replace(slot("M1"), asset_id="asset:gone"), "no_asset"),
                     (slot("M1", start="soon"), "bad_time")):
        with pytest.raises(ValidationError) as refused:
            reservations.reserve(bad, index.assets, NOW)
        assert refused.value.key == f"reservations.error.{key}"


def test_a_weekly_series_names_the_dates_that_clash(store: DocumentStore) -> None:
    index = supply_room(store)
    reservations = desk(store)
    reservations.reserve(slot("M1", day="2026-12-03"), index.assets, NOW)
    weekly = slot("M2", recurrence=Recurrence("weekly", count=3))
    with pytest.raises(SeriesClash) as refused:
        reservations.reserve(weekly, index.assets, NOW)
    assert refused.value.days == ("2026-12-03",)
    skipping = replace(weekly, recurrence=Recurrence("weekly", count=3,
                                                     exceptions=("2026-12-03",)))
    saved = reservations.reserve(skipping, index.assets, NOW)
    assert [occ.day.isoformat() for occ in reservations.book.occurrences_of(  # type: ignore[union-attr]
        saved.reservation_id)] == ["2026-11-26", "2026-12-10"]


def test_a_cancelled_reservation_frees_the_slot(store: DocumentStore) -> None:
    index = supply_room(store)
    reservations = desk(store)
    first = reservations.reserve(slot("M1"), index.assets, NOW)
    reservations.cancel(first.reservation_id)
    reservations.reserve(slot("M2"), index.assets, NOW)


Node = tuple[DocumentStore, SupplyIndex, ReservationBook]


def two_nodes(make_store: Callable[[str], DocumentStore]) -> tuple[Node, Node]:
    """Two machines that share the supply room's records, then go their own ways."""
    a, b = make_store("a"), make_store("b")
    index_a = supply_room(a)
    sync(a, b)
    index_b = SupplyIndex.for_store(b)
    b.attach_index(index_b)
    return (a, index_a, book_for(a)), (b, index_b, book_for(b))


def test_two_offline_nodes_reserving_one_slot_meet_as_one_attention_item(
        make_store: Callable[[str], DocumentStore]) -> None:
    (a, index_a, book_a), (b, index_b, book_b) = two_nodes(make_store)
    ReservationDesk(a, book_a, "西门").reserve(slot("M1"), index_a.assets, NOW)
    ReservationDesk(b, book_b, "东门").reserve(slot("M2", start="15:00"), index_b.assets, NOW)
    assert book_a.attention_items() == [] and book_b.attention_items() == []
    sync(a, b)
    items_a, items_b = book_a.attention_items(), book_b.attention_items()
    assert items_a == items_b and len(items_a) == 1
    item = items_a[0]
    assert item.kind == "double_reservation"
    assert {item.params["who_a"], item.params["who_b"]} == {"M1", "M2"}
    ReservationDesk(a, book_a).cancel(item.doc_ids[0])
    sync(a, b)
    assert book_a.attention_items() == [] and book_b.attention_items() == []


def test_pickup_is_derived_from_the_loans(store: DocumentStore) -> None:
    index = supply_room(store)
    book = book_for(store)
    ReservationDesk(store, book).reserve(slot("M1"), index.assets, NOW)
    occurrence = book.room_day(PROJECTOR.asset_id, datetime(2026, 11, 26).date())[0]

    def state(at: datetime) -> Pickup:
        return pickup(occurrence, index.loan_history(PROJECTOR.asset_id), at, 60)

    assert state(datetime(2026, 11, 26, 13, 0)) is Pickup.UPCOMING
    assert state(datetime(2026, 11, 26, 14, 30)) is Pickup.WAITING
    assert state(datetime(2026, 11, 26, 15, 0)) is Pickup.RELEASED
    history = index.loan_history(PROJECTOR.asset_id)
    assert held_for_other(book, history, PROJECTOR.asset_id, "M2",
                          datetime(2026, 11, 26, 14, 30), 60) == occurrence
    assert held_for_other(book, history, PROJECTOR.asset_id, "M1",
                          datetime(2026, 11, 26, 14, 30), 60) is None
    assert held_for_other(book, history, PROJECTOR.asset_id, "M2",
                          datetime(2026, 11, 26, 15, 0), 60) is None  # released
    loan = lend(store, index, PROJECTOR, "M1", 1, Actor(datetime(2026, 11, 26, 14, 20), "office"))
    assert state(datetime(2026, 11, 26, 15, 0)) is Pickup.COLLECTED
    close_loan(store, loan, Actor(datetime(2026, 11, 26, 14, 25), "office"))
    assert state(datetime(2026, 11, 26, 15, 0)) is Pickup.COLLECTED  # held within the window


def test_a_released_date_is_free_to_reserve_and_clashes_with_nothing(
        make_store: Callable[[str], DocumentStore]) -> None:
    """No one fetched the 14:00 projector by 15:00: the rest of the afternoon can be reserved,
    and the two reservations that now overlap are not a clash to settle."""
    (a, index_a, book_a), (b, index_b, book_b) = two_nodes(make_store)
    ReservationDesk(a, book_a).reserve(slot("M1"), index_a.assets, NOW)
    sync(a, b)
    late = datetime(2026, 11, 26, 15, 0)
    rest = slot("M2", start="15:00", end="16:00")
    with pytest.raises(ValidationError):
        ReservationDesk(b, book_b).reserve(rest, index_b.assets, late)  # without the rule
    ReservationDesk(b, book_b, released=release_rule(index_b, 60)).reserve(rest, index_b.assets,
                                                                           late)
    sync(a, b)
    rule = release_rule(index_a, 60)
    assert len(book_a.attention_items()) == 1
    assert book_a.attention_items(settled=lambda occ: rule(occ, late)) == []


def test_a_peers_reservation_of_the_wrong_shape_is_left_out_and_named(
        store: DocumentStore) -> None:
    index = supply_room(store)
    book = book_for(store)
    good = ReservationDesk(store, book).reserve(slot("M1"), index.assets, NOW)
    hostile = {"asset": PROJECTOR.asset_id, "member": "M2", "start": "2026-11-26T14:00",
               "end": "2026-11-26T16:00"}
    for number, damage in enumerate(({"cancelled": "no"}, {"member": 7},
                                     {"start": "9999-99-99T25:00"}, {"recurrence": "weekly"},
                                     {"recurrence": {"freq": "daily", "until": "99999-01-01"}})):
        store.put({"_id": f"reservation:bad{number}", **hostile, **damage})
    assert list(book.reservations) == [good.reservation_id]
    assert len(book.unreadable) == 5
    assert book.attention_items() == []
