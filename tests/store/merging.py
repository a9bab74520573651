"""Replication without HTTP, for store-level tests of what a merge of two offline nodes gives."""

from __future__ import annotations

from store import DocumentStore


def merge(source: DocumentStore, target: DocumentStore) -> None:
    """Store-level replication: every leaf revision of every document, history included."""
    changes, _ = source.changes(0, style="all_docs")
    for change in changes:
        revs = [entry["rev"] for entry in change["changes"]]
        docs = [answer["ok"] for answer in source.open_revs(change["id"], revs) if "ok" in answer]
        target.put_revisions(docs)


def sync(a: DocumentStore, b: DocumentStore) -> None:
    merge(a, b)
    merge(b, a)
