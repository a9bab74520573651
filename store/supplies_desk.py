"""What the supplies screen and the supplies kiosk do: check a rule, then append the event.

Each function reads the current derived state from :class:`SupplyIndex`, applies the pure rule
from :mod:`store.supplies` and writes with one ``put`` (or one ``bulk_put``), so an
acknowledged take, loan or return is on disk before the screen says so.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from .docstore import DocumentStore
from .errors import ConflictError, ValidationError
from .supplies import (ADJUSTED, MOVEMENT, RECEIVED, TAKEN, WRITTEN_OFF, Asset, Item, Loan,
                       Movement, Return, check_take, format_time, movement, new_code, new_key,
                       new_loan, return_by, return_of)
from .supplies_index import SupplyIndex


@dataclass(frozen=True)
class Actor:
    """Who records an event, where and when."""

    now: datetime
    node: str
    by: str = ""  # the person, where the screen knows it (a stock-take counter's name)


def save_item(store: DocumentStore, item: Item) -> Item:
    if not item.name.strip():
        raise ValidationError("supplies.error.name", "A name is required.")
    if item.reorder_level < 0:
        raise ValidationError("supplies.error.reorder", "The reorder level cannot be negative.")
    item = item if item.code else replace(item, code=new_code("I"))
    store.put_latest(item.to_doc())
    return item


def save_asset(store: DocumentStore, asset: Asset) -> Asset:
    if not asset.name.strip() or not asset.tag.strip():
        raise ValidationError("supplies.error.tag", "A tag number and a name are required.")
    asset = asset if asset.code else replace(asset, code=new_code("A"))
    store.put_latest(asset.to_doc())
    return asset


def receive(store: DocumentStore, item: Item, quantity: int, actor: Actor,
            note: str = "") -> Movement:
    recorded = movement(item.item_id, RECEIVED, quantity, now=actor.now, node=actor.node, note=note)
    store.put(recorded.to_doc())
    return recorded


def _remove_from_stock(store: DocumentStore, index: SupplyIndex, item: Item, kind: str,
                       quantity: int, actor: Actor, **details: str) -> Movement:
    check_take(item, quantity, index.level(item.item_id))
    recorded = movement(item.item_id, kind, quantity, now=actor.now, node=actor.node, **details)
    store.put(recorded.to_doc())
    return recorded


def write_off(store: DocumentStore, index: SupplyIndex, item: Item, quantity: int, actor: Actor,
              note: str = "") -> Movement:
    return _remove_from_stock(store, index, item, WRITTEN_OFF, quantity, actor, note=note)


def take(store: DocumentStore, index: SupplyIndex, item: Item, member_id: str, quantity: int,
         actor: Actor) -> Movement:
    return _remove_from_stock(store, index, item, TAKEN, quantity, actor, member_id=member_id)


def lend(store: DocumentStore, index: SupplyIndex, asset: Asset, member_id: str, days: int,
         actor: Actor, due_by: datetime | None = None) -> Loan:
    loan = new_loan(asset, member_id, index.open_loans(asset.asset_id), now=actor.now, days=days,
                    node=actor.node, due_by=due_by)
    store.put(loan.to_doc())
    return loan


def give_back(store: DocumentStore, index: SupplyIndex, asset: Asset, member_id: str,
              actor: Actor, condition: str = "good") -> Return:
    """The holder returns the asset (the kiosk's rule: nobody returns someone else's loan)."""
    returned = return_by(asset, member_id, index.open_loans(asset.asset_id), now=actor.now,
                         node=actor.node, condition=condition)
    store.put(returned.to_doc())
    return returned


def close_loan(store: DocumentStore, loan: Loan, actor: Actor, condition: str = "good") -> Return:
    """The secretary records a return (or settles one side of a double loan)."""
    returned = return_of(loan, now=actor.now, condition=condition, node=actor.node)
    if store.exists(returned.doc_id):
        return returned  # already returned, perhaps on another node: nothing to add
    try:
        store.put(returned.to_doc())
    except ConflictError:  # a peer's return replicated in between: the fact is there once
        pass
    return returned


def recount(store: DocumentStore, index: SupplyIndex, item: Item, counted: int,
            actor: Actor) -> Movement | None:
    """One item counted on the shelf (e.g. to settle negative stock after a merge): adjust to it."""
    if counted < 0:
        raise ValidationError("supplies.error.counted", "A count cannot be negative.")
    delta = counted - index.level(item.item_id)
    if delta == 0:
        return None
    recorded = Movement(f"{MOVEMENT}:{new_key()}", item.item_id, ADJUSTED, delta,
                        format_time(actor.now), node=actor.node)
    store.put(recorded.to_doc())
    return recorded
