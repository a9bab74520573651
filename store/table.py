"""A TinyDB Table whose writes cost O(changed records), not O(table size).

Stock ``Table._update_table`` copies the whole table twice and hands the storage the whole
database on every insert or update. This subclass lets the updater work on the storage's live
table through a tracker that notes which keys it touched, then asks the storage to journal only
those. Document ids are strings (the document's own ``_id``), so a lookup by id is a dict hit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, MutableMapping
from typing import Any

from tinydb import TinyDB
from tinydb.table import Table

from .journal import MISSING, JournalStorage


class _TouchTracker(MutableMapping[str, Any]):
    """Wraps a live table and remembers the original value of every key an updater touches.

    A record an updater reads is replaced by a copy before the updater can change it in place
    (as stock ``Table.update`` does): the record objects a background compaction is writing
    out from its frozen view of the table are never mutated under it.
    """

    def __init__(self, live: dict[str, Any]) -> None:
        self._live = live
        self.originals: dict[str, Any] = {}

    def _remember(self, key: str) -> None:
        if key not in self.originals:
            self.originals[key] = self._live.get(key, MISSING)

    def __getitem__(self, key: str) -> Any:
        value = self._live[key]
        if key not in self.originals and isinstance(value, dict):
            self.originals[key] = value
            value = self._live[key] = dict(value)
        else:
            self._remember(key)
        return value

    def __setitem__(self, key: str, value: Any) -> None:
        self._remember(key)
        self._live[key] = value

    def __delitem__(self, key: str) -> None:
        self._remember(key)
        del self._live[key]

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._live))

    def __len__(self) -> int:
        return len(self._live)

    def __contains__(self, key: object) -> bool:
        return key in self._live

    def changed(self) -> dict[str, Any]:
        """Touched keys whose value really differs from before (reads are not writes)."""
        return {
            key: original
            for key, original in self.originals.items()
            if self._live.get(key, MISSING) != original
        }


class JournaledTable(Table):
    """Table on a :class:`JournalStorage`: in-place updates, journal only what changed."""

    document_id_class = str

    @property
    def _journal(self) -> JournalStorage:
        storage = self._storage
        assert isinstance(storage, JournalStorage), "JournaledTable needs a JournalStorage"
        return storage

    def _read_table(self) -> dict[str, Mapping[str, Any]]:
        return self._journal.live_table(self.name)

    def _update_table(self, updater: Callable[[dict[Any, Mapping[str, Any]]], None]) -> None:
        journal = self._journal
        with journal.mutation_lock:  # a compaction re-pointing records waits, and vice versa
            tracker = _TouchTracker(journal.live_table(self.name))
            updater(tracker)  # type: ignore[arg-type]
            changed = tracker.changed()
            if changed:
                journal.append(self.name, changed)
        self.clear_cache()

    def record(self, key: str) -> Mapping[str, Any] | None:
        """The stored record for ``key`` without copying it (callers must not mutate it),
        read back from the snapshot if the storage keeps it there."""
        return self._journal.resolve(self.name, self._read_table().get(key))

    def records(self) -> Iterator[tuple[str, Mapping[str, Any]]]:
        """Every (key, record) pair as held in memory, for building indexes at open: a record
        the storage keeps on disk is only its stand-in (see ``store/records.py``)."""
        return iter(self._read_table().items())

    def put_records(self, records: Mapping[str, Mapping[str, Any] | None]) -> None:
        """Replace (or, with ``None``, remove) whole records in one journaled update."""

        def updater(table: MutableMapping[str, Any]) -> None:
            for key, record in records.items():
                if record is None:
                    table.pop(key, None)
                else:
                    table[key] = record

        self._update_table(updater)  # type: ignore[arg-type]


class JournaledTinyDB(TinyDB):
    """TinyDB wired to journaled tables; storage defaults to :class:`JournalStorage`."""

    table_class = JournaledTable
    default_storage_class = JournalStorage

    def table(self, name: str, **kwargs: Any) -> JournaledTable:
        table = super().table(name, **kwargs)
        assert isinstance(table, JournaledTable)
        return table
