"""Conflicting edits of one document, and how a person resolves them.

Replication keeps every concurrent edit as a branch; the store shows the deterministic winner
and lists the losers. Resolving means writing the chosen content on the winning branch and
deleting every other leaf, exactly as a CouchDB client would, so the resolution replicates
like any edit and every node ends with one version.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .attention import AttentionItem
from .docstore import DocumentStore, doc_type


@dataclass(frozen=True)
class Version:
    rev: str
    fields: Mapping[str, Any]
    winner: bool


def conflict_versions(store: DocumentStore, doc_id: str) -> list[Version]:
    """The winning version first, then every conflicting one (best first)."""
    winner = store.get(doc_id)
    versions = [Version(winner["_rev"], _user_fields(winner), True)]
    for rev in store.conflicts(doc_id):
        versions.append(Version(rev, _user_fields(store.get(doc_id, rev)), False))
    return versions


def _user_fields(doc: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in doc.items() if not key.startswith("_")}


def differing_fields(versions: list[Version]) -> list[str]:
    names: list[str] = []
    for version in versions:
        names.extend(name for name in version.fields if name not in names)
    return [name for name in names if len({repr(v.fields.get(name)) for v in versions}) > 1]


def resolve_conflict(store: DocumentStore, doc_id: str, chosen: Mapping[str, Any]) -> str:
    """Keep ``chosen`` as the document's content; every other branch is closed."""
    versions = conflict_versions(store, doc_id)
    for version in versions[1:]:
        store.delete(doc_id, version.rev)
    winner = versions[0]
    if dict(chosen) == dict(winner.fields):
        return winner.rev
    return store.put({"_id": doc_id, "_rev": winner.rev, **chosen})


class ConflictInbox:
    """Attention items for every document that has conflicting revisions.

    The store already tracks which ids are conflicted; this view only turns them into inbox
    entries, so it needs no index of its own. Document types whose area settles conflicts by a
    rule (a sign-in keeps its earliest time) are left out: there is nothing for a person to do.
    A document that is part of another (``part_of``: a meeting's booking) is left out while its
    owner is conflicted too: resolving the owner settles both.
    """

    def __init__(self, store: DocumentStore, settled_by_rule: tuple[str, ...] = (),
                 part_of: Callable[[str], str | None] = lambda _doc_id: None) -> None:
        self.store = store
        self.settled_by_rule = settled_by_rule
        self.part_of = part_of

    def attention_items(self) -> list[AttentionItem]:
        conflicted = self.store.conflicted_ids()
        return [
            AttentionItem(
                kind="conflict",
                key=f"conflict:{doc_id}",
                doc_ids=(doc_id,),
                message_key="attention.conflict",
                params={"doc_id": doc_id, "count": str(len(self.store.conflicts(doc_id)) + 1)},
            )
            for doc_id in conflicted
            if doc_type(doc_id) not in self.settled_by_rule and self.part_of(doc_id) not in conflicted
        ]
