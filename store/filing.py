"""Documents filed under what they belong to: a record's events, an occurrence's check-ins.

A derived view keeps such groups to answer "everything about X" with one lookup, and must also
know where each document was filed, so that a changed document, or its deletion, leaves the
group it was in. :class:`Filing` keeps both sides together instead of each view keeping a
second dict in step by hand. A group whose last document left stays, empty: its key was seen.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
T = TypeVar("T")


class Filing(Generic[K, T]):
    """Key → document id → item, and document id → key."""

    def __init__(self) -> None:
        self.groups: dict[K, dict[str, T]] = {}
        self._where: dict[str, K] = {}

    def clear(self) -> None:
        self.groups.clear()
        self._where.clear()

    def take_out(self, doc_id: str) -> K | None:
        """Remove ``doc_id`` from its group; the key it was filed under (``None``: nowhere)."""
        key = self._where.pop(doc_id, None)
        if key is not None:
            self.groups[key].pop(doc_id, None)
        return key

    def file(self, key: K, doc_id: str, item: T) -> None:
        """File ``item`` under ``key``, out of the group ``doc_id`` was in before."""
        self.take_out(doc_id)
        self.groups.setdefault(key, {})[doc_id] = item
        self._where[doc_id] = key

    def key_of(self, doc_id: str) -> K | None:
        return self._where.get(doc_id)

    def group(self, key: K) -> dict[str, T]:
        """The items filed under ``key`` (empty when none); to read, not to change."""
        return self.groups.get(key, {})
