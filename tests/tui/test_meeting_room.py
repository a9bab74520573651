"""Pilot journey (a): a meeting created in 报告厅 books it; the booking moves with the meeting."""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import Input, Select

from store import DocumentStore
from store.booking import Booking
from store.booking_calendar import BookingCalendar
from store.errors import ValidationError
from store.meeting_booking import meeting_booking_id
from store.meeting_lookup import short_code
from store.members import Member, save_member
from store.rooms import Room, save_room
from tui.app import MishuApp
from tui.context import AppContext
from tui.screens.meetings import MeetingsScreen
from tui.widgets.bookings.desk import booking_desk
from tui.widgets.common.confirm_dialog import ConfirmDialog
from tui.widgets.meetings.meeting_form import MeetingForm
from tui.widgets.meetings.meeting_list import MeetingList

from .test_meetings import new_meeting_form, open_meetings, wait_until


def seed(store: DocumentStore) -> None:
    save_room(store, Room("room:hall", "报告厅", 200))
    save_room(store, Room("room:r1", "第一会议室", 20))
    save_member(store, Member("001", "张三", "秘书处"))


async def test_a_meeting_in_the_hall_books_it_and_moving_it_moves_the_booking(
    store: DocumentStore, make_ctx: Callable[..., AppContext]
) -> None:
    seed(store)
    app = MishuApp(make_ctx("zh"))
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await open_meetings(pilot, app)
        form = await new_meeting_form(pilot, app, "全体干部大会")
        form.query_one("#field-start", Input).value = "14:00"
        form.query_one("#field-end", Input).value = "16:00"
        form.query_one("#field-members Input", Input).value = "001"
        form.query_one("#field-room", Select).focus()
        await pilot.press("enter", "down", "enter")  # the list opens on "no room"; 报告厅 next
        await wait_until(lambda: form.query_one("#field-room", Select).value == "room:hall", pilot)
        await pilot.press("ctrl+s")
        await wait_until(lambda: isinstance(app.screen, MeetingsScreen), pilot)
        meeting = screen.current_meeting()
        assert meeting is not None and meeting.room_id == "room:hall"
        calendar = app.ctx.index(BookingCalendar)
        booking = calendar.bookings[meeting_booking_id(meeting.meeting_id)]
        assert (booking.room_id, booking.start, booking.end, booking.active) == (
            "room:hall", "2026-11-25T14:00", "2026-11-25T16:00", True)
        row = screen.query_one(MeetingList).get_row(meeting.meeting_id)
        assert "报告厅" in str(row[2])
        summary = str(screen.query_one("#attendance-summary").content)
        assert "会议室：报告厅" in summary
        assert f"会议代码：{short_code(meeting)}" in summary  # what `mishu export attendance` takes

        try:
            booking_desk(app.ctx).create(Booking("", "room:hall", "2026-11-25T14:30",
                                                 "2026-11-25T15:30", "社团联席会"), app.ctx.clock())
        except ValidationError as refused:
            assert app.ctx.i18n.error(refused) == (
                "报告厅在 2026-11-25 14:00–16:00 已被“全体干部大会”预订")
        else:
            raise AssertionError("a booking over the meeting was accepted")

        await pilot.press("ctrl+e")
        await pilot.pause()
        assert isinstance(app.screen, MeetingForm)
        app.screen.query_one("#field-start", Input).value = "17:00"
        app.screen.query_one("#field-end", Input).value = "18:00"
        await pilot.press("ctrl+s")
        await wait_until(lambda: isinstance(app.screen, MeetingsScreen), pilot)
        moved = calendar.bookings[booking.booking_id]
        assert (moved.start, moved.end) == ("2026-11-25T17:00", "2026-11-25T18:00")

        await pilot.press("c")  # cancel: asks first, naming the room it frees
        await wait_until(lambda: isinstance(app.screen, ConfirmDialog), pilot)
        assert "报告厅" in app.screen.title_text
        await pilot.click("#choice-0")
        await wait_until(lambda: not calendar.bookings[booking.booking_id].active, pilot)
        assert screen.current_meeting().cancelled
        assert "已取消" in str(screen.query_one(MeetingList).get_row(meeting.meeting_id)[1])
        await pilot.press("ctrl+z")  # undo: the meeting and its booking as they were
        await wait_until(lambda: calendar.bookings[booking.booking_id].active, pilot)
        assert not screen.current_meeting().cancelled


async def test_a_clashing_room_is_refused_in_the_form_with_the_reason(
    store: DocumentStore, make_ctx: Callable[..., AppContext]
) -> None:
    seed(store)
    app = MishuApp(make_ctx())
    async with app.run_test(size=(140, 45)) as pilot:
        await open_meetings(pilot, app)
        booking_desk(app.ctx).create(Booking("", "room:hall", "2026-11-25T10:00",
                                             "2026-11-25T12:00", "社团联席会"), app.ctx.clock())
        seq = store.update_seq
        form = await new_meeting_form(pilot, app, "部长例会")
        form.query_one("#field-room", Select).value = "room:hall"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form and store.update_seq == seq
        assert "报告厅 is already booked" in str(form.query_one("#form-error").render())
