"""Merging the same revisions in any order, on any number of stores, gives the same result."""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store import DocumentStore

DOC_IDS = ("meeting:1", "signin:m:1", "loan:9")


@st.composite
def revision_sets(draw: st.DrawFn) -> list[dict]:
    """Random edit histories: each new revision extends a random earlier one (or starts a root)."""
    docs = []
    for doc_id in draw(st.lists(st.sampled_from(DOC_IDS), min_size=1, max_size=3, unique=True)):
        paths: list[list[str]] = []
        for step in range(draw(st.integers(1, 7))):
            parent = draw(st.sampled_from(paths)) if paths and draw(st.booleans()) else []
            digest = hashlib.md5(f"{doc_id}{step}{draw(st.integers(0, 3))}".encode()).hexdigest()
            rev = f"{len(parent) + 1}-{digest}"
            path = [rev, *parent]
            paths.append(path)
            docs.append({
                "_id": doc_id,
                "_rev": rev,
                "_revisions": {"start": len(path), "ids": [r.split("-")[1] for r in path]},
                "_deleted": draw(st.booleans()) and draw(st.booleans()),
                "step": step,
            })
    return docs


def expected_winner(docs: list[dict], doc_id: str) -> str:
    """CouchDB's rule, computed independently of store/revtree.py."""
    revs = {d["_rev"]: d for d in docs if d["_id"] == doc_id}
    ancestors = {f"{d['_revisions']['start'] - i}-{h}" for d in revs.values()
                 for i, h in enumerate(d["_revisions"]["ids"]) if i > 0}
    leaves = [rev for rev in revs if rev not in ancestors]
    return max(leaves, key=lambda r: (not revs[r]["_deleted"], int(r.split("-")[0]), r.split("-")[1]))


def snapshot(store: DocumentStore) -> dict[str, tuple[str, list[str], list[str]]]:
    """Winner, conflict set and every leaf of each document, as a replication peer sees them."""
    result = {}
    for row in store.all_docs(keys=list(DOC_IDS)):
        if "error" in row:
            continue
        doc_id = row["id"]
        leaves = sorted(answer["ok"]["_rev"] for answer in store.open_revs(doc_id, None))
        result[doc_id] = (row["value"]["rev"], store.conflicts(doc_id), leaves)
    return result


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(docs=revision_sets(), orders=st.lists(st.randoms(use_true_random=False), min_size=2, max_size=4),
       batch=st.integers(1, 5))
def test_any_order_any_store_count_converges(docs: list[dict], orders: list, batch: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        stores = [DocumentStore.open(Path(tmp) / f"n{i}") for i in range(len(orders))]
        try:
            for store, rng in zip(stores, orders):
                shuffled = list(docs)
                rng.shuffle(shuffled)
                for start in range(0, len(shuffled), batch):
                    store.put_revisions(shuffled[start : start + batch])
            views = [snapshot(store) for store in stores]
            assert all(view == views[0] for view in views)
            for doc_id, (winner, _conflicts, _leaves) in views[0].items():
                assert winner == expected_winner(docs, doc_id)
        finally:
            for store in stores:
                store.close()
