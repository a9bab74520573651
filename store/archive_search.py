"""The archive's search index: Chinese substrings, pinyin, initials, numbers and filters.

Each text field (title, keywords, issuing body) is a :class:`FieldIndex`: an inverted index
from short tokens to the distinct values containing them, for three spellings of every value —
the characters (1- and 2-grams), the initials (2-grams) and the full pinyin (whole syllables) —
and each spelling also in a sorted list, where the values starting with a query are one bisect
away. A query intersects the posting sets of its own tokens (C-speed set operations) and checks
only the few values that survive for the whole substring, so a keystroke costs the size of the
answer, not of the archive. Distinct values are indexed once however many records share them
(an issuing body, a keyword, a title used every year).

Numbers are looked up by what the query says about them (:class:`NumberQuery`): a sequence,
a year and a sequence, or the whole number. Filters (category, year, confidentiality, status)
are sets of record slots, applied first: when they leave fewer records than the matching
values hold, the matches are found among those records rather than the other way round. The
newest of a large answer are found by walking the records newest first, not by sorting it.

Ranking, best first: the number itself, then a title that starts with the query, a keyword or
issuing body that starts with it, a title containing it, a keyword or body containing it; within
a tier the newest document first. :class:`store.archive_index.ArchiveIndex` keeps this current
from the changes feed; :func:`naive_search` answers the same way by looking at every record.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left, insort
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from .archive import ArchiveRecord
from .archive_numbering import NumberQuery, number_key
from .textsearch import SearchKeys, char_readings, normalise, pinyin_splits, search_keys

GRAM_SIZES = {"text": (1, 2), "initials": (2,)}  # spelling → gram sizes indexed for it
FILTERS = ("category", "year", "confidentiality", "status")
SLOT_LOOKUPS = 20  # a set operation per slot costs about a twentieth of a Python lookup
LAST = chr(0x10FFFF)  # sorts after every character: ``q + LAST`` ends the range starting q


def recency(record: ArchiveRecord) -> int:
    """Sort key for "newest document first": its date, then its sequence."""
    day = record.date.replace("-", "")
    if not (len(day) == 8 and day.isdigit()):
        day = f"{record.year:04d}0101"
    return int(day) * 100_000 + min(max(record.seq, 0), 99_999)


def _grams(text: str, size: int) -> set[str]:
    return {text[i : i + size] for i in range(len(text) - size + 1)}


Entry = TypeVar("Entry", tuple[str, int], tuple[int, int])


@dataclass
class LazySorted(Generic[Entry]):
    """A list kept sorted only when read: a cold build appends 50 000 entries and sorts once,
    where inserting each in place would move the whole list every time."""

    _entries: list[Entry] = field(default_factory=list)
    _in_order: bool = True

    def add(self, entry: Entry) -> None:
        self._entries.append(entry)
        self._in_order = False

    def discard(self, entry: Entry) -> None:
        entries = self.entries()
        at = bisect_left(entries, entry)
        if at < len(entries) and entries[at] == entry:
            del entries[at]

    def entries(self) -> list[Entry]:
        if not self._in_order:
            self._entries.sort()  # a sorted run and a few new ones: a merge, not a sort
            self._in_order = True
        return self._entries


def _starting(sorted_entries: LazySorted[tuple[str, int]], q: str) -> set[int]:
    """The ids in sorted ``(spelling, id)`` entries whose spelling starts with ``q``."""
    found: set[int] = set()
    entries = sorted_entries.entries()
    at = bisect_left(entries, (q,))
    while at < len(entries) and entries[at][0].startswith(q):
        found.add(entries[at][1])
        at += 1
    return found


class FieldIndex:
    """Substring matching over one field's distinct values, in characters, pinyin and initials.

    Characters are indexed by 1- and 2-grams, initials by 2-grams (one letter is the same as
    "a syllable starting with it"), and pinyin by whole syllables: a pinyin query is read as
    syllables (:func:`store.textsearch.pinyin_splits`) and matches where a character begins, so
    ``yundong`` finds 运动 but ``ndong`` finds nothing. With ``every_reading`` each character is
    found by all its readings (曾伟 by *zengwei* and *cengwei*): right for keywords and issuing
    bodies, short values that name people and offices; titles keep the reading in context,
    which keeps their postings, and a keystroke over 50 000 of them, small.
    """

    def __init__(self, every_reading: bool = False) -> None:
        self.every_reading = every_reading
        self._postings: dict[str, dict[str, set[int]]] = {"text": {}, "initials": {},
                                                          "syllable": {}}
        self._sorted: dict[str, LazySorted[tuple[str, int]]] = {
            spelling: LazySorted() for spelling in ("text", "initials", "pinyin")}
        self._syllables: list[str] = []  # the syllable postings' keys, sorted
        self._keys: list[SearchKeys | None] = []  # value id → its spellings
        self._value_ids: dict[str, int] = {}
        self._holders: list[set[int]] = []  # value id → record slots holding it
        self._held: dict[int, tuple[int, ...]] = {}  # record slot → ids of the values it holds
        self._free: list[int] = []

    def add(self, value: str, slot: int) -> None:
        vid = self._value_ids.get(value)
        if vid is None:
            vid = self._new_value(value)
        self._holders[vid].add(slot)
        self._held[slot] = (*self._held.get(slot, ()), vid)

    def remove(self, value: str, slot: int) -> None:
        vid = self._value_ids.get(value)
        if vid is None:
            return
        held = tuple(v for v in self._held.pop(slot, ()) if v != vid)
        if held:
            self._held[slot] = held
        holders = self._holders[vid]
        holders.discard(slot)
        if holders:
            return
        del self._value_ids[value]
        keys = self._keys[vid]
        assert keys is not None
        for kind, tokens in self._tokens(keys):
            postings = self._postings[kind]
            for token in tokens:
                posting = postings[token]
                posting.discard(vid)
                if not posting:
                    del postings[token]
                    if kind == "syllable":
                        del self._syllables[bisect_left(self._syllables, token)]
        for spelling, entries in self._sorted.items():
            entries.discard((getattr(keys, spelling), vid))
        self._keys[vid] = None
        self._free.append(vid)

    def _tokens(self, keys: SearchKeys) -> list[tuple[str, set[str]]]:
        chars = set(keys.text)
        readings = set(keys.syllables)
        if self.every_reading:
            readings = readings.union(*(char_readings(char) for char in chars))
        return [("text", chars.union(_grams(keys.text, 2))),
                ("initials", _grams(keys.initials, 2)),
                ("syllable", {r for r in readings if r.isascii() and r.isalpha()})]

    def _new_value(self, value: str) -> int:
        keys = search_keys(value)
        if self._free:
            vid = self._free.pop()
            self._keys[vid], self._holders[vid] = keys, set()
        else:
            vid = len(self._holders)
            self._keys.append(keys)
            self._holders.append(set())
        self._value_ids[value] = vid
        for kind, tokens in self._tokens(keys):
            postings = self._postings[kind]
            for token in tokens:
                posting = postings.get(token)
                if posting is None:
                    postings[token] = {vid}
                    if kind == "syllable":
                        insort(self._syllables, token)
                else:
                    posting.add(vid)
        for spelling, entries in self._sorted.items():
            entries.add((getattr(keys, spelling), vid))
        return vid

    def prepare(self) -> None:
        """Sort what a bulk build appended, so the first keystroke does not pay for it."""
        for entries in self._sorted.values():
            entries.entries()

    def holds(self, slot: int, vids: set[int]) -> bool:
        """Whether the record in ``slot`` holds one of ``vids``."""
        return any(vid in vids for vid in self._held.get(slot, ()))

    def values_of(self, slots: Iterable[int]) -> set[int]:
        """The ids of the values the records in ``slots`` hold."""
        held = self._held
        return {vid for slot in slots for vid in held.get(slot, ())}

    def holders(self, vids: Iterable[int]) -> list[set[int]]:
        """The record slots holding each of ``vids``."""
        return [self._holders[vid] for vid in vids]

    def _gram_values(self, kind: str, q: str) -> set[int]:
        """Values whose ``kind`` spelling contains ``q``."""
        size = max(n for n in GRAM_SIZES[kind] if n <= len(q))
        postings = self._postings[kind]
        sets = []
        for gram in _grams(q, size):
            posting = postings.get(gram)
            if posting is None:
                return set()
            sets.append(posting)
        sets.sort(key=len)
        found = sets[0].intersection(*sets[1:])
        if len(q) > size:  # the grams may be there without the whole query: check each value
            keys = self._keys
            found = ({vid for vid in found if q in keys[vid].text} if kind == "text"  # type: ignore[union-attr]
                     else {vid for vid in found if q in keys[vid].initials})  # type: ignore[union-attr]
        return found

    def _pinyin_values(self, q: str, among: set[int] | None) -> set[int]:
        """Values where ``q`` is pinyin starting at a syllable boundary; of those held by the
        slots ``among`` only, when given (the filters, applied before any value is checked)."""
        if not (q.isascii() and q.isalpha()):
            return self._mixed_values(q)
        postings = self._postings["syllable"]
        found: set[int] = set()
        allowed_values: set[int] | None = None
        for whole, unfinished in pinyin_splits(q, postings):
            sets = [postings[s] for s in whole]
            if unfinished:
                known = self._syllables
                sets.append(set().union(*(postings[s] for s in known[
                    bisect_left(known, unfinished):bisect_left(known, unfinished + LAST)])))
            sets.sort(key=len)
            candidates = sets[0].intersection(*sets[1:])
            if len(sets) > 1:  # the syllables may be there, but not together: check
                if among is not None and len(candidates) > len(among) // SLOT_LOOKUPS:
                    if allowed_values is None:
                        allowed_values = self.values_of(among)
                    candidates &= allowed_values
                keys, every = self._keys, self.every_reading
                candidates = {vid for vid in candidates
                              if keys[vid].reads(q, every_reading=every)}  # type: ignore[union-attr]
            found |= candidates
        return found

    def _mixed_values(self, q: str) -> set[int]:
        """Values where ``q``, pinyin mixed with other characters (``1le`` for 1乐), reads from
        a syllable boundary: a character that is no letter is its own syllable, so the values
        holding every such character are the candidates to check."""
        others = {char for char in q if not (char.isascii() and char.isalpha())}
        if len(others) == len(set(q)):  # no letters: the characters themselves answer it
            return set()
        postings = self._postings["text"]
        sets = sorted((postings.get(char, set()) for char in others), key=len)
        keys, every = self._keys, self.every_reading
        return {vid for vid in sets[0].intersection(*sets[1:])
                if keys[vid].reads(q, every_reading=every)}  # type: ignore[union-attr]

    def match(self, q: str, among: set[int] | None = None) -> tuple[set[int], set[int]]:
        """(ids of the values starting with ``q`` in some spelling, of those containing it);
        with ``among``, values no slot of it holds may be left out."""
        if not q:
            return set(), set()
        sorted_ = self._sorted
        starting = _starting(sorted_["text"], q)
        containing = self._gram_values("text", q)
        if len(q) > 1:
            starting |= _starting(sorted_["initials"], q)
            containing |= self._gram_values("initials", q)
        pinyin = self._pinyin_values(q, among)
        if self.every_reading:  # other readings: only a reading from the start will do
            keys = self._keys
            starting |= {vid for vid in pinyin if keys[vid].reads(  # type: ignore[union-attr]
                q, first_only=True, every_reading=True)}
        else:
            starting |= _starting(sorted_["pinyin"], q)
        return starting, containing | pinyin | starting


@dataclass(frozen=True)
class ArchiveQuery:
    text: str = ""
    category: str = ""
    year: int | None = None
    confidentiality: str = ""
    status: str = ""

    def filters(self) -> dict[str, object]:
        chosen = {"category": self.category, "year": self.year,
                  "confidentiality": self.confidentiality, "status": self.status}
        return {name: value for name, value in chosen.items() if value not in ("", None)}


@dataclass(frozen=True)
class SearchResult:
    archive_ids: list[str]  # best first, at most the limit asked for
    total: int  # every match, for "12 of 340"


class ArchiveSearch:
    """Record slots, their searchable fields and filter sets; answers :class:`ArchiveQuery`."""

    def __init__(self) -> None:
        self.title = FieldIndex()
        self.keywords = FieldIndex(every_reading=True)
        self.issuer = FieldIndex(every_reading=True)
        self._slot_of: dict[str, int] = {}
        self._ids: list[str | None] = []
        self._order: list[int] = []  # newest document = largest
        self._newest_last: LazySorted[tuple[int, int]] = LazySorted()  # (order, slot), live
        self._indexed: list[ArchiveRecord | None] = []
        self._filters: dict[str, dict[object, set[int]]] = {name: {} for name in FILTERS}
        self._filter_values: list[dict[str, object]] = []
        self._by_seq: dict[int, set[int]] = {}
        self._by_year_seq: dict[tuple[int, int], set[int]] = {}
        self._by_number: dict[str, set[int]] = {}
        self._live: set[int] = set()

    def __len__(self) -> int:
        return len(self._live)

    def prepare(self) -> None:
        """Sort what a bulk build appended, so the first search does not pay for it."""
        for index in (self.title, self.keywords, self.issuer):
            index.prepare()
        self._newest_last.entries()

    def put(self, record: ArchiveRecord, status: str) -> None:
        slot = self._slot_of.get(record.archive_id)
        if slot is None:
            slot = len(self._ids)
            self._slot_of[record.archive_id] = slot
            self._ids.append(record.archive_id)
            self._order.append(0)
            self._indexed.append(None)
            self._filter_values.append({})
        else:
            self._unindex(slot)
        self._indexed[slot] = record
        self._live.add(slot)
        self._order[slot] = recency(record)
        self._newest_last.add((self._order[slot], slot))
        self.title.add(record.title, slot)
        for keyword in record.keywords:
            self.keywords.add(keyword, slot)
        if record.issuer:
            self.issuer.add(record.issuer, slot)
        self._by_seq.setdefault(record.seq, set()).add(slot)
        self._by_year_seq.setdefault((record.year, record.seq), set()).add(slot)
        self._by_number.setdefault(number_key(record.number), set()).add(slot)
        values = {"category": record.category, "year": record.year,
                  "confidentiality": record.confidentiality, "status": status}
        filters = self._filters
        for name, value in values.items():
            filters[name].setdefault(value, set()).add(slot)
        self._filter_values[slot] = values

    def set_status(self, archive_id: str, status: str) -> None:
        slot = self._slot_of.get(archive_id)
        if slot is None or self._indexed[slot] is None:
            return
        old = self._filter_values[slot]
        if old.get("status") != status:
            if "status" in old:
                self._filters["status"][old["status"]].discard(slot)
            self._filters["status"].setdefault(status, set()).add(slot)
            old["status"] = status

    def remove(self, archive_id: str) -> None:
        slot = self._slot_of.get(archive_id)
        if slot is not None and self._indexed[slot] is not None:
            self._unindex(slot)
            self._indexed[slot] = None
            self._live.discard(slot)

    def _unindex(self, slot: int) -> None:
        record = self._indexed[slot]
        if record is None:
            return
        self.title.remove(record.title, slot)
        for keyword in record.keywords:
            self.keywords.remove(keyword, slot)
        if record.issuer:
            self.issuer.remove(record.issuer, slot)
        self._newest_last.discard((self._order[slot], slot))
        self._by_seq.get(record.seq, set()).discard(slot)
        self._by_year_seq.get((record.year, record.seq), set()).discard(slot)
        self._by_number.get(number_key(record.number), set()).discard(slot)
        for name, value in self._filter_values[slot].items():
            self._filters[name][value].discard(slot)
        self._filter_values[slot] = {}

    # -- answering ------------------------------------------------------------------------------

    def _allowed(self, query: ArchiveQuery) -> set[int] | None:
        """The slots the filters leave, smallest filter first; ``None`` when they leave every
        record (no filters, or "registered" in an archive where nothing was filed yet)."""
        chosen = sorted((self._filters[name].get(value, set())
                         for name, value in query.filters().items()), key=len)
        allowed = chosen[0].intersection(*chosen[1:]) if chosen else None
        return None if allowed is not None and len(allowed) == len(self._live) else allowed

    def _parts(self, field: str, vids: set[int], allowed: set[int] | None) -> list[set[int]]:
        """The slots holding one of ``vids`` in ``field``, as the values' holder sets, left for
        the caller to join; when the filters leave fewer records than those hold, the allowed
        records holding one, found by looking at each of them."""
        index: FieldIndex = getattr(self, field)
        holders = index.holders(vids)
        if allowed is None or sum(map(len, holders)) <= SLOT_LOOKUPS * len(allowed):
            return holders
        return [{slot for slot in allowed if index.holds(slot, vids)}]

    def _newest(self, slots: set[int], count: int, skip: set[int] = frozenset(),  # type: ignore[assignment]
                allowed: set[int] | None = None) -> list[int]:
        """The ``count`` newest of ``slots`` that are ``allowed`` and not in ``skip``: walked
        newest first when they are a large part of the archive (few steps find them), picked
        by a heap when they are few."""
        if count <= 0 or not slots:
            return []
        enough = count * len(self._live)  # a walk finds ``count`` of n in about this / n steps
        if allowed is not None or (len(slots) - len(skip)) ** 2 < enough:
            slots = slots - skip if allowed is None else (slots & allowed) - skip
            skip = frozenset()
            if len(slots) ** 2 < enough:
                return heapq.nlargest(count, slots, key=self._order.__getitem__)
        found: list[int] = []
        for _order, slot in reversed(self._newest_last.entries()):
            if slot in slots and slot not in skip:
                found.append(slot)
                if len(found) == count:
                    break
        return found

    def _number_matches(self, text: str) -> set[int]:
        wanted = NumberQuery.parse(text)
        found = set(self._by_number.get(number_key(text), set()))
        if wanted.year is not None and wanted.seq is not None:
            found |= self._by_year_seq.get((wanted.year, wanted.seq), set())
        elif wanted.seq is not None:
            found |= self._by_seq.get(wanted.seq, set())
        elif wanted.year is not None:
            found |= self._filters["year"].get(wanted.year, set())
        return found

    def tiers(self, text: str, allowed: set[int] | None = None) -> list[list[set[int]]]:
        """The matching slots, tier by tier (see the module docstring), each tier as sets to
        join, possibly overlapping and holding slots outside ``allowed``."""
        q = normalise(text)
        title_start, title_in = self.title.match(q, allowed)
        keyword_start, keyword_in = self.keywords.match(q, allowed)
        issuer_start, issuer_in = self.issuer.match(q, allowed)
        parts = self._parts
        return [[self._number_matches(text)], parts("title", title_start, allowed),
                parts("keywords", keyword_start, allowed) + parts("issuer", issuer_start, allowed),
                parts("title", title_in - title_start, allowed),
                parts("keywords", keyword_in, allowed) + parts("issuer", issuer_in, allowed)]

    def search(self, query: ArchiveQuery, limit: int = 200) -> SearchResult:
        """Tier by tier, the newest of each tier's fresh matches until ``limit``; past it the
        tiers are only counted, each in one C-speed pass over its sets."""
        allowed = self._allowed(query)
        if not normalise(query.text):
            pool = self._live if allowed is None else allowed
            best = self._newest(pool, limit)
            return SearchResult([self._ids[s] for s in best], len(pool))  # type: ignore[misc]
        chosen: list[int] = []
        seen: set[int] = set()  # every match so far, allowed or not
        for parts in self.tiers(query.text, allowed):
            if len(chosen) < limit:
                tier = set().union(*parts)
                chosen.extend(self._newest(tier, limit - len(chosen), seen, allowed))
                if len(tier) > len(seen):  # the smaller joins the larger, which is ours
                    seen, tier = tier, seen
                seen |= tier
            else:
                seen.update(*parts)
        total = len(seen) if allowed is None else len(allowed.intersection(seen))
        return SearchResult([self._ids[s] for s in chosen], total)  # type: ignore[misc]


def naive_search(records: Iterable[ArchiveRecord], statuses: dict[str, str], query: ArchiveQuery,
                 limit: int = 200) -> SearchResult:
    """The same question answered by looking at every record: the benchmark's baseline and the
    tests' reference for what the index must find."""
    q = normalise(query.text)
    wanted = NumberQuery.parse(query.text)
    matches: list[tuple[int, int, str]] = []
    for record in records:
        facets = {"category": record.category, "year": record.year,
                  "confidentiality": record.confidentiality, "status": statuses[record.archive_id]}
        if any(facets[name] != value for name, value in query.filters().items()):
            continue
        order = recency(record)
        if not q:
            matches.append((0, -order, record.archive_id))
            continue
        tier = _naive_tier(record, q, query.text, wanted)
        if tier is not None:
            matches.append((tier, -order, record.archive_id))
    matches.sort()
    return SearchResult([archive_id for _t, _o, archive_id in matches[:limit]], len(matches))


def _naive_tier(record: ArchiveRecord, q: str, text: str, wanted: NumberQuery) -> int | None:
    if (number_key(record.number) == number_key(text)
            or wanted.seq is not None and wanted.seq == record.seq
            and wanted.year in (None, record.year)
            or wanted.seq is None and wanted.year == record.year):
        return 0
    others = [search_keys(v) for v in (*record.keywords, record.issuer) if v]
    title = search_keys(record.title)
    for tier, keys_list, test, every_reading in (
            (1, [title], str.startswith, False), (2, others, str.startswith, True),
            (3, [title], str.__contains__, False), (4, others, str.__contains__, True)):
        for keys in keys_list:
            if (test(keys.text, q) or test(keys.initials, q)
                    or keys.reads(q, first_only=test is str.startswith,
                                  every_reading=every_reading)):
                return tier
    return None
