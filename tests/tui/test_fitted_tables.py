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
