"""What one member is about to take, borrow and bring back at the supplies kiosk.

Scans fill the cart; nothing is written until the member confirms, so walking away (the idle
reset) records nothing. Each scan is checked when it is added, so a refusal comes at the item
that caused it, and checked again by the store rules when the cart is recorded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from store.errors import ValidationError
from store.docstore import DocumentStore
from store.supplies import Asset, Item, check_take, not_yours
from store.supplies_desk import Actor, give_back, lend, take
from store.supplies_index import SupplyIndex


class LineKind(StrEnum):
    TAKE = "take"
    LEND = "lend"
    RETURN = "return"


@dataclass
class CartLine:
    kind: LineKind
    record: Item | Asset
    quantity: int = 1
    due_by: datetime | None = None  # a borrowed asset reserved by someone else then


@dataclass
class Cart:
    member_id: str
    lines: list[CartLine] = field(default_factory=list)

    def quantity_of(self, item: Item) -> int:
        return sum(line.quantity for line in self.lines
                   if line.kind is LineKind.TAKE and line.record == item)

    def add_take(self, index: SupplyIndex, item: Item, quantity: int) -> CartLine:
        check_take(item, self.quantity_of(item) + quantity, index.level(item.item_id))
        for line in self.lines:
            if line.kind is LineKind.TAKE and line.record == item:
                line.quantity += quantity
                return line
        line = CartLine(LineKind.TAKE, item, quantity)
        self.lines.append(line)
        return line

    def add_asset(self, index: SupplyIndex, asset: Asset,
                  due_by: datetime | None = None) -> CartLine:
        """Borrow an asset that is in the room (back by ``due_by`` when given), or return one
        this member holds."""
        if any(line.record == asset for line in self.lines):
            raise ValidationError("supplies.error.in_cart", "{name} is already on your list.",
                                  name=asset.name)
        active = index.open_loans(asset.asset_id)
        if not active:
            line = CartLine(LineKind.LEND, asset, due_by=due_by)
        elif any(loan.member_id == self.member_id for loan in active):
            line = CartLine(LineKind.RETURN, asset)
        else:
            raise not_yours(asset)
        self.lines.append(line)
        return line

    def record(self, store: DocumentStore, index: SupplyIndex, actor: Actor,
               loan_days: int) -> Receipt:
        """Write every line that the rules still allow (a replicated loan may have come in)."""
        receipt = Receipt()
        for line in self.lines:
            try:
                if line.kind is LineKind.TAKE:
                    assert isinstance(line.record, Item)
                    take(store, index, line.record, self.member_id, line.quantity, actor)
                elif line.kind is LineKind.LEND:
                    assert isinstance(line.record, Asset)
                    due = lend(store, index, line.record, self.member_id, loan_days, actor,
                               line.due_by).due
                    receipt.due = min(receipt.due, due) if receipt.due else due
                else:
                    assert isinstance(line.record, Asset)
                    give_back(store, index, line.record, self.member_id, actor)
            except ValidationError as error:
                receipt.refused.append((line, error))
            else:
                receipt.recorded.append(line)
        return receipt


@dataclass
class Receipt:
    recorded: list[CartLine] = field(default_factory=list)
    refused: list[tuple[CartLine, ValidationError]] = field(default_factory=list)
    due: str = ""  # when the first borrowed asset is due back
