"""Two sign-in kiosks at two doors, apart while the same member is scanned at both, then merged."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from kiosk.signin_app import SigninKiosk
from store import DocumentStore
from store.meetings import Meeting, save_meeting
from store.members import Member, save_member
from tui.app import MishuApp
from tui.context import AppContext
from tui.i18n import Translator
from tui.settings import GeneralSettings
from tui.widgets.meetings.attendance_table import AttendanceTable

from .driving import kiosk_settings, scan, wait_until

MEETING = Meeting("meeting:plenary", "全体大会", "2026-11-25T13:30", "2026-11-25T15:00", "A",
                  roster=("001", "002"))
BADGE = f"M{1:016X}"


def copy_all(source: DocumentStore, target: DocumentStore, *kinds: str) -> None:
    """Every leaf of every document of ``kinds``, as the replicator would carry it."""
    for kind in kinds:
        for doc_id in source.ids_of_type(kind):
            target.put_revisions([entry["ok"] for entry in source.open_revs(doc_id, None)
                                  if "ok" in entry])


def door_ctx(store: DocumentStore, node: str, door: str, now: datetime) -> AppContext:
    settings = kiosk_settings(name=door)
    settings = replace(settings, general=replace(GeneralSettings(), node_name=node))
    return AppContext(settings=settings, store=store, i18n=Translator("zh"), clock=lambda: now)


async def scan_at(ctx: AppContext, text: str) -> tuple[str, str]:
    """A kiosk started at this door answers one scan: (outcome, headline)."""
    app = SigninKiosk(ctx, MEETING.meeting_id)
    async with app.run_test(size=(80, 24)) as pilot:
        await scan(pilot, text)
        await wait_until(lambda: app.scans_handled == 1, pilot)
        return app.result.outcome, app.result.headline


async def test_both_doors_are_kept_and_shown_after_the_merge(
        store: DocumentStore, make_store: Callable[[str], DocumentStore]) -> None:
    west, east = store, make_store("east")
    save_member(west, Member("001", "张三", "秘书处", qr_token=BADGE))
    save_member(west, Member("002", "李四", "秘书处", qr_token=f"M{2:016X}"))
    save_meeting(west, MEETING)
    copy_all(west, east, "member", "meeting")

    contexts = [door_ctx(west, "west", "西门", datetime(2026, 11, 25, 13, 57)),
                door_ctx(east, "east", "东门", datetime(2026, 11, 25, 13, 58))]
    try:
        assert await scan_at(contexts[0], BADGE) == ("ok", "签到成功")  # apart: both sign in
        assert await scan_at(contexts[1], BADGE) == ("ok", "签到成功")

        copy_all(west, east, "signin", "signinscan")
        copy_all(east, west, "signin", "signinscan")
        assert await scan_at(contexts[1], BADGE) == ("notice", "已于 13:57 在西门签到")

        office = MishuApp(door_ctx(east, "east", "东门", datetime(2026, 11, 25, 14, 30)))
        async with office.run_test(size=(140, 45)) as pilot:
            await pilot.press("f4")
            table = office.screen.query_one(AttendanceTable)
            await wait_until(lambda: bool(table.records), pilot)
            row = next(record for record in table.records if record.member_id == "001")
            assert (row.time, row.also) == ("13:57", "东门 13:58")
            assert "另在东门 13:58扫码" in str(table.get_cell("001", "note"))
        assert len(east.open_revs("signin:plenary:001", None)) == 2  # looking deleted nothing
        assert sorted(east.ids_of_type("signinscan")) == ["signinscan:plenary:001:east",
                                                          "signinscan:plenary:001:west"]
    finally:
        for ctx in contexts:
            ctx.close()
