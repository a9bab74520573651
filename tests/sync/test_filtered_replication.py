"""Kiosks carry only what they need: Mango ``_selector`` filtered pulls from real nodes."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import date, datetime

import aiohttp
import pytest

from store import DocumentStore
from store.supplies import RECEIVED, TAKEN, movement
from store.supplies_index import SupplyIndex
from store.supply_balances import balance_id, carry_forward
from sync import selector as mango
from sync.kiosk_selectors import signin_selector, supplies_selector
from sync.pull import PullReplicator

from .test_replication import serve

TODAY = date(2026, 11, 25)


def office(store: DocumentStore) -> None:
    """A full office node: what both kiosks read, and much that neither does."""
    store.bulk_put([
        *({"_id": f"member:{n:03d}", "name": f"成员{n}"} for n in range(20)),
        {"_id": "meeting:today", "title": "部长例会", "start": "2026-11-25T09:30",
         "end": "2026-11-25T11:00"},
        {"_id": "meeting:called-off", "title": "取消", "start": "2026-11-25T14:00",
         "end": "2026-11-25T15:00", "cancelled": True},
        {"_id": "meeting:last-year", "title": "旧会", "start": "2025-11-25T09:30",
         "end": "2025-11-25T11:00"},
        {"_id": "room:201", "name": "201"},
        *({"_id": f"signin:today:{n:03d}", "time": "2026-11-25T09:31"} for n in range(5)),
        {"_id": "absence:today:007", "reason": "病假"},
        *({"_id": f"signin:last-year:{n:03d}", "time": "2025-11-25T09:31"} for n in range(50)),
        *({"_id": f"signin:called-off:{n:03d}"} for n in range(3)),
        *({"_id": f"archive:{n}", "title": "会议纪要"} for n in range(40)),
        *({"_id": f"archive_event:{n}", "archive_id": f"archive:{n}"} for n in range(40)),
        *({"_id": f"item:{n}", "name": "签字笔"} for n in range(4)),
        {"_id": "asset:projector", "name": "投影仪"},
        {"_id": "movement:1", "item_id": "item:1", "delta": -2},
        {"_id": "loan:1", "asset_id": "asset:projector"},
        {"_id": "booking:1", "room_id": "room:201"},
        {"_id": "minutes:1", "text": "纪要"},
    ])


def ids(store: DocumentStore) -> set[str]:
    return {row["id"] for row in store.changes()[0]}


@asynccontextmanager
async def office_and_kiosk(make_store: Callable[[str], DocumentStore]
                           ) -> AsyncIterator[tuple[DocumentStore, DocumentStore, str,
                                                    aiohttp.ClientSession]]:
    """A full office node serving on 127.0.0.1, an empty kiosk store, a client session."""
    source, kiosk = make_store("office"), make_store("kiosk")
    office(source)
    runner, url = await serve(source)
    try:
        async with aiohttp.ClientSession() as session:
            yield source, kiosk, url, session
    finally:
        await runner.cleanup()


async def test_the_signin_kiosk_pulls_its_types_and_todays_facts_only(
        make_store: Callable[[str], DocumentStore]) -> None:
    async with office_and_kiosk(make_store) as (_source, kiosk, url, session):
        pull = PullReplicator(kiosk, url, session, batch_size=7,
                              selector=lambda: signin_selector(kiosk, TODAY))
        await pull.replicate()  # first the meetings: then it knows which are open today
        assert "signin:today:000" not in ids(kiosk)
        await pull.replicate()
    assert ids(kiosk) == {
        *(f"member:{n:03d}" for n in range(20)), "meeting:today", "meeting:called-off",
        "meeting:last-year", "room:201", *(f"signin:today:{n:03d}" for n in range(5)),
        "absence:today:007"}


async def test_the_supplies_kiosk_skips_meetings_archive_and_minutes(
        make_store: Callable[[str], DocumentStore]) -> None:
    async with office_and_kiosk(make_store) as (_source, kiosk, url, session):
        await PullReplicator(kiosk, url, session, selector=lambda: supplies_selector(TODAY)).replicate()
    assert ids(kiosk) == {*(f"member:{n:03d}" for n in range(20)),
                          *(f"item:{n}" for n in range(4)), "asset:projector", "movement:1",
                          "loan:1"}


async def test_the_supplies_kiosk_leaves_old_movements_behind_yet_shows_the_same_stock(
        make_store: Callable[[str], DocumentStore]) -> None:
    """Ten years of movements stay on the office; the kiosk gets two years and the balances."""
    source, kiosk = make_store("office"), make_store("kiosk")
    source.put({"_id": "item:paper", "name": "A4纸"})
    moves = [movement("item:paper", RECEIVED if n % 3 else TAKEN, 1 + n % 5,
                      now=datetime(2016 + n % 11, 1 + n % 12, 1, 9, 0), node="office")
             for n in range(200)]  # 2016 to 2026
    source.bulk_put([move.to_doc() for move in moves])
    assert carry_forward(source, TODAY) == 9  # 2016 … 2024, one item
    assert carry_forward(source, TODAY) == 0  # nothing changed: nothing rewritten
    runner, url = await serve(source)
    try:
        async with aiohttp.ClientSession() as session:
            await PullReplicator(kiosk, url, session,
                                 selector=lambda: supplies_selector(TODAY)).replicate()
            late = movement("item:paper", TAKEN, 4, now=datetime(2026, 11, 25, 10, 0), node="k")
            source.put(late.to_doc())  # today's, taken at the office: the kiosk must see it
            await PullReplicator(kiosk, url, session,
                                 selector=lambda: supplies_selector(TODAY)).replicate()
    finally:
        await runner.cleanup()
    held = {doc["at"][:4] for doc in kiosk.iter_docs("movement")}
    assert held == {"2025", "2026"}
    office_stock = supply_index(source).level("item:paper")
    assert office_stock == sum(move.delta for move in moves) - 4
    assert supply_index(kiosk).level("item:paper") == office_stock


async def test_a_full_copy_counts_a_late_movement_of_a_closed_year_before_it_is_folded(
        make_store: Callable[[str], DocumentStore]) -> None:
    """A balance never outranks movements the node holds: the office's stock stays exact."""
    source = make_store("office")
    old = movement("item:paper", RECEIVED, 10, now=datetime(2020, 5, 1, 9, 0), node="office")
    source.put(old.to_doc())
    carry_forward(source, TODAY)
    index = supply_index(source)
    assert index.level("item:paper") == 10
    late = movement("item:paper", TAKEN, 3, now=datetime(2020, 6, 1, 9, 0), node="kiosk")
    source.put(late.to_doc())
    assert index.level("item:paper") == 7  # the stale balance (10, one movement) is ignored
    assert carry_forward(source, TODAY) == 1
    assert source.get(balance_id("item:paper", "2020"))["delta"] == 7
    assert index.level("item:paper") == 7
    source.delete(balance_id("item:paper", "2020"),
                  source.get(balance_id("item:paper", "2020"))["_rev"])
    assert index.level("item:paper") == 7


