"""The archive's derived view: records, their event-derived state, search, clashes, reports.

:class:`ArchiveIndex` is fed every ``archive`` and ``archive_event`` change. It keeps each
record's state (:func:`store.archive_events.derive_state` over its events), the search index
(:mod:`store.archive_search`, built on the first search), the sequences taken per category and year (for the next
number) and the numbers in use — where two offline nodes handing out the same number shows up
as a ``duplicate_number`` attention item with both records. :func:`renumber` settles one.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from .archive import ARCHIVE, DESTROYED, REGISTERED, ArchiveRecord, refuse, renumbered, save_record
from .archive_events import ARCHIVE_EVENT, ArchiveEvent, ArchiveState, Loan, derive_state
from .archive_numbering import NumberingScheme, number_key
from .archive_search import ArchiveQuery, ArchiveSearch, SearchResult
from .attention import AttentionItem
from .docstore import DocumentStore, doc_type
from .filing import Filing
from .kpi import ArchiveFact, LoanFact

_TIME = "%Y-%m-%dT%H:%M"


@dataclass(frozen=True)
class OverdueLoan:
    record: ArchiveRecord
    loan: Loan


class ArchiveIndex:
    doc_types = (ARCHIVE, ARCHIVE_EVENT)

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.records: dict[str, ArchiveRecord] = {}
        self._search: ArchiveSearch | None = None
        self._events: Filing[str, ArchiveEvent] = Filing()  # archive id → event id → event
        self._states: dict[str, ArchiveState] = {}
        self._seqs: dict[tuple[str, int], dict[int, int]] = {}  # (category, year) → seq → count
        self._numbers: dict[tuple[str, str], set[str]] = {}  # (category, number key) → ids

    # -- feeding --------------------------------------------------------------------------------

    def update(self, doc_id: str, doc: dict[str, Any] | None) -> None:
        if doc_type(doc_id) == ARCHIVE:
            self._update_record(doc_id, doc)
        else:
            self._update_event(doc_id, doc)

    def _update_record(self, doc_id: str, doc: dict[str, Any] | None) -> None:
        old = self.records.pop(doc_id, None)
        if old is not None:
            self._forget_number(old)
        if doc is None:
            if self._search is not None:
                self._search.remove(doc_id)
            return
        record = ArchiveRecord.from_doc(doc)
        self.records[doc_id] = record
        seqs = self._seqs.setdefault((record.category, record.year), {})
        seqs[record.seq] = seqs.get(record.seq, 0) + 1
        self._numbers.setdefault(_number_identity(record), set()).add(doc_id)
        if self._search is not None:
            self._search.put(record, self._status(doc_id))

    def _forget_number(self, record: ArchiveRecord) -> None:
        seqs = self._seqs[(record.category, record.year)]
        seqs[record.seq] -= 1
        if not seqs[record.seq]:
            del seqs[record.seq]
        holders = self._numbers[_number_identity(record)]
        holders.discard(record.archive_id)
        if not holders:
            del self._numbers[_number_identity(record)]

    def _update_event(self, doc_id: str, doc: dict[str, Any] | None) -> None:
        owner = self._events.take_out(doc_id)
        if owner is not None:
            self._states.pop(owner, None)
        if doc is not None:
            event = ArchiveEvent.from_doc(doc)
            owner = event.archive_id
            self._events.file(owner, doc_id, event)
            self._states.pop(owner, None)
        if owner is not None and self._search is not None:
            self._search.set_status(owner, self._status(owner))

    # -- reading --------------------------------------------------------------------------------

    def record(self, archive_id: str) -> ArchiveRecord | None:
        return self.records.get(archive_id)

    def state(self, archive_id: str) -> ArchiveState:
        state = self._states.get(archive_id)
        if state is None:
            state = derive_state(self._events.group(archive_id).values())
            self._states[archive_id] = state
        return state

    def _status(self, archive_id: str) -> str:
        return self.state(archive_id).status if self._events.group(archive_id) else REGISTERED

    @property
    def search_ready(self) -> bool:
        """Whether the search index is built (a cold build takes seconds on a big archive)."""
        return self._search is not None

    @property
    def search_index(self) -> ArchiveSearch:
        """Built on the first search, then kept current: the dashboard reads records, states
        and numbers but never searches, so it does not pay for every title's pinyin."""
        if self._search is None:
            self._search = ArchiveSearch()
            for archive_id, record in self.records.items():
                self._search.put(record, self._status(archive_id))
            self._search.prepare()
        return self._search

    def search(self, query: ArchiveQuery, limit: int = 200) -> SearchResult:
        return self.search_index.search(query, limit)

    def taken_seqs(self, category: str, year: int) -> Collection[int]:
        return self._seqs.get((category, year), {}).keys()

    def destruction_due(self, today: date) -> list[ArchiveRecord]:
        """Records whose retention has ended and that still exist (销毁到期), oldest first."""
        due = [r for r in self.records.values()
               if r.retention_expired(today) and self.state(r.archive_id).status != DESTROYED]
        return sorted(due, key=lambda r: (r.retention_ends() or today, r.number, r.archive_id))

    def overdue_loans(self, today: date) -> list[OverdueLoan]:
        found = [OverdueLoan(record, loan) for record in self.records.values()
                 for loan in self.state(record.archive_id).open_loans if loan.overdue(today)]
        return sorted(found, key=lambda o: (o.loan.lend.due, o.record.number, o.loan.lend.event_id))

    def duplicates(self) -> list[list[ArchiveRecord]]:
        """Groups of records of one category sharing one number: each needs a renumber."""
        groups = [sorted((self.records[i] for i in ids), key=lambda r: (r.registered_at,
                                                                          r.archive_id))
                  for ids in self._numbers.values() if len(ids) > 1]
        return sorted(groups, key=lambda g: (g[0].number, g[0].archive_id))

    def is_duplicate(self, record: ArchiveRecord) -> bool:
        return len(self._numbers.get(_number_identity(record), ())) > 1

    def attention_items(self) -> list[AttentionItem]:
        return [
            AttentionItem(
                "duplicate_number",
                "duplicate_number:" + "|".join(r.archive_id for r in group),
                tuple(r.archive_id for r in group),
                "archive.attention.duplicate_number",
                {"number": group[0].number, "category": group[0].category,
                 "titles": " / ".join(r.title for r in group)},
            )
            for group in self.duplicates()
        ]

    def kpi_facts(self) -> tuple[list[ArchiveFact], list[LoanFact]]:
        """Registration-to-filing per record, and every archive loan, for the KPI view."""
        archives, loans = [], []
        for record in self.records.values():
            state = self.state(record.archive_id)
            if record.registered_at:
                archives.append(ArchiveFact(
                    datetime.strptime(record.registered_at, _TIME),
                    datetime.strptime(state.filed.at, _TIME) if state.filed else None))
            for loan in state.loans:
                due = datetime.combine(date.fromisoformat(loan.lend.due) + timedelta(days=1),
                                       time())
                loans.append(LoanFact(
                    datetime.strptime(loan.lend.at, _TIME), due,
                    datetime.strptime(loan.returned.at, _TIME) if loan.returned else None))
        return archives, loans


def _number_identity(record: ArchiveRecord) -> tuple[str, str]:
    return record.category, number_key(record.number)


def renumber(store: DocumentStore, index: ArchiveIndex, archive_id: str,
             scheme: NumberingScheme) -> ArchiveRecord:
    """Give one of two records sharing a number the next free number of its category and
    year (the attention inbox's resolve action); the other keeps the number."""
    record = index.record(archive_id)
    if record is None:
        raise refuse("no_record", "No archive record {archive_id}", archive_id=archive_id)
    if not index.is_duplicate(record):
        raise refuse("not_duplicate", "{number} is not shared with another record",
                     number=record.number)
    return save_record(store, renumbered(record, scheme,
                                         index.taken_seqs(record.category, record.year)))
