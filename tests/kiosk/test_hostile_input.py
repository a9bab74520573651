"""Nothing typed at a kiosk door ends the kiosk: markup, escape sequences, names that look like
markup, and a handler that fails all leave it running, locked, with a neutral answer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest

from kiosk.base import KioskApp
from kiosk.scanner import Scan
from kiosk.signin_app import SigninKiosk
from kiosk.supplies_app import SuppliesKiosk
from kiosk.widgets.meeting_picker import MeetingPicker
from kiosk.widgets.pin_dialog import PinDialog
from store import DocumentStore
from store.meetings import Meeting, save_meeting
from store.members import Member, save_member
from tui.context import AppContext

from ..tui.screen_text import screen_text
from .driving import PIN, kiosk_settings, type_slowly, wait_until

HOSTILE_TYPING = ["[/", "[/]", "[red]", "[b]x[/i]", "[@click=app.quit]", "\x1b[2J", "\x1b]0;x\x07",
                  "欧阳[/b]娜娜"]
NAMES = ["[/]", "欧阳[/b]娜娜", "[red]张三[/red] ["]
MEETING = Meeting("meeting:weekly", "[b]例会[/", "2026-11-25T09:30", "2026-11-25T11:00", "A",
                  roster=("001", "002", "003"))


def seed(store: DocumentStore) -> None:
    for number, name in enumerate(NAMES, start=1):
        save_member(store, Member(f"00{number}", name, "[i]秘书处",
                                  qr_token=f"M{number:016X}"))
    save_meeting(store, MEETING)


@pytest.fixture
def kiosk(store: DocumentStore, make_ctx: Callable[..., AppContext]
          ) -> Callable[[type[KioskApp]], KioskApp]:
    seed(store)

    def make(kind: type[KioskApp]) -> KioskApp:
        return kind(make_ctx("en", settings=kiosk_settings()))  # type: ignore[call-arg]

    return make


def assert_locked_and_running(app: KioskApp) -> None:
    assert app.is_running and app.return_code is None
    assert len(app.screen_stack) == 1


@pytest.mark.parametrize("kind", [SigninKiosk, SuppliesKiosk])
async def test_typing_markup_and_escapes_keeps_the_kiosk_locked(
        kiosk: Callable[[type[KioskApp]], KioskApp], kind: type[KioskApp]) -> None:
    app = kiosk(kind)
    async with app.run_test(size=(80, 24)) as pilot:
        for text in HOSTILE_TYPING:
            for key in text:
                await pilot.press(key)
            await pilot.pause()
            assert_locked_and_running(app)
            await pilot.press("enter")
            await pilot.pause()
            assert_locked_and_running(app)
            await pilot.press("escape")
        await type_slowly(pilot, "[/")
        assert_locked_and_running(app)


async def test_markup_like_names_sign_in_literally(
        kiosk: Callable[[type[KioskApp]], KioskApp], store: DocumentStore) -> None:
    app = kiosk(SigninKiosk)
    async with app.run_test(size=(80, 24)) as pilot:
        header = str(app.kiosk_screen.query_one("#kiosk-header").render())
        assert "[b]例会[/" in header
        for number, name in enumerate(NAMES, start=1):
            await type_slowly(pilot, f"00{number}")
            assert app.result.outcome == "ok"
            assert f"{name}（[i]秘书处）" in app.result.detail
            assert_locked_and_running(app)
        assert len(store.ids_of_type("signin")) == 3


async def test_markup_like_names_in_the_pick_list(
        kiosk: Callable[[type[KioskApp]], KioskApp]) -> None:
    app = kiosk(SuppliesKiosk)
    async with app.run_test(size=(80, 24)) as pilot:
        await type_slowly(pilot, "欧阳")
        pick = app.kiosk_screen.query_one("#kiosk-pick")
        assert pick.display
        await pilot.press("enter")
        await pilot.pause()
        assert "欧阳[/b]娜娜（[i]秘书处）" in app.result.headline
        assert_locked_and_running(app)


class FailingKiosk(SigninKiosk):
    def answer_scan(self, scan: Scan) -> None:
        raise RuntimeError("a bug in a handler")


@pytest.mark.expect_ui_error
async def test_a_failing_handler_leaves_the_kiosk_locked_with_a_neutral_answer(
        kiosk: Callable[[type[KioskApp]], KioskApp],
        ui_errors_fail_the_test: list[BaseException]) -> None:
    app = kiosk(FailingKiosk)
    async with app.run_test(size=(80, 24)) as pilot:
        await type_slowly(pilot, "001")
        assert_locked_and_running(app)
        assert app.result.outcome == "refused"
        assert app.result.detail == app.ctx.i18n("kiosk.try_again")
        assert "RuntimeError" not in app.result.detail
        assert [type(error) for error in ui_errors_fail_the_test] == [RuntimeError]


class FailingIdleKiosk(SigninKiosk):
    def forget_personal_state(self) -> None:
        raise RuntimeError("a bug in the idle reset")


@pytest.mark.expect_ui_error
async def test_a_failing_timer_leaves_the_kiosk_running(
        store: DocumentStore, make_ctx: Callable[..., AppContext],
        ui_errors_fail_the_test: list[BaseException]) -> None:
    seed(store)
    app = FailingIdleKiosk(make_ctx("en", settings=kiosk_settings(idle_reset_seconds=0.2)))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        await wait_until(lambda: bool(ui_errors_fail_the_test), pilot)
        assert_locked_and_running(app)
        assert app.result.detail == app.ctx.i18n("kiosk.try_again")


async def test_a_megabyte_title_and_name_leave_the_answer_readable(
        store: DocumentStore, make_ctx: Callable[..., AppContext]) -> None:
    huge = "名" * (1 << 19)
    save_member(store, Member("001", huge, huge))
    save_meeting(store, replace(MEETING, title=huge))
    app = SigninKiosk(make_ctx("en", settings=kiosk_settings()))
    async with app.run_test(size=(80, 24)) as pilot:
        header = str(app.kiosk_screen.query_one("#kiosk-header").render())
        assert "…" in header and "0 / 3 signed in" in header
        await type_slowly(pilot, "001")
        assert app.result.outcome == "ok"
        assert "…" in app.result.detail and "09:30" in app.result.detail
        assert len(app.result.detail) < 200


async def test_the_admin_meeting_picker_lists_markup_like_titles_literally(
        kiosk: Callable[[type[KioskApp]], KioskApp]) -> None:
    app = kiosk(SigninKiosk)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f12", *PIN, "enter")
        await wait_until(lambda: isinstance(app.screen, PinDialog) and app.screen.unlocked, pilot)
        await pilot.press("down", "enter")  # "Switch meeting"
        await wait_until(lambda: isinstance(app.screen, MeetingPicker), pilot)
        await pilot.pause()
        assert "11-25 09:30  [b]例会[/" in screen_text(app)
        await pilot.press("enter")
        await wait_until(lambda: len(app.screen_stack) == 1, pilot)
        assert_locked_and_running(app)
