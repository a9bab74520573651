"""Supply room rules: stock derived from movements, loans and holders, merges."""

from __future__ import annotations

import tempfile
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from store import DocumentStore
from store.errors import ValidationError
from store.kpi import LoanFact
from store.supplies import (ADJUSTED, RECEIVED, TAKEN, WRITTEN_OFF, Asset, Item, Loan, Movement,
                            open_loans, stock_levels)
from store.supplies_desk import (Actor, close_loan, give_back, lend, receive, save_asset,
                                 save_item, take, write_off)
from store.supplies_index import SupplyIndex

from .merging import sync

NOW = datetime(2026, 11, 25, 9, 30)
ACTOR = Actor(NOW, "office")
PAPER = Item("item:paper", "A4 打印纸", "包", "纸张", "柜1", reorder_level=5, code="IPAPER")
PENS = Item("item:pens", "黑色签字笔", "支", "文具", "柜2", reorder_level=10, code="IPENS")
PROJECTOR = Asset("asset:p1", "GZ-2026-001", "投影仪", "电子设备", "SN1", "2026-03-01", 3999.0,
                  "器材室", code="APROJECTOR")


def supply_room(store: DocumentStore) -> SupplyIndex:
    index = SupplyIndex.for_store(store)
    store.attach_index(index)
    save_item(store, PAPER)
    save_item(store, PENS)
    save_asset(store, PROJECTOR)
    return index


# -- pure derivations --------------------------------------------------------------------------

MOVES = st.lists(st.tuples(st.sampled_from(["item:a", "item:b", "item:c"]),
                           st.sampled_from([RECEIVED, TAKEN, ADJUSTED, WRITTEN_OFF]),
                           st.integers(-20, 20)), max_size=40)


@given(MOVES, st.randoms(use_true_random=False))
def test_stock_is_the_same_in_any_order(moves: list[tuple[str, str, int]], rng) -> None:  # type: ignore[no-untyped-def]
    movements = [Movement(f"movement:{n}", item, kind, delta, "2026-11-25T09:00")
                 for n, (item, kind, delta) in enumerate(moves)]
    shuffled = movements[:]
    rng.shuffle(shuffled)
    assert stock_levels(shuffled) == stock_levels(movements)


def test_stock_levels_sum_signed_deltas() -> None:
    movements = [Movement("movement:1", "item:a", RECEIVED, 10, "t"),
                 Movement("movement:2", "item:a", TAKEN, -3, "t"),
                 Movement("movement:3", "item:a", ADJUSTED, -1, "t"),
                 Movement("movement:4", "item:b", WRITTEN_OFF, -2, "t")]
    assert stock_levels(movements) == {"item:a": 6, "item:b": -2}


def test_open_loans_drop_returned_and_keep_both_of_a_double_loan() -> None:
    loans = [Loan("loan:1", "asset:x", "001", "2026-11-01T09:00", "2026-11-15T09:00"),
             Loan("loan:2", "asset:x", "002", "2026-11-02T09:00", "2026-11-16T09:00"),
             Loan("loan:3", "asset:y", "003", "2026-11-03T09:00", "2026-11-17T09:00")]
    assert open_loans(loans, ["loan:3"]) == {"asset:x": [loans[0], loans[1]]}


def test_overdue_days_count_started_days() -> None:
    loan = Loan("loan:1", "asset:x", "001", "2026-11-01T09:00", "2026-11-20T09:00")
    assert loan.overdue_days(datetime(2026, 11, 20, 9, 0)) == 0
    assert loan.overdue_days(datetime(2026, 11, 20, 9, 1)) == 1
    assert loan.overdue_days(datetime(2026, 11, 25, 9, 0)) == 5


# -- events through the store and the index ----------------------------------------------------


