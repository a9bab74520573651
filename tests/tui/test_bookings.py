"""The bookings screen through a Pilot: book from the grid, get refused, find a room, resolve."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from rich.cells import cell_len
from textual.widgets import DataTable, Input, Select

from store import DocumentStore
from store.booking import Booking
from store.booking_calendar import BookingCalendar
from store.booking_desk import create_booking
from store.members import Member, save_member
from store.rooms import Room, save_room
from tests.store.test_booking_calendar import sync
from tui.app import MishuApp
from tui.context import AppContext
from tui.screens.bookings import BookingsScreen
from tui.widgets.bookings.booking_form import BookingForm
from tui.widgets.bookings.booking_grid import BookingGrid
from tui.widgets.bookings.clash_dialog import ClashDialog
from tui.widgets.bookings.clash_list import ClashList
from tui.widgets.bookings.find_room import FindRoomDialog
from tui.widgets.bookings.pending_list import PendingList
from tui.widgets.common.confirm_dialog import ConfirmDialog
from tui.widgets.dashboard.attention_inbox import AttentionInbox

from ..kiosk.driving import wait_until


def seed_rooms(store: DocumentStore) -> None:
    save_member(store, Member("2026001", "张三", "秘书处"))  # organisers to pick
    save_member(store, Member("2026002", "李四", "宣传部"))
    save_room(store, Room("room:r1", "第一会议室", 20, ("投影仪",)))
    save_room(store, Room("room:r2", "学生活动中心201", 60, ("投影仪", "音响")))


def grid(app: MishuApp) -> BookingGrid:
    return app.screen.query_one(BookingGrid)


def notes(app: MishuApp) -> list[str]:
    return [n.message for n in app._notifications]


async def answer(pilot, app: MishuApp, button: str) -> str:  # type: ignore[no-untyped-def]
    """Press ``button`` in the confirm dialog that must be open; returns the dialog's title."""
    await pilot.pause()
    assert isinstance(app.screen, ConfirmDialog)
    title = str(app.screen.query_one(".dialog-title").render())
    await pilot.click(f"#{button}")
    await pilot.pause()
    return title


async def open_bookings(pilot, app: MishuApp) -> BookingsScreen:  # type: ignore[no-untyped-def]
    await pilot.press("f3")
    await pilot.pause()
    assert isinstance(app.screen, BookingsScreen)
    return app.screen


async def test_book_from_the_grid_then_refused_on_overlap(
    store: DocumentStore, make_ctx: Callable[..., AppContext]
) -> None:
    seed_rooms(store)
    app = MishuApp(make_ctx())
    async with app.run_test(size=(140, 45)) as pilot:
        await open_bookings(pilot, app)
        assert [row.room_id for row in grid(app).rows_shown] == ["room:r1", "room:r2"]
        grid(app).focus()
        await pilot.press("right", "right", "right", "right", "right", "right", "right")  # 14:00
        position = grid(app).position()
        assert position is not None and position.hour == 14 and position.occurrence is None
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, BookingForm)
        assert app.screen.query_one("#field-start", Input).value == "14:00"
        app.screen.query_one("#field-title", Input).value = "部长例会"
        app.screen.query_one("#field-attendees", Input).value = "12"
        app.screen.query_one("#field-organiser Input", Input).value = "2026001"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, BookingsScreen)
        [booking] = app.ctx.index(BookingCalendar).bookings.values()
        assert (booking.room_id, booking.start, booking.end) == (
            "room:r1", "2026-11-25T14:00", "2026-11-25T15:00")
        assert booking.status == "requested" and booking.attendees == 12
        assert grid(app).position().occurrence.booking.title == "部长例会"  # type: ignore[union-attr]
        assert any("Booked “部长例会”" in note for note in notes(app))

        seq = store.update_seq
        await pilot.press("left", "n")  # 13:00, a new booking running into 14:00
        await pilot.pause()
        assert isinstance(app.screen, BookingForm)
        app.screen.query_one("#field-title", Input).value = "宣传部会议"
        app.screen.query_one("#field-end", Input).value = "14:30"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, BookingForm)  # still open, nothing written
        assert store.update_seq == seq
        refusal = "第一会议室 is already booked 2026-11-25 14:00–15:00 for “部长例会”"
        assert refusal in notes(app)
        assert str(app.screen.query_one("#form-error").render()) == refusal
        app.screen.query_one("#field-end", Input).value = "14:00"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, BookingsScreen)
        assert len(store.ids_of_type("booking")) == 2


