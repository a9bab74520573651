"""The stored form of one document: winner, revision tree and leaf bodies.

A store holds hundreds of thousands of documents in memory, so each one is kept as the single
UTF-8 line it is stored as on disk (``seq \\t win \\t flags \\t body \\t tree \\t others``), not as
an object per field: a million short documents then fit in well under half the memory of
separate ``str`` fields (a body with one Chinese character costs two bytes per character as a
``str``, one per ASCII character as UTF-8), and opening the store copies each line once instead
of decoding it. Fields are parsed on read, a microsecond or two. The revision tree of a
document that was written once (its only revision is the winner) is left empty and rebuilt on
read: that is most documents, and their tree would otherwise repeat the winner.

A record loaded from the snapshot is kept *cold*: only its head (seq and flags) and where its
line is in the snapshot file; the storage reads the line back when the record is asked for
(a ``pread`` the page cache answers). At a million documents that is about 150 MB less.
``is_deleted`` and anything reading only the head work on both forms.
"""

from __future__ import annotations

import json
import struct
from collections.abc import Callable
from typing import Any, NamedTuple

NO_OTHERS = "{}"  # the others field of a document without conflicting leaves
_HEAD = 128  # seq, win and flags always end within this many bytes (a rev is ≤ 75 characters)
# A cold record's tail: its line's offset, length and snapshot generation, and a zero byte
# (``x``): a whole record ends with its others' "}", so the last byte tells the two apart.
_PLACE = struct.Struct("<QQIx")
COLD = b"\0"


def dumps(value: Any) -> str:
    """Compact JSON text, UTF-8 kept readable (Chinese names stay Chinese on disk)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _single_tree(win: str, deleted: bool) -> str:
    """The tree text of a document whose only revision is ``win`` (see ``revtree.encode_tree``)."""
    return f"[[{dumps(win)},null,{1 if deleted else 0}]]"


class DocFields(NamedTuple):
    """A record's fields, parsed for one read or edit."""

    seq: int
    win: str
    deleted: bool
    conflicted: bool
    body: str  # JSON text of the winning revision's body
    tree: str  # JSON text of ``revtree.encode_tree``
    others: str  # JSON object text: the other leaves' bodies by revision


DocRecord = bytes
"""One document's stored state: its UTF-8 line. Plain immutable ``bytes`` (no wrapper object,
which the garbage collector would also have to track), so a background compaction can write
out a frozen table while the writer replaces records."""


def build_record(seq: int, win: str, deleted: bool, conflicted: bool, body: str, tree: str,
                 others: str) -> DocRecord:
    flags = ("d" if deleted else "") + ("c" if conflicted else "")
    if tree == _single_tree(win, deleted):
        tree = ""
    return f"{seq}\t{win}\t{flags or '-'}\t{body}\t{tree}\t{others}".encode()


def unpack(record: DocRecord) -> DocFields:
    seq, win, flags, body, tree, others = record.decode().split("\t")
    deleted = "d" in flags
    return DocFields(int(seq), win, deleted, "c" in flags, body,
                     tree or _single_tree(win, deleted), others)


def is_deleted(record: DocRecord) -> bool:
    """Whether the winner is a deletion, without parsing the rest of the record."""
    return b"d" in record[:_HEAD].split(b"\t", 3)[2]


def head(record: DocRecord) -> bytes:
    """``seq \t \t flags \t``: the part of a record a cold one keeps. The winner is left out
    (34 bytes a document): whatever reads it reads the whole record; the head serves opening
    (sequence, deleted, conflicted) and :func:`is_deleted`."""
    seq, _win, flags, _rest = record.split(b"\t", 3)
    return b"%b\t\t%b\t" % (seq, flags)


class DocRecordCodec:
    """A record's journal and snapshot form is the record itself, decoded as text."""

    def cold(self, record: DocRecord, offset: int, length: int, generation: int) -> DocRecord:
        """``record`` (whole or cold) as a cold record whose line is at ``offset`` of snapshot
        ``generation``, ``length`` bytes long."""
        return head(record) + _PLACE.pack(offset, length, generation)

    def cold_loader(self, generation: int) -> Callable[[bytes, int], tuple[bytes, DocRecord]]:
        """:meth:`cold` for a snapshot being loaded: given a whole line (``table \t key \t
        record``) and its offset in the file, the key as written and the record's stand-in.
        Inlined, with one split, because it runs once per document at every opening."""
        pack = _PLACE.pack

        def cold(line: bytes, offset: int) -> tuple[bytes, DocRecord]:
            parts = line.split(b"\t", 5)  # table, key, seq, win, flags, the rest
            start = len(parts[0]) + len(parts[1]) + 2
            parts[3] = b""  # see head()
            parts[5] = pack(offset + start, len(line) - start, generation)
            return parts[1], b"\t".join(parts[2:])

        return cold

    def place(self, record: DocRecord) -> tuple[int, int, int] | None:
        """(offset, length, generation) of a cold record's line; ``None`` for a whole one."""
        if record[-1:] != COLD:
            return None
        return _PLACE.unpack_from(record, len(record) - _PLACE.size)  # type: ignore[return-value]

    def encode(self, record: DocRecord) -> str:  # type: ignore[override]
        return record.decode()

    def decode(self, text: str | bytes) -> DocRecord:  # type: ignore[override]
        """No parsing: the line is the record (a snapshot's checksum and a journal line's CRC
        have vouched for it)."""
        return text.encode() if isinstance(text, str) else text
