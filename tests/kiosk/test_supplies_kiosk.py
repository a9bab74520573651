"""The supplies kiosk through a Pilot: badge, item and asset scans, confirm, refusals, locking."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from kiosk.supplies_app import SuppliesKiosk
from store import DocumentStore
from store.members import Member, save_member
from store.supplies import Asset, Item
from store.supplies_desk import Actor, lend, receive, save_asset, save_item
from store.supplies_index import SupplyIndex
from tui.context import AppContext

from .driving import kiosk_settings, scan, type_slowly, wait_until
from ..conftest import FIXED_NOW

PAPER = Item("item:paper", "A4 打印纸", "包", "纸张", reorder_level=2, code="IPAPER")
PROJECTOR = Asset("asset:p1", "GZ-2026-001", "投影仪", code="APROJECTOR")
CAMERA = Asset("asset:c1", "GZ-2026-002", "相机", code="ACAMERA")
ZHANG, LI = f"M{1:016X}", f"M{2:016X}"


def seed(store: DocumentStore) -> None:
    for number, name in enumerate(["张三", "李四"], start=1):
        save_member(store, Member(f"00{number}", name, "秘书处", qr_token=f"M{number:016X}"))
    index = SupplyIndex.for_store(store)
    store.attach_index(index)
    for item in (PAPER,):
        save_item(store, item)
    save_asset(store, PROJECTOR)
    save_asset(store, CAMERA)
    actor = Actor(FIXED_NOW, "office")
    receive(store, PAPER, 10, actor)
    lend(store, index, CAMERA, "002", 14, actor)  # 李四 holds the camera
    store.detach_index(index)


@pytest.fixture
def kiosk(store: DocumentStore, make_ctx: Callable[..., AppContext]) -> Callable[..., SuppliesKiosk]:
    seed(store)

    def make(language: str = "en", **changes: object) -> SuppliesKiosk:
        return SuppliesKiosk(make_ctx(language, settings=kiosk_settings(**changes)))

    return make


def taken(store: DocumentStore) -> list[tuple[str, int, str]]:
    return sorted((doc["item_id"], doc["delta"], doc["member_id"])
                  for doc in store.iter_docs("movement") if doc["kind"] == "taken")


async def test_badge_items_and_asset_then_confirm_records_events(
        kiosk: Callable[..., SuppliesKiosk], store: DocumentStore) -> None:
    app = kiosk()
    async with app.run_test(size=(80, 24)) as pilot:
        await scan(pilot, ZHANG)
        assert app.member is not None and app.member.name == "张三"
        await scan(pilot, "IPAPER")
        assert "How many?" in app.result.detail and "10 包" in app.result.detail
        await type_slowly(pilot, "3")
        assert app.result.outcome == "ok" and "take 3 包 A4 打印纸" in app.result.headline
        await scan(pilot, "APROJECTOR")
        assert "borrow 投影仪" in app.result.headline
        cart = str(app.kiosk_screen.query_one("#kiosk-cart").content)
        assert "take 3 包" in cart and "borrow 投影仪 (GZ-2026-001)" in cart
        assert store.ids_of_type("loan") == [loan for loan in store.ids_of_type("loan")
                                             if store.get(loan)["asset_id"] == CAMERA.asset_id]
        await pilot.press("enter")  # Enter alone: confirm the list
        await pilot.pause()
        assert app.result.outcome == "ok" and app.result.headline == "Done — thank you"
        assert "2026-12-09 09:30" in app.result.detail
        assert taken(store) == [("item:paper", -3, "001")]
        loans = {doc["asset_id"]: doc["member_id"] for doc in store.iter_docs("loan")}
        assert loans == {"asset:p1": "001", "asset:c1": "002"}
        assert app.cart is None


async def test_scanning_on_means_one_and_stock_is_checked(kiosk: Callable[..., SuppliesKiosk],
                                                         store: DocumentStore) -> None:
    app = kiosk()
    async with app.run_test(size=(80, 24)) as pilot:
        await scan(pilot, ZHANG)
        await scan(pilot, "IPAPER")
        await scan(pilot, "IPAPER")  # a double read of the same label is ignored
        await pilot.press("enter")  # Enter alone answers "how many?" with one
        await pilot.pause()
        assert app.cart is not None and [line.quantity for line in app.cart.lines] == [1]
        app.debouncer.forget()
        await scan(pilot, "IPAPER")
        await scan(pilot, "APROJECTOR")  # scanning on answers it with one as well
        assert [line.quantity for line in app.cart.lines[:1]] == [2]
        assert app.cart.lines[1].record == PROJECTOR
        await scan(pilot, "IPAPER")
        await type_slowly(pilot, "9")
        assert app.result.outcome == "refused"
        assert app.result.headline == "Only 10 包 of A4 打印纸 in stock."
        await pilot.press("enter")
        await pilot.pause()
        assert taken(store) == [("item:paper", -2, "001")]


async def test_returning_someone_elses_asset_is_refused(kiosk: Callable[..., SuppliesKiosk],
                                                      store: DocumentStore) -> None:
    app = kiosk("zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await scan(pilot, ZHANG)
        await scan(pilot, "ACAMERA")
        assert app.result.outcome == "refused"
        assert app.result.headline == "相机（GZ-2026-002）借给了其他人，请交给秘书处工作人员。"
        assert app.cart is not None and app.cart.lines == []


async def test_the_holder_returns_an_asset(kiosk: Callable[..., SuppliesKiosk],
                                           store: DocumentStore) -> None:
    app = kiosk()
    async with app.run_test(size=(80, 24)) as pilot:
        await type_slowly(pilot, "002")  # typed member ID
        await scan(pilot, "gz-2026-002")  # a typed tag number works like the label
        assert "return 相机" in app.result.headline
        await pilot.press("enter")
        await pilot.pause()
        assert app.result.outcome == "ok"
        assert [doc["_id"] for doc in store.iter_docs("return")] != []
        assert app.supplies.open_loans(CAMERA.asset_id) == []


async def test_items_before_a_badge_and_unknown_labels_are_refused(
        kiosk: Callable[..., SuppliesKiosk], store: DocumentStore) -> None:
    app = kiosk()
    async with app.run_test(size=(80, 24)) as pilot:
        await scan(pilot, "IPAPER")
        assert app.result.outcome == "refused" and app.result.headline == "Please scan your badge first"
        await scan(pilot, ZHANG)
        await scan(pilot, "APROJECTOR")
        await scan(pilot, "XXXXXXXX")
        assert app.result.headline == "Unknown label"
        await scan(pilot, LI)
        assert app.result.headline.startswith("Confirm (Enter) or cancel (Esc)")
        assert app.member is not None and app.member.name == "张三"


async def test_idle_reset_and_escape_record_nothing(kiosk: Callable[..., SuppliesKiosk],
                                                    store: DocumentStore) -> None:
    app = kiosk(idle_reset_seconds=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await scan(pilot, ZHANG)
        await scan(pilot, "APROJECTOR")
        await wait_until(lambda: app.cart is None and app.result.outcome == "idle", pilot)
        assert "张三" not in app.result.detail + app.result.headline
        await scan(pilot, ZHANG)
        await scan(pilot, "IPAPER")
        await pilot.press("escape")
        await pilot.pause()
        assert app.cart is None
        assert (app.result.outcome, app.result.headline) == ("notice", "Cancelled — nothing recorded")
        assert "Enter: confirm" not in str(app.kiosk_screen.query_one("#kiosk-hint").content)
    assert taken(store) == []
    assert len(store.ids_of_type("loan")) == 1


async def test_quit_keys_do_not_exit(kiosk: Callable[..., SuppliesKiosk]) -> None:
    app = kiosk()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+c", "ctrl+q", "ctrl+z")
        await pilot.pause()
        assert app.is_running and app.return_code is None
