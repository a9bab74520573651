"""The supplies kiosk and reservations: only the reserver borrows a reserved asset, until the
reservation is released for want of a pickup (with a fixed clock, no cron)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest

from kiosk.supplies_app import SuppliesKiosk
from store import DocumentStore
from store.reservations import Reservation, ReservationDesk
from store.supplies_index import SupplyIndex
from tui.context import AppContext

from ..conftest import FIXED_NOW
from .driving import hand_clock, kiosk_settings, scan
from .test_supplies_kiosk import LI, PROJECTOR, ZHANG, seed

NINE_TO_NOON = Reservation("", PROJECTOR.asset_id, "001", "2026-11-25T09:00",
                           "2026-11-25T12:00", note="[bold]迎新[/bold]\x1b[31m")


@pytest.fixture
def kiosk(store: DocumentStore, make_ctx: Callable[..., AppContext]) -> Callable[..., SuppliesKiosk]:
    seed(store)
    supplies = SupplyIndex.for_store(store)
    store.attach_index(supplies)
    ReservationDesk(store, node_name="office").reserve(NINE_TO_NOON, supplies.assets,
                                                       datetime(2026, 11, 24, 17, 0))
    store.detach_index(supplies)

    def make(language: str = "en", now: datetime = FIXED_NOW) -> SuppliesKiosk:
        return SuppliesKiosk(make_ctx(language, now=now, settings=kiosk_settings()))

    return make


def loans(store: DocumentStore) -> dict[str, str]:
    return {doc["asset_id"]: doc["member_id"] for doc in store.iter_docs("loan")}


@pytest.mark.parametrize(("language", "told"), [
    ("en", "投影仪 (GZ-2026-001) is reserved until 12:00"),
    ("zh", "投影仪（GZ-2026-001）已被预约，12:00 前不能借出"),
])
async def test_another_member_is_told_until_when_and_nothing_is_recorded(
        kiosk: Callable[..., SuppliesKiosk], store: DocumentStore, language: str,
        told: str) -> None:
    app = kiosk(language)
    async with app.run_test(size=(80, 24)) as pilot:
        await scan(pilot, LI)
        await scan(pilot, "APROJECTOR")
        assert app.result.outcome == "notice"  # neutral: the member did nothing wrong
        assert app.result.headline == told
        assert "张三" not in app.result.headline + app.result.detail  # who reserved stays private
        assert app.cart is not None and app.cart.lines == []
        await pilot.press("enter")
        await pilot.pause()
        assert loans(store) == {"asset:c1": "002"}


async def test_the_reserver_borrows_it_during_the_reservation(
        kiosk: Callable[..., SuppliesKiosk], store: DocumentStore) -> None:
    app = kiosk()
    async with app.run_test(size=(80, 24)) as pilot:
        await scan(pilot, ZHANG)
        await scan(pilot, "APROJECTOR")
        assert app.result.outcome == "ok" and "borrow 投影仪" in app.result.headline
        await pilot.press("enter")
        await pilot.pause()
        assert app.result.headline == "Done — thank you"
        assert loans(store)[PROJECTOR.asset_id] == "001"


async def test_an_uncollected_reservation_is_released_after_the_window(
        kiosk: Callable[..., SuppliesKiosk], store: DocumentStore) -> None:
    """09:00 start, 60 minutes to collect: at 09:59 it still waits, at 10:00 it is released."""
    app = kiosk(now=datetime(2026, 11, 25, 9, 59))
    async with app.run_test(size=(80, 24)) as pilot:
        await scan(pilot, LI)
        await scan(pilot, "APROJECTOR")
        assert app.result.outcome == "notice"
        app.ctx.clock = lambda: datetime(2026, 11, 25, 10, 0)
        hand_clock(app).wait(60.0)  # a minute on: not the scanner repeating itself
        await scan(pilot, "APROJECTOR")
        assert app.result.outcome == "ok", (app.result.headline, app.result.detail)
        assert "borrow 投影仪" in app.result.headline
        await pilot.press("enter")
        await pilot.pause()
        assert loans(store)[PROJECTOR.asset_id] == "002"


@pytest.mark.parametrize(("language", "line"), [
    ("en", "borrow 投影仪 (GZ-2026-001) — back by 11-26 09:00, it is reserved then"),
    ("zh", "借用 投影仪（GZ-2026-001）——请于 11-26 09:00 前归还，届时已被预约"),
])
async def test_a_loan_before_someone_elses_reservation_is_due_back_when_it_begins(
        kiosk: Callable[..., SuppliesKiosk], store: DocumentStore, language: str,
        line: str) -> None:
    """Today's reservation is over at 12:00; 张三 reserved it again for tomorrow 09:00, so 李四
    borrowing it at 12:30 has it until then, not for the usual fortnight."""
    supplies = SupplyIndex.for_store(store)
    store.attach_index(supplies)
    ReservationDesk(store).reserve(
        Reservation("", PROJECTOR.asset_id, "001", "2026-11-26T09:00", "2026-11-26T10:00"),
        supplies.assets, FIXED_NOW)
    store.detach_index(supplies)
    app = kiosk(language, now=datetime(2026, 11, 25, 12, 30))
    async with app.run_test(size=(80, 24)) as pilot:
        await scan(pilot, LI)
        await scan(pilot, "APROJECTOR")
        assert app.result.outcome == "ok" and app.result.headline == line
        await pilot.press("enter")
        await pilot.pause()
        assert "2026-11-26 09:00" in app.result.detail
    due = {doc["asset_id"]: doc["due"] for doc in store.iter_docs("loan")}
    assert due[PROJECTOR.asset_id] == "2026-11-26T09:00"
