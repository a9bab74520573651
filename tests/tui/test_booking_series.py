"""A date of a repeating booking through a Pilot: cancel or edit this date only, undo, skip."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from textual.widgets import Button, Input, Select

from store import DocumentStore
from store.booking import Booking, Recurrence
from store.booking_calendar import BookingCalendar
from store.booking_desk import create_booking
from store.booking_exceptions import exception_id
from tests.store.test_booking_calendar import sync
from tests.tui.test_bookings import answer, grid, open_bookings, seed_rooms
from tui.app import MishuApp
from tui.context import AppContext
from tui.widgets.bookings.booking_form import BookingForm
from tui.widgets.bookings.clash_dialog import ClashDialog
from tui.widgets.bookings.clash_list import ClashList
from tui.widgets.common.confirm_dialog import ConfirmDialog

SERIES = "booking:" + "7" * 32


def series_app(store: DocumentStore, make_ctx: Callable[..., AppContext]) -> MishuApp:
    """周例会, Wednesdays 14:00–15:00 in 第一会议室 from today (2026-11-25), six times."""
    seed_rooms(store)
    ctx = make_ctx()
    create_booking(store, Booking(SERIES, "room:r1", "2026-11-25T14:00", "2026-11-25T15:00",
                                  "周例会", recurrence=Recurrence("weekly", count=6)), ctx.clock())
    return MishuApp(ctx)


def dates(app: MishuApp) -> list[str]:
    return [occ.start.date().isoformat()
            for occ in app.ctx.index(BookingCalendar).occurrences_of(SERIES)]


async def on_date(pilot, app: MishuApp, days: int) -> None:  # type: ignore[no-untyped-def]
    """Put the grid cursor on 第一会议室 14:00, ``days`` after today."""
    await open_bookings(pilot, app)
    for _ in range(days):
        await pilot.press("right_square_bracket")
    grid(app).go_to("room:r1", 14)
    await pilot.pause()
    assert grid(app).position().occurrence is not None  # type: ignore[union-attr]


async def test_x_on_one_date_asks_and_cancels_that_date_only_then_ctrl_z_restores_it(
        store: DocumentStore, make_ctx: Callable[..., AppContext]) -> None:
    app = series_app(store, make_ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await on_date(pilot, app, 7)
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        labels = [str(button.label) for button in app.screen.query("Button")]
        assert labels == ["Only 2026-12-02", "2026-12-02 and the following (5 dates)",
                          "The whole series (6 dates)", "Go back"]
        await answer(pilot, app, "choice-0")
        assert dates(app) == ["2026-11-25", "2026-12-09", "2026-12-16", "2026-12-23",
                              "2026-12-30"]
        assert store.get(SERIES)["status"] == "requested"
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert len(dates(app)) == 6
        assert store.get_or_none(exception_id(SERIES, "2026-12-02")) is None
        assert any("Undone" in note.message for note in app._notifications)


async def test_going_back_changes_nothing(
        store: DocumentStore, make_ctx: Callable[..., AppContext]) -> None:
    app = series_app(store, make_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await on_date(pilot, app, 0)
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert len(dates(app)) == 6 and store.get(SERIES)["status"] == "requested"


async def test_cancel_this_and_following_is_undone_by_ctrl_z(
        store: DocumentStore, make_ctx: Callable[..., AppContext]) -> None:
    app = series_app(store, make_ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await on_date(pilot, app, 14)
        await pilot.press("x")
        await answer(pilot, app, "choice-1")
        assert dates(app) == ["2026-11-25", "2026-12-02"]
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert len(dates(app)) == 6


async def test_edit_this_date_only_moves_one_date(
        store: DocumentStore, make_ctx: Callable[..., AppContext]) -> None:
    app = series_app(store, make_ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await on_date(pilot, app, 7)
        await pilot.press("enter")
        await answer(pilot, app, "choice-0")
        assert isinstance(app.screen, BookingForm)
        assert not app.screen.query("#field-repeat")
        assert app.screen.query_one("#field-date", Input).value == "2026-12-02"
        app.screen.query_one("#field-start", Input).value = "16:00"
        app.screen.query_one("#field-end", Input).value = "17:00"
        await pilot.press("ctrl+s")
        await pilot.pause()
        calendar = app.ctx.index(BookingCalendar)
        assert [f"{occ.start:%m-%d %H:%M}" for occ in calendar.occurrences_of(SERIES)][:3] == [
            "11-25 14:00", "12-02 16:00", "12-09 14:00"]
        assert store.get(SERIES)["start"] == "2026-11-25T14:00"
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert [f"{occ.start:%H:%M}" for occ in calendar.occurrences_of(SERIES)][1] == "14:00"


async def test_a_new_series_with_one_clashing_date_offers_to_skip_it(
        store: DocumentStore, make_ctx: Callable[..., AppContext]) -> None:
    seed_rooms(store)
    ctx = make_ctx()
    create_booking(store, Booking("", "room:r1", "2026-12-09T14:30", "2026-12-09T15:30", "年终"),
                   ctx.clock())
    app = MishuApp(ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_bookings(pilot, app)
        grid(app).go_to("room:r1", 14)
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, BookingForm)
        form.query_one("#field-title", Input).value = "周例会"
        form.query_one("#field-repeat", Select).value = "weekly"
        form.query_one("#field-count", Input).value = "4"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert "2026-12-09" in str(app.screen.query_one("#confirm-items").render())
        await answer(pilot, app, "choice-0")
        booked = [b for b in app.ctx.index(BookingCalendar).bookings.values()
                  if b.title == "周例会"]
        assert len(booked) == 1
        assert [occ.day for occ in app.ctx.index(BookingCalendar).occurrences_of(
            booked[0].booking_id)] == [date(2026, 11, 25), date(2026, 12, 2), date(2026, 12, 16)]


async def test_edit_this_and_following_books_the_rest_anew_and_ctrl_z_joins_them_again(
        store: DocumentStore, make_ctx: Callable[..., AppContext]) -> None:
    app = series_app(store, make_ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await on_date(pilot, app, 14)
        await pilot.press("e")
        await answer(pilot, app, "choice-1")
        form = app.screen
        assert isinstance(form, BookingForm)
        assert form.query_one("#field-date", Input).value == "2026-12-09"
        assert form.query_one("#field-count", Input).value == "4"  # what is left of six
        form.query_one("#field-title", Input).value = "周例会（新时间）"
        form.query_one("#field-start", Input).value = "16:00"
        form.query_one("#field-end", Input).value = "17:00"
        await pilot.press("ctrl+s")
        await pilot.pause()
        calendar = app.ctx.index(BookingCalendar)
        assert dates(app) == ["2026-11-25", "2026-12-02"]
        [rest] = [b for b in calendar.bookings.values() if b.title == "周例会（新时间）"]
        assert [f"{occ.start:%m-%d %H:%M}" for occ in calendar.occurrences_of(rest.booking_id)] \
            == ["12-09 16:00", "12-16 16:00", "12-23 16:00", "12-30 16:00"]
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert len(dates(app)) == 6 and rest.booking_id not in calendar.bookings


async def test_a_series_clashing_after_a_merge_loses_only_the_clashing_date(
        store: DocumentStore, make_store: Callable[[str], DocumentStore],
        make_ctx: Callable[..., AppContext]) -> None:
    laptop = make_store("laptop")
    app = series_app(store, make_ctx)
    seed_rooms(laptop)
    other = create_booking(laptop, Booking("", "room:r1", "2026-12-02T14:30", "2026-12-02T15:30",
                                           "宣传部会议"), app.ctx.clock())
    sync(store, laptop)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_bookings(pilot, app)
        app.screen.query_one(ClashList).focus()
        await pilot.press("enter")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ClashDialog)
        number = dialog.booking_ids.index(SERIES)
        assert str(dialog.query_one(f"#cancel-{number}", Button).label) == \
            "Cancel “周例会” on 2026-12-02 only"
        await pilot.click(f"#cancel-{number}")
        await pilot.pause()
        assert dates(app) == ["2026-11-25", "2026-12-09", "2026-12-16", "2026-12-23",
                              "2026-12-30"]
        assert store.get(other.booking_id)["status"] == "requested"
        assert app.ctx.index(BookingCalendar).clashes() == []
