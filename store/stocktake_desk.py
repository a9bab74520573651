"""What a counter does during a stock-take: start or join it, scan, confirm, cancel.

Every step appends a fact (:mod:`store.stocktake`); none rewrites another counter's work.
Confirming writes adjustments only for counted items, under ids that make a second confirm
(here or on another node) a no-op, and closes the count. Undoing a confirm or a cancel
(:mod:`store.undo`, as every undo) deletes the close and the adjustments just written (ordinary
edits that replicate), so the stock is as before and the scans are still there to be confirmed
again.
"""

from __future__ import annotations

from .docstore import DocumentStore
from .errors import ValidationError
from .stocktake import (CANCELLED, CONFIRMED, Scan, Stocktake, StocktakeClose, canonical_code,
                        stocktake_id_for)
from .stocktake_report import StocktakeReport, confirm_plan
from .supplies import Asset, Item, Movement, check_quantity, format_time
from .supplies_desk import Actor
from .supplies_index import SupplyIndex


def start_stocktake(store: DocumentStore, index: SupplyIndex, actor: Actor,
                    scope: str = "") -> Stocktake:
    """Join the open stock-take if there is one; otherwise start a new count."""
    current = index.open_stocktake()
    if current is not None:
        return current
    stocktake = Stocktake(stocktake_id_for(actor.now, index.stocktakes), format_time(actor.now),
                          actor.by, scope.strip(), actor.node)
    store.put(stocktake.to_doc())
    return stocktake


def record_scan(store: DocumentStore, index: SupplyIndex, stocktake: Stocktake, code: str,
                actor: Actor, location: str = "", quantity: int = 1) -> Item | Asset | None:
    """One scan, its own document. An unknown code is recorded too (the report lists it);
    the answer is what the code names here and now, ``None`` when nothing does."""
    code = canonical_code(code)
    if not code:
        raise ValidationError("supplies.error.empty_code", "Scan a label or type a code.")
    check_quantity(quantity)
    _refuse_if_closed(index, stocktake)
    scan = Scan(Scan.new_id(), stocktake.stocktake_id, code, quantity,
                format_time(actor.now), actor.by, location.strip(), actor.node)
    store.put(scan.to_doc())
    return index.find_code(code)


def _refuse_if_closed(index: SupplyIndex, stocktake: Stocktake) -> None:
    if stocktake.stocktake_id in index.closes or stocktake.confirmed_at:
        raise ValidationError("supplies.error.stocktake_closed",
                              "This stock-take is already closed.")


def confirm_stocktake(store: DocumentStore, index: SupplyIndex, report: StocktakeReport,
                      actor: Actor) -> list[Movement]:
    """Write the adjustments of ``report`` (the one the person was shown) and close the count."""
    stocktake = report.stocktake
    _refuse_if_closed(index, stocktake)
    planned = [m for m in confirm_plan(report, now=actor.now, node=actor.node)
               if not store.exists(m.movement_id)]  # written by a confirm elsewhere: once only
    close = StocktakeClose(stocktake.stocktake_id, CONFIRMED, format_time(actor.now), actor.by,
                           actor.node)
    store.bulk_put([*(m.to_doc() for m in planned), close.to_doc()])
    return planned


def cancel_stocktake(store: DocumentStore, index: SupplyIndex, stocktake: Stocktake,
                     actor: Actor) -> None:
    """Close the count without touching stock; its scans stay on record."""
    _refuse_if_closed(index, stocktake)
    store.put(StocktakeClose(stocktake.stocktake_id, CANCELLED, format_time(actor.now), actor.by,
                             actor.node).to_doc())
