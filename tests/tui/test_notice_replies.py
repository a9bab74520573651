"""Replies to a notice from the meetings screen: picked by name, counted in the notice dialog,
a leave reply excused in the attendance; replacing a reply asks first and Ctrl+Z takes it back."""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import Input, OptionList, Select, Static

from store import DocumentStore
from store.meeting_replies import reply_id
from store.meetings_attendance import Status
from tui.app import MishuApp
from tui.context import AppContext
from tui.screens.meetings import MeetingsScreen
from tui.widgets.common.confirm_dialog import ConfirmDialog
from tui.widgets.common.fields_dialog import FieldsDialog
from tui.widgets.common.member_picker import MemberPicker
from tui.widgets.meetings.notice_dialog import NoticeDialog

from .test_meetings import open_meetings, wait_until
from .test_notice import MEETING, seed


async def reply(pilot, app: MishuApp, typed: str, answer: str, reason: str = "") -> None:  # type: ignore[no-untyped-def]
    await pilot.press("y")
    await wait_until(lambda: isinstance(app.screen, FieldsDialog), pilot)
    picker = app.screen.query_one("#field-member", MemberPicker)
    picker.input.value = ""
    picker.input.focus()
    await pilot.press(*typed)
    await wait_until(lambda: picker.query_one(OptionList).option_count >= 1, pilot)
    await pilot.press("enter")  # the best match
    app.screen.query_one("#field-answer", Select).value = answer
    app.screen.query_one("#field-reason", Input).value = reason
    await pilot.press("ctrl+s")


async def test_replies_recorded_counted_and_excused(
    store: DocumentStore, make_ctx: Callable[..., AppContext]
) -> None:
    seed(store)
    app = MishuApp(make_ctx("zh"))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_meetings(pilot, app)
        await wait_until(lambda: screen.meeting_id == MEETING.meeting_id, pilot)
        await reply(pilot, app, "lisi", "leave", "考试")
        doc_id = reply_id(MEETING.meeting_id, "2026002")
        await wait_until(lambda: store.get_or_none(doc_id) is not None, pilot)
        assert isinstance(app.screen, MeetingsScreen)
        assert (store.get(doc_id)["answer"], store.get(doc_id)["reason"]) == ("leave", "考试")
        await wait_until(lambda: screen.attendance.absences(MEETING.meeting_id).get("2026002")
                         is not None, pilot)
        rows = screen.attendance.rows(MEETING.meeting_id, 5)
        assert {r.member_id: r.status for r in rows}["2026002"] == Status.EXCUSED

        await pilot.press("t")
        await wait_until(lambda: isinstance(app.screen, NoticeDialog), pilot)
        shown = str(app.screen.query_one("#notice-replies", Static).render())
        assert shown == "回执：参加 0 人 · 请假 1 人 · 未回复 1 人"
        await pilot.press("escape")
        await wait_until(lambda: isinstance(app.screen, MeetingsScreen), pilot)

        await reply(pilot, app, "lisi", "attend")  # changed their mind: asked first
        await wait_until(lambda: isinstance(app.screen, ConfirmDialog), pilot)
        await pilot.click("#choice-0")
        await wait_until(lambda: store.get(doc_id)["answer"] == "attend", pilot)
        assert store.get(doc_id)["_rev"].startswith("2-")
        await wait_until(lambda: isinstance(app.screen, MeetingsScreen), pilot)
        await pilot.press("ctrl+z")
        await wait_until(lambda: store.get(doc_id)["answer"] == "leave", pilot)


async def test_a_reply_for_someone_not_invited_is_refused_in_the_dialog(
    store: DocumentStore, make_ctx: Callable[..., AppContext]
) -> None:
    seed(store)
    from store.members import Member, save_member
    save_member(store, Member("2026009", "王五", "学习部"))
    app = MishuApp(make_ctx("en"))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_meetings(pilot, app)
        await wait_until(lambda: screen.meeting_id == MEETING.meeting_id, pilot)
        await reply(pilot, app, "wangwu", "attend")
        await pilot.pause()
        assert isinstance(app.screen, FieldsDialog)  # kept open with what was typed
        assert store.get_or_none(reply_id(MEETING.meeting_id, "2026009")) is None
        assert any("not on the attendee list" in str(n.message) for n in app._notifications)
