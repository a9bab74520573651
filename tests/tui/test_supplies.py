"""The supplies screen through a Pilot: stock list, receive, lend and return, stock-take."""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import Input, TabbedContent

from store import DocumentStore
from store.members import Member, save_member
from tui.widgets.common.member_picker import MemberPicker
from store.supplies import Asset, Item
from store.supplies_desk import Actor, lend, receive, save_asset, save_item, take
from store.supplies_index import SupplyIndex
from tui.app import MishuApp
from tui.context import AppContext
from tui.screens.supplies import SuppliesScreen
from tui.widgets.common.fields_dialog import FieldsDialog
from tui.widgets.supplies.tables import AssetTable, DifferenceTable, OverdueTable, StockTable

from ..conftest import FIXED_NOW
from ..kiosk.driving import wait_until

PAPER = Item("item:paper", "A4 打印纸", "包", "纸张", "柜1", reorder_level=5, code="IPAPER")
PENS = Item("item:pens", "黑色签字笔", "支", "文具", "柜2", reorder_level=3, code="IPENS")
PROJECTOR = Asset("asset:p1", "GZ-2026-001", "投影仪", code="APROJECTOR")
CAMERA = Asset("asset:c1", "GZ-2026-002", "相机", code="ACAMERA")


def seed(store: DocumentStore) -> None:
    for number, name in enumerate(["张三", "李四"], start=1):
        save_member(store, Member(f"00{number}", name, "秘书处", qr_token=f"T{number}"))
    index = SupplyIndex.for_store(store)
    store.attach_index(index)
    for record in (PAPER, PENS):
        save_item(store, record)
    for asset in (PROJECTOR, CAMERA):
        save_asset(store, asset)
    earlier = Actor(FIXED_NOW.replace(month=10), "office")
    receive(store, PAPER, 4, earlier)
    receive(store, PENS, 20, earlier)
    take(store, index, PENS, "002", 2, earlier)
    lend(store, index, CAMERA, "002", 14, earlier)  # due in October: overdue now
    store.detach_index(index)


async def open_supplies(pilot, app: MishuApp) -> SuppliesScreen:  # type: ignore[no-untyped-def]
    await pilot.press("f5")
    await pilot.pause()
    assert isinstance(app.screen, SuppliesScreen)
    await wait_until(lambda: bool(app.screen.query_one(StockTable).records), pilot)
    return app.screen


async def fill(pilot, app: MishuApp, **values: str) -> None:  # type: ignore[no-untyped-def]
    assert isinstance(app.screen, FieldsDialog)
    for name, value in values.items():
        widget = app.screen.query_one(f"#field-{name}")
        (widget.input if isinstance(widget, MemberPicker) else widget).value = value
    await pilot.press("ctrl+s")
    await pilot.pause()


async def test_stock_list_marks_low_stock_and_receive_updates_it(
        store: DocumentStore, make_ctx: Callable[..., AppContext]) -> None:
    seed(store)
    app = MishuApp(make_ctx())
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_supplies(pilot, app)
        table = screen.query_one(StockTable)
        rows = {row.item.name: row for row in table.records}
        assert rows["A4 打印纸"].stock == 4 and rows["A4 打印纸"].low
        assert rows["黑色签字笔"].stock == 18 and not rows["黑色签字笔"].low
        assert "low" in str(table.get_row_at(table.records.index(rows["A4 打印纸"]))[3])
        table.move_cursor(row=table.records.index(rows["A4 打印纸"]))
        await pilot.press("r")
        await pilot.pause()
        await fill(pilot, app, quantity="x")  # refused, the dialog stays open
        assert isinstance(app.screen, FieldsDialog)
        await fill(pilot, app, quantity="20", note="开学采购")
        await wait_until(lambda: not isinstance(app.screen, FieldsDialog), pilot)
        await wait_until(lambda: screen.supplies.level("item:paper") == 24, pilot)
        assert "开学采购" in str(screen.query_one("#supply-detail").content)


async def test_lend_then_return_an_asset_and_see_overdue(
        store: DocumentStore, make_ctx: Callable[..., AppContext]) -> None:
    seed(store)
    app = MishuApp(make_ctx())
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_supplies(pilot, app)
        overdue = screen.query_one(OverdueTable)
        assert [loan.asset_id for loan in overdue.records] == ["asset:c1"]
        assert str(overdue.get_row_at(0)[4]) == "17"  # due 2026-11-08 09:30, now 11-25 09:30
        screen.query_one(TabbedContent).active = "assets"
        await pilot.pause()
        assets = screen.query_one(AssetTable)
        assets.move_cursor(row=[row.asset.tag for row in assets.records].index("GZ-2026-001"))
        await pilot.press("l")
        await pilot.pause()
        await fill(pilot, app, member="999")  # unknown member: refused
        assert isinstance(app.screen, FieldsDialog)
        await fill(pilot, app, member="001", days="7")
        await wait_until(lambda: bool(screen.supplies.open_loans("asset:p1")), pilot)
        assert screen.supplies.open_loans("asset:p1")[0].due == "2026-12-02T09:30"
        await wait_until(lambda: "张三" in str(assets.get_row_at(assets.cursor_row)[4]), pilot)
        await pilot.press("g")
        await pilot.pause()
        await fill(pilot, app, condition="worn")
        await wait_until(lambda: not screen.supplies.open_loans("asset:p1"), pilot)
        assert screen.supplies.loan_history("asset:p1")[0][1].condition == "worn"


async def test_stocktake_counts_scans_and_confirms_adjustments(
        store: DocumentStore, make_ctx: Callable[..., AppContext]) -> None:
    seed(store)
    app = MishuApp(make_ctx("zh"))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_supplies(pilot, app)
        await pilot.press("s")
        await pilot.pause()
        assert screen.query_one(TabbedContent).active == "stocktake"
        for line in ["IPAPER", "IPAPER", "IPENS 18", "APROJECTOR", "nonsense"]:
            await pilot.press(*line, "enter")
            await pilot.pause()
        differences = {d.item_id: (d.expected, d.counted)
                       for d in screen.query_one(DifferenceTable).records}
        assert differences == {"item:paper": (4, 2)}
        status = str(screen.query_one("#stocktake-assets").content)
        assert "缺失资产：—" in status  # the camera is on loan, the projector was seen
        await pilot.press("ctrl+t")
        await wait_until(lambda: screen.supplies.level("item:paper") == 2, pilot)
        assert screen.supplies.open_stocktake() is None
