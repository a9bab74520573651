"""The live document ids in sorted order: what lookups by type, by prefix and ``_all_docs`` read.

A set of ids per type cost about 48 MB at a million documents (a hash table of two million
slots), answered a prefix such as ``signin:m1:`` by scanning every id of its type, and
``_all_docs`` sorted every id on each call. One sorted list holds a reference per id (8 bytes,
the id strings are the table's own), answers a type, a prefix or a key range by bisection, and
costs a write nothing but a note: the id joins the *added* or the *removed* set, and the next
reader folds the notes in (one by one when they are few, else by one sort of a list that is
already two sorted runs, which Timsort merges in linear time).

A small lock of its own guards the notes and the fold: the store's write lock can be held for
a whole replication batch, and the UI's event loop reads here without waiting for one.
"""

from __future__ import annotations

import threading
from bisect import bisect_left, bisect_right, insort
from collections.abc import Iterable

FEW = 64  # notes folded one by one below this; a bisection and a memmove each


class SortedIds:
    """Live ids, sorted; callers say when an id becomes live and when it stops being live."""

    def __init__(self, ids: Iterable[str]) -> None:
        self._sorted = sorted(ids)
        self._added: set[str] = set()  # live, not in _sorted
        self._removed: set[str] = set()  # in _sorted, no longer live
        self._lock = threading.Lock()

    def add(self, doc_id: str) -> None:
        """``doc_id`` was absent or deleted and is live now."""
        with self._lock:
            if doc_id in self._removed:
                self._removed.discard(doc_id)
            else:
                self._added.add(doc_id)

    def remove(self, doc_id: str) -> None:
        """``doc_id`` was live and is deleted now."""
        with self._lock:
            if doc_id in self._added:
                self._added.discard(doc_id)
            else:
                self._removed.add(doc_id)

    def between(self, first: str = "", last: str | None = None) -> list[str]:
        """Live ids from ``first`` to ``last``, both included (``None``: to the end)."""
        with self._lock:
            self._fold()
            ids = self._sorted
            start = bisect_left(ids, first)
            end = len(ids) if last is None else bisect_right(ids, last)
            return ids[start:end]

    def with_prefix(self, prefix: str) -> list[str]:
        """Live ids starting with ``prefix``, in order."""
        if not prefix:
            return self.between()
        above = prefix[:-1] + chr(ord(prefix[-1]) + 1) if prefix[-1] != "\U0010ffff" else None
        with self._lock:
            self._fold()
            ids = self._sorted
            start = bisect_left(ids, prefix)
            end = len(ids) if above is None else bisect_left(ids, above, start)
            found = ids[start:end]
        if above is None:  # only ids after every id with the prefix can start otherwise
            found = [doc_id for doc_id in found if doc_id.startswith(prefix)]
        return found

    def __len__(self) -> int:
        with self._lock:
            return len(self._sorted) + len(self._added) - len(self._removed)

    def _fold(self) -> None:
        ids = self._sorted
        if self._removed:
            if len(self._removed) < FEW:
                for doc_id in self._removed:
                    del ids[bisect_left(ids, doc_id)]
            else:
                removed = self._removed
                self._sorted = ids = [doc_id for doc_id in ids if doc_id not in removed]
            self._removed = set()
        if self._added:
            if len(self._added) < FEW:
                for doc_id in self._added:
                    insort(ids, doc_id)
            else:
                ids.extend(sorted(self._added))
                ids.sort()
            self._added = set()
