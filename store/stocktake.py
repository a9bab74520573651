"""A stock-take (盘点) as facts: a start, one document per scan, one close — and the report.

Any number of laptops and kiosks count the same stock-take at once, online or not: each scan
is its own immutable ``stockscan:{uuid}`` document, so a merge is the union of the scans and
nothing one counter did can overwrite another. The report (counted against expected per item,
missing assets, assets found elsewhere or seen although on loan, unknown codes, who counted
where) is a pure function of the stock-take, its scans and the register, so every node that
holds the same documents shows the same report.

Ids: ``stocktake:{day}-{n}`` (the n-th stock-take started that day: two laptops that start
offline on the same day join one count), ``stockclose:{day}-{n}`` (confirmed or cancelled,
once), adjustments ``movement:st-{day}-{n}-{item key}`` (confirming twice, on two nodes, adjusts
once). Codes are resolved when the report is made, not when scanned, so a tag registered from
the report's unknown list is counted from then on.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from .doc_codec import DocumentRecord
from .supplies import (ADJUSTED, MOVEMENT, Asset, Item, Loan, Movement, format_time, key_of,
                       new_key)
from .textsearch import normalise

STOCKTAKE, SCAN, CLOSE = "stocktake", "stockscan", "stockclose"
STOCKTAKE_TYPES = (STOCKTAKE, SCAN, CLOSE)
OPEN, CONFIRMED, CANCELLED = "open", "confirmed", "cancelled"


@dataclass(frozen=True)
class Stocktake(DocumentRecord):
    """The start of a count: who started it, when, and which shelf (``scope``; empty: all)."""

    ID_FIELD = "stocktake_id"

    stocktake_id: str
    started_at: str
    by: str = ""
    scope: str = ""
    node: str = ""
    confirmed_at: str = ""  # set only by versions that kept the count in this document

    @property
    def key(self) -> str:
        return key_of(self.stocktake_id)

    @property
    def close_id(self) -> str:
        return f"{CLOSE}:{self.key}"

    def in_scope(self, location: str) -> bool:
        return not self.scope or normalise(location) == normalise(self.scope)

    def adjustment_id(self, item_id: str) -> str:
        return f"{MOVEMENT}:st-{self.key}-{key_of(item_id)}"


def canonical_code(text: str) -> str:
    """A scanned or typed code as recorded: width-folded, without spaces, upper case (labels
    print ``I…``/``A…`` codes and tags in capitals; lookups ignore case anyway)."""
    return "".join(unicodedata.normalize("NFKC", text).split()).upper()


def stocktake_id_for(now: datetime, known: Collection[str]) -> str:
    """The next stock-take id of the day that is not yet known here."""
    n = 1
    while f"{STOCKTAKE}:{now.date().isoformat()}-{n}" in known:
        n += 1
    return f"{STOCKTAKE}:{now.date().isoformat()}-{n}"


@dataclass(frozen=True)
class Scan(DocumentRecord):
    """One label scanned (or one code typed, with a quantity) by one counter at one shelf."""

    ID_FIELD = "scan_id"

    scan_id: str
    stocktake_id: str
    code: str
    quantity: int
    at: str
    by: str = ""
    location: str = ""  # the shelf the counter said they were at
    node: str = ""

    @staticmethod
    def new_id() -> str:
        return f"{SCAN}:{new_key()}"


@dataclass(frozen=True)
class StocktakeClose(DocumentRecord):
    """The end of a count: ``confirmed`` (adjustments written) or ``cancelled``."""

    stocktake_id: str
    outcome: str
    at: str
    by: str = ""
    node: str = ""

    @property
    def doc_id(self) -> str:
        return f"{CLOSE}:{key_of(self.stocktake_id)}"


# -- the scans of one stock-take, summed as they arrive -----------------------------------------


@dataclass
class Tally:
    """The sums of one stock-take's scans; adding or removing one scan touches one code.

    The report reads only these sums, so a refresh after a scan never walks every scan.
    """

    scans: dict[str, Scan] = field(default_factory=dict)
    quantity: Counter[str] = field(default_factory=Counter)  # code → units counted
    places: dict[str, Counter[str]] = field(default_factory=dict)  # code → location → scans
    people: dict[str, Counter[str]] = field(default_factory=dict)  # code → counter → scans
    groups: dict[tuple[str, str, str], Group] = field(default_factory=dict)  # who, node, shelf

    @classmethod
    def of(cls, scans: Iterable[Scan]) -> Tally:
        tally = cls()
        for scan in scans:
            tally.add(scan)
        return tally

    def add(self, scan: Scan) -> None:
        self.remove(scan.scan_id)
        code = scan.code
        self.scans[scan.scan_id] = scan
        self.quantity[code] += scan.quantity
        self.places.setdefault(code, Counter())[scan.location] += 1
        self.people.setdefault(code, Counter())[scan.by] += 1
        self.groups.setdefault(_group(scan), Group()).add(scan)

    def remove(self, scan_id: str) -> None:
        scan = self.scans.pop(scan_id, None)
        if scan is None:
            return
        code = scan.code
        self.quantity[code] -= scan.quantity
        self.places[code][scan.location] -= 1
        self.people[code][scan.by] -= 1
        if not +self.places[code]:
            for sums in (self.quantity, self.places, self.people):
                del sums[code]
        group = self.groups[_group(scan)]
        group.scan_ids.discard(scan_id)
        if not group.scan_ids:
            del self.groups[_group(scan)]
        else:
            self.groups[_group(scan)] = Group.of(self.scans[s] for s in group.scan_ids)

    def codes(self) -> list[str]:
        return sorted(self.quantity)


def _group(scan: Scan) -> tuple[str, str, str]:
    return scan.by, scan.node, scan.location


@dataclass
class Group:
    """The running sums of one counter's scans at one shelf."""

    scan_ids: set[str] = field(default_factory=set)
    units: int = 0
    first: str = ""
    last: str = ""

    @classmethod
    def of(cls, scans: Iterable[Scan]) -> Group:
        group = cls()
        for scan in scans:
            group.add(scan)
        return group

    def add(self, scan: Scan) -> None:
        self.scan_ids.add(scan.scan_id)
        self.units += scan.quantity
        self.first = min(self.first or scan.at, scan.at)
        self.last = max(self.last, scan.at)