async def test_find_a_free_room_and_book_it(
    store: DocumentStore, make_ctx: Callable[..., AppContext]
) -> None:
    seed_rooms(store)
    create_booking(store, Booking("", "room:r2", "2026-11-26T14:00", "2026-11-26T16:00", "晚会彩排",
                                  attendees=30), make_ctx().clock())
    app = MishuApp(make_ctx())
    async with app.run_test(size=(140, 45)) as pilot:
        await open_bookings(pilot, app)
        await pilot.press("f")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, FindRoomDialog)
        values = {"date": "2026-11-26", "start": "15:00", "end": "16:00", "attendees": "15",
                  "equipment": "投影仪"}
        for name, value in values.items():
            dialog.query_one(f"#find-{name}", Input).value = value
        await pilot.click("#search")
        await pilot.pause()
        table = dialog.query_one("#free-rooms", DataTable)
        assert [str(table.get_row_at(i)[0]) for i in range(table.row_count)] == ["第一会议室"]
        people = dialog.query_one("#find-attendees", Input)
        people.value = "30"
        people.focus()
        await pilot.press("enter")  # submitting any field searches again
        await pilot.pause()
        assert table.row_count == 0
        assert str(dialog.query_one("#find-summary").render()) == "No room is free then with those needs."
        people.value = "15"
        people.focus()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.click("#book")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, BookingForm)
        assert form.query_one("#field-date", Input).value == "2026-11-26"
        form.query_one("#field-title", Input).value = "学习部讲座筹备"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, BookingsScreen)
        titles = {b.title: b for b in app.ctx.index(BookingCalendar).bookings.values()}
        assert titles["学习部讲座筹备"].room_id == "room:r1"
        assert titles["学习部讲座筹备"].attendees == 15


async def test_grid_navigation_week_view_and_confirm_cancel(
    store: DocumentStore, make_ctx: Callable[..., AppContext]
) -> None:
    seed_rooms(store)
    ctx = make_ctx()
    saved = create_booking(store, Booking("", "room:r1", "2026-11-27T09:00", "2026-11-27T11:00",
                                          "主席团会议", attendees=5), ctx.clock())
    app = MishuApp(ctx)
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await open_bookings(pilot, app)
        await pilot.press("right_square_bracket", "right_square_bracket")
        assert screen.day == date(2026, 11, 27)
        await pilot.press("left_square_bracket")
        assert screen.day == date(2026, 11, 26)
        await pilot.press("right_square_bracket", "right", "right")  # 第一会议室, 09:00
        position = grid(app).position()
        assert position is not None and position.occurrence is not None
        await pilot.press("c")
        await answer(pilot, app, "choice-0")
        assert store.get(saved.booking_id)["status"] == "confirmed"
        await pilot.press("w")
        await pilot.pause()
        assert screen.week_room == "room:r1"
        rows = grid(app).rows_shown
        assert [row.day for row in rows][0] == date(2026, 11, 23) and len(rows) == 7
        assert grid(app).position().occurrence is not None  # type: ignore[union-attr]
        await pilot.press("x")
        await answer(pilot, app, "choice-0")
        assert store.get(saved.booking_id)["status"] == "cancelled"
        await pilot.press("w")
        await pilot.pause()
        assert screen.week_room is None and screen.day == date(2026, 11, 27)
        await pilot.press("f9")
        await pilot.pause()
        assert len(grid(app).rows_shown) == 2  # the recomposed grid is filled again
        assert str(app.screen.query_one("#grid-heading").render()).startswith("2026-11-27 周五")


async def test_clash_after_merge_is_listed_and_resolved(
    store: DocumentStore, make_store: Callable[[str], DocumentStore],
    make_ctx: Callable[..., AppContext]
) -> None:
    seed_rooms(store)
    laptop = make_store("laptop")
    sync(store, laptop)
    ctx = make_ctx()
    mine = create_booking(store, Booking("", "room:r1", "2026-11-25T14:00", "2026-11-25T15:00",
                                         "部长例会", organiser="2026001"), ctx.clock(),
                          node_name="office")
    theirs = create_booking(laptop, Booking("", "room:r1", "2026-11-25T14:30", "2026-11-25T16:00",
                                            "宣传部会议", organiser="2026002"), ctx.clock(),
                            node_name="laptop")
    sync(store, laptop)
    app = MishuApp(ctx)
    async with app.run_test(size=(140, 45)) as pilot:
        await open_bookings(pilot, app)
        clashes = app.screen.query_one(ClashList)
        assert clashes.row_count == 1
        clashes.focus()
        await pilot.press("enter")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ClashDialog)
        sides = [str(side.render()) for side in dialog.query(".clash-side")]
        assert any("部长例会" in side and "office" in side for side in sides)
        assert any("宣传部会议" in side and "laptop" in side for side in sides)
        number = dialog.booking_ids.index(theirs.booking_id)
        await pilot.click(f"#move-{number}")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, BookingForm)
        form.query_one("#field-room", Select).value = "room:r2"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, BookingsScreen)
        assert clashes.row_count == 0
        assert store.get(theirs.booking_id)["room"] == "room:r2"
        assert store.get(mine.booking_id)["room"] == "room:r1"
    sync(store, laptop)
    assert BookingCalendar.from_store(laptop).attention_items() == []