def supply_index(store: DocumentStore) -> SupplyIndex:
    index = SupplyIndex(store)
    store.attach_index(index)
    return index


async def test_a_filtered_pull_keeps_its_own_checkpoint_and_passes_deletions(
        make_store: Callable[[str], DocumentStore]) -> None:
    async with office_and_kiosk(make_store) as (source, kiosk, url, session):
        first = PullReplicator(kiosk, url, session, selector=lambda: supplies_selector(TODAY))
        assert await first.replicate() == 27
        filtered_id = first.replication_id(source.node_id, supplies_selector(TODAY))
        assert filtered_id != first.replication_id(source.node_id)  # as CouchDB: its own
        assert kiosk.get_local(filtered_id)["source_last_seq"] == source.update_seq
        source.delete("member:003", source.get("member:003")["_rev"])
        source.bulk_put([{"_id": "item:new", "name": "电池"},
                         *({"_id": f"archive:more-{n}"} for n in range(30))])
        again = PullReplicator(kiosk, url, session, selector=lambda: supplies_selector(TODAY))
        assert await again.replicate() == 2  # resumed: only the deletion and the item
        # identify, two checkpoints, one page of changes, one bulk_get, checkpoint, final page
        assert again.requests <= 8, again.requests
    assert kiosk.get_or_none("member:003") is None
    assert kiosk.exists("item:new") and not kiosk.ids_of_type("archive")


async def test_the_feed_answers_a_selector_as_couchdb_does(store: DocumentStore) -> None:
    office(store)
    runner, url = await serve(store)
    try:
        async with aiohttp.ClientSession() as session:
            async def feed(body: object, **params: str) -> tuple[int, dict]:
                async with session.post(f"{url}/mishu/_changes",
                                        params={"filter": "_selector", **params},
                                        json=body) as response:
                    return response.status, await response.json()

            status, page = await feed({"selector": {"cancelled": True}})
            assert status == 200 and [r["id"] for r in page["results"]] == ["meeting:called-off"]
            status, page = await feed({"selector": {"_id": {"$gt": "signin:"}, "time": {
                "$exists": True}}}, limit="2")  # the limit counts the changes kept
            assert [r["id"] for r in page["results"]] == ["signin:today:000", "signin:today:001"]
            assert page["last_seq"] == page["results"][-1]["seq"]
            status, page = await feed({"selector": {"$frobnicate": []}})
            assert (status, page["error"]) == (400, "invalid_operator")
            assert "$frobnicate" in page["reason"]
            status, page = await feed({"selector": {"title": {"$regex": "会"}}})
            assert (status, page["error"]) == (400, "invalid_operator")
            status, page = await feed({"selector": "member"})
            assert status == 400
            async with session.get(f"{url}/mishu/_changes",
                                   params={"filter": "_selector"}) as response:
                assert response.status == 400
    finally:
        await runner.cleanup()


