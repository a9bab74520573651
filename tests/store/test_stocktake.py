"""Stock-takes as facts: scans from many counters merge into one report; confirm adjusts once."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from store import DocumentStore
from store.errors import ValidationError
from store.stocktake import CANCELLED, CONFIRMED, OPEN, Scan, Tally
from store.stocktake_report import stocktake_report
from store.undo import Snapshot, restore, snapshot
from store.stocktake_desk import (cancel_stocktake, confirm_stocktake, record_scan,
                                  start_stocktake)
from store.supplies import ADJUSTED, Asset, Item
from store.supplies_desk import Actor, close_loan, lend, receive, save_asset, save_item
from store.supplies_index import SupplyIndex

from .merging import merge, sync

NOW = datetime(2026, 11, 25, 9, 30)
ACTOR = Actor(NOW, "office", "王秘书")
PAPER = Item("item:paper", "A4 打印纸", "包", "纸张", "柜1", code="IPAPER")
PENS = Item("item:pens", "黑色签字笔", "支", "文具", "柜2", code="IPENS")
TAPE = Item("item:tape", "胶带", "卷", "文具", "柜2", code="ITAPE")
PROJECTOR = Asset("asset:p1", "GZ-2026-001", "投影仪", location="柜1", code="APROJECTOR")
CAMERA = Asset("asset:c1", "GZ-2026-002", "相机", location="柜2", code="ACAMERA")
LAPTOP = Asset("asset:l1", "GZ-2026-003", "笔记本电脑", location="柜2", code="ALAPTOP")


def supply_room(store: DocumentStore) -> SupplyIndex:
    index = SupplyIndex.for_store(store)
    store.attach_index(index)
    for item in (PAPER, PENS, TAPE):
        save_item(store, item)
    for asset in (PROJECTOR, CAMERA, LAPTOP):
        save_asset(store, asset)
    receive(store, PAPER, 10, ACTOR)
    receive(store, PENS, 20, ACTOR)
    receive(store, TAPE, 53, ACTOR)
    return index


def node(make_store, name: str) -> tuple[DocumentStore, SupplyIndex]:  # type: ignore[no-untyped-def]
    store = make_store(name)
    index = SupplyIndex.for_store(store)
    store.attach_index(index)
    return store, index


def test_report_counts_only_scanned_items_and_audits_assets(store: DocumentStore) -> None:
    index = supply_room(store)
    lend(store, index, CAMERA, "001", 14, ACTOR)
    stocktake = start_stocktake(store, index, ACTOR)
    assert start_stocktake(store, index, Actor(NOW, "kiosk")) == stocktake  # joins, one count
    for code in ["IPAPER"] * 7:
        record_scan(store, index, stocktake, code, ACTOR, "柜1")
    record_scan(store, index, stocktake, "ipens", Actor(NOW, "laptop", "李四"), "柜2", 21)
    record_scan(store, index, stocktake, "GZ-2026-003", ACTOR, "柜1")  # the laptop, on 柜1
    record_scan(store, index, stocktake, "ACAMERA", ACTOR, "柜2")  # lent, yet here
    assert record_scan(store, index, stocktake, "XYZ-404", ACTOR, "柜2") is None
    with pytest.raises(ValidationError):
        record_scan(store, index, stocktake, "  ", ACTOR)
    report = index.stocktake_report(stocktake.stocktake_id)
    assert report.status == OPEN
    assert {(c.item_id, c.expected, c.counted, c.counted_by) for c in report.counted} == {
        ("item:paper", 10, 7, ("王秘书",)), ("item:pens", 20, 21, ("李四",))}
    assert report.uncounted == ("item:tape",)  # not counted: left alone, not zeroed
    assert report.missing == ("asset:p1",)
    assert [(s.asset_id, s.seen_at, s.registered) for s in report.elsewhere] == [
        ("asset:l1", "柜1", "柜2")]
    assert report.on_loan == ("asset:c1",)
    assert [(u.code, u.scans, u.locations) for u in report.unknown] == [("XYZ-404", 1, ("柜2",))]
    assert [(c.by, c.node, c.location, c.scans, c.units) for c in report.counters] == [
        ("李四", "laptop", "柜2", 1, 21), ("王秘书", "office", "柜1", 8, 8),
        ("王秘书", "office", "柜2", 2, 2)]


def test_confirm_adjusts_only_counted_items_once_and_undo_reopens_it(store: DocumentStore) -> None:
    index = supply_room(store)
    stocktake = start_stocktake(store, index, ACTOR)
    record_scan(store, index, stocktake, "IPAPER", ACTOR, quantity=7)
    record_scan(store, index, stocktake, "IPENS", ACTOR, quantity=20)
    report = index.stocktake_report(stocktake.stocktake_id)
    before = snapshot(store, [stocktake.close_id])  # what the UI's undo keeps
    written = confirm_stocktake(store, index, report, ACTOR)
    assert [(m.item_id, m.kind, m.delta) for m in written] == [("item:paper", ADJUSTED, -3)]
    assert (index.level("item:paper"), index.level("item:pens"), index.level("item:tape")) == (
        7, 20, 53)
    with pytest.raises(ValidationError) as twice:
        confirm_stocktake(store, index, report, ACTOR)
    assert twice.value.key == "supplies.error.stocktake_closed"
    confirmed = index.stocktake_report(stocktake.stocktake_id)
    assert confirmed.status == CONFIRMED and confirmed.adjusted == {"item:paper": -3}
    assert confirmed.differences == report.differences  # still shows what was found
    assert index.open_stocktake() is None

    made = tuple((movement.movement_id, None) for movement in written)
    assert restore(store, Snapshot(before.bodies + made)) == 2  # the close and one adjustment
    assert index.level("item:paper") == 10 and index.open_stocktake() == stocktake
    again = confirm_stocktake(store, index, index.stocktake_report(stocktake.stocktake_id), ACTOR)
    assert [m.delta for m in again] == [-3] and index.level("item:paper") == 7


def test_cancel_keeps_stock_and_scans_and_a_new_count_gets_a_new_id(store: DocumentStore) -> None:
    index = supply_room(store)
    stocktake = start_stocktake(store, index, ACTOR)
    record_scan(store, index, stocktake, "IPAPER", ACTOR)
    cancel_stocktake(store, index, stocktake, ACTOR)
    assert index.stocktake_report(stocktake.stocktake_id).status == CANCELLED
    assert index.level("item:paper") == 10 and index.open_stocktake() is None
    with pytest.raises(ValidationError):
        record_scan(store, index, stocktake, "IPAPER", ACTOR)
    following = start_stocktake(store, index, ACTOR, scope="柜2")
    assert following.stocktake_id == "stocktake:2026-11-25-2"
    report = index.stocktake_report(following.stocktake_id)
    assert set(report.uncounted) == {"item:pens", "item:tape"}  # the scope: shelf 柜2 only
    assert report.missing == ("asset:c1", "asset:l1")


def test_an_unknown_tag_registered_from_the_report_is_counted(store: DocumentStore) -> None:
    index = supply_room(store)
    stocktake = start_stocktake(store, index, ACTOR)
    record_scan(store, index, stocktake, "GZ-2026-099", ACTOR, "柜1")
    assert [u.code for u in index.stocktake_report(stocktake.stocktake_id).unknown] == [
        "GZ-2026-099"]
    save_asset(store, Asset(Asset.new_id(), "GZ-2026-099", "旧音箱", location="柜1"))
    report = index.stocktake_report(stocktake.stocktake_id)
    assert report.unknown == () and len(report.seen) == 1


def test_halves_counted_offline_merge_into_the_union(make_store) -> None:  # type: ignore[no-untyped-def]
    a = make_store("a")
    index_a = supply_room(a)
    b, index_b = node(make_store, "b")
    stocktake = start_stocktake(a, index_a, ACTOR)
    sync(a, b)
    # apart: a counts shelf 柜1, b counts shelf 柜2; the tape is counted on both halves
    joined = start_stocktake(b, index_b, Actor(NOW, "b", "李四"))
    assert joined == stocktake
    record_scan(a, index_a, stocktake, "IPAPER", ACTOR, "柜1", 10)
    record_scan(a, index_a, stocktake, "APROJECTOR", ACTOR, "柜1")
    record_scan(a, index_a, stocktake, "ITAPE", ACTOR, "柜1", 20)
    record_scan(b, index_b, stocktake, "IPENS", Actor(NOW, "b", "李四"), "柜2", 18)
    record_scan(b, index_b, stocktake, "ITAPE", Actor(NOW, "b", "李四"), "柜2", 33)
    record_scan(b, index_b, stocktake, "ACAMERA", Actor(NOW, "b", "李四"), "柜2")
    record_scan(b, index_b, stocktake, "ALAPTOP", Actor(NOW, "b", "李四"), "柜2")
    sync(a, b)
    reports = [index.stocktake_report(stocktake.stocktake_id) for index in (index_a, index_b)]
    assert reports[0] == reports[1]
    counted = {c.item_id: c.counted for c in reports[0].counted}
    assert counted == {"item:paper": 10, "item:pens": 18, "item:tape": 53}
    assert reports[0].missing == () and reports[0].differences[0].item_id == "item:pens"


def test_two_nodes_confirming_the_same_count_adjust_once(make_store) -> None:  # type: ignore[no-untyped-def]
    a = make_store("a")
    index_a = supply_room(a)
    b, index_b = node(make_store, "b")
    stocktake = start_stocktake(a, index_a, ACTOR)
    record_scan(a, index_a, stocktake, "IPAPER", ACTOR, quantity=8)
    sync(a, b)
    confirm_stocktake(a, index_a, index_a.stocktake_report(stocktake.stocktake_id), ACTOR)
    confirm_stocktake(b, index_b, index_b.stocktake_report(stocktake.stocktake_id),
                      Actor(NOW + timedelta(minutes=5), "b"))
    sync(a, b)
    assert index_a.level("item:paper") == index_b.level("item:paper") == 8
    assert index_a.stocktake_report(stocktake.stocktake_id).status == CONFIRMED


def test_the_latest_return_gives_the_asset_condition(store: DocumentStore) -> None:
    index = supply_room(store)
    assert index.condition(PROJECTOR.asset_id) == "good"
    first = lend(store, index, PROJECTOR, "001", 7, ACTOR)
    close_loan(store, first, Actor(NOW + timedelta(days=1), "office"), "damaged")
    rows = {row.asset.asset_id: row for row in index.asset_list()}
    assert rows[PROJECTOR.asset_id].condition == "damaged"
    second = lend(store, index, PROJECTOR, "002", 7, Actor(NOW + timedelta(days=2), "office"))
    close_loan(store, second, Actor(NOW + timedelta(days=3), "office"), "worn")
    assert index.condition(PROJECTOR.asset_id) == "worn"


# -- any interleaving of scans on 2–3 nodes gives one report ------------------------------------

CODES = ["IPAPER", "IPENS", "ITAPE", "APROJECTOR", "ACAMERA", "GZ-2026-003", "UNKNOWN-1"]
SCANS = st.lists(st.tuples(st.integers(0, 2), st.sampled_from(CODES), st.integers(1, 5),
                           st.sampled_from(["柜1", "柜2", ""])), min_size=1, max_size=25)


@settings(max_examples=20, deadline=None)
@given(st.integers(2, 3), SCANS, st.lists(st.tuples(st.integers(0, 2), st.integers(0, 2)),
                                          max_size=8))
def test_any_interleaving_of_scans_gives_the_same_report_everywhere(
        nodes: int, scans: list[tuple[int, str, int, str]],
        meetings: list[tuple[int, int]]) -> None:
    with tempfile.TemporaryDirectory() as root:
        stores = [DocumentStore.open(Path(root) / f"n{n}") for n in range(nodes)]
        try:
            first = supply_room(stores[0])
            stocktake = start_stocktake(stores[0], first, ACTOR)
            indexes = [first]
            for other in stores[1:]:
                merge(stores[0], other)
                indexes.append(SupplyIndex.for_store(other))
                other.attach_index(indexes[-1])
            steps = iter(meetings)
            for n, (where, code, quantity, shelf) in enumerate(scans):
                where %= nodes
                record_scan(stores[where], indexes[where], stocktake, code,
                            Actor(NOW + timedelta(minutes=n), f"n{where}", f"counter{where}"),
                            shelf, quantity)
                source, target = next(steps, (0, 0))  # partial meetings while counting
                if source % nodes != target % nodes:
                    merge(stores[source % nodes], stores[target % nodes])
                indexes[n % nodes].stocktake_report(stocktake.stocktake_id)  # a screen refreshes
                if n == len(scans) // 3:  # meanwhile the register changes …
                    save_item(stores[where], replace(PENS, code="IPENS2"))
                if n == 2 * len(scans) // 3 and not indexes[where].open_loans(PROJECTOR.asset_id):
                    lend(stores[where], indexes[where], PROJECTOR, "001", 7, ACTOR)  # … and loans
            for _ in range(2):
                for source in stores:
                    for target in stores:
                        if source is not target:
                            merge(source, target)
            reports = [index.stocktake_report(stocktake.stocktake_id) for index in indexes]
            assert all(report == reports[0] for report in reports)
            every = [Scan.from_doc(doc) for doc in stores[0].iter_docs("stockscan")]
            assert len(every) == len(scans)  # nothing lost
            fresh = SupplyIndex.for_store(stores[0])
            stores[0].attach_index(fresh)  # kept up to date, or rebuilt: the same report
            assert stocktake_report(stocktake, Tally.of(every), fresh) == reports[0]
        finally:
            for store in stores:
                store.close()


def test_a_scan_taken_back_leaves_the_report_as_if_never_made(store: DocumentStore) -> None:
    """A scan document replaced or deleted by a peer is taken out of the sums it was in."""
    index = supply_room(store)
    stocktake = start_stocktake(store, index, ACTOR)
    scans = [Scan(f"stockscan:{n}", stocktake.stocktake_id, code, 2, f"2026-11-25T09:{n:02d}",
                  "王", shelf) for n, (code, shelf) in enumerate(
                      [("IPAPER", "柜1"), ("IPAPER", "柜1"), ("ACAMERA", "柜1"), ("X-1", "柜2")])]
    tally = Tally.of(scans)
    for scan in scans[1:]:
        tally.remove(scan.scan_id)
    assert stocktake_report(stocktake, tally, index) == stocktake_report(
        stocktake, Tally.of(scans[:1]), index)
