"""The supplies screen through a Pilot: stock list, receive, lend and return, stock-take."""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import Input, Select, TabbedContent

from store import DocumentStore
from store.members import Member, save_member
from tui.widgets.common.member_picker import MemberPicker
from store.supplies import Asset, Item
from store.supplies_desk import Actor, lend, receive, save_asset, save_item, take
from store.supplies_index import SupplyIndex
from tui.app import MishuApp
from tui.context import AppContext
from tui.screens.supplies import SuppliesScreen
from tui.widgets.common.confirm_dialog import ConfirmDialog
from tui.widgets.common.fields_dialog import FieldsDialog
from tui.widgets.supplies.tables import AssetTable, CountTable, OverdueTable, StockTable

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
        field = app.screen.query_one(f"#field-{name}")
        if isinstance(field, MemberPicker):
            field = field.input
        assert isinstance(field, Input | Select)
        field.value = value
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
        assert "low" in str(table.get_row_at(table.records.index(rows["A4 打印纸"]))[4])
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


async def start_counting(pilot, app: MishuApp, by: str, shelf: str) -> SuppliesScreen:  # type: ignore[no-untyped-def]
    screen = await open_supplies(pilot, app)
    await pilot.press("s")
    await pilot.pause()
    await fill(pilot, app, by=by, shelf=shelf)
    await wait_until(lambda: app.screen is screen and screen.supplies.open_stocktake() is not None,
                     pilot)
    assert screen.query_one(TabbedContent).active == "stocktake"
    return screen


async def scan(pilot, *lines: str) -> None:  # type: ignore[no-untyped-def]
    for line in lines:
        await pilot.press(*line, "enter")
        await pilot.pause()


async def test_stocktake_confirm_lists_the_adjustments_asks_and_can_be_undone(
        store: DocumentStore, make_ctx: Callable[..., AppContext]) -> None:
    seed(store)
    app = MishuApp(make_ctx("zh"))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await start_counting(pilot, app, "王秘书", "柜1")
        await scan(pilot, "IPAPER", "ipaper", "APROJECTOR", "GZ-9 2", "nonsense")
        counts = {c.item_id: (c.expected, c.counted, c.counted_by)
                  for c in screen.query_one(CountTable).records}
        assert counts == {"item:paper": (4, 2, ("王秘书",))}  # the pens were not counted
        table = screen.query_one(CountTable)
        assert [str(cell) for cell in table.get_row_at(0)[2:5]] == ["4", "2", "-2"]
        audit = str(screen.query_one("#stocktake-audit").content)
        assert "GZ-9 ×1" in audit and "NONSENSE ×1" in audit
        assert "借出但在库：—" in audit and "于 柜1：扫描 5 次，6 件" in audit
        await pilot.press("ctrl+t")
        await wait_until(lambda: isinstance(app.screen, ConfirmDialog), pilot)
        lines = [str(line.content) for line in app.screen.query("#confirm-lines Static")]
        assert lines == ["A4 打印纸（IPAPER）：账面 4，实盘 2，调整 -2"]
        assert "将登记 1 条调整" in str(app.screen.query_one(".dialog-title").content)
        await pilot.press("escape")  # asked, declined: nothing written
        await wait_until(lambda: app.screen is screen, pilot)
        assert screen.supplies.level("item:paper") == 4 and screen.supplies.open_stocktake()
        await pilot.press("ctrl+t")
        await wait_until(lambda: isinstance(app.screen, ConfirmDialog), pilot)
        await pilot.click("#choice-0")
        await wait_until(lambda: screen.supplies.level("item:paper") == 2, pilot)
        assert screen.supplies.level("item:pens") == 18  # uncounted: left alone
        screen.query_one(TabbedContent).active = "stock"  # redrawn as it comes into view
        stock = screen.query_one(StockTable)
        await wait_until(lambda: str(stock.get_row_at(
            stock.records.index(next(r for r in stock.records if r.item == PAPER)))[4])
            .startswith("2 包"), pilot)
        screen.query_one(TabbedContent).active = "stocktake"
        assert screen.supplies.open_stocktake() is None
        await wait_until(lambda: "已确认：登记了 1 条调整" in str(
            screen.query_one("#stocktake-status").content), pilot)
        await pilot.press("ctrl+z")
        await wait_until(lambda: screen.supplies.level("item:paper") == 4, pilot)
        assert screen.supplies.open_stocktake() is not None


async def test_stocktake_cancel_asks_keeps_stock_and_undo_reopens(
        store: DocumentStore, make_ctx: Callable[..., AppContext]) -> None:
    seed(store)
    app = MishuApp(make_ctx())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_counting(pilot, app, "Li", "")
        await scan(pilot, "IPENS 3")
        await pilot.press("ctrl+g")
        await wait_until(lambda: isinstance(app.screen, ConfirmDialog), pilot)
        assert "1 scan(s)" in str(app.screen.query_one(".dialog-title").content)
        await pilot.click("#choice-0")
        await wait_until(lambda: screen.supplies.open_stocktake() is None, pilot)
        assert screen.supplies.level("item:pens") == 18
        await wait_until(lambda: "Cancelled" in str(
            screen.query_one("#stocktake-status").content), pilot)
        await pilot.press("ctrl+z")
        await wait_until(lambda: screen.supplies.open_stocktake() is not None, pilot)