DOC = {"_id": "member:7", "name": "曾伟", "dept": {"name": "秘书处", "floor": 3},
       "tags": ["a", "b"], "a.b": 1, "gone": None}


@pytest.mark.parametrize(("selector", "expected"), [
    ({}, True),
    ({"name": "曾伟"}, True),
    ({"name": "曾"}, False),
    ({"name": {"$eq": "曾伟"}}, True),
    ({"dept.name": "秘书处"}, True),
    ({"dept": {"floor": 3}}, True),
    ({"dept.floor": {"$in": [1, 2]}}, False),
    ({"dept.floor": {"$in": [3, "3"]}}, True),
    ({"tags": {"$in": ["b"]}}, True),
    ({"a\\.b": 1}, True),
    ({"gone": {"$exists": True}}, True),
    ({"phone": {"$exists": False}}, True),
    ({"phone": {"$exists": True}}, False),
    ({"phone": None}, False),
    ({"gone": None}, True),
    ({"$or": [{"name": "x"}, {"dept.floor": 3}]}, True),
    ({"$and": [{"name": "曾伟"}, {"dept.floor": 4}]}, False),
    ({"name": "曾伟", "dept.floor": 4}, False),
    ({"_id": {"$gte": "member:", "$lt": "member:\ufff0"}}, True),
    ({"_id": {"$gte": "members:", "$lt": "members:\ufff0"}}, False),
    ({"dept.floor": {"$gt": "2"}}, False),  # numbers sort before strings
])
def test_selector_semantics(selector: dict, expected: bool) -> None:
    assert mango.matches(mango.check(selector), DOC) is expected


@pytest.mark.parametrize("selector", [
    {"$nor": [{}]}, {"name": {"$regex": "."}}, {"name": {"$in": "a"}},
    {"name": {"$exists": 1}}, {"$or": []}, {"$and": {}}, [], {"a": {"b": {"$size": 1}}}])
def test_selectors_outside_the_subset_are_refused(selector: object) -> None:
    with pytest.raises(mango.InvalidOperator):
        mango.check(selector)


def test_a_kiosk_feed_judges_most_changes_by_id_without_reading_the_document() -> None:
    """At 1M documents reading each one to filter the feed outlasts the client's timeout."""
    selector = supplies_selector(TODAY)
    assert mango.decided_by_id(selector, "archive:1") is False
    assert mango.decided_by_id(selector, "member:001") is True
    assert mango.decided_by_id(selector, "movement:abc") is None  # its time decides
    assert mango.decided_by_id({"at": {"$gte": "2025"}, "_id": "x"}, "y") is False
    assert mango.decided_by_id({"$and": [{"_id": "x"}, {"at": 1}]}, "x") is None
    assert mango.decided_by_id({"$or": [{"_id": "x"}, {"at": 1}]}, "x") is True
    movement_doc = {"_id": "movement:abc", "at": "2026-01-02T09:00"}
    assert mango.matches(selector, movement_doc)
    assert not mango.matches(selector, {**movement_doc, "at": "2024-12-31T09:00"})


@pytest.mark.parametrize("selector", [
    supplies_selector(TODAY), {"_id": {"$gte": "a", "$lt": "b"}},
    {"n": {"$gte": "a", "$lt": "b"}}, {"$or": [{"at": {"$exists": False}}, {"n": 3}]},
    {"a.b": {"$in": [1, "x"]}, "_id": {"$gt": "m"}}, {"$and": [{"n": {"$lte": 3}}, {"n": {"$gt": 1}}]},
])
def test_the_compiled_selector_the_feed_uses_agrees_with_matches(selector: dict) -> None:
    docs = [{"_id": "a1"}, {"_id": "b"}, {"_id": "movement:1", "at": "2026-01-01T00:00"},
            {"_id": "movement:2", "at": "2020-01-01T00:00"}, {"_id": "movement:3"},
            {"_id": "z", "n": "ab"}, {"_id": "z", "n": 2}, {"_id": "z", "n": None},
            {"_id": "y", "a": {"b": "x"}}, {"_id": "y", "a": {"b": [1]}}, {"_id": "item:1"},
            {"_id": 5}, {"_id": "member:003", "_deleted": True}]
    assert [mango.compiled(selector)(doc) for doc in docs] == [
        mango.matches(selector, doc) for doc in docs]
    assert any(mango.matches(selector, doc) for doc in docs)