def test_takes_and_receipts_drive_the_stock_list(store: DocumentStore) -> None:
    index = supply_room(store)
    receive(store, PAPER, 8, ACTOR)
    take(store, index, PAPER, "001", 2, ACTOR)
    write_off(store, index, PAPER, 1, ACTOR, note="受潮")
    rows = {row.item.item_id: row for row in index.stock_list()}
    assert rows["item:paper"].stock == 5 and rows["item:paper"].low
    assert rows["item:pens"].stock == 0 and rows["item:pens"].low
    with pytest.raises(ValidationError) as refused:
        take(store, index, PAPER, "001", 6, ACTOR)
    assert refused.value.key == "supplies.error.not_enough"
    with pytest.raises(ValidationError):
        take(store, index, PAPER, "001", 0, ACTOR)
    assert [m.kind for m in index.movements_of("001")] == [TAKEN]


def test_index_rebuilt_from_the_store_matches_the_live_one(store: DocumentStore) -> None:
    index = supply_room(store)
    receive(store, PENS, 30, ACTOR)
    take(store, index, PENS, "002", 4, ACTOR)
    lend(store, index, PROJECTOR, "001", 7, ACTOR)
    fresh = SupplyIndex.for_store(store)
    store.attach_index(fresh)
    assert fresh.stock_list() == index.stock_list()
    assert fresh.asset_list() == index.asset_list()


def test_lend_return_and_refusals(store: DocumentStore) -> None:
    index = supply_room(store)
    loan = lend(store, index, PROJECTOR, "001", 14, ACTOR)
    assert loan.due == "2026-12-09T09:30"
    assert index.asset_list()[0].holder == "001"
    with pytest.raises(ValidationError) as twice:
        lend(store, index, PROJECTOR, "002", 14, ACTOR)
    assert twice.value.key == "supplies.error.on_loan"
    with pytest.raises(ValidationError) as not_yours:
        give_back(store, index, PROJECTOR, "002", ACTOR)
    assert not_yours.value.key == "supplies.error.not_yours"
    later = Actor(NOW + timedelta(days=20), "office")
    assert [loan.loan_id for loan in index.overdue(later.now)] == [loan.loan_id]
    give_back(store, index, PROJECTOR, "001", later, condition="worn")
    assert index.asset_list()[0].holder == ""
    assert index.overdue(later.now) == []
    history = index.loan_history(PROJECTOR.asset_id)
    assert history[0][1] is not None and history[0][1].condition == "worn"
    assert index.loan_facts() == [LoanFact(NOW, NOW + timedelta(days=14),
                                           NOW + timedelta(days=20))]


def test_scanning_a_tag_or_a_code_finds_the_record(store: DocumentStore) -> None:
    index = supply_room(store)
    assert index.find_code("APROJECTOR") == PROJECTOR
    assert index.find_code("gz-2026-001") == PROJECTOR
    assert index.find_code("IPENS") == PENS
    assert index.find_code("nonsense") is None
    save_asset(store, Asset("asset:p1", "GZ-2026-009", "投影仪", code="APROJECTOR"))
    assert index.find_code("GZ-2026-001") is None  # the old tag no longer names it


def test_new_records_get_a_label_code(store: DocumentStore) -> None:
    index = supply_room(store)
    item = save_item(store, Item(Item.new_id(), "订书钉", "盒"))
    assert item.code.startswith("I") and index.find_code(item.code) == item
    with pytest.raises(ValidationError):
        save_item(store, Item(Item.new_id(), "  "))


# -- merges of offline nodes -------------------------------------------------------------------


