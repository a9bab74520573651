"""Dashboard inbox, conflict resolution, and the no-traceback-on-screen guarantee."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from textual.widgets import DataTable

from store import DocumentStore
from store.demo import fill_demo
from tui.app import MishuApp
from tui.context import AppContext
from tui.dashboard_panels import PANELS, todays_bookings
from tui.logging_setup import setup_logging
from tui.screens import dashboard as dashboard_screen
from tui.screens.dashboard import DashboardScreen
from tui.widgets.dashboard.attention_inbox import AttentionInbox
from tui.widgets.dashboard.panel import DashboardPanel, PanelLine, PanelSource

from ..conftest import FIXED_NOW
from ..kiosk.driving import wait_until
from tui.widgets.dashboard.conflict_dialog import ConflictDialog


def make_conflict(store: DocumentStore) -> None:
    rev = store.put({"_id": "room:201", "name": "学生活动中心201", "capacity": 30})
    base = rev.split("-")[1]
    store.put_revisions([
        {"_id": "room:201", "_rev": "2-aaaa", "_revisions": {"start": 2, "ids": ["aaaa", base]},
         "name": "学生活动中心201", "capacity": 40},
        {"_id": "room:201", "_rev": "2-bbbb", "_revisions": {"start": 2, "ids": ["bbbb", base]},
         "name": "活动中心201室", "capacity": 30},
    ])


async def test_conflict_view_picks_a_side_and_the_conflict_disappears(
    store: DocumentStore, make_ctx: Callable[..., AppContext]
) -> None:
    make_conflict(store)
    app = MishuApp(make_ctx())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        inbox = app.screen.query_one("#attention-inbox", DataTable)
        assert inbox.row_count == 1
        inbox.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConflictDialog)
        table = app.screen.query_one("#conflict-table", DataTable)
        fields = [str(table.get_row_at(r)[0]).strip() for r in range(table.row_count)]
        assert fields[:2] == ["≠ name", "≠ capacity"] or fields[:2] == ["≠ capacity", "≠ name"]
        await pilot.click("#keep-2")  # the losing version: capacity 40
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        assert store.conflicts("room:201") == []
        assert store.get("room:201")["capacity"] == 40
        await pilot.pause()
        assert app.screen.query_one("#attention-inbox", DataTable).row_count == 0


async def test_merging_field_by_field(store: DocumentStore, make_ctx: Callable[..., AppContext]) -> None:
    make_conflict(store)
    app = MishuApp(make_ctx())
    async with app.run_test(size=(120, 40)) as pilot:
        app.push_screen(ConflictDialog("room:201"))
        await pilot.pause()
        dialog = app.screen
        table = dialog.query_one("#conflict-table", DataTable)
        capacity_row = table.get_row_index("capacity")
        table.focus()
        table.cursor_coordinate = (capacity_row, 2)  # version 2's capacity (40)
        await pilot.press("enter")
        await pilot.pause()
        assert dialog.merged == {"name": "活动中心201室", "capacity": 40}
        await pilot.click("#save-merged")
        await pilot.pause()
    assert store.conflicts("room:201") == []
    assert store.get("room:201")["capacity"] == 40 and store.get("room:201")["name"] == "活动中心201室"


@pytest.mark.expect_ui_error
async def test_exception_in_an_action_is_logged_and_notified_and_app_keeps_running(
    store: DocumentStore, make_ctx: Callable[..., AppContext], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store.put({"_id": "member:1", "name": "张三"})
    log_file = setup_logging(tmp_path / "logs-home")

    def explode(self: DashboardScreen) -> None:
        raise RuntimeError("injected failure")

    monkeypatch.setattr(DashboardScreen, "action_refresh_dashboard", explode)
    app = MishuApp(make_ctx())
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("ctrl+r")
            await pilot.pause()
            messages = [n.message for n in app._notifications]
            assert any("Something went wrong (RuntimeError)" in m for m in messages)
            assert "Traceback" not in "".join(messages)
            await pilot.press("f2")  # still alive and responsive
            await pilot.pause()
            assert app.is_running and app.screen.__class__.__name__ == "DirectoryScreen"
        assert app.return_code in (0, None)
        logging.shutdown
        text = log_file.read_text(encoding="utf-8")
        assert "Traceback" in text and "injected failure" in text
    finally:
        for handler in list(logging.getLogger().handlers):
            if getattr(handler, "baseFilename", "").startswith(str(tmp_path)):
                logging.getLogger().removeHandler(handler)
                handler.close()


async def test_kpi_view_opens_and_exports(
    store: DocumentStore, make_ctx: Callable[..., AppContext], tmp_path: Path
) -> None:
    store.put({"_id": "member:1", "name": "张三"})
    app = MishuApp(make_ctx(language="zh"))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+k")
        await pilot.pause()
        from textual.widgets import Input
        from tui.screens.kpi import KpiScreen

        assert isinstance(app.screen, KpiScreen)
        table = app.screen.query_one("#kpi-table", DataTable)
        assert str(table.get_row_at(0)[0]) == "召开会议数"
        target = tmp_path / "kpi.csv"
        app.screen.query_one("#kpi-export-path", Input).value = str(target)
        await pilot.click("#kpi-export")
        await pilot.pause()
    lines = target.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "指标,数值" and lines[1].startswith("召开会议数,")


async def test_kpi_xlsx_export_writes_no_formulas(
    store: DocumentStore, make_ctx: Callable[..., AppContext], tmp_path: Path
) -> None:
    from openpyxl import load_workbook
    from textual.widgets import Input

    from store.rooms import Room, save_room

    save_room(store, Room("room:evil", '=HYPERLINK("http://evil.example")', capacity=20))
    app = MishuApp(make_ctx(language="en"))
    target = tmp_path / "kpi.xlsx"
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+k")
        await pilot.pause()
        app.screen.query_one("#kpi-export-path", Input).value = str(target)
        await pilot.click("#kpi-export")
        await pilot.pause()
    sheet = load_workbook(target).active
    assert sheet.title == "Key figures"
    assert [cell.coordinate for row in sheet.iter_rows() for cell in row
            if cell.data_type == "f"] == []
    assert 'Room use: =HYPERLINK("http://evil.example")' in [
        row[0] for row in sheet.iter_rows(values_only=True)]


def kpi_fixture(store: DocumentStore) -> None:
    """A hand-built November; the expected figures are worked out in the test below."""
    from store.booking import Booking
    from store.meetings import Meeting, SignIn
    from store.rooms import Room, save_room

    save_room(store, Room("room:a", "201", capacity=20, open_from="08:00", open_until="22:00"))
    for booking in (
        Booking("booking:1", "room:a", "2026-11-10T09:00", "2026-11-10T12:00", "例会",
                status="confirmed", created_at="2026-11-09T09:00", confirmed_at="2026-11-09T10:00"),
        Booking("booking:2", "room:a", "2026-11-12T14:00", "2026-11-12T16:00", "培训",
                status="confirmed", created_at="2026-11-11T09:00", confirmed_at="2026-11-11T15:00"),
        Booking("booking:3", "room:a", "2026-11-13T14:00", "2026-11-13T16:00", "取消的会",
                status="cancelled", created_at="2026-11-12T09:00"),
    ):
        store.put(booking.to_doc())
    store.put(Meeting("meeting:1", "部长例会", "2026-11-10T14:00", "2026-11-10T15:00",
                      roster=("1", "2", "3", "4"), minutes_status="final",
                      final_at="2026-11-11T10:00").to_doc())
    store.put(Meeting("meeting:2", "宣传部周会", "2026-11-20T14:00", "2026-11-20T15:00",
                      roster=("1", "2")).to_doc())
    arrived = {"meeting:1": "2026-11-10T13:58", "meeting:2": "2026-11-20T13:59"}
    for meeting_id, member in (("meeting:1", "1"), ("meeting:1", "2"), ("meeting:1", "3"),
                               ("meeting:2", "1"), ("meeting:2", "2")):
        store.put(SignIn(meeting_id, member, arrived[meeting_id]).to_doc())
    from store.supplies import Loan, Return
    store.put(Loan("loan:1", "asset:1", "1", "2026-11-02T10:00", "2026-11-09T10:00").to_doc())
    store.put(Return("loan:1", "2026-11-08T16:00").to_doc())  # back in time
    store.put(Loan("loan:2", "asset:1", "2", "2026-11-13T10:00", "2026-11-20T10:00").to_doc())
    store.put(Loan("loan:3", "asset:2", "3", "2026-10-13T10:00", "2026-10-20T10:00").to_doc())


async def test_kpi_view_shows_hand_computed_figures(
    store: DocumentStore, make_ctx: Callable[..., AppContext]
) -> None:
    kpi_fixture(store)
    app = MishuApp(make_ctx())  # the clock says 2026-11-25 09:30: "this month" is Nov 1–25
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+k")
        await pilot.pause()
        table = app.screen.query_one("#kpi-table", DataTable)
        figures = {str(table.get_row_at(r)[0]): str(table.get_row_at(r)[1])
                   for r in range(table.row_count)}
    assert figures["Meetings held"] == "2"
    assert figures["Average attendance"] == "88%"  # (3/4 + 2/2) / 2
    assert figures["Minutes final on time (48 h)"] == "50%"  # meeting 2's final is overdue
    assert figures["Bookings confirmed within 4 h"] == "33%"  # 1 h yes; 6 h no; cancelled no
    assert figures["Room use: 201"] == "1%"  # 5 h booked of 14 h × 25 days
    assert figures["Loans"] == "2"  # loan 3 was lent in October
    assert figures["Loans returned late or overdue"] == "50%"  # loan 2 is still out past 11-20


async def test_invite_dialog_lets_a_new_machine_join(
    store: DocumentStore, tmp_path: Path, make_ctx: Callable[..., AppContext]
) -> None:
    import socket
    from dataclasses import replace

    from textual.widgets import Static

    from sync.pairing import Bundle, join_cluster
    from sync.pki import init_cluster
    from tui.settings import Settings
    from tui.widgets.dashboard.invite_dialog import InviteDialog

    init_cluster(store.data_dir, "secretary-laptop")
    store.put({"_id": "member:1", "name": "张三"})
    settings = Settings()
    settings = replace(settings, general=replace(settings.general, data_dir=str(store.data_dir)))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app = MishuApp(make_ctx(settings=settings))
    async with app.run_test(size=(120, 45)) as pilot:
        app.push_screen(InviteDialog(f"127.0.0.1:{port}"))
        await pilot.pause(0.2)
        text = str(app.screen.query_one("#invite-bundle", Static).render())
        bundle = Bundle.decode(text.strip())
        joined = await join_cluster(tmp_path / "new-laptop", bundle, "laptop-2")
        for _ in range(50):
            await pilot.pause(0.1)
            if "joined" in str(app.screen.query_one("#invite-state", Static).render()):
                break
        assert "laptop-2 joined" in str(app.screen.query_one("#invite-state", Static).render())
        await pilot.click("#close")
    assert joined.cluster_id == bundle.ca_fingerprint[:16]


def lend_twice_and_overdraw(store: DocumentStore) -> None:
    """What two supply-room kiosks leave behind after a merge: as replicated documents."""
    from store.supplies import Asset, Item, Loan, Movement

    store.put(Asset("asset:p1", "GZ-2026-001", "投影仪").to_doc())
    store.put(Item("item:paper", "A4 打印纸", "包").to_doc())
    store.put(Loan("loan:a", "asset:p1", "001", "2026-11-24T10:00", "2026-12-08T10:00",
                   "east").to_doc())
    store.put(Loan("loan:b", "asset:p1", "002", "2026-11-24T11:00", "2026-12-08T11:00",
                   "west").to_doc())
    store.put(Movement("movement:1", "item:paper", "received", 2, "2026-11-20T09:00").to_doc())
    store.put(Movement("movement:2", "item:paper", "taken", -3, "2026-11-24T09:00").to_doc())


async def test_double_loan_and_negative_stock_are_listed_and_resolved(
    store: DocumentStore, make_ctx: Callable[..., AppContext]
) -> None:
    from textual.widgets import Input

    from store.supplies_index import SupplyIndex
    from tui.widgets.common.fields_dialog import FieldsDialog
    from tui.widgets.supplies.double_loan_dialog import DoubleLoanDialog

    lend_twice_and_overdraw(store)
    app = MishuApp(make_ctx())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        inbox = app.screen.query_one("#attention-inbox", AttentionInbox)
        assert [item.kind for item in inbox.items] == ["double_loan", "negative_stock"]
        inbox.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DoubleLoanDialog)
        await pilot.click("#return-1")  # 李四's loan was never real
        await pilot.pause()
        assert [loan.member_id for loan in app.ctx.index(SupplyIndex).open_loans("asset:p1")] == ["001"]
        assert [item.kind for item in inbox.items] == ["negative_stock"]
        inbox.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, FieldsDialog)
        app.screen.query_one("#field-counted", Input).value = "4"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.ctx.index(SupplyIndex).level("item:paper") == 4
        assert inbox.items == []


async def test_duplicate_archive_number_is_listed_and_renumbered(
    make_store, make_ctx: Callable[..., AppContext], store: DocumentStore  # type: ignore[no-untyped-def]
) -> None:
    from store.archive import ArchiveRecord, register
    from store.archive_index import ArchiveIndex
    from tui.settings import ArchiveSettings
    from tui.widgets.archive.detail_view import ArchiveDetail
    from tui.widgets.common.confirm_dialog import ConfirmDialog

    from ..store.merging import sync

    other = make_store("east")
    settings = ArchiveSettings()
    for node, title, hour in ((store, "关于举办校园歌手大赛的通知", 9), (other, "关于召开部长例会的通知", 10)):
        draft = ArchiveRecord(ArchiveRecord.new_id(), "", "发文", 2026, 0, title)
        register(node, draft, settings.scheme(), settings.categories, (),
                 FIXED_NOW.replace(hour=hour))  # both nodes offline: both take 1号
    sync(store, other)
    app = MishuApp(make_ctx())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        inbox = app.screen.query_one("#attention-inbox", AttentionInbox)
        assert [item.kind for item in inbox.items] == ["duplicate_number"]
        assert "校学生会发〔2026〕1号" in str(inbox.items[0].params)  # the row may be cut to fit
        inbox.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ArchiveDetail)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)  # names the old and the new number
        assert "校学生会发〔2026〕2号" in str(app.screen.query_one(".dialog-title").render())
        await pilot.click("#choice-0")
        await pilot.pause()
        numbers = sorted(r.number for r in app.ctx.index(ArchiveIndex).records.values())
        assert numbers == ["校学生会发〔2026〕1号", "校学生会发〔2026〕2号"]
        await pilot.press("ctrl+z")  # undone: both share 1号 again, and are listed again
        await pilot.pause()
        numbers = sorted(r.number for r in app.ctx.index(ArchiveIndex).records.values())
        assert numbers == ["校学生会发〔2026〕1号", "校学生会发〔2026〕1号"]
        await pilot.press("n")
        await pilot.pause()
        await pilot.click("#choice-0")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert inbox.items == []


def test_a_meeting_and_its_own_booking_are_one_line_of_today(
        store: DocumentStore, make_ctx: Callable[..., AppContext]) -> None:
    """Meetings book their rooms now; today's panel listed 全体干部大会 twice, once as each."""
    fill_demo(store, today=FIXED_NOW.date())
    lines = [line.cells for line in todays_bookings(make_ctx("zh"))]
    titles = [(time, title) for time, _room, title, _status in lines]
    assert ("14:00–16:00", "全体干部大会") in titles
    assert len(titles) == len(set(titles))