# -- the report ---------------------------------------------------------------------------------


class Register(Protocol):
    """What the report needs of the supply room (``SupplyIndex`` is one)."""

    items: Mapping[str, Item]
    assets: Mapping[str, Asset]

    def find_code(self, text: str) -> Item | Asset | None: ...

    def level(self, item_id: str) -> int: ...

    def open_loans(self, asset_id: str) -> list[Loan]: ...


@dataclass(frozen=True)
class ItemCount:
    item_id: str
    expected: int
    counted: int
    counted_by: tuple[str, ...]

    @property
    def delta(self) -> int:
        return self.counted - self.expected


@dataclass(frozen=True)
class Sighting:
    """An asset seen at ``seen_at`` although the register puts it at ``registered``."""

    asset_id: str
    seen_at: str
    registered: str


@dataclass(frozen=True)
class UnknownCode:
    """A code in no register: kept, listed, and registrable from the report."""

    code: str
    scans: int
    locations: tuple[str, ...]
    counted_by: tuple[str, ...]


@dataclass(frozen=True)
class CounterLine:
    """Who counted, on which machine, at which shelf: how many scans and units, from–to."""

    by: str
    node: str
    location: str
    scans: int
    units: int
    first: str
    last: str


@dataclass(frozen=True)
class StocktakeReport:
    stocktake: Stocktake
    status: str
    counted: tuple[ItemCount, ...]  # only items that were scanned
    uncounted: tuple[str, ...]  # item ids in scope nobody scanned: left as they are
    seen: tuple[str, ...]  # asset ids scanned
    missing: tuple[str, ...]  # asset ids in scope, not on loan, not seen
    elsewhere: tuple[Sighting, ...]
    on_loan: tuple[str, ...]  # seen although a loan says someone holds them
    unknown: tuple[UnknownCode, ...]
    counters: tuple[CounterLine, ...]
    adjusted: Mapping[str, int]  # item id → delta this stock-take's confirm wrote

    @property
    def differences(self) -> tuple[ItemCount, ...]:
        return tuple(count for count in self.counted if count.delta)