async def test_an_unknown_code_is_registered_from_the_report(
        store: DocumentStore, make_ctx: Callable[..., AppContext]) -> None:
    seed(store)
    app = MishuApp(make_ctx())
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await start_counting(pilot, app, "Li", "柜2")
        await scan(pilot, "GZ-2026-777")
        await pilot.press("ctrl+n")
        await pilot.pause()
        await fill(pilot, app, name="旧音箱")
        await wait_until(lambda: bool(screen.supplies.find_code("GZ-2026-777")), pilot)
        report = screen.shown_report()
        assert report is not None and report.unknown == () and len(report.seen) == 1


async def test_returned_damaged_shows_damaged_and_codes_are_listed(
        store: DocumentStore, make_ctx: Callable[..., AppContext]) -> None:
    seed(store)
    app = MishuApp(make_ctx("zh"))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_supplies(pilot, app)
        stock = screen.query_one(StockTable)
        assert "IPAPER" in [str(stock.get_row_at(n)[1]) for n in range(len(stock.records))]
        screen.query_one(TabbedContent).active = "assets"
        await pilot.pause()
        assets = screen.query_one(AssetTable)
        assets.move_cursor(row=[row.asset.tag for row in assets.records].index("GZ-2026-002"))
        await pilot.press("g")
        await pilot.pause()
        select = app.screen.query_one("#field-condition", Select)
        assert [str(label) for label, _ in select._options] == ["完好", "磨损", "损坏", "遗失"]
        await fill(pilot, app, condition="damaged")
        await wait_until(lambda: not screen.supplies.open_loans("asset:c1"), pilot)
        row = [row.asset.tag for row in assets.records].index("GZ-2026-002")
        await wait_until(lambda: str(assets.get_row_at(row)[3]) == "损坏", pilot)


async def test_write_off_names_the_stock_change_asks_and_ctrl_z_takes_it_back(
        store: DocumentStore, make_ctx: Callable[..., AppContext]) -> None:
    seed(store)
    app = MishuApp(make_ctx())
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_supplies(pilot, app)
        table = screen.query_one(StockTable)
        table.move_cursor(row=[row.item.item_id for row in table.records].index("item:pens"))
        table.focus()
        await pilot.press("w")
        await pilot.pause()
        await fill(pilot, app, quantity="5", note="漏墨")
        await wait_until(lambda: isinstance(app.screen, ConfirmDialog), pilot)
        assert "Stock 18 → 13" in str(app.screen.query_one(".dialog-title").render())
        assert screen.supplies.level("item:pens") == 18  # nothing written before the answer
        await pilot.click("#choice-0")
        await wait_until(lambda: screen.supplies.level("item:pens") == 13, pilot)
        await pilot.press("ctrl+z")
        await wait_until(lambda: screen.supplies.level("item:pens") == 18, pilot)


async def test_a_bracketed_hint_is_the_empty_fields_placeholder_not_a_wrapped_label(
    store: DocumentStore, make_ctx: Callable[..., AppContext]
) -> None:
    """Before: 购置日期（YYYY-MM-DD） wrapped in the label column as 购置日期（YYYY-M / M-DD）."""
    from tui.widgets.common.fields_dialog import label_and_hint

    assert label_and_hint("单位（包、支、盒…）") == ("单位", "包、支、盒…")
    assert label_and_hint("Unit (pack, box…)") == ("Unit", "pack, box…")
    assert label_and_hint("名称") == ("名称", "")
    seed(store)
    app = MishuApp(make_ctx("zh"))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_supplies(pilot, app)
        await pilot.press("a")
        await wait_until(lambda: isinstance(app.screen, FieldsDialog), pilot)
        labels = [str(label.content) for label in app.screen.query(".form-row Label")]
        assert "购置日期" in labels and all("（" not in label for label in labels)
        assert app.screen.query_one("#field-purchased", Input).placeholder == "YYYY-MM-DD"


async def test_undo_after_a_new_count_started_leaves_the_closed_count_closed(
        store: DocumentStore, make_ctx: Callable[..., AppContext]) -> None:
    """The stock-take's undo is the screen's one Ctrl+Z slot now: starting a new count is the
    last thing done here, so Ctrl+Z must not reopen the cancelled count beside the new one."""
    seed(store)
    app = MishuApp(make_ctx())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_counting(pilot, app, "Li", "")
        first = screen.supplies.open_stocktake()
        await pilot.press("ctrl+g")
        await wait_until(lambda: isinstance(app.screen, ConfirmDialog), pilot)
        await pilot.click("#choice-0")
        await wait_until(lambda: screen.supplies.open_stocktake() is None, pilot)
        screen.set_focus(None)  # out of the count field, where "s" would be typed
        await pilot.press("s")
        await wait_until(lambda: isinstance(app.screen, FieldsDialog), pilot)
        await fill(pilot, app, by="Li", shelf="")
        await wait_until(lambda: screen.supplies.open_stocktake() is not None, pilot)
        second = screen.supplies.open_stocktake()
        assert second != first
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert screen.supplies.open_stocktake() == second
        assert screen.supplies.stocktake_report(first.stocktake_id).status != "open"
