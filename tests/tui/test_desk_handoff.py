"""A 物资 request through the desk as a secretary does it: accepted into a reservation filled in
from its words, done when the member collects the asset (at the supplies kiosk, say)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest
from textual.widgets import Select

from store import DocumentStore
from store.desk_index import DeskIndex
from store.members import Member, save_member
from store.reservations import ReservationBook
from store.supplies import Asset
from store.supplies_desk import Actor, lend, save_asset
from store.supplies_index import SupplyIndex
from tui.app import MishuApp
from tui.context import AppContext
from tui.kpi_sources import build_report, period_for
from tui.widgets.common.fields_dialog import FieldsDialog
from tui.widgets.desk.handoffs import request_states
from tui.widgets.desk.requests_pane import RequestsPane

from ..conftest import FIXED_NOW
from ..kiosk.driving import wait_until
from .desk_driving import fill, open_pane
from .screen_text import screen_text

PROJECTOR = Asset("asset:p1", "GZ-2026-001", "投影仪", "电子设备", "SN1", "2026-03-01", 3999.0,
                  "器材室", code="APROJECTOR")
COLLECTOR = Member("2026007", "赵六", "体育部", "干事")


@pytest.mark.parametrize("language", ["zh", "en"])
async def test_a_supplies_request_becomes_a_reservation_and_is_done_when_collected(
        store: DocumentStore, make_ctx: Callable[..., AppContext], language: str) -> None:
    save_asset(store, PROJECTOR)
    save_member(store, COLLECTOR)
    ctx = make_ctx(language)
    app = MishuApp(ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await open_pane(pilot, app, RequestsPane, "requests")
        await pilot.press("n")
        await fill(pilot, app, kind="物资", department="体育部", title="运动会借投影仪 1 台",
                   needed_by="2026-11-25 14:00")
        await wait_until(lambda: pane.table.row_count == 1, pilot)
        await pilot.press("a")
        await wait_until(lambda: isinstance(app.screen, FieldsDialog), pilot)
        form = app.screen
        assert form.query_one("#field-thing", Select).value == PROJECTOR.asset_id
        assert form.query_one("#field-action", Select).value == "reserve"
        start = form.query_one("#field-start").value  # type: ignore[attr-defined]
        assert start == "2026-11-25 14:00"
        await fill(pilot, app, who="张三", member="2026007")
        await wait_until(lambda: not isinstance(app.screen, FieldsDialog), pilot)
        (state,) = request_states(ctx)
        reservation = ctx.index(ReservationBook).reservations[state.handoff]
        assert (reservation.member_id, reservation.start) == ("2026007", "2026-11-25T14:00")
        assert state.status == "accepted"
        lend(store, ctx.index(SupplyIndex), PROJECTOR, "2026007", 1,
             Actor(datetime(2026, 11, 25, 14, 5), "supplies-kiosk"))
        await wait_until(lambda: ("已办结" if language == "zh" else "Done") in screen_text(app),
                         pilot)
        assert ctx.index(DeskIndex).request_states(ctx.settings.desk.promise_spans)[0].open
    report = build_report(ctx, period_for("this_quarter", FIXED_NOW.date()))
    assert report.requests_within == {"物资": 1.0}
