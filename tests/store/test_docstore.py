"""The revision layer: CouchDB edit rules, conflicts, tombstones, changes feed, _local docs."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest

from store import ConflictError, DocumentStore, InvalidDocument, NotFound, StoreLocked, revtree
from store.revtree import MAX_FOREIGN_POSITION


def test_put_get_update_and_rev_format(store: DocumentStore) -> None:
    rev1 = store.put({"_id": "member:1", "name": "张三"})
    assert rev1.startswith("1-") and len(rev1.split("-")[1]) == 32
    rev2 = store.put({"_id": "member:1", "_rev": rev1, "name": "张三丰"})
    assert rev2.startswith("2-")
    assert store.get("member:1") == {"_id": "member:1", "_rev": rev2, "name": "张三丰"}


def test_edit_without_current_rev_is_a_conflict(store: DocumentStore) -> None:
    rev1 = store.put({"_id": "room:a", "name": "A"})
    store.put({"_id": "room:a", "_rev": rev1, "name": "B"})
    with pytest.raises(ConflictError):
        store.put({"_id": "room:a", "_rev": rev1, "name": "C"})
    with pytest.raises(ConflictError):
        store.put({"_id": "room:a", "name": "D"})
    assert store.get("room:a")["name"] == "B"


def test_same_edit_gives_same_revision_on_two_stores(make_store: Callable[[str], DocumentStore]) -> None:
    a, b = make_store("a"), make_store("b")
    assert a.put({"_id": "x:1", "v": 1}) == b.put({"_id": "x:1", "v": 1})


@pytest.mark.parametrize(
    "doc",
    [
        {"name": "no id"},
        {"_id": "", "v": 1},
        {"_id": "_design/x", "v": 1},
        {"_id": "x:1", "_attachments": {}},
        {"_id": "x:1", "v": float("nan")},
        {"_id": "x:\ud800", "v": 1},
        {"_id": "x:1", "v": "\udfff"},
        {"_id": "x:1", "_rev": "not-a-rev", "v": 1},
    ],
)
def test_invalid_documents_are_refused_and_change_nothing(store: DocumentStore, doc: dict) -> None:
    with pytest.raises(InvalidDocument):
        store.put(doc)
    assert store.update_seq == 0


def test_tombstones(store: DocumentStore) -> None:
    rev = store.put({"_id": "item:pen", "n": 1})
    deleted_rev = store.delete("item:pen", rev)
    with pytest.raises(NotFound) as err:
        store.get("item:pen")
    assert err.value.deleted
    assert store.get("item:pen", deleted_rev)["_deleted"] is True
    assert store.doc_count == 0
    rows, _ = store.changes()
    assert rows[-1]["deleted"] is True and rows[-1]["id"] == "item:pen"
    recreated = store.put({"_id": "item:pen", "n": 2})
    assert recreated.startswith("3-")
    assert store.get("item:pen")["n"] == 2


def test_deleting_a_missing_document_is_not_found(store: DocumentStore) -> None:
    with pytest.raises(NotFound):
        store.put({"_id": "x:gone", "_deleted": True})


def test_changes_feed_order_and_resume(store: DocumentStore) -> None:
    rev_a = store.put({"_id": "a:1"})
    store.put({"_id": "b:1"})
    store.put({"_id": "a:1", "_rev": rev_a, "v": 2})
    rows, last = store.changes()
    assert [row["id"] for row in rows] == ["b:1", "a:1"]
    assert [row["seq"] for row in rows] == sorted(row["seq"] for row in rows)
    assert last == store.update_seq == 3
    rows, last = store.changes(since=2)
    assert [row["id"] for row in rows] == ["a:1"]
    page, resume = store.changes(since=0, limit=1)
    assert len(page) == 1 and resume == page[0]["seq"]
    rest, _ = store.changes(since=resume)
    assert [r["id"] for r in page + rest] == ["b:1", "a:1"]


def test_local_documents_stay_out_of_the_feed(store: DocumentStore) -> None:
    store.put({"_id": "a:1"})
    seq = store.update_seq
    assert store.put_local("checkpoint-peer", {"last_seq": "7"}) == "0-1"
    assert store.put_local("checkpoint-peer", {"last_seq": "9"}) == "0-2"
    assert store.get_local("checkpoint-peer") == {
        "_id": "_local/checkpoint-peer", "_rev": "0-2", "last_seq": "9"}
    assert store.update_seq == seq
    assert all(not r["id"].startswith("_local") for r in store.changes()[0])
    assert [row["id"] for row in store.all_docs()] == ["a:1"]


def test_conflicting_branches_keep_losers_readable(store: DocumentStore) -> None:
    rev1 = store.put({"_id": "booking:1", "title": "例会"})
    base = rev1.split("-")[1]
    store.put_revisions([
        {"_id": "booking:1", "_rev": "2-aaaa", "_revisions": {"start": 2, "ids": ["aaaa", base]},
         "title": "node A"},
        {"_id": "booking:1", "_rev": "2-bbbb", "_revisions": {"start": 2, "ids": ["bbbb", base]},
         "title": "node B"},
    ])
    assert store.get("booking:1")["title"] == "node B"  # highest hash wins at equal depth
    assert store.conflicts("booking:1") == ["2-aaaa"]
    assert store.conflicted_ids() == ["booking:1"]
    assert store.get("booking:1", "2-aaaa")["title"] == "node A"
    store.delete("booking:1", "2-aaaa")  # resolving: delete the losing leaf
    assert store.conflicts("booking:1") == []
    assert store.conflicted_ids() == []
    assert store.get("booking:1")["title"] == "node B"


def test_non_deleted_leaf_beats_longer_deleted_branch(store: DocumentStore) -> None:
    store.put_revisions([
        {"_id": "x:1", "_rev": "1-aaaa", "v": 1},
        {"_id": "x:1", "_rev": "3-cccc", "_deleted": True,
         "_revisions": {"start": 3, "ids": ["cccc", "bbbb", "aaaa"]}},
        {"_id": "x:1", "_rev": "2-dddd", "_revisions": {"start": 2, "ids": ["dddd", "aaaa"]},
         "v": 2},
    ])
    assert store.get("x:1")["_rev"] == "2-dddd"


def test_put_revisions_refuses_a_malformed_document_and_stores_the_rest(
        store: DocumentStore) -> None:
    refused = store.put_revisions([
        {"_id": "x:1", "_rev": "1-aaaa", "v": 1},
        {"_id": "x:2", "_rev": "2-bbbb", "_revisions": {"start": 2, "ids": ["zzzz"]}},
    ])
    assert [(entry["id"], entry["error"]) for entry in refused] == [("x:2", "bad_request")]
    assert store.get("x:1")["v"] == 1 and store.get_or_none("x:2") is None


ABSURD_REVISIONS = [
    {"_rev": "9999999999-abc"},
    {"_rev": f"{MAX_FOREIGN_POSITION + 1}-abc"},
    {"_rev": "3-ccc", "_revisions": {"start": 3, "ids": ["ccc", 7, "aaa"]}},
    {"_rev": "3-ccc", "_revisions": {"start": 3, "ids": ["ccc", ["bbb"], "aaa"]}},
    {"_rev": "3-ccc", "_revisions": {"start": "3", "ids": ["ccc"]}},
    {"_rev": "3-ccc", "_revisions": {"start": 9999999999, "ids": ["ccc"]}},
    {"_rev": "3-ccc", "_revisions": {"start": 3, "ids": ["ccc", "b-b"]}},
]


@pytest.mark.parametrize("revision", ABSURD_REVISIONS, ids=lambda rev: str(rev)[:50])
def test_an_absurd_revision_from_elsewhere_is_refused_before_anything_is_written(
        store: DocumentStore, revision: dict[str, object]) -> None:
    store.put({"_id": "member:1", "name": "张三"})
    seq = store.update_seq
    [refused] = store.put_revisions([{"_id": "member:1", **revision, "name": "x"}])
    assert refused["id"] == "member:1" and refused["error"] == "bad_request"
    assert store.update_seq == seq
    assert store.get("member:1")["name"] == "张三"
    store.put({"_id": "member:1", "_rev": store.get("member:1")["_rev"], "name": "李四"})


def test_a_record_received_at_the_highest_accepted_position_stays_editable(
        store: DocumentStore) -> None:
    highest = f"{MAX_FOREIGN_POSITION}-abc"
    assert store.put_revisions([{"_id": "member:1", "_rev": highest, "name": "x"}]) == []
    rev = store.put({"_id": "member:1", "_rev": highest, "name": "y"})
    assert rev.startswith(f"{MAX_FOREIGN_POSITION + 1}-") and store.get("member:1")["name"] == "y"


def test_the_last_possible_revision_has_no_successor() -> None:
    with pytest.raises(ValueError):
        revtree.new_rev(f"{revtree.MAX_POSITION}-abc", {}, deleted=False)


def test_revs_diff_and_open_revs(store: DocumentStore) -> None:
    rev1 = store.put({"_id": "x:1", "v": 1})
    rev2 = store.put({"_id": "x:1", "_rev": rev1, "v": 2})
    diff = store.revs_diff({"x:1": [rev1, rev2, "3-ffff"], "y:1": ["1-abcd"]})
    assert diff == {"x:1": {"missing": ["3-ffff"], "possible_ancestors": [rev2]},
                    "y:1": {"missing": ["1-abcd"]}}
    [answer] = store.open_revs("x:1", None)
    assert answer["ok"]["_rev"] == rev2
    assert answer["ok"]["_revisions"] == {"start": 2, "ids": [rev2[2:], rev1[2:]]}
    assert store.open_revs("x:1", ["9-abcd"]) == [{"missing": "9-abcd"}]
    [latest] = store.open_revs("x:1", [rev1], latest=True)
    assert latest["ok"]["_rev"] == rev2


def test_bulk_put_reports_each_document(store: DocumentStore) -> None:
    store.put({"_id": "x:1", "v": 1})
    results = store.bulk_put([{"_id": "x:1", "v": 2}, {"_id": "x:2", "v": 1}, {"v": 3}])
    assert results[0]["error"] == "conflict"
    assert results[1]["ok"] and results[1]["id"] == "x:2"
    assert results[2]["error"] == "bad_request"
    assert store.get("x:2")["v"] == 1


def test_iter_docs_uses_type_prefix(store: DocumentStore) -> None:
    store.bulk_put([{"_id": f"member:{n}", "n": n} for n in range(5)] + [{"_id": "room:1"}])
    assert sorted(doc["n"] for doc in store.iter_docs("member")) == [0, 1, 2, 3, 4]
    assert [doc["_id"] for doc in store.iter_docs("room")] == ["room:1"]


def test_second_opener_is_refused_with_holder_pid(platform_mode, tmp_path) -> None:
    import os

    store = DocumentStore.open(tmp_path / "data")
    assert store.platform.kind is platform_mode
    with store, pytest.raises(StoreLocked) as err:
        DocumentStore.open(store.data_dir)
    assert str(os.getpid()) in str(err.value)


def test_reopen_restores_everything(tmp_path) -> None:
    with DocumentStore.open(tmp_path / "d") as first:
        rev = first.put({"_id": "member:1", "name": "李四"})
        first.put_revisions([{"_id": "member:1", "_rev": "2-ffff",
                              "_revisions": {"start": 2, "ids": ["ffff", rev[2:]]}, "name": "x"}])
        first.put_local("cp", {"seq": 1})
        node_id, seq = first.node_id, first.update_seq
    with DocumentStore.open(tmp_path / "d") as again:
        assert again.node_id == node_id and again.update_seq == seq
        assert again.get("member:1")["_rev"] == "2-ffff"
        assert again.revision_tree("member:1")["2-ffff"].parent == rev
        assert again.get_local("cp")["seq"] == 1


async def test_wait_for_changes_wakes_on_write(store: DocumentStore) -> None:
    seq = store.update_seq
    waiter = asyncio.create_task(store.wait_for_changes(seq, timeout=30))
    await asyncio.sleep(0)
    store.put({"_id": "x:1"})
    assert await asyncio.wait_for(waiter, 5) is True
    assert await store.wait_for_changes(store.update_seq, timeout=0.01) is False


class RecordingIndex:
    doc_types = ("member",)

    def __init__(self) -> None:
        self.docs: dict[str, dict | None] = {}

    def reset(self) -> None:
        self.docs.clear()

    def update(self, doc_id: str, doc: dict | None) -> None:
        self.docs[doc_id] = doc


def test_attached_index_sees_existing_and_new_documents(store: DocumentStore) -> None:
    rev = store.put({"_id": "member:1", "name": "a"})
    index = RecordingIndex()
    store.attach_index(index)
    assert index.docs["member:1"]["name"] == "a"
    store.put({"_id": "room:1"})
    store.delete("member:1", rev)
    assert "room:1" not in index.docs and index.docs["member:1"] is None


def test_put_latest_creates_then_writes_over_the_winner(store: DocumentStore) -> None:
    first = store.put_latest({"_id": "room:1", "name": "201"})
    second = store.put_latest({"_id": "room:1", "name": "202"})
    assert first.startswith("1-") and second.startswith("2-")
    assert store.get("room:1")["name"] == "202"
    assert store.conflicts("room:1") == []
