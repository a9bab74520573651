"""The secretary's app folds closed years of stock movements into balances for the kiosks."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from store import DocumentStore
from store.supplies import RECEIVED, TAKEN, movement
from store.supply_balances import balance_id
from tui.app import MishuApp
from tui.context import AppContext


async def test_opening_the_app_writes_the_balances_a_supplies_kiosk_pulls(
    store: DocumentStore, make_ctx: Callable[..., AppContext]
) -> None:
    store.put({"_id": "item:paper", "name": "A4纸", "unit": "包"})
    store.bulk_put([
        movement("item:paper", RECEIVED, 20, now=datetime(2019, 3, 1, 9, 0), node="office").to_doc(),
        movement("item:paper", TAKEN, 5, now=datetime(2019, 9, 1, 9, 0), node="kiosk").to_doc(),
        movement("item:paper", TAKEN, 2, now=datetime(2026, 11, 2, 9, 0), node="kiosk").to_doc(),
    ])
    app = MishuApp(make_ctx())
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
    balance = store.get(balance_id("item:paper", "2019"))
    assert (balance["delta"], balance["movements"]) == (15, 2)
    assert store.ids_of_type("balance") == [balance_id("item:paper", "2019")]
