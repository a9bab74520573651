"""A stock-take (盘点) as facts: a start, one document per scan, one close — and the report.

Any number of laptops and kiosks count the same stock-take at once, online or not: each scan
is its own immutable ``stockscan:{uuid}`` document, so a merge is the union of the scans and
nothing one counter did can overwrite another. The report (counted against expected per item,
missing assets, assets found elsewhere or seen although on loan, unknown codes, who counted
where) is a pure function of the stock-take, its scans and the register
(:mod:`store.stocktake_report`), so every node that holds the same documents shows the same
report.

Ids: ``stocktake:{day}-{n}`` (the n-th stock-take started that day: two laptops that start
offline on the same day join one count), ``stockclose:{day}-{n}`` (confirmed or cancelled,
once), adjustments ``movement:st-{day}-{n}-{item key}`` (confirming twice, on two nodes, adjusts
once). Codes are resolved when the report is made, not when scanned, so a tag registered from
the report's unknown list is counted from then on.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from .doc_codec import DocumentRecord
from .supplies import MOVEMENT, key_of, new_key
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
    quantity: Counter[str] = field(default_factory=Counter)  # normalised code → units counted
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
        code = normalise(scan.code)
        self.scans[scan.scan_id] = scan
        self.quantity[code] += scan.quantity
        self.places.setdefault(code, Counter())[scan.location] += 1
        self.people.setdefault(code, Counter())[scan.by] += 1
        self.groups.setdefault(_group(scan), Group()).add(scan)

    def remove(self, scan_id: str) -> None:
        scan = self.scans.pop(scan_id, None)
        if scan is None:
            return
        code = normalise(scan.code)
        self.quantity[code] -= scan.quantity
        self.places[code][scan.location] -= 1
        self.people[code][scan.by] -= 1
        if not +self.places[code]:
            for sums in (self.quantity, self.places, self.people):
                del sums[code]
        group = self.groups[_group(scan)]
        group.scan_ids.discard(scan_id)
        group.units -= scan.quantity
        if not group.scan_ids:
            del self.groups[_group(scan)]
            return
        times = [self.scans[other].at for other in group.scan_ids]
        group.first, group.last = min(times), max(times)

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

    def add(self, scan: Scan) -> None:
        self.scan_ids.add(scan.scan_id)
        self.units += scan.quantity
        self.first = min(self.first or scan.at, scan.at)
        self.last = max(self.last, scan.at)
