"""Undo as an ordinary edit: write back what some documents held before an action.

Before a destructive action the caller takes a :class:`Snapshot` of every document the action
may write (ids known in advance: deterministic ids, or an id chosen before the write). Undoing
puts each previous body back as a *new* revision, or deletes a document the action created, so
the undo replicates to every node like any edit, and an undo on one laptop after a sync
restores the same state everywhere. Nothing is rewound in the revision tree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .docstore import DocumentStore


@dataclass(frozen=True)
class Snapshot:
    """Each document id with its body before the action (``None``: it did not exist)."""

    bodies: tuple[tuple[str, dict[str, Any] | None], ...]


def snapshot(store: DocumentStore, doc_ids: Iterable[str]) -> Snapshot:
    bodies = []
    for doc_id in dict.fromkeys(doc_ids):
        doc = store.get_or_none(doc_id)
        bodies.append((doc_id, None if doc is None else
                       {key: value for key, value in doc.items() if key != "_rev"}))
    return Snapshot(tuple(bodies))


def restore(store: DocumentStore, before: Snapshot) -> int:
    """Write the snapshot back over whatever is there now; returns how many documents changed."""
    changed = 0
    for doc_id, body in before.bodies:
        current = store.get_or_none(doc_id)
        if body is None:
            if current is not None:
                store.delete(doc_id, current["_rev"])
                changed += 1
        elif current is None or {k: v for k, v in current.items() if k != "_rev"} != body:
            store.put_latest(body)
            changed += 1
    return changed
