"""Asset reservations on screen: reserve in the supplies area, a clash refused there, a clash
after a merge in the dashboard's inbox, cancel with Ctrl+Z, today's panel, a member's history."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest
from textual.widgets import DataTable, Static, TabbedContent

from store import DocumentStore
from store.reservations import Reservation, ReservationBook, ReservationDesk
from store.supplies_index import SupplyIndex
from tui.app import MishuApp
from tui.context import AppContext
from tui.dashboard_panels import todays_bookings
from tui.screens.directory import DirectoryScreen
from tui.screens.supplies import SuppliesScreen
from tui.widgets.common.confirm_dialog import ConfirmDialog
from tui.widgets.common.fields_dialog import FieldsDialog
from tui.widgets.dashboard.attention_inbox import AttentionInbox
from tui.widgets.directory.member_reservations import MemberReservations
from tui.widgets.supplies.reservation_table import ReservationTable
from tui.widgets.supplies.tables import AssetTable

from ..kiosk.driving import wait_until
from ..store.merging import sync
from .test_supplies import PROJECTOR, fill, open_supplies, seed

HOSTILE = "[red]迎新[/red]\x1b[2J晚会"


def reserved_docs(store: DocumentStore) -> list[dict[str, object]]:
    return list(store.iter_docs("reservation"))


def reserve(store: DocumentStore, member: str, start: str, end: str, node: str = "office",
            note: str = "") -> Reservation:
    supplies = SupplyIndex.for_store(store)
    store.attach_index(supplies)
    try:
        return ReservationDesk(store, node_name=node).reserve(
            Reservation("", PROJECTOR.asset_id, member, start, end, note=note), supplies.assets,
            datetime(2026, 11, 24, 17, 0))
    finally:
        store.detach_index(supplies)


async def reserve_on_screen(pilot, app: MishuApp, screen: SuppliesScreen,  # type: ignore[no-untyped-def]
                            **values: str) -> None:
    screen.query_one(TabbedContent).active = "assets"
    await pilot.pause()
    assets = screen.query_one(AssetTable)
    assets.cursor_to(lambda row: row.asset.asset_id == PROJECTOR.asset_id)
    await pilot.press("y")
    await wait_until(lambda: isinstance(app.screen, FieldsDialog), pilot)
    await fill(pilot, app, **values)


@pytest.mark.parametrize(("language", "state", "refusal"), [
    ("en", "upcoming", "GZ-2026-001 投影仪 is already reserved 2026-11-26 14:00–16:00"),
    ("zh", "未开始", "GZ-2026-001 投影仪 在 2026-11-26 14:00–16:00 已被预约"),
])
async def test_reserve_from_the_supplies_screen_and_a_clash_is_refused_there(
        store: DocumentStore, make_ctx: Callable[..., AppContext], language: str, state: str,
        refusal: str) -> None:
    seed(store)
    app = MishuApp(make_ctx(language))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_supplies(pilot, app)
        await reserve_on_screen(pilot, app, screen, member="001", date="2026-11-26",
                                start="14:00", end="16:00", note=HOSTILE)
        table = screen.query_one(ReservationTable)
        await wait_until(lambda: len(table.records) == 1, pilot)
        assert screen.query_one(TabbedContent).active == "reservations"
        cells = [str(text) for text in table.get_row_at(0)]
        assert cells[:5] == ["2026-11-26 14:00–16:00", "GZ-2026-001", "投影仪", "张三", state]
        assert cells[5] == "[red]迎新[/red]晚会"  # markup shown as typed, the escape dropped

        await reserve_on_screen(pilot, app, screen, member="002", date="2026-11-26",
                                start="15:00", end="17:00")
        assert isinstance(app.screen, FieldsDialog)  # still open, with what was typed
        assert refusal in [note.message for note in app._notifications]
        assert len(reserved_docs(store)) == 1


async def test_cancel_asks_names_it_and_ctrl_z_brings_it_back(
        store: DocumentStore, make_ctx: Callable[..., AppContext]) -> None:
    seed(store)
    made = reserve(store, "001", "2026-11-26T14:00", "2026-11-26T16:00")
    app = MishuApp(make_ctx())
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_supplies(pilot, app)
        screen.query_one(TabbedContent).active = "reservations"
        table = screen.query_one(ReservationTable)
        await wait_until(lambda: len(table.records) == 1, pilot)
        detail = screen.query_one("#supply-detail", Static)
        await wait_until(lambda: "2026-11-26 14:00–16:00  GZ-2026-001 投影仪  upcoming"
                         in str(detail.content), pilot)  # the asset's coming reservations
        table.focus()
        await pilot.press("x")
        await wait_until(lambda: isinstance(app.screen, ConfirmDialog), pilot)
        title = str(app.screen.query_one(".dialog-title").render())
        assert "GZ-2026-001 投影仪 for 张三, 2026-11-26 14:00–16:00" in title
        assert store.get(made.reservation_id)["cancelled"] is False  # nothing before the answer
        await pilot.click("#choice-0")
        await wait_until(lambda: store.get(made.reservation_id)["cancelled"] is True, pilot)
        await wait_until(lambda: table.records == [], pilot)
        await pilot.press("ctrl+z")
        await wait_until(lambda: store.get(made.reservation_id)["cancelled"] is False, pilot)
        await wait_until(lambda: len(table.records) == 1, pilot)


@pytest.mark.parametrize(("language", "kind"), [("en", "Asset reserved twice"),
                                                ("zh", "资产重复预约")])
async def test_two_offline_nodes_reserving_one_slot_meet_in_the_inbox(
        store: DocumentStore, make_store: Callable[[str], DocumentStore],
        make_ctx: Callable[..., AppContext], language: str, kind: str) -> None:
    seed(store)
    laptop = make_store("laptop")
    sync(store, laptop)
    reserve(store, "001", "2026-11-26T14:00", "2026-11-26T16:00", node="西门")
    reserve(laptop, "002", "2026-11-26T15:00", "2026-11-26T17:00", node="东门")
    sync(store, laptop)
    app = MishuApp(make_ctx(language))
    async with app.run_test(size=(140, 45)) as pilot:
        inbox = app.screen.query_one(AttentionInbox)
        await wait_until(lambda: inbox.row_count == 1, pilot)
        assert str(inbox.get_row_at(0)[0]) == kind
        assert "GZ-2026-001 投影仪" in str(inbox.get_row_at(0)[1])
        inbox.focus()
        await pilot.press("enter")
        await wait_until(lambda: isinstance(app.screen, ConfirmDialog), pilot)
        await pilot.click("#choice-0")
        await wait_until(lambda: inbox.row_count == 0, pilot)
        assert sum(doc["cancelled"] for doc in reserved_docs(store)) == 1
        await pilot.press("ctrl+z")  # the dashboard holds the undo
        await wait_until(lambda: inbox.row_count == 1, pilot)


def test_todays_reservations_are_on_the_dashboard_with_their_pickup(
        store: DocumentStore, make_ctx: Callable[..., AppContext]) -> None:
    seed(store)
    reserve(store, "001", "2026-11-25T09:00", "2026-11-25T12:00")  # now is 09:30
    reserve(store, "002", "2026-11-26T09:00", "2026-11-26T12:00")  # tomorrow: not today
    lines = [line for line in todays_bookings(make_ctx("zh")) if "投影仪" in line.cells[1]]
    assert [line.cells for line in lines] == [
        ("09:00–12:00", "GZ-2026-001 投影仪", "预约 · 张三", "待领取")]
    assert lines[0].urgent


async def test_the_members_history_in_the_directory_lists_their_reservations(
        store: DocumentStore, make_ctx: Callable[..., AppContext]) -> None:
    seed(store)
    reserve(store, "001", "2026-11-25T08:00", "2026-11-25T08:30")  # missed: released by now
    reserve(store, "001", "2026-11-26T09:00", "2026-11-26T12:00", note=HOSTILE)
    app = MishuApp(make_ctx())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f2")
        await wait_until(lambda: isinstance(app.screen, DirectoryScreen), pilot)
        history = app.screen.query_one(MemberReservations)
        members = app.screen.query_one("#member-table", DataTable)
        await wait_until(lambda: members.row_count == 2, pilot)
        assert not history.display  # 李四, first by pinyin, reserved nothing
        members.move_cursor(row=members.get_row_index("member:001"))
        await wait_until(lambda: "Reservations" in str(history.content), pilot)
        assert str(history.content).splitlines()[1:] == [
            "2026-11-26 09:00–12:00  GZ-2026-001 投影仪  upcoming",
            "2026-11-25 08:00–08:30  GZ-2026-001 投影仪  released (not collected)"]
        assert ReservationBook.from_store(store).attention_items() == []


async def test_a_weekly_reservation_lists_each_date_and_names_the_one_that_clashes(
        store: DocumentStore, make_ctx: Callable[..., AppContext]) -> None:
    seed(store)
    reserve(store, "002", "2026-12-03T15:00", "2026-12-03T16:00")
    app = MishuApp(make_ctx("zh"))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_supplies(pilot, app)
        await reserve_on_screen(pilot, app, screen, member="001", date="2026-11-26",
                                start="14:00", end="16:00", repeat="weekly", count="3")
        assert isinstance(app.screen, FieldsDialog)
        assert any("2026-12-03" in note.message for note in app._notifications)
        await fill(pilot, app, date="2026-11-27")  # Fridays are free
        table = screen.query_one(ReservationTable)
        await wait_until(lambda: len(table.records) == 4, pilot)
        assert [str(table.get_row_at(row)[0])[:10] for row in range(4)] == [
            "2026-11-27", "2026-12-03", "2026-12-04", "2026-12-11"]


async def test_the_secretarys_loan_is_due_back_before_someone_elses_reservation(
        store: DocumentStore, make_ctx: Callable[..., AppContext]) -> None:
    seed(store)
    reserve(store, "002", "2026-11-28T10:00", "2026-11-28T12:00")
    app = MishuApp(make_ctx())
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_supplies(pilot, app)
        screen.query_one(TabbedContent).active = "assets"
        await pilot.pause()
        screen.query_one(AssetTable).cursor_to(
            lambda row: row.asset.asset_id == PROJECTOR.asset_id)
        await pilot.press("l")
        await wait_until(lambda: isinstance(app.screen, FieldsDialog), pilot)
        await fill(pilot, app, member="001", days="7")
        await wait_until(lambda: bool(screen.supplies.open_loans(PROJECTOR.asset_id)), pilot)
        assert screen.supplies.open_loans(PROJECTOR.asset_id)[0].due == "2026-11-28T10:00"
