"""The room-door kiosk through a Pilot, on a clock the test moves: check-in, release, merges."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

import pytest

from kiosk.room_app import RoomKiosk
from kiosk.signin_app import SigninKiosk
from kiosk.widgets.pin_dialog import PinDialog
from store import DocumentStore
from store.booking import Booking
from store.booking_calendar import BookingCalendar
from store.booking_desk import BookingDesk
from store.kpi import Period
from store.meeting_booking import book_meeting
from store.meetings import Meeting
from store.members import Member, save_member
from store.room_checkin import put_up_door
from store.rooms import Room, save_room
from tests.tui.cli_runner import empty_config
from tui.cli import main
from tui.context import AppContext
from tui.i18n import Translator
from tui.kpi_sources import build_report
from tui.screens.kpi import kpi_rows
from tui.settings import GeneralSettings

from .driving import PIN, kiosk_settings, scan, wait_until
from .test_second_door import copy_all

ROOM = Room("room:r1", "第一会议室", 20)
BOOKER, ATTENDEE, STRANGER = (f"M{number:016X}" for number in (1, 2, 3))
MORNING = datetime(2026, 11, 25, 8, 0)


@dataclass
class WallClock:
    now: datetime

    def __call__(self) -> datetime:
        return self.now

    def at(self, hour: int, minute: int) -> None:
        self.now = self.now.replace(hour=hour, minute=minute)


def office(store: DocumentStore) -> None:
    """The room, its door kiosk (first started this morning, as node ``door``) and members."""
    save_room(store, ROOM)
    put_up_door(store, ROOM.room_id, "door", MORNING, 15)
    for number, name in enumerate(["张三", "李四", "王五"], start=1):
        save_member(store, Member(f"00{number}", name, "秘书处", phone="13800000000",
                                  qr_token=f"M{number:016X}"))


def book(store: DocumentStore, title: str = "部长例会", start: str = "14:00",
         end: str = "16:00", now: datetime = MORNING, calendar: BookingCalendar | None = None
         ) -> str:
    booking = Booking("", ROOM.room_id, f"2026-11-25T{start}", f"2026-11-25T{end}", title,
                      organiser="001")
    return BookingDesk(store, calendar, node_name="desk").create(booking, now).booking_id


def room_ctx(store: DocumentStore, clock: WallClock, language: str = "en",
             node: str = "door") -> AppContext:
    settings = kiosk_settings(name="三楼")
    settings = replace(settings, general=replace(GeneralSettings(), node_name=node))
    return AppContext(settings=settings, store=store, i18n=Translator(language), clock=clock)


@pytest.fixture
def contexts() -> Callable[..., AppContext]:
    made: list[AppContext] = []

    def make(*args: object, **kwargs: object) -> AppContext:
        ctx = room_ctx(*args, **kwargs)  # type: ignore[arg-type]
        made.append(ctx)
        return ctx

    yield make  # type: ignore[misc]
    for ctx in made:
        ctx.close()


def text_of(app: RoomKiosk, widget_id: str) -> str:
    return str(app.kiosk_screen.query_one(widget_id).content)


async def test_the_booker_checks_in_within_the_window(
        store: DocumentStore, contexts: Callable[..., AppContext]) -> None:
    office(store)
    booking_id = book(store)
    clock = WallClock(datetime(2026, 11, 25, 13, 40))
    app = RoomKiosk(contexts(store, clock, "zh"), ROOM)
    async with app.run_test(size=(80, 24)) as pilot:
        assert "空闲至 14:00（下一场：部长例会）" in text_of(app, "#kiosk-header")
        assert "14:00–16:00  部长例会  · 13:45 起可签到" in text_of(app, "#room-today")
        await scan(pilot, BOOKER)
        assert (app.result.outcome, app.result.headline) == ("notice", "当前没有可签到入场的预约")
        assert "13:45 开放签到" in app.result.detail

        clock.at(14, 5)
        app.debouncer.forget()
        await scan(pilot, BOOKER)
        assert (app.result.outcome, app.result.headline) == ("ok", "签到入场成功")
        assert "张三（秘书处） · 14:05" in app.result.detail
        assert "13800000000" not in app.result.detail
        [checkin_id] = store.ids_of_type("roomcheckin")
        assert store.get(checkin_id)["booking_id"] == booking_id
        assert store.get(checkin_id)["door"] == "三楼"
        assert "当前：部长例会，至 16:00" in text_of(app, "#kiosk-header")
        assert "14:05 已签到" in text_of(app, "#room-today")

        clock.at(14, 30)
        app.refresh_board()
        assert "14:05 已签到" in text_of(app, "#room-today")  # claimed: never released
    assert not app.calendar.released(app.calendar.occurrences_of(booking_id)[0], clock())


async def test_an_unclaimed_booking_is_released_and_the_room_bookable_again(
        store: DocumentStore, contexts: Callable[..., AppContext]) -> None:
    office(store)
    book(store)
    clock = WallClock(datetime(2026, 11, 25, 14, 10))
    ctx = contexts(store, clock)
    app = RoomKiosk(ctx, ROOM)
    async with app.run_test(size=(80, 24)) as pilot:
        assert "Now: 部长例会, until 16:00" in text_of(app, "#kiosk-header")
        assert "check in by 14:15" in text_of(app, "#room-today")

        clock.at(14, 16)
        app.refresh_board()  # what the kiosk's timer does: no document changed
        assert "Free for the rest of the day" in text_of(app, "#kiosk-header")
        assert "released 14:15 (no-show), free" in text_of(app, "#room-today")
        await scan(pilot, BOOKER)
        assert (app.result.outcome, app.result.headline) == (
            "refused", "Released at 14:15: not checked in in time")
        assert store.ids_of_type("roomcheckin") == []

        calendar = ctx.index(BookingCalendar)
        book(store, "社团联席会", "14:30", "15:30", clock(), calendar)
        await wait_until(lambda: "Free until 14:30 (next: 社团联席会)"
                         in text_of(app, "#kiosk-header"), pilot)  # the store told the kiosk
        assert calendar.attention_items() == []

    report = build_report(ctx, Period(clock().date(), clock().date()))
    assert report.no_shows == 1
    assert ("Bookings released as no-shows", "1") in kpi_rows(report, ctx.i18n)


async def test_only_the_booker_or_an_attendee_checks_in(
        store: DocumentStore, contexts: Callable[..., AppContext]) -> None:
    office(store)
    calendar = BookingCalendar.from_store(store)
    book_meeting(store, calendar, Meeting("meeting:weekly", "部长例会", "2026-11-25T14:00",
                                          "2026-11-25T16:00", "B", ROOM.room_id,
                                          roster=("002",)), MORNING)
    clock = WallClock(datetime(2026, 11, 25, 14, 2))
    app = RoomKiosk(contexts(store, clock), ROOM)
    async with app.run_test(size=(80, 24)) as pilot:
        await scan(pilot, STRANGER)
        assert (app.result.outcome, app.result.headline) == (
            "refused", "Only the booker or an attendee can check in")
        await scan(pilot, ATTENDEE)
        assert (app.result.outcome, app.result.headline) == ("ok", "Checked in")
        await scan(pilot, ATTENDEE)  # within the repeat window: ignored
        app.debouncer.forget()
        await scan(pilot, ATTENDEE)
        assert (app.result.outcome, app.result.headline) == (
            "notice", "Already checked in at 14:02")
        assert len(store.ids_of_type("roomcheckin")) == 1


async def test_a_sign_in_at_the_meetings_kiosk_is_the_rooms_check_in(
        store: DocumentStore, contexts: Callable[..., AppContext]) -> None:
    office(store)
    meeting = book_meeting(store, BookingCalendar.from_store(store), Meeting(
        "meeting:weekly", "部长例会", "2026-11-25T14:00", "2026-11-25T16:00", "B",
        ROOM.room_id, roster=("002",)), MORNING)
    clock = WallClock(datetime(2026, 11, 25, 14, 3))
    signin = SigninKiosk(contexts(store, clock, node="west"), meeting.meeting_id)
    async with signin.run_test(size=(80, 24)) as pilot:
        await scan(pilot, ATTENDEE)
        assert signin.result.outcome == "ok"

    clock.at(14, 40)
    app = RoomKiosk(contexts(store, clock), ROOM)
    async with app.run_test(size=(80, 24)) as pilot:
        assert "checked in 14:03" in text_of(app, "#room-today")
        assert "Now: 部长例会, until 16:00" in text_of(app, "#kiosk-header")
        occurrence = app.calendar.occurrences_of(meeting.booking_id)[0]
        assert not app.calendar.released(occurrence, clock())


async def test_a_late_offline_check_in_after_a_rebooking_needs_attention(
        store: DocumentStore, make_store: Callable[[str], DocumentStore],
        contexts: Callable[..., AppContext]) -> None:
    desk = store
    office(desk)
    booking_id = book(desk)
    door = make_store("door")
    copy_all(desk, door, "room", "member", "booking", "roomdoor")
    clock = WallClock(datetime(2026, 11, 25, 14, 12))
    app = RoomKiosk(contexts(door, clock), ROOM)
    async with app.run_test(size=(80, 24)) as pilot:  # the door is apart from the desk
        await scan(pilot, BOOKER)
        assert app.result.outcome == "ok"

    desk_ctx = contexts(desk, WallClock(datetime(2026, 11, 25, 14, 20)), node="desk")
    calendar = desk_ctx.index(BookingCalendar)
    book(desk, "社团联席会", "14:30", "15:30", desk_ctx.clock(), calendar)
    assert calendar.attention_items() == []

    copy_all(door, desk, "roomcheckin")  # the network is back
    [item] = calendar.attention_items()
    assert item.kind == "double_booking" and booking_id in item.doc_ids
    assert desk_ctx.i18n(item.message_key, **item.params).count("第一会议室") == 1


async def test_hostile_titles_and_names_are_shown_as_text(
        store: DocumentStore, contexts: Callable[..., AppContext]) -> None:
    office(store)
    hostile = "[bold red]大会[/]\x1b[2J" + "长" * 300
    book(store, hostile)
    room = replace(ROOM, name="[link=x]三楼[/link]")
    save_room(store, room)
    clock = WallClock(datetime(2026, 11, 25, 14, 5))
    app = RoomKiosk(contexts(store, clock, "zh"), room)
    async with app.run_test(size=(80, 24)) as pilot:
        today, header = text_of(app, "#room-today"), text_of(app, "#kiosk-header")
        assert "[bold red]大会[/]" in today and "\x1b" not in today
        assert "[link=x]三楼[/link]" in header
        await scan(pilot, BOOKER)
        assert app.result.outcome == "ok" and "[bold red]大会[/]" in app.result.detail


@pytest.mark.parametrize("language, idle, free", [
    ("zh", "已预约本会议室？请扫描胸牌签到入场", "今日余下时间空闲"),
    ("en", "Booked this room? Scan your badge to check in", "Free for the rest of the day"),
])
async def test_each_language_and_the_pin_to_leave(
        store: DocumentStore, contexts: Callable[..., AppContext], language: str, idle: str,
        free: str) -> None:
    office(store)
    app = RoomKiosk(contexts(store, WallClock(datetime(2026, 11, 25, 9, 0)), language), ROOM)
    async with app.run_test(size=(120, 40)) as pilot:
        assert app.result.headline == idle
        assert free in text_of(app, "#kiosk-header")
        assert store.get("roomdoor:r1:door")["checkin_minutes"] == 15
        await pilot.press("ctrl+q", "ctrl+c")
        assert app.return_code is None
        await pilot.press("f12", *PIN, "enter")
        await wait_until(lambda: isinstance(app.screen, PinDialog) and app.screen.unlocked, pilot)
        await pilot.press("enter")
        await wait_until(lambda: app.return_code is not None, pilot)


@pytest.mark.parametrize("language, message", [("en", "No room 天台"), ("zh", "天台")])
def test_the_command_refuses_an_unknown_room(tmp_path: Path, language: str, message: str) -> None:
    err = io.StringIO()
    data = tmp_path / "data"
    code = main(["--config", str(empty_config(data)), "--data", str(data), "--lang", language,
                 "kiosk", "room", "天台"], out=io.StringIO(), err=err)
    assert code == 1 and message in err.getvalue() and "Traceback" not in err.getvalue()


def test_the_command_refuses_a_window_out_of_range(tmp_path: Path) -> None:
    data = tmp_path / "data"
    config = empty_config(data)
    config.write_text(config.read_text(encoding="utf-8") + "\n[kiosk]\nroom_checkin_minutes = -5\n",
                      encoding="utf-8")
    err = io.StringIO()
    code = main(["--config", str(config), "--data", str(data), "--lang", "en", "kiosk", "room",
                 "天台"], out=io.StringIO(), err=err)
    assert code == 1 and "room_checkin_minutes must be 0 to 1440, not -5" in err.getvalue()
