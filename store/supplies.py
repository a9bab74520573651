"""The supply room (物资): consumables, fixed assets, loans — records and rules.

Nothing here keeps a counter. Stock is the sum of immutable ``movement:`` events (received,
taken, adjusted at a stock-take, written off) and who holds an asset is derived from ``loan:``
events and their ``return:`` facts. Two kiosks that were apart each append their own events,
so replication only ever adds facts and the sums agree on every node in any order. What two
nodes can break between them (an asset lent twice, stock taken below zero) is derived and
listed for attention by :mod:`store.supplies_index`, never silently dropped.

Ids: ``item:{key}`` and ``asset:{key}`` (records that are edited), ``movement:{uuid}``,
``loan:{uuid}``, ``return:{loan key}`` (deterministic: one loan is returned once, even when
two kiosks record it). Stock-takes are facts too: :mod:`store.stocktake`.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from .doc_codec import DocumentRecord, LocalDate, LocalTime
from .errors import ValidationError
from .textsearch import normalise

ITEM, ASSET, MOVEMENT, LOAN, RETURN = "item", "asset", "movement", "loan", "return"
SUPPLY_TYPES = (ITEM, ASSET, MOVEMENT, LOAN, RETURN)

RECEIVED, TAKEN, ADJUSTED, WRITTEN_OFF = "received", "taken", "adjusted", "written_off"
MOVEMENT_KINDS = (RECEIVED, TAKEN, ADJUSTED, WRITTEN_OFF)
CONDITIONS = ("good", "worn", "damaged", "missing")
MAX_QUANTITY = 10_000  # one scan or one delivery; more is a typo, not a delivery
_TIME_FORMAT = "%Y-%m-%dT%H:%M"


def _refuse(key: str, english: str, **params: Any) -> ValidationError:
    return ValidationError(f"supplies.error.{key}", english, **params)


def format_time(moment: datetime) -> str:
    return moment.isoformat(timespec="minutes")


def new_key() -> str:
    return uuid.uuid4().hex


def new_code(prefix: str) -> str:
    """An opaque label code: ``I…`` for items, ``A…`` for assets (badges start with ``M``)."""
    return f"{prefix}{secrets.token_hex(8).upper()}"


def key_of(doc_id: str) -> str:
    return doc_id.split(":", 1)[1]


@dataclass(frozen=True)
class Item(DocumentRecord):
    """A consumable kept in stock (paper, pens, batteries …)."""

    ID_FIELD = "item_id"

    item_id: str
    name: str
    unit: str = "个"
    category: str = ""
    location: str = ""
    reorder_level: int = 0
    code: str = ""  # what its QR or barcode label reads

    @staticmethod
    def new_id() -> str:
        return f"{ITEM}:{new_key()}"


@dataclass(frozen=True)
class Asset(DocumentRecord):
    """A fixed asset with a tag number; lent out and returned, never consumed."""

    ID_FIELD = "asset_id"

    asset_id: str
    tag: str
    name: str
    category: str = ""
    serial: str = ""
    purchased: LocalDate = ""  # YYYY-MM-DD
    value: float = 0.0  # yuan
    location: str = ""
    condition: str = "good"
    code: str = ""

    @staticmethod
    def new_id() -> str:
        return f"{ASSET}:{new_key()}"


def label_codes(record: Item | Asset) -> list[str]:
    """The normalised codes that name ``record`` when scanned or typed: its code, an asset's tag."""
    codes = [normalise(record.code)] if record.code else []
    if isinstance(record, Asset) and record.tag:
        codes.append(normalise(record.tag))
    return codes


@dataclass(frozen=True)
class Movement(DocumentRecord):
    """Stock moved: ``delta`` is signed (+ received, − taken or written off, ± adjusted)."""

    ID_FIELD = "movement_id"

    movement_id: str
    item_id: str
    kind: str
    delta: int
    at: LocalTime
    member_id: str = ""
    node: str = ""
    note: str = ""
    stocktake_id: str = ""


@dataclass(frozen=True)
class Loan(DocumentRecord):
    ID_FIELD = "loan_id"

    loan_id: str
    asset_id: str
    member_id: str
    at: LocalTime
    due: LocalTime  # YYYY-MM-DDTHH:MM
    node: str = ""

    @property
    def return_id(self) -> str:
        return f"{RETURN}:{key_of(self.loan_id)}"

    def overdue_days(self, now: datetime) -> int:
        """Whole days past the due time; 0 when not overdue."""
        late = now - datetime.strptime(self.due, _TIME_FORMAT)
        return max(0, late.days + (1 if late.seconds else 0)) if late > timedelta(0) else 0


