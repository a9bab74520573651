"""The supply room's derived state, kept current from the changes feed: stock, holders, codes.

:class:`SupplyIndex` is fed every ``item``, ``asset``, ``movement``, ``loan``, ``return`` and
stock-take change, and adjusts its sums in place: a new movement adds its delta to one item,
a return closes one loan, a scan adds to one code of its stock-take's :class:`Tally`. The stock
list is then a walk over the items, never over the movement history (the issue's 100k
movements), a kiosk scan is a dictionary lookup, and a stock-take report never walks the scans.
An item's stock is summed per year, so that a yearly balance (:mod:`store.supply_balances`)
can stand for a closed year whose movements a supplies kiosk does not carry.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .attention import AttentionItem
from .docstore import DocumentStore, doc_type
from .kpi import LoanFact
from .stocktake import (CLOSE, SCAN, STOCKTAKE, STOCKTAKE_TYPES, Scan, Stocktake, StocktakeClose,
                        Tally)
from .stocktake_report import StocktakeReport, StocktakeView
from .supplies import (ASSET, ITEM, LOAN, MAX_QUANTITY, MOVEMENT, RETURN, SUPPLY_TYPES, Asset, Item, Loan,
                       Movement, Return, key_of, label_codes)
from .supply_balances import BALANCE, Balance
from .textsearch import normalise

_TIME = "%Y-%m-%dT%H:%M"


@dataclass(frozen=True)
class StockRow:
    item: Item
    stock: int

    @property
    def low(self) -> bool:
        return self.stock <= self.item.reorder_level


@dataclass(frozen=True)
class AssetRow:
    asset: Asset
    loans: tuple[Loan, ...]  # open loans; two or more is a double loan
    condition: str  # as the latest return found it, else as registered

    @property
    def holder(self) -> str:
        return self.loans[0].member_id if self.loans else ""


class SupplyIndex:
    doc_types = (*SUPPLY_TYPES, *STOCKTAKE_TYPES, BALANCE)

    def __init__(self, store: DocumentStore) -> None:
        self.store = store
        self.reset()

    @classmethod
    def for_store(cls, store: DocumentStore) -> SupplyIndex:
        return cls(store)

    def reset(self) -> None:
        self.items: dict[str, Item] = {}
        self.assets: dict[str, Asset] = {}
        self.stock: dict[str, int] = {}
        self._movements: dict[str, tuple[str, int, str, str]] = {}  # id → item, delta, member, year
        self._held: dict[tuple[str, str], list[int]] = {}  # (item, year) → [sum, count] held here
        self._balances: dict[tuple[str, str], Balance] = {}  # (item, year) → its yearly balance
        self._movement_ids: dict[str, set[str]] = {}  # item or member id → movement ids
        self.loans: dict[str, Loan] = {}
        self.returns: dict[str, Return] = {}  # loan id → its return
        self._open: dict[str, set[str]] = {}  # asset id → open loan ids
        self._loans_of: dict[str, set[str]] = {}  # asset or member id → loan ids
        self.stocktakes: dict[str, Stocktake] = {}
        self.closes: dict[str, StocktakeClose] = {}  # stock-take id → its close
        self.tallies: dict[str, Tally] = {}  # stock-take id → its scans summed
        self._scan_of: dict[str, str] = {}  # scan id → its stock-take id
        self.adjusted: dict[str, dict[str, int]] = {}  # stock-take id → item id → delta
        self._adjustment_of: dict[str, tuple[str, str]] = {}  # movement id → stock-take, item
        self._views: dict[str, StocktakeView] = {}  # stock-take id → its report, kept
        self._codes: dict[str, str] = {}  # normalised code or tag → item/asset id

    # -- feeding ---------------------------------------------------------------------------

    def update(self, doc_id: str, doc: dict[str, Any] | None) -> None:
        kind = doc_type(doc_id)
        for view in self._views.values():
            if kind in (ITEM, ASSET, STOCKTAKE):
                view.records_changed()
            elif kind in (LOAN, RETURN):
                view.loans_changed()
        if kind == MOVEMENT:
            self._update_movement(doc_id, doc)
        elif kind == BALANCE:
            self._update_balance(doc_id, doc)
        elif kind == LOAN:
            self._update_loan(doc_id, doc)
        elif kind == RETURN:
            self._update_return(f"{LOAN}:{key_of(doc_id)}", doc)
        elif kind in (ITEM, ASSET):
            self._update_record(kind, doc_id, doc)
        elif kind == STOCKTAKE:
            self.stocktakes.pop(doc_id, None)
            if doc is not None:
                self.stocktakes[doc_id] = Stocktake.from_doc(doc)
        elif kind == SCAN:
            self._update_scan(doc_id, doc)
        elif kind == CLOSE:
            stocktake_id = f"{STOCKTAKE}:{key_of(doc_id)}"
            self.closes.pop(stocktake_id, None)
            if doc is not None:
                self.closes[stocktake_id] = StocktakeClose.from_doc(doc)

    def _update_scan(self, doc_id: str, doc: dict[str, Any] | None) -> None:
        old = self._scan_of.pop(doc_id, None)
        if old is not None:
            self._dirty_code(old, self.tallies[old].scans[doc_id].code)
            self.tallies[old].remove(doc_id)
        if doc is None:
            return
        scan = Scan.from_doc(doc)
        if not 0 < scan.quantity <= MAX_QUANTITY:
            return  # a foreign writer's nonsense counts for nothing
        self._scan_of[doc_id] = scan.stocktake_id
        self.tallies.setdefault(scan.stocktake_id, Tally()).add(scan)
        self._dirty_code(scan.stocktake_id, scan.code)

    def _dirty_code(self, stocktake_id: str, code: str) -> None:
        view = self._views.get(stocktake_id)
        if view is not None:
            view.dirty_codes.add(normalise(code))

    def _dirty_item(self, item_id: str) -> None:
        for view in self._views.values():
            view.dirty_items.add(item_id)

    def _update_record(self, kind: str, doc_id: str, doc: dict[str, Any] | None) -> None:
        old = self.items.pop(doc_id, None) or self.assets.pop(doc_id, None)
        if old is not None:
            for code in label_codes(old):
                if self._codes.get(code) == doc_id:
                    del self._codes[code]
        if doc is None:
            return
        record: Item | Asset = Item.from_doc(doc) if kind == ITEM else Asset.from_doc(doc)
        if isinstance(record, Item):
            self.items[doc_id] = record
        else:
            self.assets[doc_id] = record
        for code in label_codes(record):
            self._codes[code] = doc_id

    def _update_movement(self, doc_id: str, doc: dict[str, Any] | None) -> None:
        adjustment = self._adjustment_of.pop(doc_id, None)
        if adjustment is not None:
            self.adjusted[adjustment[0]].pop(adjustment[1], None)
        old = self._movements.pop(doc_id, None)
        if old is not None:
            item_id, delta, member_id, year = old
            self._dirty_item(item_id)
            self._hold(item_id, year, -delta, -1)
            for owner in (item_id, member_id):
                self._movement_ids.get(owner, set()).discard(doc_id)
        if doc is None:
            return
        try:
            movement = Movement.from_doc(doc)
            delta = int(movement.delta)
        except (TypeError, ValueError):
            return  # a malformed event from a foreign writer counts for nothing
        year = str(movement.at)[:4]
        self._movements[doc_id] = (movement.item_id, delta, movement.member_id, year)
        self._dirty_item(movement.item_id)
        if movement.stocktake_id:
            self._adjustment_of[doc_id] = (movement.stocktake_id, movement.item_id)
            self.adjusted.setdefault(movement.stocktake_id, {})[movement.item_id] = delta
        self._hold(movement.item_id, year, delta, 1)
        for owner in (movement.item_id, movement.member_id):
            if owner:
                self._movement_ids.setdefault(owner, set()).add(doc_id)

    def _year_count(self, key: tuple[str, str]) -> int:
        """What one item's year adds to its stock: the balance where it knows more movements
        than this node holds (a kiosk's closed years), else the movements held (a full copy)."""
        held = self._held.get(key, [0, 0])
        balance = self._balances.get(key)
        return balance.delta if balance is not None and balance.movements > held[1] else held[0]

    def _hold(self, item_id: str, year: str, delta: int, count: int) -> None:
        key = (item_id, year)
        before = self._year_count(key)
        held = self._held.setdefault(key, [0, 0])
        held[0] += delta
        held[1] += count
        self.stock[item_id] = self.stock.get(item_id, 0) + self._year_count(key) - before

    def _update_balance(self, doc_id: str, doc: dict[str, Any] | None) -> None:
        item_key, _, year = key_of(doc_id).rpartition(":")
        key = (f"{ITEM}:{item_key}", year)
        try:
            balance = None if doc is None else Balance.from_doc(doc)
        except TypeError:
            balance = None  # a malformed balance from a foreign writer counts for nothing
        before = self._year_count(key)
        if balance is None or balance.doc_id != doc_id:
            self._balances.pop(key, None)
        else:
            self._balances[key] = balance
        self._dirty_item(key[0])
        self.stock[key[0]] = self.stock.get(key[0], 0) + self._year_count(key) - before

    def _update_loan(self, doc_id: str, doc: dict[str, Any] | None) -> None:
        old = self.loans.pop(doc_id, None)
        if old is not None:
            self._open.get(old.asset_id, set()).discard(doc_id)
            for owner in (old.asset_id, old.member_id):
                self._loans_of.get(owner, set()).discard(doc_id)
        if doc is None:
            return
        loan = Loan.from_doc(doc)
        self.loans[doc_id] = loan
        for owner in (loan.asset_id, loan.member_id):
            self._loans_of.setdefault(owner, set()).add(doc_id)
        if doc_id not in self.returns:
            self._open.setdefault(loan.asset_id, set()).add(doc_id)

    def _update_return(self, loan_id: str, doc: dict[str, Any] | None) -> None:
        self.returns.pop(loan_id, None)
        if doc is not None:
            self.returns[loan_id] = Return.from_doc(doc)
        loan = self.loans.get(loan_id)
        if loan is None:
            return
        if doc is None:
            self._open.setdefault(loan.asset_id, set()).add(loan_id)
        else:
            self._open.get(loan.asset_id, set()).discard(loan_id)

    # -- reading ---------------------------------------------------------------------------

    def find_code(self, text: str) -> Item | Asset | None:
        """The item or asset a scanned label (or a typed tag number) names."""
        doc_id = self._codes.get(normalise(text))
        return self.items.get(doc_id) or self.assets.get(doc_id) if doc_id else None

    def level(self, item_id: str) -> int:
        return self.stock.get(item_id, 0)

    def stock_list(self) -> list[StockRow]:
        """Every item with its derived stock, by category then name."""
        rows = [StockRow(item, self.stock.get(item_id, 0)) for item_id, item in self.items.items()]
        rows.sort(key=lambda row: (row.item.category, row.item.name, row.item.item_id))
        return rows

    def low_stock(self) -> list[StockRow]:
        return [row for row in self.stock_list() if row.low]

    def open_loans(self, asset_id: str) -> list[Loan]:
        active = [self.loans[loan_id] for loan_id in self._open.get(asset_id, ())]
        return sorted(active, key=lambda loan: (loan.at, loan.loan_id))

    def condition(self, asset_id: str) -> str:
        """As the latest return recorded it; as registered when it never came back from a loan."""
        returns = [self.returns[loan_id] for loan_id in self._loans_of.get(asset_id, ())
                   if loan_id in self.returns]
        if returns:
            return max(returns, key=lambda r: (r.at, r.loan_id)).condition
        asset = self.assets.get(asset_id)
        return asset.condition if asset is not None else ""

    def asset_list(self) -> list[AssetRow]:
        rows = [AssetRow(asset, tuple(self.open_loans(asset_id)), self.condition(asset_id))
                for asset_id, asset in self.assets.items()]
        rows.sort(key=lambda row: (row.asset.tag, row.asset.asset_id))
        return rows

    def held_by(self, member_id: str) -> list[Loan]:
        return sorted((self.loans[loan_id] for loan_id in self._loans_of.get(member_id, ())
                       if loan_id not in self.returns), key=lambda loan: loan.at)

    def overdue(self, now: datetime) -> list[Loan]:
        """Open loans past their due time, the longest overdue first."""
        stamp = now.isoformat(timespec="minutes")
        late = [self.loans[loan_id] for ids in self._open.values() for loan_id in ids
                if self.loans[loan_id].due < stamp]
        return sorted(late, key=lambda loan: (loan.due, loan.loan_id))

    def loan_history(self, owner_id: str) -> list[tuple[Loan, Return | None]]:
        """Every loan of an asset or a member, newest first, with its return if any."""
        loans = sorted((self.loans[loan_id] for loan_id in self._loans_of.get(owner_id, ())),
                       key=lambda loan: loan.at, reverse=True)
        return [(loan, self.returns.get(loan.loan_id)) for loan in loans]

    def movements_of(self, owner_id: str) -> list[Movement]:
        """The movements of an item or a member (takes), newest first; read from the store."""
        found = []
        for doc_id in self._movement_ids.get(owner_id, ()):
            doc = self.store.get_or_none(doc_id)
            if doc is not None:
                found.append(Movement.from_doc(doc))
        return sorted(found, key=lambda m: (m.at, m.movement_id), reverse=True)

    def open_stocktake(self) -> Stocktake | None:
        """The latest stock-take neither confirmed nor cancelled."""
        pending = [s for s in self.stocktakes.values()
                   if s.stocktake_id not in self.closes and not s.confirmed_at]
        return max(pending, key=lambda s: (s.started_at, s.stocktake_id)) if pending else None

    def stocktake_report(self, stocktake_id: str) -> StocktakeReport:
        """The report of a known stock-take, recomputing only what changed since the last one."""
        view = self._views.setdefault(stocktake_id, StocktakeView())
        return view.report(self.stocktakes[stocktake_id],
                           self.tallies.setdefault(stocktake_id, Tally()), self,
                           self.closes.get(stocktake_id), self.adjusted.get(stocktake_id))

    def loan_facts(self) -> list[LoanFact]:
        facts = []
        for loan in self.loans.values():
            returned = self.returns.get(loan.loan_id)
            try:
                facts.append(LoanFact(datetime.strptime(loan.at, _TIME),
                                      datetime.strptime(loan.due, _TIME),
                                      datetime.strptime(returned.at, _TIME) if returned else None))
            except (TypeError, ValueError):
                continue
        return facts

    # -- clashes after a merge -------------------------------------------------------------

    def attention_items(self) -> list[AttentionItem]:
        """Sorted by key, so every node lists the same clashes in the same order."""
        return sorted([*self._double_loans(), *self._negative_stock()], key=lambda i: i.key)

    def _double_loans(self) -> Iterator[AttentionItem]:
        for asset_id, loan_ids in self._open.items():
            if len(loan_ids) < 2:
                continue
            loans = self.open_loans(asset_id)
            asset = self.assets.get(asset_id)
            yield AttentionItem(
                "double_loan", "double_loan:" + "|".join(loan.loan_id for loan in loans),
                tuple(loan.loan_id for loan in loans), "supplies.attention.double_loan",
                {"asset": asset.name if asset else asset_id, "tag": asset.tag if asset else "",
                 "members": ", ".join(loan.member_id for loan in loans)})

    def _negative_stock(self) -> Iterator[AttentionItem]:
        for item_id, level in self.stock.items():
            if level >= 0:
                continue
            item = self.items.get(item_id)
            yield AttentionItem(
                "negative_stock", f"negative_stock:{item_id}", (item_id,),
                "supplies.attention.negative_stock",
                {"item": item.name if item else item_id, "stock": str(level),
                 "unit": item.unit if item else ""})
