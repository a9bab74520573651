"""The documents area's derived view: each document's state, deadlines, clashes and search.

:class:`DocumentIndex` is fed every ``docevent`` change and keeps the events per document; a
document's :class:`~store.documents.DocumentState` is derived when first asked and forgotten
when one of its events changes. Search reuses the archive's :class:`FieldIndex` (Chinese
substrings, pinyin, initials) for titles and departments, plus the issued number, with
filters for stage and owner; it is built on the first search and then kept current.
:class:`DocumentAttention` turns clashes and promises falling due into needs-attention items.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .archive_numbering import NumberQuery
from .archive_search import FieldIndex
from .attention import AttentionItem
from .documents import CLASH, DOCEVENT, DocEvent, DocumentState, Promise, derive_state
from .filing import Filing
from .kpi import PromiseFact
from .textsearch import normalise


@dataclass(frozen=True)
class DocumentQuery:
    text: str = ""
    stage: str = ""
    owner: str = ""


class DocumentSearch:
    """Slots per document: title and department fields, number keys, stage and owner."""

    def __init__(self) -> None:
        self.title = FieldIndex()
        self.department = FieldIndex(every_reading=True)
        self._slot_of: dict[str, int] = {}
        self._keys: list[str] = []
        self._indexed: list[tuple[str, str, str, str]] = []  # title, department, stage, owner
        self._numbers: dict[int, NumberQuery] = {}  # slot → year and seq of its issued number
        self._order: list[str] = []  # the request time: newest first within a tier

    def put(self, state: DocumentState) -> None:
        slot = self._slot_of.get(state.doc_key)
        if slot is None:
            slot = len(self._keys)
            self._slot_of[state.doc_key] = slot
            self._keys.append(state.doc_key)
            self._indexed.append(("", "", "", ""))
            self._order.append("")
        else:
            self._unindex(slot)
        values = (state.title, state.department, state.stage, state.owner)
        self._indexed[slot] = values
        if state.issue is not None:
            self._numbers[slot] = NumberQuery.parse(state.issue.number)
        self._order[slot] = state.request.at if state.request else ""
        self.title.add(values[0], slot)
        self.department.add(values[1], slot)

    def _unindex(self, slot: int) -> None:
        title, department, *_rest = self._indexed[slot]
        self._numbers.pop(slot, None)
        self.title.remove(title, slot)
        self.department.remove(department, slot)

    def search(self, query: DocumentQuery, limit: int = 200) -> tuple[list[str], int]:
        """(document keys best first, at most ``limit``; how many matched in all)."""
        slots = [slot for slot, (_t, _d, stage, owner) in enumerate(self._indexed)
                 if (not query.stage or stage == query.stage)
                 and (not query.owner or owner == query.owner)]
        q = normalise(query.text)
        if not q:
            tiers = [set(slots)]
        else:
            allowed = set(slots)
            wanted = NumberQuery.parse(query.text)
            numbered = set() if wanted.empty else {
                slot for slot, number in self._numbers.items() if slot in allowed
                and wanted.year in (None, number.year) and wanted.seq in (None, number.seq)}
            title_start, title_any = self.title.match(q)
            dept_start, dept_any = self.department.match(q)
            tiers = [numbered, title_start & allowed, dept_start & allowed,
                     title_any & allowed, dept_any & allowed]
        found: list[str] = []
        seen: set[int] = set()
        total = 0
        for tier in tiers:
            fresh = tier - seen
            seen |= fresh
            total += len(fresh)
            if len(found) < limit:
                ranked = sorted(fresh, key=lambda s: self._order[s], reverse=True)
                found.extend(self._keys[s] for s in ranked[: limit - len(found)])
        return found, total


class DocumentIndex:
    doc_types = (DOCEVENT,)

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self._events: Filing[str, DocEvent] = Filing()  # doc key → event id → event
        self._states: dict[str, DocumentState] = {}
        self._search: DocumentSearch | None = None

    def update(self, doc_id: str, doc: dict[str, Any] | None) -> None:
        key = self._events.take_out(doc_id)
        if key is not None:
            self._states.pop(key, None)
        if doc is not None:
            event = DocEvent.from_doc(doc)
            key = event.doc_key
            self._events.file(key, doc_id, event)
            self._states.pop(key, None)
        if key is not None and self._search is not None and key in self._events.groups:
            self._search.put(self.state(key))

    def key_of(self, event_id: str) -> str | None:
        """The document an event belongs to."""
        return self._events.key_of(event_id)

    def __len__(self) -> int:
        return len(self._events.groups)

    def keys(self) -> list[str]:
        return list(self._events.groups)

    def state(self, doc_key: str) -> DocumentState:
        state = self._states.get(doc_key)
        if state is None:
            state = derive_state(doc_key, self._events.group(doc_key).values())
            self._states[doc_key] = state
        return state

    def states(self) -> Iterator[DocumentState]:
        for key in self._events.groups:
            yield self.state(key)

    @property
    def search_ready(self) -> bool:
        return self._search is not None

    @property
    def search_index(self) -> DocumentSearch:
        if self._search is None:
            search = DocumentSearch()
            for state in self.states():
                search.put(state)
            self._search = search
        return self._search

    def search(self, query: DocumentQuery, limit: int = 200) -> tuple[list[str], int]:
        return self.search_index.search(query, limit)

    def owners(self) -> list[str]:
        return sorted({state.owner for state in self.states() if state.owner})

    def waiting(self, now: datetime) -> list[tuple[DocumentState, Promise]]:
        """Documents whose open promise is overdue or due today, most overdue first."""
        found = []
        for state in self.states():
            promise = state.open_promise()
            if promise is not None and (promise.overdue(now) or promise.due_today(now)):
                found.append((state, promise))
        return sorted(found, key=lambda pair: (pair[1].due, pair[0].doc_key))

    def unacknowledged(self) -> list[tuple[DocumentState, str]]:
        """(document, recipient) for every receipt still outstanding."""
        return sorted(((state, recipient) for state in self.states()
                       for recipient in state.outstanding),
                      key=lambda pair: (pair[0].issue.at if pair[0].issue else "", pair[1]))

    def clashes(self) -> list[DocumentState]:
        return [state for state in self.states() if state.stage == CLASH]

    def promise_facts(self) -> list[PromiseFact]:
        return [PromiseFact(p.kind, p.start, p.due, p.met_at)
                for state in self.states() for p in state.promises()]


class DocumentAttention:
    """Needs-attention items of the documents area at one moment: clashes and deadlines."""

    def __init__(self, index: DocumentIndex, now: datetime) -> None:
        self.index = index
        self.now = now

    def attention_items(self) -> list[AttentionItem]:
        items = [AttentionItem(
            "document_clash", f"document_clash:{state.doc_key}",
            tuple(e.event_id for e in (*state.rounds[-1].signoffs, *state.rounds[-1].returns)),
            "documents.attention.clash", {"title": state.title})
            for state in self.index.clashes()]
        for state, promise in self.index.waiting(self.now):
            overdue = promise.overdue(self.now)
            kind = "document_overdue" if overdue else "document_due_today"
            items.append(AttentionItem(
                kind, f"{kind}:{state.doc_key}:{promise.kind}",
                (state.request.event_id,) if state.request else (),
                f"documents.attention.{promise.kind}_{'overdue' if overdue else 'due_today'}",
                {"title": state.title, "due": promise.due.strftime("%Y-%m-%d %H:%M")}))
        return items
