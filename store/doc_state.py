"""A document's full revision state, decoded from its stored record for an edit or a read of
an older revision, and the document a revision's body text stands for."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from . import revtree
from .records import NO_OTHERS, DocFields, DocRecord, build_record, dumps, unpack
from .revtree import RevTree


@dataclass
class DocState:
    """A document's full revision state, decoded from its record for an edit."""

    tree: RevTree
    bodies: dict[str, str]  # leaf revision → JSON text of its body

    @classmethod
    def empty(cls) -> DocState:
        return cls({}, {})

    @classmethod
    def from_record(cls, record: DocRecord) -> DocState:
        fields = unpack(record)
        tree = revtree.decode_tree(json.loads(fields.tree))
        bodies = {fields.win: fields.body}
        for rev, body in json.loads(fields.others).items():
            bodies[rev] = dumps(body)
        return cls(tree, bodies)

    def to_record(self, seq: int) -> DocRecord:
        win = revtree.winner(self.tree)
        leaves = revtree.leaves(self.tree)
        others = ",".join(
            f"{dumps(rev)}:{self.bodies.get(rev, '{}')}" for rev in leaves if rev != win
        )
        return build_record(
            seq=seq,
            win=win,
            deleted=self.tree[win].deleted,
            conflicted=bool(revtree.conflicts(self.tree)),
            body=self.bodies.get(win, "{}"),
            tree=dumps(revtree.encode_tree(self.tree)),
            others="{" + others + "}" if others else NO_OTHERS,
        )


def materialize(doc_id: str, rev: str, text: str) -> dict[str, Any]:
    """The document revision ``rev`` is, from its stored body text."""
    doc: dict[str, Any] = {"_id": doc_id, "_rev": rev}
    doc.update(json.loads(text))
    return doc


def winning_doc(doc_id: str, fields: DocFields) -> dict[str, Any]:
    """The winning revision of a record, marked ``_deleted`` when it is a tombstone."""
    doc = materialize(doc_id, fields.win, fields.body)
    if fields.deleted:
        doc["_deleted"] = True
    return doc
