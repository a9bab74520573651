"""Lists in narrow panes keep their most telling columns whole and leave the others out.

Before: the meetings list in a third of 80 columns cut every column to a stub (``12-…``,
``主 …``) or scrolled the sign-in count away; the attendance table cut 主席团 to ``主 …``.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from store import DocumentStore
from store.demo import fill_demo
from tui.app import MishuApp
from tui.context import AppContext
from tui.widgets.meetings.attendance_table import AttendanceTable
from tui.widgets.meetings.meeting_list import MeetingList

from ..conftest import FIXED_NOW
from ..kiosk.driving import wait_until


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
@pytest.mark.parametrize("language", ["zh", "en"])
async def test_meetings_show_time_and_title_whole_and_fit_their_pane(
    size: tuple[int, int], language: str, store: DocumentStore,
    make_ctx: Callable[..., AppContext],
) -> None:
    fill_demo(store, today=FIXED_NOW.date())
    app = MishuApp(make_ctx(language))
    async with app.run_test(size=size) as pilot:
        await pilot.press("f4")
        await pilot.pause()
        meetings = app.screen.query_one(MeetingList)
        assert [str(key.value) for key in meetings.columns][:2] == ["when", "title"]
        for row in range(meetings.row_count):
            when, title = (str(text) for text in meetings.get_row_at(row)[:2])
            assert len(when) == len("12-03 12:30") and not title.endswith("…")
        attendance = app.screen.query_one(AttendanceTable)
        for table in (meetings, attendance):
            assert table.virtual_size.width <= table.scrollable_content_region.width
        status = list(attendance.columns).index("status")
        assert all(not str(attendance.get_row_at(row)[status]).endswith("…")
                   for row in range(attendance.row_count))


@pytest.mark.parametrize("language", ["zh", "en"])
async def test_the_absent_list_wraps_between_names_never_inside_one(
    language: str, store: DocumentStore, make_ctx: Callable[..., AppContext]
) -> None:
    """Before: 缺席：向静、孟英、杨… wrapped inside names and began lines with 、."""
    from rich.console import Console

    from store.meetings import Meeting, save_meeting
    from store.members import Member, save_member

    names = ["欧阳娜娜", "司马相如", "诸葛孔明", "上官婉儿", "东方不败", "慕容复", "令狐冲",
             "独孤求败", "皇甫嵩", "长孙无忌", "公孙胜", "西门吹雪"]
    for number, name in enumerate(names):
        save_member(store, Member(f"2026{number:03d}", name, "秘书处"))
    meeting = Meeting("meeting:m1", "部长例会", "2026-11-25T08:00", "2026-11-25T09:00",
                      roster=tuple(f"2026{number:03d}" for number in range(len(names))))
    save_meeting(store, meeting)
    app = MishuApp(make_ctx(language))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f4")
        await pilot.pause()
        summary = app.screen.summary_text(meeting)  # type: ignore[attr-defined]
        lines = [line.plain.strip() for line in summary.wrap(Console(width=40), 40)]
        first = next(index for index, line in enumerate(lines) if names[0] in line)
        absent = lines[first:]
        assert len(absent) > 1 and all(not line.startswith(("、", ",")) for line in absent)
        assert all(any(name in line for line in absent) for name in names)  # each on one line


@pytest.mark.parametrize("area", ["f6", "f7"])
@pytest.mark.parametrize("language", ["zh", "en"])
async def test_numbers_give_way_from_their_start_so_titles_stay_readable_at_80_columns(
    area: str, language: str, store: DocumentStore, make_ctx: Callable[..., AppContext],
) -> None:
    """Before: the documents list at 80×24 gave the number 24 cells (``校学生会发〔2026〕909号``)
    and cut titles to a stub (``关于组织新生杯 …``, a space before the ellipsis). The number
    now gives way from its start, the same for every row (``…发〔2026〕909号``), the title keeps
    at least 8 characters, and a cut never leaves a space before its ellipsis."""
    from .screen_text import screen_lines

    fill_demo(store, today=FIXED_NOW.date())
    app = MishuApp(make_ctx(language))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(area)
        await pilot.pause()
        await pilot.pause()
        table = app.screen.query_one("#archive-results, #documents-results")
        assert table.row_count > 0
        keys = [str(key.value) for key in table.columns]
        for row in range(table.row_count):
            cells = dict(zip(keys, (str(text) for text in table.get_row_at(row))))
            if cells["number"]:
                assert cells["number"].endswith("号"), cells
            title = cells["title"]
            assert len(title.rstrip("…")) >= 8 or not title.endswith("…"), cells
            assert not any(text.endswith(" …") for text in cells.values()), cells
        assert all(line.rstrip() == line.rstrip()[:80] for line in screen_lines(app))


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_destruction_panel_keeps_the_end_of_each_number(
    size: tuple[int, int], store: DocumentStore, make_ctx: Callable[..., AppContext],
) -> None:
    """Before: the dashboard's 销毁到期 panel cut every number to ``校学生会人〔2015…``, the
    part that is the same on every row."""
    from tui.widgets.dashboard.panel import DashboardPanel

    fill_demo(store, today=FIXED_NOW.date())
    app = MishuApp(make_ctx("zh"))
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        panel = app.screen.query_one("#panel-destruction", DashboardPanel)
        await wait_until(lambda: panel.loaded and panel.row_count > 0, pilot)
        numbers = [str(panel.get_row_at(row)[0]) for row in range(panel.row_count)]
        assert all(number.endswith("号") for number in numbers), numbers


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
@pytest.mark.parametrize("language", ["zh", "en"])
async def test_the_pending_list_never_shows_a_stub_of_an_id_or_a_duration(
    size: tuple[int, int], language: str, store: DocumentStore,
    make_ctx: Callable[..., AppContext],
) -> None:
    """Before: at 120×40 the pending requests read ``0 小…``, ``A类<2…``, ``20260…``: every
    column that gives way cut to a stub. The organiser's number is now left out rather than
    cut, which leaves the waiting time and the warning whole."""
    from tui.widgets.bookings.pending_list import PendingList

    fill_demo(store, today=FIXED_NOW.date())
    app = MishuApp(make_ctx(language))
    async with app.run_test(size=size) as pilot:
        await pilot.press("f3")
        pending = app.screen.query_one(PendingList)
        await wait_until(lambda: pending.row_count > 0, pilot)
        await pilot.pause()
        keys = [str(key.value) for key in pending.columns]
        for row in range(pending.row_count):
            cells = dict(zip(keys, (str(text) for text in pending.get_row_at(row))))
            assert not cells.get("who", "").endswith("…"), cells
            if size == (120, 40):  # the time waited whole; "(over 4 h)" may give way
                assert not cells["age"].split("（")[0].split("(")[0].endswith("…"), cells
