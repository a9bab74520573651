"""The stored form of one document: winner, revision tree and leaf bodies.

Bodies and trees stay JSON *text* in memory and on disk: a store of 200k documents then opens
without decoding every body (it is decoded on read, a few microseconds), and costs about half
the memory of nested dicts. The line form is tab-separated; JSON text never contains a raw tab
or newline, so no escaping is needed.
"""

from __future__ import annotations

import json
from typing import Any, TypedDict


class DocRecord(TypedDict):
    seq: int
    win: str
    deleted: bool
    conflicted: bool
    body: str
    tree: str
    others: str


def dumps(value: Any) -> str:
    """Compact JSON text, UTF-8 kept readable (Chinese names stay Chinese on disk)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class DocRecordCodec:
    """``seq \\t win \\t flags \\t body \\t tree \\t others`` (flags: ``d`` deleted, ``c`` conflicted)."""

    def encode(self, record: DocRecord) -> str:  # type: ignore[override]
        flags = ("d" if record["deleted"] else "") + ("c" if record["conflicted"] else "")
        return (
            f"{record['seq']}\t{record['win']}\t{flags or '-'}\t"
            f"{record['body']}\t{record['tree']}\t{record['others']}"
        )

    def decode(self, text: str) -> DocRecord:  # type: ignore[override]
        seq, win, flags, body, tree, others = text.split("\t")
        return DocRecord(
            seq=int(seq),
            win=win,
            deleted="d" in flags,
            conflicted="c" in flags,
            body=body,
            tree=tree,
            others=others,
        )