async def test_the_dashboard_builds_its_views_off_the_event_loop(
    store: DocumentStore, make_ctx: Callable[..., AppContext], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Over 200k documents building the calendar, the supply index and the rest took most of
    a second on the event loop before the first panel showed; now workers build them."""
    fill_demo(store, today=FIXED_NOW.date())
    built_on: dict[str, str] = {}
    attach = DocumentStore.attach_index

    def recording(self: DocumentStore, index: object) -> None:
        built_on[type(index).__name__] = threading.current_thread().name
        attach(self, index)  # type: ignore[arg-type]

    monkeypatch.setattr(DocumentStore, "attach_index", recording)
    app = MishuApp(make_ctx())
    async with app.run_test(size=(120, 40)) as pilot:
        panels = list(app.screen.query(DashboardPanel))
        await wait_until(lambda: all(panel.loaded for panel in panels), pilot)
    loop_thread = threading.main_thread().name
    for view in ("BookingCalendar", "SupplyIndex", "DocumentIndex", "AttendanceIndex"):
        assert built_on[view] != loop_thread, view


async def test_a_panel_shows_what_its_worker_read_without_reading_it_again(
    store: DocumentStore, make_ctx: Callable[..., AppContext], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first fill read every panel's source twice, in the worker and again on the loop:
    the loop paid for the reading the worker had been started to take off it."""
    fill_demo(store, today=FIXED_NOW.date())
    read_on: list[str] = []

    def recorded(source: PanelSource) -> PanelSource:
        def reading(ctx: AppContext) -> list[PanelLine]:
            read_on.append(threading.current_thread().name)
            return source(ctx)
        return reading

    monkeypatch.setattr(dashboard_screen, "PANELS", tuple(
        replace(spec, source=recorded(spec.source)) for spec in PANELS))
    app = MishuApp(make_ctx())
    async with app.run_test(size=(120, 40)) as pilot:
        panels = list(app.screen.query(DashboardPanel))
        await wait_until(lambda: all(panel.loaded for panel in panels), pilot)
        assert len(read_on) == len(panels) == len(PANELS)
        assert threading.main_thread().name not in read_on
        assert app.screen.query_one("#panel-today", DashboardPanel).row_count
