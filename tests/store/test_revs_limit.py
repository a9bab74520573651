"""A revision tree remembers at most ``revs_limit`` ancestors per leaf, as CouchDB does."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store import DocumentStore, NotFound
from store.revtree import REVS_LIMIT

from .test_revision_properties import DOC_IDS, revision_sets, snapshot


def test_a_history_of_100k_revisions_is_stemmed_to_the_limit(store: DocumentStore) -> None:
    ids = [f"{n:032x}" for n in range(100_000, 0, -1)]
    store.put_revisions([{"_id": "member:1", "_rev": f"100000-{ids[0]}", "name": "张三",
                          "_revisions": {"start": 100_000, "ids": ids}}])
    assert len(store.revision_tree("member:1")) <= REVS_LIMIT
    rev = store.put({"_id": "member:1", "_rev": f"100000-{ids[0]}", "name": "张三丰"})
    assert len(store.revision_tree("member:1")) <= REVS_LIMIT
    [answer] = store.open_revs("member:1", None)
    assert answer["ok"]["_rev"] == rev
    assert len(answer["ok"]["_revisions"]["ids"]) <= REVS_LIMIT


def test_local_edits_forget_the_oldest_ancestors(tmp_path: Path) -> None:
    with DocumentStore.open(tmp_path / "n", revs_limit=5) as store:
        rev = store.put({"_id": "room:a", "n": 0})
        for n in range(1, 12):
            rev = store.put({"_id": "room:a", "_rev": rev, "n": n})
        tree = store.revision_tree("room:a")
        assert len(tree) == 5
        assert rev in tree and rev.startswith("12-")


def present(store: DocumentStore) -> list[str]:
    """Every document the store has a tree for, deleted ones included."""
    found = []
    for doc_id in DOC_IDS:
        try:
            store.revision_tree(doc_id)
        except NotFound:
            continue
        found.append(doc_id)
    return found


def replicate(source: DocumentStore, target: DocumentStore) -> None:
    """What the pull replicator does: every missing leaf, with the history the source keeps."""
    for doc_id in present(source):
        leaves = [answer["ok"]["_rev"] for answer in source.open_revs(doc_id, None)]
        missing = target.revs_diff({doc_id: leaves}).get(doc_id, {}).get("missing", [])
        if missing:
            target.put_revisions([answer["ok"] for answer in source.open_revs(doc_id, missing)])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(docs=revision_sets(), sides=st.lists(st.sampled_from("ab*"), min_size=40, max_size=40))
def test_stemmed_trees_merge_to_the_same_winner_on_both_nodes(docs: list[dict], sides: list[str]
                                                              ) -> None:
    """Each node edits in its own order of events, stemming as it goes; then they replicate."""
    with tempfile.TemporaryDirectory() as tmp:
        a, b = (DocumentStore.open(Path(tmp) / name, revs_limit=2) for name in "ab")
        try:
            for doc, side in zip(sorted(docs, key=lambda doc: doc["_revisions"]["start"]), sides):
                for store, name in ((a, "a"), (b, "b")):
                    if side in (name, "*"):
                        store.put_revisions([doc])
            replicate(a, b)
            replicate(b, a)
            replicate(a, b)
            assert snapshot(a) == snapshot(b)
            for store in (a, b):
                for doc_id in present(store):
                    tree = store.revision_tree(doc_id)
                    leaves = set(tree) - {node.parent for node in tree.values()}
                    assert len(tree) <= 2 * len(leaves)
        finally:
            a.close()
            b.close()
