"""Pilot journey (d): the notice carries time, room, attendees and agenda; it exports to Word."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from docx import Document
from textual.widgets import TextArea

from store import DocumentStore
from store.meetings import Meeting, save_meeting
from store.members import Member, MemberDirectory, save_member
from store.rooms import Room, save_room
from tui.app import MishuApp
from tui.context import AppContext
from tui.i18n import Translator
from tui.settings import GeneralSettings, Settings
from tui.widgets.meetings.notice_dialog import NoticeDialog, notice_text

from .test_meetings import open_meetings, wait_until

MEETING = Meeting("meeting:plenary", "全体干部大会", "2026-11-25T14:00", "2026-11-25T16:00", "A",
                  "room:hall", roster=("2026001", "2026002"), agenda="换届工作；经费台账")


def seed(store: DocumentStore) -> None:
    save_member(store, Member("2026001", "张三", "秘书处"))
    save_member(store, Member("2026002", "李四", "宣传部"))
    save_room(store, Room("room:hall", "报告厅", 200))
    save_meeting(store, MEETING)


def test_notice_text_has_time_room_attendees_and_agenda(store: DocumentStore) -> None:
    seed(store)
    directory = MemberDirectory()
    store.attach_index(directory)
    for language, line in (("zh", "兹定于 2026-11-25 14:00–16:00 在 报告厅 召开“全体干部大会”"),
                           ("en", "at 2026-11-25 14:00–16:00 in 报告厅")):
        text = notice_text(Translator(language), MEETING, "报告厅", directory)
        assert line in text and "张三、李四" in text
        assert "1. 换届工作\n2. 经费台账" in text


async def test_notice_from_the_meetings_screen_exports_to_word(
    store: DocumentStore, make_ctx: Callable[..., AppContext], tmp_path: Path
) -> None:
    seed(store)
    (tmp_path / "out").mkdir()
    app = MishuApp(make_ctx("zh", settings=Settings(GeneralSettings(data_dir=str(tmp_path / "out")))))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_meetings(pilot, app)
        await wait_until(lambda: screen.meeting_id == "meeting:plenary", pilot)
        await pilot.press("t")
        await wait_until(lambda: isinstance(app.screen, NoticeDialog), pilot)
        assert "在 报告厅 召开" in app.screen.query_one(TextArea).text
        await pilot.click("#docx")
        path = tmp_path / "out" / "notice-plenary.docx"
        await wait_until(path.exists, pilot)
        paragraphs = [p.text for p in Document(str(path)).paragraphs]
        assert paragraphs[0] == "会议通知" and "参会人员：张三、李四" in paragraphs
