"""The stored form of one document: winner, revision tree and leaf bodies.

Bodies and trees stay JSON *text* in memory and on disk: a store of 200k documents then opens
without decoding every body (it is decoded on read, a few microseconds), and costs about half
the memory of nested dicts. The line form is tab-separated; JSON text never contains a raw tab
or newline, so no escaping is needed.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any


class DocRecord(Mapping[str, Any]):
    """One document's stored state. A slotted Mapping, not a dict: a store holds hundreds of
    thousands of these, and a dict per record would cost three times the memory. It stays a
    Mapping so TinyDB's own read API (``table.all()``) still works on it.
    """

    __slots__ = ("seq", "win", "deleted", "conflicted", "body", "tree", "others")
    FIELDS = __slots__

    def __init__(self, seq: int, win: str, deleted: bool, conflicted: bool, body: str,
                 tree: str, others: str) -> None:
        self.seq = seq
        self.win = win
        self.deleted = deleted
        self.conflicted = conflicted
        self.body = body
        self.tree = tree
        self.others = others

    def __getitem__(self, key: str) -> Any:
        if key not in self.FIELDS:
            raise KeyError(key)
        return getattr(self, key)

    def __iter__(self) -> Iterator[str]:
        return iter(self.FIELDS)

    def __len__(self) -> int:
        return len(self.FIELDS)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, DocRecord):
            return all(getattr(self, f) == getattr(other, f) for f in self.FIELDS)
        return Mapping.__eq__(self, other)

    __hash__ = None  # type: ignore[assignment]


def dumps(value: Any) -> str:
    """Compact JSON text, UTF-8 kept readable (Chinese names stay Chinese on disk)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


NO_OTHERS = "{}"  # shared by the many records without conflicting leaves


class DocRecordCodec:
    """``seq \\t win \\t flags \\t body \\t tree \\t others`` (flags: ``d`` deleted, ``c`` conflicted)."""

    def encode(self, record: DocRecord) -> str:  # type: ignore[override]
        flags = ("d" if record.deleted else "") + ("c" if record.conflicted else "")
        return (
            f"{record.seq}\t{record.win}\t{flags or '-'}\t"
            f"{record.body}\t{record.tree}\t{record.others}"
        )

    def decode(self, text: str) -> DocRecord:  # type: ignore[override]
        seq, win, flags, body, tree, others = text.split("\t")
        return DocRecord(int(seq), win, "d" in flags, "c" in flags, body, tree,
                         NO_OTHERS if others == NO_OTHERS else others)
