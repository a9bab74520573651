"""The stock-take report, the same on every node: counted against expected, the asset audit.

:func:`stocktake_report` derives it from the stock-take, its :class:`~store.stocktake.Tally`
and the register. :class:`StocktakeView` gives the same report but keeps its parts between
refreshes and recomputes only what a change touched (the codes just scanned, the items whose
stock moved), so a screen refreshing after each of 20 000 scans does not redo 5 000 items.
Confirming writes :func:`confirm_plan`: adjustments for counted items only.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from .stocktake import CONFIRMED, OPEN, Stocktake, StocktakeClose, Tally
from .supplies import ADJUSTED, Asset, Item, Loan, Movement, format_time, label_codes
from .textsearch import normalise


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


def _present(counts: Counter[str]) -> list[str]:
    return sorted(key for key, n in counts.items() if n > 0)


def _codes_naming(record: Item | Asset, tally: Tally, register: Register) -> list[str]:
    """The scanned codes that name ``record`` (its code, an asset's tag) in this register."""
    return [code for code in label_codes(record)
            if code in tally.quantity and register.find_code(code) is record]


@dataclass
class StocktakeView:
    """One stock-take's report parts, kept between refreshes; see the module docstring."""

    counts: dict[str, ItemCount] = field(default_factory=dict)
    seen: dict[str, str] = field(default_factory=dict)  # asset id → where it was seen most
    unknown: dict[str, UnknownCode] = field(default_factory=dict)
    dirty_codes: set[str] = field(default_factory=set)
    dirty_items: set[str] = field(default_factory=set)
    stale: bool = True  # recompute every part (first time, or the records changed)
    _scope: Scope | None = None

    def report(self, stocktake: Stocktake, tally: Tally, register: Register,
               close: StocktakeClose | None = None,
               adjusted: Mapping[str, int] | None = None) -> StocktakeReport:
        adjusted = dict(adjusted or {})
        if self.stale:
            self.counts.clear()
            self.seen.clear()
            self.unknown.clear()
            self.dirty_codes = set(tally.quantity)
            self._scope, self.stale = None, False
        if self._scope is None:
            self._scope = _scope_of(stocktake, register)
        self._recount(tally, register, adjusted)
        scope, counts = self._scope, self.counts
        seen = sorted(self.seen)
        return StocktakeReport(
            stocktake,
            close.outcome if close is not None else (
                CONFIRMED if stocktake.confirmed_at else OPEN),
            tuple(counts[item_id] for item_id in scope.items if item_id in counts),
            tuple(item_id for item_id in scope.items
                  if item_id in scope.items_in_scope and item_id not in counts),
            tuple(seen),
            tuple(asset_id for asset_id in scope.free_assets if asset_id not in self.seen),
            tuple(_sightings(stocktake, register, seen, self.seen)),
            tuple(asset_id for asset_id in seen if asset_id in scope.lent),
            tuple(self.unknown[code] for code in sorted(self.unknown)),
            tuple(CounterLine(by, node, location, len(group.scan_ids), group.units, group.first,
                              group.last)
                  for (by, node, location), group in sorted(tally.groups.items())),
            adjusted)

    def records_changed(self) -> None:
        """An item or asset was added or edited (codes, names, places): redo every part."""
        self.stale = True

    def loans_changed(self) -> None:
        """Which assets are out changed: redo the lists that depend on it, keep the counts."""
        self._scope = None

    def _recount(self, tally: Tally, register: Register, adjusted: Mapping[str, int]) -> None:
        items = set(self.dirty_items)
        for code in self.dirty_codes:
            record = register.find_code(code)
            if isinstance(record, Item):
                items.add(record.item_id)
            elif isinstance(record, Asset):
                self._resee(record, tally, register)
            elif code in tally.quantity:
                self.unknown[code] = UnknownCode(code.upper(), sum(tally.places[code].values()),
                                                 tuple(_present(tally.places[code])),
                                                 tuple(_present(tally.people[code])))
            else:
                self.unknown.pop(code, None)
        for item_id in items:
            item = register.items.get(item_id)
            codes = _codes_naming(item, tally, register) if item is not None else []
            if not codes:
                self.counts.pop(item_id, None)
                continue
            people: Counter[str] = Counter()
            for code in codes:
                people.update(tally.people[code])
            self.counts[item_id] = ItemCount(
                item_id, register.level(item_id) - adjusted.get(item_id, 0),
                sum(tally.quantity[code] for code in codes), tuple(_present(people)))
        self.dirty_codes, self.dirty_items = set(), set()

    def _resee(self, asset: Asset, tally: Tally, register: Register) -> None:
        places: Counter[str] = Counter()
        for code in _codes_naming(asset, tally, register):
            places.update(tally.places[code])
        present = _present(places)
        if present:
            self.seen[asset.asset_id] = max(present, key=lambda place: places[place])
        else:
            self.seen.pop(asset.asset_id, None)


@dataclass(frozen=True)
class Scope:
    """What a count is measured against, kept until the records or the loans change."""

    items: list[str]  # every item, in report order (category, name, id)
    items_in_scope: set[str]
    free_assets: list[str]  # in scope and not on loan, by id
    lent: set[str]


def _scope_of(stocktake: Stocktake, register: Register) -> Scope:
    items = sorted(register.items, key=lambda item_id: _item_order(register, item_id))
    lent = {asset_id for asset_id in register.assets if register.open_loans(asset_id)}
    return Scope(items, {i for i, item in register.items.items()
                         if stocktake.in_scope(item.location)},
                 sorted(a for a, asset in register.assets.items()
                        if stocktake.in_scope(asset.location) and a not in lent), lent)


def _sightings(stocktake: Stocktake, register: Register, seen: list[str],
               where: Mapping[str, str]) -> list[Sighting]:
    found = []
    for asset_id in seen:
        registered = register.assets[asset_id].location
        place = where[asset_id] or stocktake.scope
        if place and registered and normalise(place) != normalise(registered):
            found.append(Sighting(asset_id, place, registered))
    return found


def _item_order(register: Register, item_id: str) -> tuple[str, str, str]:
    item = register.items[item_id]
    return item.category, item.name, item_id


def stocktake_report(stocktake: Stocktake, tally: Tally, register: Register,
                     close: StocktakeClose | None = None,
                     adjusted: Mapping[str, int] | None = None) -> StocktakeReport:
    """The report every node derives alike. ``adjusted`` are this stock-take's own adjustments,
    taken out of the expected stock so a confirmed report still shows what was found."""
    return StocktakeView().report(stocktake, tally, register, close, adjusted)


def confirm_plan(report: StocktakeReport, *, now: datetime, node: str) -> list[Movement]:
    """The adjustments confirming writes: one per counted item whose count differs, never for an
    item nobody counted. Ids come from the stock-take and the item, so they happen once."""
    stocktake = report.stocktake
    return [Movement(stocktake.adjustment_id(count.item_id), count.item_id, ADJUSTED, count.delta,
                     format_time(now), node=node, stocktake_id=stocktake.stocktake_id)
            for count in report.differences]