@dataclass(frozen=True)
class Return(DocumentRecord):
    loan_id: str
    at: LocalTime
    condition: str = "good"
    node: str = ""

    @property
    def doc_id(self) -> str:
        return f"{RETURN}:{key_of(self.loan_id)}"


# -- pure derivations ---------------------------------------------------------------------------


def stock_levels(movements: Iterable[Movement]) -> dict[str, int]:
    """Item id → quantity in stock. A sum, so any order of the same events gives the same stock."""
    levels: dict[str, int] = {}
    for movement in movements:
        levels[movement.item_id] = levels.get(movement.item_id, 0) + movement.delta
    return levels


def open_loans(loans: Iterable[Loan], returned: Iterable[str]) -> dict[str, list[Loan]]:
    """Asset id → its loans without a return, oldest first. More than one is a double loan."""
    done = set(returned)
    holders: dict[str, list[Loan]] = {}
    for loan in loans:
        if loan.loan_id not in done:
            holders.setdefault(loan.asset_id, []).append(loan)
    for active in holders.values():
        active.sort(key=lambda loan: (loan.at, loan.loan_id))
    return holders


# -- events the screens and the kiosk record ---------------------------------------------------


def check_quantity(quantity: int) -> int:
    if isinstance(quantity, bool) or not isinstance(quantity, int) or not 0 < quantity <= MAX_QUANTITY:
        raise _refuse("quantity", "Quantity must be a whole number from 1 to {limit}.",
                      limit=MAX_QUANTITY)
    return quantity


def movement(item_id: str, kind: str, quantity: int, *, now: datetime, node: str,
             member_id: str = "", note: str = "") -> Movement:
    """A received / taken / written-off movement of ``quantity`` (always positive) units."""
    if kind not in (RECEIVED, TAKEN, WRITTEN_OFF):
        raise ValueError(f"not a movement kind a person records: {kind}")
    check_quantity(quantity)
    delta = quantity if kind == RECEIVED else -quantity
    return Movement(f"{MOVEMENT}:{new_key()}", item_id, kind, delta, format_time(now),
                    member_id, node, note)


def check_take(item: Item, quantity: int, in_stock: int) -> None:
    """A take may not go below what this node knows is on the shelf."""
    check_quantity(quantity)
    if quantity > in_stock:
        raise _refuse("not_enough", "Only {stock} {unit} of {name} in stock.",
                      stock=in_stock, unit=item.unit, name=item.name)


def new_loan(asset: Asset, member_id: str, active: list[Loan], *, now: datetime, days: int,
             node: str, due_by: datetime | None = None) -> Loan:
    """A loan for ``days``, due back sooner when ``due_by`` (someone's reservation) comes first."""
    if active:
        raise _refuse("on_loan", "{name} ({tag}) is already on loan.", name=asset.name,
                      tag=asset.tag)
    if days < 1:
        raise _refuse("loan_days", "A loan lasts at least one day.")
    due = now + timedelta(days=days)
    return Loan(f"{LOAN}:{new_key()}", asset.asset_id, member_id, format_time(now),
                format_time(min(due, due_by) if due_by is not None else due), node)


def return_of(loan: Loan, *, now: datetime, condition: str, node: str) -> Return:
    if condition not in CONDITIONS:
        raise _refuse("condition", "Unknown condition {condition}.", condition=condition)
    return Return(loan.loan_id, format_time(now), condition, node)


def not_yours(asset: Asset) -> ValidationError:
    return _refuse("not_yours", "{name} ({tag}) is on loan to someone else; "
                   "please hand it to the secretary.", name=asset.name, tag=asset.tag)


def return_by(asset: Asset, member_id: str, active: list[Loan], *, now: datetime, node: str,
              condition: str = "good") -> Return:
    """The member brings the asset back: only the member who holds it may return it here."""
    mine = [loan for loan in active if loan.member_id == member_id]
    if not mine:
        raise not_yours(asset)
    return return_of(mine[0], now=now, condition=condition, node=node)