def _names(people: Counter[str]) -> tuple[str, ...]:
    return tuple(sorted(name for name, n in people.items() if n > 0))


def stocktake_report(stocktake: Stocktake, tally: Tally, register: Register,
                     close: StocktakeClose | None = None,
                     adjusted: Mapping[str, int] | None = None) -> StocktakeReport:
    """The report every node derives alike. ``adjusted`` are this stock-take's own adjustments,
    taken out of the expected stock so a confirmed report still shows what was found."""
    adjusted = dict(adjusted or {})
    counts: dict[str, ItemCount] = {}
    seen: dict[str, str] = {}  # asset id → the location it was seen at most
    unknown: list[UnknownCode] = []
    for code in tally.codes():
        record = register.find_code(code)
        people, places = tally.people[code], tally.places[code]
        if isinstance(record, Item):
            previous = counts.get(record.item_id)
            counted = tally.quantity[code] + (previous.counted if previous else 0)
            who = set(_names(people)) | set(previous.counted_by if previous else ())
            counts[record.item_id] = ItemCount(
                record.item_id, register.level(record.item_id) - adjusted.get(record.item_id, 0),
                counted, tuple(sorted(who)))
        elif isinstance(record, Asset):
            where = max(sorted(p for p, n in places.items() if n > 0),
                        key=lambda p: places[p])
            seen[record.asset_id] = min(seen.get(record.asset_id, where), where)
        else:
            unknown.append(UnknownCode(code, sum(places.values()),
                                       tuple(sorted(p for p, n in places.items() if n > 0)),
                                       _names(people)))
    in_scope_items = [i for i, item in register.items.items() if stocktake.in_scope(item.location)]
    lent = {asset_id for asset_id in register.assets if register.open_loans(asset_id)}
    elsewhere = []
    for asset_id, where in sorted(seen.items()):
        registered = register.assets[asset_id].location
        place = where or stocktake.scope
        if place and registered and normalise(place) != normalise(registered):
            elsewhere.append(Sighting(asset_id, place, registered))
    return StocktakeReport(
        stocktake,
        close.outcome if close is not None else (CONFIRMED if stocktake.confirmed_at else OPEN),
        tuple(sorted(counts.values(), key=lambda c: _item_order(register, c.item_id))),
        tuple(sorted((i for i in in_scope_items if i not in counts),
                     key=lambda i: _item_order(register, i))),
        tuple(sorted(seen)),
        tuple(sorted(a for a, asset in register.assets.items()
                     if stocktake.in_scope(asset.location) and a not in lent and a not in seen)),
        tuple(elsewhere),
        tuple(sorted(a for a in seen if a in lent)),
        tuple(unknown),
        _counter_lines(tally),
        adjusted)


def _item_order(register: Register, item_id: str) -> tuple[str, str, str]:
    item = register.items[item_id]
    return item.category, item.name, item_id


def _counter_lines(tally: Tally) -> tuple[CounterLine, ...]:
    return tuple(CounterLine(by, node, location, len(group.scan_ids), group.units, group.first,
                             group.last)
                 for (by, node, location), group in sorted(tally.groups.items()))


def confirm_plan(report: StocktakeReport, *, now: datetime, node: str) -> list[Movement]:
    """The adjustments confirming writes: one per counted item whose count differs, never for an
    item nobody counted. Ids come from the stock-take and the item, so they happen once."""
    stocktake = report.stocktake
    return [Movement(stocktake.adjustment_id(count.item_id), count.item_id, ADJUSTED, count.delta,
                     format_time(now), node=node, stocktake_id=stocktake.stocktake_id)
            for count in report.differences]
