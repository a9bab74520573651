"""The approvals pane through a Pilot: leave becomes an excused absence, expenses go through
both stages into the finance workbook, rejections ask first and undo, clashes reach the inbox."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from store import DocumentStore
from store.desk_approvals import (
    LEAVE_STAGE,
    Expense,
    LeaveRequest,
    cents_from_text,
    decision_event,
    file_expense,
    file_leave,
    follow_leave,
)
from store.desk_events import decide_stages, save_event
from store.desk_index import DeskIndex
from store.meetings import Meeting, save_meeting
from store.meetings_attendance import AttendanceIndex, Status
from store.members import Member, save_member
from tui.app import MishuApp
from tui.attention import gather_attention
from tui.context import AppContext
from tui.settings import Settings
from tui.widgets.common.fields_dialog import FieldsDialog
from tui.widgets.desk.approvals_pane import ApprovalsPane
from tui.widgets.desk.settle import resolve_desk_clash

from ..conftest import FIXED_NOW
from ..kiosk.driving import wait_until
from ..store.merging import sync
from .desk_driving import choose, fill, open_pane
from .screen_text import screen_text

APPLICANT = Member("2026001", "张三", "宣传部", "干事")
SECRETARY = Member("2026002", "李四", "秘书处", "秘书处 / 秘书长")
FINANCE = Member("2026003", "王五", "财务部", " 财务部部长 ")
MEETING = Meeting("meeting:weekly", "周例会", "2026-11-27T14:00", "2026-11-27T15:00",
                  roster=("2026001", "2026002"))


def seed(store: DocumentStore) -> None:
    for member in (APPLICANT, SECRETARY, FINANCE):
        save_member(store, member)
    save_meeting(store, MEETING)


@pytest.mark.parametrize("language", ["zh", "en"])
async def test_leave_approval_turns_an_absence_into_leave(
        store: DocumentStore, make_ctx: Callable[..., AppContext], language: str) -> None:
    seed(store)
    ctx = make_ctx(language)
    app = MishuApp(ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await open_pane(pilot, app, ApprovalsPane, 'approvals')
        attendance = ctx.index(AttendanceIndex)
        after = FIXED_NOW + timedelta(days=3)
        (row,) = [r for r in attendance.rows(MEETING.meeting_id, 5, after)
                  if r.member_id == "2026001"]
        assert row.status == Status.ABSENT
        await pilot.press("l")
        await fill(pilot, app, member="2026001", meeting=MEETING.meeting_id, reason="考试")
        await wait_until(lambda: pane.table.row_count == 1, pilot)
        await pilot.press("y")
        await fill(pilot, app, approver="2026001")  # nobody approves their own leave
        assert isinstance(app.screen, FieldsDialog)
        await fill(pilot, app, approver="2026002")
        await wait_until(lambda: attendance.absences(MEETING.meeting_id).get("2026001")
                         is not None, pilot)
        (row,) = [r for r in attendance.rows(MEETING.meeting_id, 5, after)
                  if r.member_id == "2026001"]
        assert row.status == Status.EXCUSED
        assert ("已同意" if language == "zh" else "Approved") in screen_text(app)


async def test_expense_with_two_receipts_passes_both_stages_into_the_workbook(
        store: DocumentStore, make_ctx: Callable[..., AppContext], tmp_path: Path) -> None:
    seed(store)
    receipts = [tmp_path / "发票1.pdf", tmp_path / "receipt-2.png"]
    for number, receipt in enumerate(receipts):
        receipt.write_bytes(b"%PDF-1.4 receipt " + bytes([number]))
    ctx = make_ctx("zh")
    app = MishuApp(ctx)
    out = tmp_path / "报销.xlsx"
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await open_pane(pilot, app, ApprovalsPane, 'approvals')
        await pilot.press("e")
        await fill(pilot, app, member="2026001", amount="128.5", purpose="=HYPERLINK(\"x\")海报",
                   receipts=";".join(str(r) for r in receipts))
        await wait_until(lambda: pane.table.row_count == 1, pilot)
        (expense,) = ctx.index(DeskIndex).expenses.values()
        assert expense.amount_cents == 12850 and len(expense.receipts) == 2
        assert expense.department == "宣传部"
        await pilot.press("y")
        await fill(pilot, app, approver="2026003")  # 财务部 may not do the 初审
        assert isinstance(app.screen, FieldsDialog)
        await fill(pilot, app, approver="2026002")
        await pilot.press("y")
        await fill(pilot, app, approver="2026003")
        await wait_until(lambda: "待付款" in screen_text(app), pilot)
        await pilot.press("o")
        await fill(pilot, app, path=str(out))
        await wait_until(out.exists, pilot)
    sheet = load_workbook(out).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:4] == ("宣传部", "2026-2027-1", "张三", "=HYPERLINK(\"x\")海报")
    assert Decimal(str(rows[1][4])) == Decimal("128.50") and rows[1][5] == "待付款"
    assert rows[1][7] == "发票1.pdf; receipt-2.png"
    assert sheet.cell(row=2, column=4).data_type == "s"  # text, never a live formula
    assert rows[-1][:3] == ("宣传部", "2026-2027-1", 1)
    assert Decimal(str(rows[-1][3])) == Decimal("128.50")


async def test_reject_asks_first_and_undo_takes_it_back(
        store: DocumentStore, make_ctx: Callable[..., AppContext]) -> None:
    seed(store)
    ctx = make_ctx("en")
    file_expense(store, Expense("", "2026001", "宣传部", 5000, "[/]\x1b[2J打车"), FIXED_NOW)
    app = MishuApp(ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await open_pane(pilot, app, ApprovalsPane, 'approvals')
        await wait_until(lambda: pane.table.row_count == 1, pilot)
        assert "[/]" in screen_text(app) and "\x1b" not in screen_text(app)
        await pilot.press("r")
        await fill(pilot, app, approver="2026002", reason="no receipt")
        await choose(pilot, app)
        await wait_until(lambda: "Rejected" in screen_text(app), pilot)
        await pilot.press("ctrl+z")
        await wait_until(lambda: "Waiting for 秘书处 review" in screen_text(app), pilot)


async def test_two_offline_approvals_of_one_expense_are_one_attention_item(
        make_store: Callable[[str], DocumentStore], make_ctx: Callable[..., AppContext]) -> None:
    a, b = make_store("a"), make_store("b")
    seed(a)
    expense = file_expense(a, Expense("", "2026001", "宣传部", cents_from_text("60"), "横幅"),
                           FIXED_NOW)
    sync(a, b)
    roles = Settings().desk.roles
    for node, approved in ((a, True), (b, False)):
        save_event(node, decision_event(expense.expense_id, "2026001", {}, ("first",),
                                        SECRETARY, approved, "" if approved else "超预算",
                                        roles, FIXED_NOW))
    sync(a, b)
    for node in (a, b):
        ctx = AppContext(Settings(), node, make_ctx().i18n, clock=lambda: FIXED_NOW)
        items = [item for item in gather_attention(ctx) if item.kind == "desk_clash"]
        assert len(items) == 1 and items[0].params["what"] == "横幅"
        ctx.close()


async def test_an_approved_leave_is_undone_with_its_excused_absence(
        store: DocumentStore, make_ctx: Callable[..., AppContext]) -> None:
    seed(store)
    file_leave(store, LeaveRequest("", "2026001", "考试", MEETING.meeting_id), FIXED_NOW)
    ctx = make_ctx("zh")
    app = MishuApp(ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await open_pane(pilot, app, ApprovalsPane, 'approvals')
        await wait_until(lambda: pane.table.row_count == 1, pilot)
        attendance = ctx.index(AttendanceIndex)
        await pilot.press("y")
        await fill(pilot, app, approver="2026002")
        await wait_until(lambda: "已同意" in screen_text(app), pilot)
        assert attendance.absences(MEETING.meeting_id).get("2026001") is not None
        await pilot.press("ctrl+z")
        await wait_until(lambda: "待审批" in screen_text(app), pilot)
        assert attendance.absences(MEETING.meeting_id).get("2026001") is None


async def test_a_leave_clash_settled_as_rejected_leaves_the_member_absent_with_the_reason(
        make_store: Callable[[str], DocumentStore], make_ctx: Callable[..., AppContext]) -> None:
    a, b = make_store("a"), make_store("b")
    seed(a)
    leave = file_leave(a, LeaveRequest("", "2026001", "考试", MEETING.meeting_id), FIXED_NOW)
    sync(a, b)
    roles = Settings().desk.roles
    approved = decision_event(leave.leave_id, "2026001", {}, (LEAVE_STAGE,), SECRETARY, True, "",
                              roles, FIXED_NOW)
    save_event(a, approved)
    follow_leave(a, leave, decide_stages([approved])[LEAVE_STAGE], FIXED_NOW)  # as approved on a
    rejected = save_event(b, decision_event(leave.leave_id, "2026001", {}, (LEAVE_STAGE,),
                                            SECRETARY, False, "不符合规定", roles, FIXED_NOW))
    sync(a, b)
    ctx = AppContext(Settings(), a, make_ctx("zh").i18n, clock=lambda: FIXED_NOW)
    app = MishuApp(ctx)
    after = FIXED_NOW + timedelta(days=3)
    async with app.run_test(size=(120, 40)) as pilot:
        (item,) = [item for item in gather_attention(ctx) if item.kind == "desk_clash"]
        resolve_desk_clash(app, item, lambda _done: None)
        await pilot.pause()
        await choose(pilot, app, list(item.doc_ids).index(rejected.event_id))
        attendance = ctx.index(AttendanceIndex)
        await wait_until(lambda: attendance.absences(MEETING.meeting_id).get("2026001") is None,
                         pilot)
        (row,) = [r for r in attendance.rows(MEETING.meeting_id, 5, after)
                  if r.member_id == "2026001"]
        assert row.status == Status.ABSENT
        await open_pane(pilot, app, ApprovalsPane, 'approvals')
        await wait_until(lambda: "不符合规定" in screen_text(app), pilot)
    ctx.close()
