"""Rooms are added and edited from the bookings screen; the calendar exports from there too."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from icalendar import Calendar
from textual.widgets import Input

from store import DocumentStore
from store.booking import Booking
from store.booking_calendar import BookingCalendar
from store.booking_desk import create_booking
from tui.app import MishuApp
from tui.context import AppContext
from tui.settings import GeneralSettings, Settings
from tui.widgets.common.fields_dialog import FieldsDialog

from .test_bookings import open_bookings, seed_rooms
from .test_meetings import wait_until


async def test_edit_a_room_then_export_the_calendar(
    store: DocumentStore, make_ctx: Callable[..., AppContext], tmp_path: Path
) -> None:
    seed_rooms(store)
    (tmp_path / "out").mkdir()
    ctx = make_ctx(settings=Settings(GeneralSettings(data_dir=str(tmp_path / "out"))))
    create_booking(store, Booking("", "room:r1", "2026-11-25T14:00", "2026-11-25T15:00", "部长例会"),
                   ctx.clock())
    app = MishuApp(ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_bookings(pilot, app)
        await pilot.press("o")  # the room of the grid row under the cursor: 第一会议室
        await wait_until(lambda: isinstance(app.screen, FieldsDialog), pilot)
        dialog = app.screen
        assert dialog.query_one("#field-name", Input).value == "第一会议室"
        dialog.query_one("#field-open_until", Input).value = "7pm"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is dialog  # refused: hours are HH:MM
        dialog.query_one("#field-capacity", Input).value = "24"
        dialog.query_one("#field-equipment", Input).value = "投影仪、白板"
        dialog.query_one("#field-open_until", Input).value = "21:00"
        await pilot.press("ctrl+s")
        calendar = app.ctx.index(BookingCalendar)
        await wait_until(lambda: calendar.rooms["room:r1"].capacity == 24, pilot)
        room = calendar.rooms["room:r1"]
        assert (room.equipment, room.open_until) == (("投影仪", "白板"), "21:00")
        await pilot.press("i")
        path = tmp_path / "out" / "bookings.ics"
        await wait_until(path.exists, pilot)
        events = Calendar.from_ical(path.read_bytes()).walk("VEVENT")
        assert [str(event["summary"]) for event in events] == ["部长例会"]


async def test_my_bookings_for_a_member_picked_by_pinyin(
    store: DocumentStore, make_ctx: Callable[..., AppContext]
) -> None:
    from store.meeting_booking import book_meeting
    from store.meetings import Meeting
    from tui.widgets.bookings.my_bookings import MyBookingsDialog

    seed_rooms(store)  # members 张三 2026001 and 李四 2026002
    ctx = make_ctx()
    create_booking(store, Booking("", "room:r1", "2026-11-26T09:00", "2026-11-26T10:00", "部长例会",
                                  organiser="2026001"), ctx.clock())
    create_booking(store, Booking("", "room:r1", "2026-11-26T11:00", "2026-11-26T12:00", "宣传部会",
                                  organiser="2026002"), ctx.clock())
    book_meeting(store, None, Meeting("meeting:m", "全体干部大会", "2026-11-27T14:00",
                                      "2026-11-27T15:00", "A", "room:r2", roster=("2026001",)),
                 ctx.clock())
    app = MishuApp(ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_bookings(pilot, app)
        await pilot.press("y")
        await wait_until(lambda: isinstance(app.screen, FieldsDialog), pilot)
        await pilot.press(*"zhangsan", "enter")  # the list's best match
        await pilot.press("ctrl+s")
        await wait_until(lambda: isinstance(app.screen, MyBookingsDialog), pilot)
        table = app.screen.query_one("#my-bookings")
        rows = [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]
        assert rows == [["2026-11-26 09:00–10:00", "第一会议室", "部长例会"],
                        ["2026-11-27 14:00–15:00", "学生活动中心201", "全体干部大会"]]


async def test_month_view_counts_each_day_and_opens_one(
    store: DocumentStore, make_ctx: Callable[..., AppContext]
) -> None:
    from store.booking import Recurrence
    from tui.widgets.bookings.month_view import MonthView

    seed_rooms(store)
    ctx = make_ctx()
    create_booking(store, Booking("", "room:r1", "2026-11-26T09:00", "2026-11-26T10:00", "例会",
                                  recurrence=Recurrence("weekly", count=2)), ctx.clock())
    create_booking(store, Booking("", "room:r2", "2026-11-26T09:00", "2026-11-26T10:00", "讲座"),
                   ctx.clock())
    app = MishuApp(ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_bookings(pilot, app)
        await pilot.press("m")
        await wait_until(lambda: isinstance(app.screen, MonthView), pilot)
        table = app.screen.query_one("#month-table")
        cells = {str(cell).split()[0]: str(cell) for row in range(table.row_count)
                 for cell in table.get_row_at(row)}
        assert cells["26"] == "26 2 booked" and cells["25"] == "25"
        await pilot.press("]")  # December: the weekly one's second date
        await wait_until(lambda: "2026-12" in str(app.screen.query_one("#month-heading").render()),
                         pilot)
        assert any(str(cell) == " 3 1 booked" for row in range(table.row_count)
                   for cell in table.get_row_at(row))
        await pilot.press("enter")  # the cursor is on 1 December
        await wait_until(lambda: app.screen is screen, pilot)
        assert screen.day.isoformat() == "2026-12-01"
