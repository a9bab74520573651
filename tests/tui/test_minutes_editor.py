"""Pilot journey (c): minutes with two decisions → two resolutions; the .docx reads back."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from docx import Document
from textual.widgets import TextArea

from store import DocumentStore
from store.meetings import Meeting, ResolutionBoard, save_meeting
from store.members import Member, save_member
from store.rooms import Room, save_room
from tui.app import MishuApp
from tui.context import AppContext
from tui.settings import GeneralSettings, Settings
from tui.widgets.meetings.minutes_editor import MinutesEditor

from .test_meetings import open_meetings, wait_until

DECISIONS = """
- 月底前提交换届材料；责任人：张三（2026001）；截止日期：2026-11-30
- 预订报告厅并发布通知；责任人：李四；截止日期：2026-12-02
"""


async def test_minutes_with_two_decisions_make_two_resolutions_and_a_docx(
    store: DocumentStore, make_ctx: Callable[..., AppContext], tmp_path: Path
) -> None:
    save_member(store, Member("2026001", "张三", "秘书处"))
    save_member(store, Member("2026002", "李四", "宣传部"))
    save_room(store, Room("room:hall", "报告厅", 200))
    save_meeting(store, Meeting("meeting:plenary", "全体干部大会", "2026-11-25T08:00",
                                "2026-11-25T09:00", "A", "room:hall",
                                roster=("2026001", "2026002"), minute_taker="2026001"))
    ctx = make_ctx("zh", settings=Settings(GeneralSettings(data_dir=str(tmp_path / "out"))))
    (tmp_path / "out").mkdir()
    app = MishuApp(ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_meetings(pilot, app)
        await wait_until(lambda: screen.meeting_id == "meeting:plenary", pilot)
        await pilot.press("w")
        await wait_until(lambda: isinstance(app.screen, MinutesEditor), pilot)
        editor = app.screen
        area = editor.query_one(TextArea)
        for line in ("会议名称：全体干部大会", "时间：2026-11-25 08:00–09:00", "地点：报告厅",
                     "记录：张三（2026001）", "缺席：张三、李四"):
            assert line in area.text
        area.text = area.text + DECISIONS
        await pilot.press("ctrl+s")
        board = app.ctx.index(ResolutionBoard)
        await wait_until(lambda: len(board.all("meeting:plenary")) == 2, pilot)
        assert [(r.text, r.owner, r.deadline) for r in board.all("meeting:plenary")] == [
            ("月底前提交换届材料", "2026001", "2026-11-30"),
            ("预订报告厅并发布通知", "2026002", "2026-12-02")]
        assert screen.current_meeting().minutes_status == "draft"
        await pilot.press("ctrl+s")  # saving again: the same two, not four
        await pilot.pause()
        assert len(store.ids_of_type("resolution")) == 2
        await pilot.click("#docx")
        path = tmp_path / "out" / "minutes-plenary.docx"
        await wait_until(path.exists, pilot)
        paragraphs = [p.text for p in Document(str(path)).paragraphs]
        assert paragraphs[0] == "会议纪要" and "地点：报告厅" in paragraphs
        assert "月底前提交换届材料；责任人：张三（2026001）；截止日期：2026-11-30" in paragraphs
        await pilot.click("#final")
        await wait_until(lambda: screen.current_meeting().minutes_status == "final", pilot)
        await pilot.press("escape")
        await wait_until(lambda: app.screen is screen, pilot)
