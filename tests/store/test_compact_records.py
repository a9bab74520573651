"""The compact in-memory form (one UTF-8 line per document, trees of single-revision documents
left out, a sequence index of two arrays, ids by type built on first use) answers exactly what
was written, after a reopen from the journal and after one from a snapshot."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from store import DocumentStore, NotFound

HOSTILE_BODIES: list[dict[str, Any]] = [
    {"name": "张三丰", "note": "签到：第一排，靠窗。"},
    {"emoji": "🎉👩‍💻", "tab": "a\tb", "newline": "a\nb", "quote": 'say "hi"', "slash": "a\\b"},
    {"nested": {"list": [1, 2.5, None, True, {"deep": ["x", {"deeper": []}]}]}, "empty": {}},
    {"looks_like_a_record": "1\t1-abc\t-\t{}\t\t{}", "control": "\u0001\u001f"},
    {},
]
HOSTILE_IDS = ["member:张三", 'odd:"quoted"', "odd:back\\slash", "odd:tab\there", "plain"]

Reopen = Callable[[DocumentStore], DocumentStore]


@pytest.fixture(params=["journal", "snapshot"])
def reopen(request: pytest.FixtureRequest, tmp_path: Path) -> Reopen:
    """Close and open again, replaying the journal or (after a compaction) the snapshot."""
    opened: list[DocumentStore] = []

    def again(store: DocumentStore) -> DocumentStore:
        if request.param == "snapshot":
            store.compact()
        store.close()
        opened.append(DocumentStore.open(store.data_dir))
        return opened[-1]

    request.addfinalizer(lambda: [each.close() for each in opened])
    return again


def test_hostile_documents_read_back_as_written(store: DocumentStore, reopen: Reopen) -> None:
    written = {}
    for doc_id, body in zip(HOSTILE_IDS, HOSTILE_BODIES, strict=True):
        rev = store.put({"_id": doc_id, **body})
        written[doc_id] = {"_id": doc_id, "_rev": rev, **body}
    edited = store.put({**written["plain"], "now": "edited 编辑"})
    written["plain"] = {"_id": "plain", "_rev": edited, "now": "edited 编辑"}
    tree = store.revision_tree("plain")
    reopened = reopen(store)
    for doc_id, doc in written.items():
        assert reopened.get(doc_id) == doc
    assert reopened.revision_tree("plain") == tree
    assert sorted(reopened.ids_of_type("odd")) == ['odd:"quoted"', "odd:back\\slash",
                                                   "odd:tab\there"]
    assert reopened.doc_count == len(HOSTILE_IDS)


def test_single_revision_trees_come_back_whole(store: DocumentStore, reopen: Reopen) -> None:
    """The tree of a document with one revision is not stored; it must be rebuilt exactly,
    a deletion included (a tombstone that arrived by replication without history)."""
    rev = store.put({"_id": "room:a", "name": "A"})
    store.put_revisions([{"_id": "room:gone", "_rev": "1-aaaa", "_deleted": True}])
    trees = {doc_id: store.revision_tree(doc_id) for doc_id in ("room:a", "room:gone")}
    reopened = reopen(store)
    assert {doc_id: reopened.revision_tree(doc_id) for doc_id in trees} == trees
    assert reopened.revision_tree("room:gone")["1-aaaa"].deleted
    with pytest.raises(NotFound):
        reopened.get("room:gone")
    assert reopened.get("room:gone", "1-aaaa")["_deleted"] is True
    assert reopened.exists("room:a") and not reopened.exists("room:gone")
    assert reopened.put({"_id": "room:a", "_rev": rev, "name": "B"}).startswith("2-")


def conflict_answers(store: DocumentStore) -> dict[str, Any]:
    """Everything the store says about the conflicted ``booking:1``."""
    return {
        "winner": store.get("booking:1"),
        "conflicts": store.conflicts("booking:1"),
        "loser": store.get("booking:1", "2-bbbb"),
        "open_revs": store.open_revs("booking:1", None),
        "changes": store.changes(style="all_docs", include_docs=True),
        "revs_diff": store.revs_diff({"booking:1": ["2-bbbb", "2-dddd", "1-aaaa"]}),
    }


def test_conflicts_survive_reopen(store: DocumentStore, reopen: Reopen) -> None:
    store.put_revisions([
        {"_id": "booking:1", "_rev": "2-bbbb", "_revisions": {"start": 2, "ids": ["bbbb", "aaaa"]},
         "room": "报告厅"},
        {"_id": "booking:1", "_rev": "2-cccc", "_revisions": {"start": 2, "ids": ["cccc", "aaaa"]},
         "room": "会议室"},
    ])
    before = conflict_answers(store)
    reopened = reopen(store)
    assert reopened.conflicted_ids() == ["booking:1"]
    assert conflict_answers(reopened) == before
    assert before["conflicts"] == ["2-bbbb"]


def test_changes_feed_skips_superseded_sequences(store: DocumentStore, reopen: Reopen) -> None:
    """Many edits of one document leave many holes in the sequence index (squeezed out once
    they are half of it); the feed and its paging must not notice, before or after a reopen."""
    revs = {f"signin:{n}": store.put({"_id": f"signin:{n}", "n": n}) for n in range(5)}
    for round_ in range(30):
        doc_id = f"signin:{round_ % 2}"
        revs[doc_id] = store.put({"_id": doc_id, "_rev": revs[doc_id], "round": round_})
    rev = store.delete("signin:4", revs["signin:4"])
    expected = [("signin:2", 3), ("signin:3", 4), ("signin:0", 34), ("signin:1", 35),
                ("signin:4", 36)]
    for current in (store, None):
        current = current or reopen(store)  # a closed store is not read
        rows, last = current.changes()
        assert [(row["id"], row["seq"]) for row in rows] == expected
        assert last == 36 and rows[-1]["deleted"] and rows[-1]["changes"] == [{"rev": rev}]
        paged, since = [], 0
        while True:
            page, since = current.changes(since=since, limit=2)
            if not page:
                break
            paged.extend(page)
        assert paged == rows
        assert current.changes(since=34) == (rows[-2:], 36)
        assert current.doc_count == 4


def test_ids_by_type_built_late_see_earlier_edits(store: DocumentStore, reopen: Reopen) -> None:
    """The ids by type are built on first use: edits before that use (and before the reopen)
    must be in it, and edits after it must keep it current."""
    revs = {n: store.put({"_id": f"signin:m1:{n}", "n": n}) for n in range(4)}
    store.put({"_id": "meeting:m1", "title": "例会"})
    store.delete("signin:m1:0", revs[0])
    reopened = reopen(store)
    reopened.delete("signin:m1:1", reopened.get("signin:m1:1")["_rev"])
    reopened.put({"_id": "signin:m2:0", "n": 0})
    assert sorted(reopened.ids_with_prefix("signin:m1:")) == ["signin:m1:2", "signin:m1:3"]
    reopened.put({"_id": "signin:m1:0", "n": "back"})
    assert sorted(reopened.ids_of_type("signin")) == [
        "signin:m1:0", "signin:m1:2", "signin:m1:3", "signin:m2:0"]
    assert [row["id"] for row in reopened.all_docs()] == [
        "meeting:m1", "signin:m1:0", "signin:m1:2", "signin:m1:3", "signin:m2:0"]
    assert reopened.doc_count == 5
