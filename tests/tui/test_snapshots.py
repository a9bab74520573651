"""SVG snapshots of the screens people see first, in both languages, at 80×24 and 120×40.

Dashboard, bookings grid, directory, meetings, supplies and archive on the demo office; the
sign-in kiosk idle and right after a
badge scan; the supplies kiosk with a member's list before confirming. Regenerate after an intended change with ``pytest tests/tui/test_snapshots.py
--snapshot-update`` and review the SVGs in the diff.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TypeVar

import pytest
from textual.widgets import DataTable, Input, TabbedContent

from kiosk.base import KioskApp
from kiosk.room_app import RoomKiosk
from kiosk.signin_app import SigninKiosk
from kiosk.supplies_app import SuppliesKiosk
from kiosk.survey_app import SurveyKiosk
from store import DocumentStore
from store.booking import Booking
from store.booking_desk import BookingDesk
from store.demo import fill_demo
from store.meetings import Meeting, save_meeting
from store.members import Member, save_member
from store.room_checkin import put_up_door
from store.rooms import Room, save_room
from store.supplies import Asset, Item
from store.supplies_desk import Actor, receive, save_asset, save_item
from store.survey import Survey, save_survey
from tui.app import MishuApp
from tui.context import AppContext
from tui.i18n import Translator
from tui.settings import GeneralSettings, KioskSettings, Settings, SurveySettings
from tui.widgets.dashboard.panel import DashboardPanel
from tui.widgets.desk.pane import DeskPane

from ..kiosk.driving import HandClock

AnyKiosk = TypeVar("AnyKiosk", bound=KioskApp)

NOW = datetime(2026, 11, 25, 9, 30)
SIZES = [(80, 24), (120, 40)]
LANGUAGES = ["en", "zh"]


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DocumentStore]:
    store = DocumentStore.open(tmp_path_factory.mktemp("demo") / "data")
    fill_demo(store, today=NOW.date())
    yield store
    store.close()


@pytest.fixture
def demo_app(demo_store: DocumentStore) -> Iterator[Callable[[str], MishuApp]]:
    contexts: list[AppContext] = []

    def make(language: str) -> MishuApp:
        settings = Settings(general=GeneralSettings(node_name="office-1"))
        ctx = AppContext(settings=settings, store=demo_store, i18n=Translator(language),
                         clock=lambda: NOW)
        contexts.append(ctx)
        return MishuApp(ctx)

    yield make
    for ctx in contexts:
        ctx.close()


async def panels_filled(pilot) -> None:  # type: ignore[no-untyped-def]
    """The dashboard paints its frame first; the snapshot is of the filled panels."""
    while not pilot.app.screen.query(DashboardPanel) or not all(
            panel.loaded for panel in pilot.app.screen.query(DashboardPanel)):
        await pilot.pause(0.01)
    await pilot.pause()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_dashboard(snap_compare, demo_app, language: str, size: tuple[int, int]) -> None:
    assert snap_compare(demo_app(language), terminal_size=size, run_before=panels_filled)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_bookings_grid(snap_compare, demo_app, language: str, size: tuple[int, int]) -> None:
    assert snap_compare(demo_app(language), press=["f3"], terminal_size=size)


AREA_KEYS = {"directory": "f2", "meetings": "f4", "supplies": "f5", "archive": "f6",
             "documents": "f7", "desk": "f8", "kpi": "ctrl+k"}  # the KPI view opens from the dashboard


def area_shown(key: str):  # type: ignore[no-untyped-def]
    """Open the area and wait until every table in it is filled (the archive and supplies
    indexes are built in a worker: the snapshot is of the result, not of the loading line)."""
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.press(key)
        while not (tables := pilot.app.screen.query(DataTable)) or not any(
                table.row_count for table in tables):
            await pilot.pause(0.01)
        for field in pilot.app.screen.query(Input):
            field.cursor_blink = False  # a blinking cursor made the picture depend on the moment
        await pilot.pause()
    return run_before


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("area", list(AREA_KEYS))
def test_area(snap_compare, demo_app, area: str, language: str, size: tuple[int, int]) -> None:
    assert snap_compare(demo_app(language), run_before=area_shown(AREA_KEYS[area]),
                        terminal_size=size)


def desk_tab_shown(pane_id: str):  # type: ignore[no-untyped-def]
    """The desk with another tab than its first: each fills its table when first shown."""
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await area_shown("f8")(pilot)
        pilot.app.screen.query_one("#desk-tabs", TabbedContent).active = f"desk-{pane_id}"
        pane = pilot.app.screen.query_one(f"#desk-{pane_id}").query_one(DeskPane)
        while not (pane.loaded if hasattr(pane, "loaded")  # the evaluation's come from a worker
                   else any(table.row_count for table in pane.query(DataTable))):
            await pilot.pause(0.01)
        await pilot.pause()
    return run_before


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("pane_id", ["approvals", "collections", "survey", "evaluation"])
def test_desk_tab(snap_compare, demo_app, pane_id: str, language: str,
                  size: tuple[int, int]) -> None:
    assert snap_compare(demo_app(language), run_before=desk_tab_shown(pane_id),
                        terminal_size=size)


def kiosk_context(store: DocumentStore, language: str) -> AppContext:
    settings = Settings(general=GeneralSettings(node_name="door-kiosk"),
                        kiosk=KioskSettings(idle_reset_seconds=600))
    return AppContext(settings=settings, store=store, i18n=Translator(language),
                      clock=lambda: datetime(2026, 11, 25, 9, 35))


def on_hand_clock(kiosk: AnyKiosk) -> AnyKiosk:
    """Keys stamped 5 ms apart on the kiosk's own clock: a busy machine handing them over
    slowly must not split a scan (it once read a label as two unknown codes)."""
    kiosk.scanner_clock = HandClock()
    return kiosk


def kiosk_for(store: DocumentStore, language: str) -> SigninKiosk:
    return on_hand_clock(SigninKiosk(kiosk_context(store, language), "weekly"))


@pytest.fixture
def kiosk_store(tmp_path: Path) -> Iterator[DocumentStore]:
    store = DocumentStore.open(tmp_path / "kiosk")
    for number, name in enumerate(["张三", "李四", "王五"], start=1):
        save_member(store, Member(f"00{number}", name, "秘书处", qr_token=f"M{number:016X}"))
    save_meeting(store, Meeting("meeting:weekly", "部长例会", "2026-11-25T09:30",
                                "2026-11-25T11:00", "A", roster=("001", "002", "003")))
    yield store
    store.close()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_kiosk_idle(snap_compare, kiosk_store, language: str, size: tuple[int, int]) -> None:
    assert snap_compare(kiosk_for(kiosk_store, language), terminal_size=size)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_kiosk_success(snap_compare, kiosk_store, language: str, size: tuple[int, int]) -> None:
    badge = [*f"M{1:016X}", "enter"]
    assert snap_compare(kiosk_for(kiosk_store, language), press=badge, terminal_size=size)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_supplies_kiosk_list(snap_compare, kiosk_store, language: str,
                             size: tuple[int, int]) -> None:
    save_item(kiosk_store, Item("item:paper", "A4 打印纸", "包", code="IPAPER0001"))
    save_asset(kiosk_store, Asset("asset:p1", "GZ-2026-001", "投影仪", code="APROJECTOR01"))
    receive(kiosk_store, Item("item:paper", "A4 打印纸", "包"), 20, Actor(NOW, "office"))
    scans = [*f"M{1:016X}", "enter", *"IPAPER0001", "enter", "3", "enter",
             *"APROJECTOR01", "enter"]
    kiosk = on_hand_clock(SuppliesKiosk(kiosk_context(kiosk_store, language)))
    assert snap_compare(kiosk, press=scans, terminal_size=size)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_room_door_kiosk(snap_compare, kiosk_store, language: str, size: tuple[int, int]) -> None:
    room = Room("room:r1", "第一会议室", 20)
    save_room(kiosk_store, room)
    put_up_door(kiosk_store, room.room_id, "door-kiosk", datetime(2026, 11, 25, 8, 0), 15)
    BookingDesk(kiosk_store, None, node_name="desk").create(
        Booking("", room.room_id, "2026-11-25T10:00", "2026-11-25T11:30", "部长例会",
                organiser="001"), datetime(2026, 11, 25, 8, 0))
    kiosk = on_hand_clock(RoomKiosk(kiosk_context(kiosk_store, language), room))
    assert snap_compare(kiosk, terminal_size=size)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_survey_kiosk_question(snap_compare, kiosk_store, language: str,
                               size: tuple[int, int]) -> None:
    save_survey(kiosk_store, Survey("survey:q4", "2026Q4 服务满意度", "2026-11-20", "2026-11-30"))
    ctx = kiosk_context(kiosk_store, language)
    ctx.settings = replace(ctx.settings, survey=SurveySettings(answer_key="shared secret"))
    badge = [*f"M{1:016X}", "enter", "5"]  # badge in, the first score: the second question
    assert snap_compare(on_hand_clock(SurveyKiosk(ctx)), press=badge, terminal_size=size)
