"""Which document each update sequence number belongs to, for the changes feed.

A dict from sequence to id costs about 70 bytes per document (an int object and a hash
entry); at a million documents that is most of a laptop's spare memory. This keeps two
parallel arrays sorted by sequence (8 bytes for the number, 8 for a reference to the id string
the table already holds), finds a sequence by bisection and leaves a hole where a document's
older sequence was; holes are squeezed out once they are half the entries.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from itertools import compress


class SeqIndex:
    """Live (sequence, document id) pairs in sequence order."""

    def __init__(self) -> None:
        self._seqs = array("q")
        self._ids: list[str | None] = []
        self._holes = 0

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[int, str]], highest: int) -> SeqIndex:
        """Build from pairs in any order; each sequence at most once, none above ``highest``."""
        slots: list[str | None] = [None] * (highest + 1)
        for seq, doc_id in pairs:
            slots[seq] = doc_id
        index = cls()
        index._seqs = array("q", compress(range(highest + 1), slots))
        index._ids = list(filter(None, slots))
        return index

    def add(self, seq: int, doc_id: str) -> None:
        """Record ``doc_id`` at ``seq``, which must be higher than every sequence so far."""
        self._seqs.append(seq)
        self._ids.append(doc_id)

    def remove(self, seq: int) -> None:
        position = bisect_left(self._seqs, seq)
        if position < len(self._seqs) and self._seqs[position] == seq and self._ids[position]:
            self._ids[position] = None
            self._holes += 1
            if self._holes * 2 > len(self._ids):
                self._squeeze()

    def after(self, since: int) -> Iterator[tuple[int, str]]:
        """Live pairs with a sequence above ``since``, in order."""
        seqs, ids = self._seqs, self._ids
        for position in range(bisect_right(seqs, since), len(seqs)):
            doc_id = ids[position]
            if doc_id is not None:
                yield seqs[position], doc_id

    def _squeeze(self) -> None:
        self._seqs = array("q", compress(self._seqs, self._ids))
        self._ids = list(filter(None, self._ids))
        self._holes = 0
