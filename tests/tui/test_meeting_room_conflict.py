"""Two-node test: one meeting moved to two rooms offline is one inbox item; resolving it there
moves the meeting's booking to the room kept."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from store import DocumentStore
from store.booking_calendar import BookingCalendar
from store.meeting_booking import book_meeting, meeting_booking_id
from store.meetings import Meeting, load_meeting
from store.rooms import Room, save_room
from tui.app import MishuApp
from tui.context import AppContext
from tui.widgets.dashboard.attention_inbox import AttentionInbox
from tui.widgets.dashboard.conflict_dialog import ConflictDialog

from ..store.merging import sync
from .test_meetings import wait_until

NOW = datetime(2026, 11, 25, 9, 30)


async def test_a_meeting_moved_to_two_rooms_offline_is_resolved_from_the_inbox(
    store: DocumentStore, make_store: Callable[[str], DocumentStore],
    make_ctx: Callable[..., AppContext]
) -> None:
    laptop = make_store("laptop")
    for room in (Room("room:hall", "报告厅", 200), Room("room:r1", "第一会议室", 20),
                 Room("room:r2", "学生活动中心201", 60)):
        save_room(store, room)
    meeting = book_meeting(store, None, Meeting(
        "meeting:plenary", "全体干部大会", "2026-11-25T14:00", "2026-11-25T16:00", "A",
        "room:hall"), NOW)
    sync(store, laptop)
    book_meeting(store, None, replace(meeting, room_id="room:r1"), NOW)
    book_meeting(laptop, None, replace(load_meeting(laptop, meeting.meeting_id),
                                       room_id="room:r2"), NOW)
    sync(store, laptop)
    app = MishuApp(make_ctx())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        inbox = app.screen.query_one("#attention-inbox", AttentionInbox)
        assert [(item.kind, item.doc_ids) for item in inbox.items] == [
            ("conflict", ("meeting:plenary",))]
        inbox.focus()
        await pilot.press("enter")
        await wait_until(lambda: isinstance(app.screen, ConflictDialog), pilot)
        dialog = app.screen
        loser = next(n for n, v in enumerate(dialog.versions, start=1) if not v.winner)
        kept_room = dialog.versions[loser - 1].fields["room_id"]
        await pilot.click(f"#keep-{loser}")
        await wait_until(lambda: not store.conflicted_ids(), pilot)
        booking = app.ctx.index(BookingCalendar).bookings[meeting_booking_id("meeting:plenary")]
        assert load_meeting(store, "meeting:plenary").room_id == booking.room_id == kept_room
        await wait_until(lambda: inbox.items == [], pilot)