def test_merge_flags_a_double_loan_and_negative_stock(make_store) -> None:  # type: ignore[no-untyped-def]
    a, b = make_store("a"), make_store("b")
    index_a = supply_room(a)
    receive(a, PAPER, 3, ACTOR)
    sync(a, b)
    index_b = SupplyIndex.for_store(b)
    b.attach_index(index_b)
    # apart: both kiosks lend the projector and both hand out paper
    lend(a, index_a, PROJECTOR, "001", 14, ACTOR)
    lend(b, index_b, PROJECTOR, "002", 14, ACTOR)
    take(a, index_a, PAPER, "001", 2, ACTOR)
    take(b, index_b, PAPER, "002", 3, ACTOR)
    sync(a, b)
    for index in (index_a, index_b):
        assert index.level("item:paper") == -2
        kinds = {item.kind: item for item in index.attention_items()}
        assert set(kinds) == {"double_loan", "negative_stock"}
        assert len(kinds["double_loan"].doc_ids) == 2
        assert sorted(kinds["double_loan"].params["members"].split(", ")) == ["001", "002"]
        assert kinds["negative_stock"].doc_ids == ("item:paper",)
    assert index_a.attention_items() == index_b.attention_items()
    # the secretary settles it: one loan was never real
    first = index_a.open_loans(PROJECTOR.asset_id)[1]
    close_loan(a, first, ACTOR)
    receive(a, PAPER, 2, ACTOR)
    assert index_a.attention_items() == []


def test_a_return_replicated_before_its_loan_still_closes_it(make_store) -> None:  # type: ignore[no-untyped-def]
    a, b = make_store("a"), make_store("b")
    index_a = supply_room(a)
    loan = lend(a, index_a, PROJECTOR, "001", 14, ACTOR)
    give_back(a, index_a, PROJECTOR, "001", ACTOR)
    index_b = SupplyIndex.for_store(b)
    b.attach_index(index_b)
    b.put_revisions(leaves(a, loan.return_id))
    b.put_revisions(leaves(a, loan.loan_id))
    assert index_b.open_loans(PROJECTOR.asset_id) == []


def leaves(store: DocumentStore, doc_id: str) -> list[dict]:  # type: ignore[type-arg]
    return [entry["ok"] for entry in store.open_revs(doc_id, None) if "ok" in entry]


@settings(max_examples=25, deadline=None)
@given(st.randoms(use_true_random=False))
def test_any_replication_order_gives_the_same_holders_and_stock(rng) -> None:  # type: ignore[no-untyped-def]
    with tempfile.TemporaryDirectory() as root:
        source = DocumentStore.open(Path(root) / "source")
        target = DocumentStore.open(Path(root) / "target")
        try:
            index = supply_room(source)
            receive(source, PAPER, 5, ACTOR)
            lend(source, index, PROJECTOR, "001", 14, ACTOR)
            take(source, index, PAPER, "002", 1, ACTOR)
            give_back(source, index, PROJECTOR, "001", ACTOR)
            lend(source, index, PROJECTOR, "003", 14, ACTOR)
            changes, _ = source.changes(0)
            doc_ids = [change["id"] for change in changes]
            rng.shuffle(doc_ids)
            replica = SupplyIndex.for_store(target)
            target.attach_index(replica)
            for doc_id in doc_ids:
                target.put_revisions(leaves(source, doc_id))
            assert replica.stock_list() == index.stock_list()
            assert replica.asset_list() == index.asset_list()
            assert [loan.member_id for loan in replica.held_by("003")] == ["003"]
        finally:
            source.close()
            target.close()


def test_an_unreadable_document_is_skipped_not_fatal(store: DocumentStore) -> None:
    """A damaged or foreign writer's event replicates like any document but counts for nothing."""
    store.put_revisions([
        {"_id": "loan:bad", "_rev": "1-aa", "asset_id": "asset:p1", "member_id": "001",
         "at": "2026-11-01T09:00", "due": 5},
        {"_id": "movement:bad", "_rev": "1-bb", "item_id": "item:paper", "kind": "taken",
         "delta": "lots", "at": "2026-11-01T09:00"},
        {"_id": "item:bad", "_rev": "1-cc", "name": ["not", "text"]},
    ])
    index = supply_room(store)  # attaching reads the damaged documents too
    receive(store, PAPER, 3, ACTOR)
    assert index.level("item:paper") == 3
    assert index.open_loans("asset:p1") == [] and index.overdue(NOW) == []
    assert "item:bad" not in index.items and store.exists("loan:bad")
