"""The meetings screen through a Pilot: live attendance, manual sign-in, leave, resolutions."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime

from textual.widgets import Input

from store import DocumentStore
from store.meetings import Meeting, Resolution, SignIn, save_meeting, save_resolution
from store.members import Member, save_member
from tui.app import MishuApp
from tui.context import AppContext
from tui.screens.meetings import MeetingsScreen
from tui.widgets.common.confirm_dialog import ConfirmDialog
from tui.widgets.meetings.attendance_table import AttendanceTable
from tui.widgets.meetings.meeting_form import MeetingForm
from tui.widgets.meetings.reason_dialog import ReasonDialog
from tui.widgets.meetings.resolution_table import ResolutionTable

MEETING = Meeting("meeting:weekly", "部长例会", "2026-11-25T09:00", "2026-11-25T10:30", "A",
                  roster=("001", "002", "003"))


def seed(store: DocumentStore) -> None:
    for number, (name, department) in enumerate([("张三", "秘书处"), ("李四", "秘书处"),
                                                  ("王五", "宣传部")], start=1):
        save_member(store, Member(f"00{number}", name, department, qr_token=f"T{number}"))
    save_meeting(store, MEETING)


async def wait_until(condition: Callable[[], bool], pilot, timeout: float = 5.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        await pilot.pause(0.05)


def statuses(screen: MeetingsScreen) -> dict[str, str]:
    return {r.member_id: r.status.value for r in screen.query_one(AttendanceTable).records}


async def open_meetings(pilot, app: MishuApp) -> MeetingsScreen:  # type: ignore[no-untyped-def]
    await pilot.press("f4")
    await pilot.pause()
    assert isinstance(app.screen, MeetingsScreen)
    return app.screen


async def new_meeting_form(pilot, app: MishuApp, title: str) -> MeetingForm:  # type: ignore[no-untyped-def]
    """Ctrl+N on the meetings screen, the title typed in."""
    await pilot.press("ctrl+n")
    await pilot.pause()
    form = app.screen
    assert isinstance(form, MeetingForm)
    form.query_one("#field-title", Input).value = title
    return form


async def test_attendance_updates_when_a_signin_arrives(
    store: DocumentStore, make_ctx: Callable[..., AppContext]
) -> None:
    seed(store)
    app = MishuApp(make_ctx())
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await open_meetings(pilot, app)
        await wait_until(lambda: screen.meeting_id == "meeting:weekly", pilot)
        assert statuses(screen) == {"001": "absent", "002": "absent", "003": "absent"}
        # as a replicated kiosk sign-in would arrive: a document written straight to the store
        store.put_revisions([{**SignIn("meeting:weekly", "002", "2026-11-25T08:58", "east-door")
                              .to_doc(), "_rev": "1-" + "a" * 32}])
        await wait_until(lambda: statuses(screen).get("002") == "present", pilot)
        store.put(SignIn("meeting:weekly", "001", "2026-11-25T09:20", "west-door").to_doc())
        await wait_until(lambda: statuses(screen).get("001") == "late", pilot)
        summary = str(screen.query_one("#attendance-summary").content)
        assert "2/3 signed in" in summary and "王五" in summary
        # the same member also signed in, earlier, at a third door: a conflict, merged by time
        store.put_revisions([{**SignIn("meeting:weekly", "001", "2026-11-25T08:59", "hall-door")
                              .to_doc(), "_rev": "1-" + "f" * 32}])
        await wait_until(lambda: statuses(screen).get("001") == "present", pilot)
        # looking is not writing: both doors' leaves stay, the earlier one counts
        assert len(store.open_revs("signin:weekly:001", None)) == 2
        assert store.conflicted_ids() == ["signin:weekly:001"]


async def test_manual_signin_and_leave_with_reasons(
    store: DocumentStore, make_ctx: Callable[..., AppContext]
) -> None:
    seed(store)
    app = MishuApp(make_ctx())
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await open_meetings(pilot, app)
        await wait_until(lambda: len(statuses(screen)) == 3, pilot)
        screen.query_one(AttendanceTable).focus()
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, ReasonDialog)
        app.screen.query_one(Input).value = "忘带胸牌"
        await pilot.press("enter")
        await wait_until(lambda: statuses(screen).get("001") == "late", pilot)  # 09:30 > 09:05
        assert store.get("signin:weekly:001")["reason"] == "忘带胸牌"

        await pilot.press("down", "l")
        await pilot.pause()
        assert isinstance(app.screen, ReasonDialog)
        app.screen.query_one(Input).value = "考试"
        await pilot.press("enter")
        await wait_until(lambda: statuses(screen).get("002") == "excused", pilot)


async def test_create_meeting_from_departments(
    store: DocumentStore, make_ctx: Callable[..., AppContext]
) -> None:
    seed(store)
    app = MishuApp(make_ctx("zh"))
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await open_meetings(pilot, app)
        form = await new_meeting_form(pilot, app, "秘书处例会")
        form.query_one("#field-departments", Input).value = "秘书处"
        await pilot.press("ctrl+s")
        await wait_until(lambda: isinstance(app.screen, MeetingsScreen), pilot)
        created = screen.current_meeting()
        assert created is not None and created.title == "秘书处例会"
        assert set(created.roster) == {"001", "002"}


async def test_resolution_board_highlights_overdue(
    store: DocumentStore, make_ctx: Callable[..., AppContext]
) -> None:
    seed(store)
    save_resolution(store, Resolution("resolution:1", "meeting:weekly", "提交换届材料", "001",
                                      "2026-11-20"))
    app = MishuApp(make_ctx())
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await open_meetings(pilot, app)
        table = screen.query_one(ResolutionTable)
        await wait_until(lambda: len(table.resolutions) == 1, pilot)
        assert "OVERDUE" in str(table.get_row_at(0)[3])
        assert "1 overdue" in str(screen.query_one("#board-title").content)
        table.focus()
        for expected in ("in_progress", "done"):
            await pilot.press("u")
            await wait_until(lambda: isinstance(app.screen, ConfirmDialog), pilot)
            await pilot.click("#choice-0")
            await wait_until(lambda: table.resolutions[0].status == expected, pilot)
        assert "0 overdue" in str(screen.query_one("#board-title").content)
        await pilot.press("ctrl+z")  # back to in progress, as an ordinary edit
        await wait_until(lambda: table.resolutions[0].status == "in_progress", pilot)
        assert store.get("resolution:1")["status"] == "in_progress"


async def test_new_resolution_checks_the_owner_then_lands_on_the_board(
    store: DocumentStore, make_ctx: Callable[..., AppContext]
) -> None:
    from tui.widgets.common.fields_dialog import FieldsDialog

    seed(store)
    app = MishuApp(make_ctx())
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await open_meetings(pilot, app)
        await wait_until(lambda: screen.meeting_id == "meeting:weekly", pilot)
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, FieldsDialog)
        assert app.screen.query_one("#field-deadline", Input).value == "2026-12-02"
        app.screen.query_one("#field-resolution", Input).value = "整理会议纪要"
        app.screen.query_one("#field-owner Input", Input).value = "999"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, FieldsDialog)  # unknown owner: refused, still open
        assert store.ids_of_type("resolution") == []
        app.screen.query_one("#field-owner Input", Input).value = "002"
        await pilot.press("ctrl+s")
        table = screen.query_one(ResolutionTable)
        await wait_until(lambda: len(table.resolutions) == 1, pilot)
        assert table.resolutions[0].owner == "002"
        assert table.resolutions[0].meeting_id == "meeting:weekly"


async def test_before_the_start_attendance_says_not_yet_and_manual_signin_asks_to_override(
    store: DocumentStore, make_ctx: Callable[..., AppContext]
) -> None:
    seed(store)
    app = MishuApp(make_ctx(language="zh", now=datetime(2026, 11, 23, 9, 0)))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_meetings(pilot, app)
        await wait_until(lambda: len(statuses(screen)) == 3, pilot)
        assert set(statuses(screen).values()) == {"not_yet"}
        summary = str(screen.query_one("#attendance-summary").content)
        assert "会议未开始" in summary and "出勤率" not in summary and "缺席" not in summary
        screen.query_one(AttendanceTable).focus()
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert "手动签到于 2026-11-25 08:30 开放" in str(app.screen.query_one(".dialog-title").render())
        await pilot.click("#choice-0")
        await pilot.pause()
        assert isinstance(app.screen, ReasonDialog)
        app.screen.query_one(Input).value = "主席批准提前签到"
        await pilot.press("enter")
        await wait_until(lambda: store.get_or_none("signin:weekly:001") is not None, pilot)
        assert store.get("signin:weekly:001")["override"] is True


async def test_a_resolution_with_a_status_a_peer_made_up_advances_to_open(
    store: DocumentStore, make_ctx: Callable[..., AppContext]
) -> None:
    """The monkey found it: ``u`` on such a resolution ended in a KeyError."""
    seed(store)
    save_resolution(store, Resolution("resolution:1", "meeting:weekly", "提交换届材料", "001",
                                      "2026-11-20"))
    store.put({**store.get("resolution:1"), "status": "[/]ＷＷ"})
    app = MishuApp(make_ctx())
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await open_meetings(pilot, app)
        table = screen.query_one(ResolutionTable)
        await wait_until(lambda: len(table.resolutions) == 1, pilot)
        table.focus()
        await pilot.press("u")
        await wait_until(lambda: isinstance(app.screen, ConfirmDialog), pilot)
        await pilot.click("#choice-0")
        await wait_until(lambda: table.resolutions[0].status == "open", pilot)
