"""The requests pane of the service desk through a Pilot, on a real store with a fixed clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from textual.widgets import Input

from store import DocumentStore
from store.booking import CONFIRMED, REQUESTED
from store.booking_calendar import BookingCalendar
from store.desk_index import DeskIndex
from store.desk_requests import DESK_REQUEST, DeskRequest
from store.rooms import Room, save_room
from tui.app import MishuApp
from tui.context import AppContext
from tui.kpi_sources import build_report, period_for
from tui.widgets.common.confirm_dialog import ConfirmDialog
from tui.widgets.common.fields_dialog import FieldsDialog
from tui.widgets.desk.requests_pane import RequestsPane
from tui.widgets.desk.paging import PAGE

from ..conftest import FIXED_NOW
from ..kiosk.driving import wait_until
from .desk_driving import choose, fill, open_pane
from .screen_text import screen_text

HOSTILE = "[/]\x1b[31m[bold]赞助[/bold]"


@pytest.mark.parametrize("language", ["zh", "en"])
async def test_venue_request_becomes_a_confirmed_booking_met_within_four_hours(
        store: DocumentStore, make_ctx: Callable[..., AppContext], language: str) -> None:
    save_room(store, Room("room:301", "301 会议室", 20))
    now = [FIXED_NOW]
    ctx = make_ctx(language)
    ctx.clock = lambda: now[-1]
    app = MishuApp(ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await open_pane(pilot, app, RequestsPane, 'requests')
        await pilot.press("n")
        await fill(pilot, app, kind="场地", department="宣传部", title="海报评审会",
                   room="room:301", day="2026-11-26", start="14:00", end="15:00")
        await wait_until(lambda: pane.table.row_count == 1, pilot)
        (request,) = ctx.index(DeskIndex).requests.values()
        booking = ctx.index(BookingCalendar).bookings[request.handoff]
        assert booking.status == REQUESTED and booking.room_id == "room:301"
        assert ("新提交" if language == "zh" else "New") in screen_text(app)
        now.append(FIXED_NOW + timedelta(hours=1))
        await pilot.press("a")
        await fill(pilot, app, who="张三")
        now.append(FIXED_NOW + timedelta(hours=3))
        await pilot.press("d")
        await fill(pilot, app, who="张三")
        await wait_until(lambda: ctx.index(BookingCalendar).bookings[
            request.handoff].status == CONFIRMED, pilot)
        assert ("已办结" if language == "zh" else "Done") in screen_text(app)
        await pilot.press("x")  # an answered request says so before anything is typed
        await pilot.pause()
        assert not isinstance(app.screen, FieldsDialog)
    report = build_report(ctx, period_for("this_quarter", FIXED_NOW.date()))
    assert report.requests_within == {"场地": 1.0}


async def test_decline_and_withdraw_ask_first_and_undo(
        store: DocumentStore, make_ctx: Callable[..., AppContext]) -> None:
    save_room(store, Room("room:301", "301 会议室", 20))  # a store with something in it
    ctx = make_ctx("zh")
    app = MishuApp(ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await open_pane(pilot, app, RequestsPane, 'requests')
        await pilot.press("n")
        await fill(pilot, app, kind="公文审核", department="外联部", title=HOSTILE)
        await wait_until(lambda: pane.table.row_count == 1, pilot)
        assert "[/]" in screen_text(app) and "\x1b" not in screen_text(app)
        await pilot.press("x")
        await fill(pilot, app, who="李四", reason="材料不全")
        await choose(pilot, app)
        index = ctx.index(DeskIndex)
        (state,) = index.request_states(ctx.settings.desk.promise_spans)
        assert state.status == "declined" and state.outcome.reason == "材料不全"
        await pilot.press("ctrl+z")
        await pilot.pause()
        (state,) = index.request_states(ctx.settings.desk.promise_spans)
        assert state.status == "new"
        await pilot.press("delete")
        await wait_until(lambda: isinstance(app.screen, ConfirmDialog), pilot)
        await pilot.press("escape")  # backing out changes nothing
        await pilot.pause()
        assert len(index.requests) == 1
        await pilot.press("delete")
        await choose(pilot, app)
        assert index.requests == {}
        await pilot.press("ctrl+z")
        await wait_until(lambda: len(index.requests) == 1, pilot)
        await wait_until(lambda: pane.table.row_count == 1, pilot)


async def test_a_refused_request_keeps_the_dialog_and_what_was_typed(
        store: DocumentStore, make_ctx: Callable[..., AppContext]) -> None:
    save_room(store, Room("room:301", "301 会议室", 20))
    app = MishuApp(make_ctx("en"))
    async with app.run_test(size=(120, 40)) as pilot:
        await open_pane(pilot, app, RequestsPane, 'requests')
        await pilot.press("n")
        await fill(pilot, app, kind="场地", department="体育部", title="篮球赛")
        assert isinstance(app.screen, FieldsDialog)
        assert app.screen.query_one("#field-title", Input).value == "篮球赛"


async def test_a_long_board_shows_the_overdue_request_first_and_draws_the_rest_page_by_page(
        store: DocumentStore, make_ctx: Callable[..., AppContext]) -> None:
    """250 first drafts filed on Monday, not yet due, and a 场地 request filed on Tuesday whose
    four hours have run out: it heads the board although 250 requests are older."""
    store.bulk_put(DeskRequest(f"{DESK_REQUEST}:draft-{n:03d}", "初稿", "宣传部", f"初稿{n}",
                               filed_at=f"2026-11-23T{8 + n // 60:02d}:{n % 60:02d}").to_doc()
                   for n in range(250))
    store.put(DeskRequest(f"{DESK_REQUEST}:hall", "场地", "体育部", "篮球赛场地",
                          filed_at="2026-11-24T09:00").to_doc())
    app = MishuApp(make_ctx("en"))
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await open_pane(pilot, app, RequestsPane, 'requests')
        await wait_until(lambda: pane.table.row_count > 0, pilot)
        table = pane.table
        assert table.coordinate_to_cell_key((0, 0)).row_key.value == f"{DESK_REQUEST}:hall"
        assert "overdue" in screen_text(app)
        assert table.row_count == PAGE
        assert f"The {PAGE} most urgent of 251" in screen_text(app)
        await pilot.press("ctrl+end")  # the cursor on the last row drawn brings the next page
        await wait_until(lambda: table.row_count == 2 * PAGE, pilot)
        await pilot.press("ctrl+end")
        await wait_until(lambda: table.row_count == 251, pilot)
        assert "251 in all" in screen_text(app)
        await pilot.press("ctrl+end")
        assert table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value \
            == f"{DESK_REQUEST}:draft-249"