async def test_dashboard_lists_the_clash_and_opens_the_clash_dialog(
    store: DocumentStore, make_store: Callable[[str], DocumentStore],
    make_ctx: Callable[..., AppContext]
) -> None:
    seed_rooms(store)
    laptop = make_store("laptop")
    sync(store, laptop)
    ctx = make_ctx()
    for node, title in ((store, "部长例会"), (laptop, "宣传部会议")):
        create_booking(node, Booking("", "room:r1", "2026-11-26T14:00", "2026-11-26T15:00", title),
                       ctx.clock())
    sync(store, laptop)
    app = MishuApp(ctx)
    async with app.run_test(size=(140, 45)) as pilot:
        inbox = app.screen.query_one(AttentionInbox)
        await wait_until(lambda: inbox.loaded, pilot)  # its views are built in a worker
        assert inbox.row_count == 1
        assert "第一会议室 2026-11-26 14:00–15:00" in str(inbox.get_row_at(0)[1])
        inbox.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ClashDialog)
        await pilot.click("#cancel-0")
        await pilot.pause()
        assert not isinstance(app.screen, ClashDialog)
        assert inbox.row_count == 0
        await pilot.press("ctrl+z")  # the dialog is gone; the dashboard holds its undo
        await wait_until(lambda: inbox.row_count == 1, pilot)


async def test_every_action_has_translated_palette_entries_and_bindings(
    store: DocumentStore, make_ctx: Callable[..., AppContext]
) -> None:
    seed_rooms(store)
    app = MishuApp(make_ctx(language="zh"))
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await open_bookings(pilot, app)
        t = app.ctx.i18n
        commands = screen.palette_commands()
        assert len(commands) >= 10
        for title, help_key, _callback in commands:
            assert t.has(title) and t.has(help_key)
        for binding in BookingsScreen.BINDINGS:
            assert t.has(binding.description)  # type: ignore[union-attr]
        actions = {title: callback for title, _help, callback in commands}
        actions["bookings.next_day"]()
        assert screen.day == date(2026, 11, 26)
        actions["bookings.find_room"]()
        await pilot.pause()
        assert isinstance(app.screen, FindRoomDialog)


async def test_overdue_request_is_marked_in_full_width_brackets_in_zh(
    store: DocumentStore, make_ctx: Callable[..., AppContext]
) -> None:
    seed_rooms(store)
    ctx = make_ctx("zh")
    create_booking(store, Booking("", "room:r1", "2026-11-28T16:00", "2026-11-28T17:00",
                                  "生活部座谈会", attendees=5), ctx.clock() - timedelta(hours=6))
    app = MishuApp(ctx)
    async with app.run_test(size=(140, 45)) as pilot:
        await open_bookings(pilot, app)
        pending = app.screen.query_one(PendingList)
        age = pending.get_row_at(0)[list(pending.columns).index("age")]
        assert [str(age)] == ["6 小时 0 分（超过 4 小时）"]


async def test_a_title_reads_whole_across_its_hours_at_80_columns(
    store: DocumentStore, make_ctx: Callable[..., AppContext]
) -> None:
    """Before: each hour held three characters and a gap, so 全体干部大会 read 全体干 部大会."""
    seed_rooms(store)
    ctx = make_ctx("zh")
    day = ctx.clock().date()
    create_booking(store, Booking("", "room:r1", f"{day}T09:00", f"{day}T11:00", "全体干部大会",
                                  attendees=5), ctx.clock())
    app = MishuApp(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_bookings(pilot, app)
        table = grid(app)
        row = table.get_row("room:r1")
        hours = list(table.columns.values())[1:]
        shown = "".join(text.plain + " " * (column.width - cell_len(text.plain))
                        for text, column in zip(row[1:], hours))  # as the row is drawn
        assert "全体干部大会" in shown
        assert table.virtual_size.width >= 16 + 8 * 8  # eight whole hours beside the rooms


async def test_a_booking_of_a_room_gone_opens_with_the_room_to_choose(
    store: DocumentStore, make_ctx: Callable[..., AppContext]
) -> None:
    """A room deleted on another node left its bookings naming it: opening one once ended the
    app (Textual refuses a Select value that is not an option); now the room starts blank."""
    seed_rooms(store)
    booking = Booking("booking:gone", "room:deleted-elsewhere", "2026-11-25T14:00",
                      "2026-11-25T15:00", "部长例会", organiser="2026001")
    app = MishuApp(make_ctx())
    async with app.run_test(size=(120, 40)) as pilot:
        await open_bookings(pilot, app)
        app.push_screen(BookingForm(booking))
        await pilot.pause()
        assert isinstance(app.screen, BookingForm)
        assert app.screen.query_one("#field-room", Select).is_blank()
        seq = store.update_seq
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, BookingForm)  # asked for the room, nothing written
        assert str(app.screen.query_one("#form-error").render())
        assert store.update_seq == seq
