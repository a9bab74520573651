"""The sign-in kiosk through a Pilot: scanner bursts, typed IDs and names, locking, idle reset."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import aiohttp
import pytest

from kiosk.pin_guard import PinGuard, PinVerdict
from kiosk.scanner import Debouncer, KeyBuffer
from kiosk.signin_app import SigninKiosk
from kiosk.widgets.pin_dialog import PinDialog
from store import DocumentStore
from store.meetings import Meeting, save_meeting
from store.members import Member, save_member
from sync.hosting import NodeSettings, SyncNode
from tui.context import AppContext

from .driving import PIN, PIN_HASH, kiosk_settings, scan, type_slowly, wait_until

MEETING = Meeting("meeting:weekly", "部长例会", "2026-11-25T09:30", "2026-11-25T11:00", "A",
                  roster=("001", "002", "003"))


def seed(store: DocumentStore) -> None:
    for number, name in enumerate(["张三", "李四", "王五", "张珊"], start=1):
        save_member(store, Member(f"00{number}", name, "秘书处", phone="13800000000",
                                  qr_token=f"M{number:016X}"))
    save_meeting(store, MEETING)


@pytest.fixture
def kiosk(store: DocumentStore, make_ctx: Callable[..., AppContext]) -> Callable[..., SigninKiosk]:
    seed(store)

    def make(language: str = "en", **changes: object) -> SigninKiosk:
        return SigninKiosk(make_ctx(language, settings=kiosk_settings(**changes)))

    return make


async def test_badge_burst_signs_in_green_and_counts(kiosk: Callable[..., SigninKiosk],
                                                     store: DocumentStore) -> None:
    app = kiosk("zh")
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.meeting is not None and app.meeting.meeting_id == "meeting:weekly"
        await scan(pilot, f"M{1:016X}")
        assert app.result.outcome == "ok"
        assert app.result.headline == "签到成功"
        assert "张三" in app.result.detail and "09:30" in app.result.detail
        assert "13800000000" not in app.result.detail
        assert store.get("signin:weekly:001")["method"] == "badge"
        header = str(app.kiosk_screen.query_one("#kiosk-header").content)
        assert "1 / 3 已签到" in header


async def test_unknown_badge_is_red(kiosk: Callable[..., SigninKiosk], store: DocumentStore) -> None:
    app = kiosk()
    async with app.run_test(size=(80, 24)) as pilot:
        await scan(pilot, "MFFFFFFFFFFFFFFFF")
        assert app.result.outcome == "refused"
        assert app.result.headline == "Unknown badge"
        assert store.ids_of_type("signin") == []


async def test_double_scan_is_ignored_then_reported_later(kiosk: Callable[..., SigninKiosk],
                                                          store: DocumentStore) -> None:
    app = kiosk(repeat_scan_seconds=60.0)
    async with app.run_test(size=(80, 24)) as pilot:
        await scan(pilot, f"M{2:016X}")
        await scan(pilot, f"M{2:016X}")
        assert app.result.outcome == "ok" and app.scans_handled == 1
        assert store.ids_of_type("signin") == ["signin:weekly:002"]
        app.debouncer.forget()
        await scan(pilot, f"M{2:016X}")
        assert app.result.outcome == "refused"
        assert app.result.headline == "Already signed in at 09:30"


async def test_typed_id_and_name_pick_list(kiosk: Callable[..., SigninKiosk], store: DocumentStore) -> None:
    app = kiosk()
    async with app.run_test(size=(80, 24)) as pilot:
        await type_slowly(pilot, "003")
        assert app.result.outcome == "ok" and "王五" in app.result.detail
        assert store.get("signin:weekly:003")["method"] == "id"

        await scan(pilot, "zs")
        assert [m.name for m in app.chooser.choices] == ["张三", "张珊"]
        await pilot.press("down", "down", "up", "enter")
        await pilot.pause()
        assert app.result.outcome == "ok" and "张三" in app.result.detail
        assert store.get("signin:weekly:001")["method"] == "name"
        assert app.chooser.choices == []


async def test_walk_in_offer_on_enter(kiosk: Callable[..., SigninKiosk], store: DocumentStore) -> None:
    app = kiosk()
    async with app.run_test(size=(80, 24)) as pilot:
        await scan(pilot, f"M{4:016X}")
        assert app.result.outcome == "refused"
        assert app.result.headline == "Not on this meeting's list"
        await pilot.press("enter")
        await pilot.pause()
        assert app.result.outcome == "ok" and "(walk-in)" in app.result.detail
        assert store.get("signin:weekly:004")["walk_in"] is True


async def test_quit_keys_do_not_exit(kiosk: Callable[..., SigninKiosk]) -> None:
    app = kiosk()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+c", "ctrl+q", "ctrl+z", "ctrl+p")
        await pilot.pause()
        await app.action_quit()
        await pilot.pause()
        assert app.is_running and app.return_code is None
        assert len(app.screen_stack) == 1


async def test_wrong_pin_stays_right_pin_exits(kiosk: Callable[..., SigninKiosk]) -> None:
    app = kiosk()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f12")
        await pilot.pause()
        assert isinstance(app.screen, PinDialog)
        await pilot.press(*"1111", "enter")
        await pilot.pause()
        assert isinstance(app.screen, PinDialog) and not app.screen.unlocked
        assert str(app.screen.query_one("#pin-message").content) == "Wrong PIN."
        assert app.return_code is None

        await pilot.press(*PIN, "enter")
        await wait_until(lambda: isinstance(app.screen, PinDialog) and app.screen.unlocked, pilot)
        await pilot.press("enter")  # the first action: close the kiosk
        await wait_until(lambda: app.return_code is not None, pilot)
    assert app.return_code == 0


async def test_idle_reset_clears_the_name(kiosk: Callable[..., SigninKiosk]) -> None:
    app = kiosk(idle_reset_seconds=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await scan(pilot, f"M{1:016X}")
        assert "张三" in app.result.detail
        await wait_until(lambda: app.result.outcome == "idle", pilot)
        assert "张三" not in app.result.detail + app.result.headline


async def test_sign_in_from_another_node_updates_the_count(kiosk: Callable[..., SigninKiosk],
                                                           store: DocumentStore) -> None:
    app = kiosk()
    async with app.run_test(size=(80, 24)) as pilot:
        store.put({"_id": "signin:weekly:002", "meeting_id": "meeting:weekly", "member_id": "002",
                   "time": "2026-11-25T09:20", "node": "east-door", "method": "badge",
                   "walk_in": False, "reason": ""})
        await wait_until(lambda: "1 / 3" in str(app.kiosk_screen.query_one("#kiosk-header").content),
                         pilot)


async def test_no_meeting_is_a_friendly_idle(store: DocumentStore,
                                             make_ctx: Callable[..., AppContext]) -> None:
    app = SigninKiosk(make_ctx(settings=kiosk_settings()))
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.meeting is None
        assert "No meeting" in str(app.kiosk_screen.query_one("#kiosk-header").content)
        await scan(pilot, "M0000000000000001")
        assert app.result.outcome == "refused"


def test_key_buffer_tells_bursts_from_typing() -> None:
    buffer = KeyBuffer()
    for n, char in enumerate("M0123456789ABCDEF"):
        buffer.feed(char, 100 + n * 0.004)
    assert (scan := buffer.submit(100.1)) is not None and scan.burst
    for n, char in enumerate("zhangsan"):
        buffer.feed(char, 200 + n * 0.25)
    assert (typed := buffer.submit(202.5)) is not None and not typed.burst and typed.text == "zhangsan"
    assert buffer.submit(300) is None


def test_debouncer_window_slides_while_the_badge_is_held() -> None:
    debounce = Debouncer(5.0)
    assert debounce.accept("A", 0.0)
    assert not debounce.accept("A", 4.0)
    assert not debounce.accept("A", 8.0)
    assert debounce.accept("B", 8.5)
    assert debounce.accept("A", 9.0)
    assert debounce.accept("A", 20.0)


def test_cli_refuses_an_unknown_meeting(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import io

    from tests.tui.cli_runner import empty_config
    from tui.cli import main

    err = io.StringIO()
    code = main(["--config", str(empty_config(tmp_path / "data")), "--data", str(tmp_path / "data"),
                 "--lang", "en", "kiosk", "signin", "--meeting", "nope"], out=io.StringIO(), err=err)
    assert code == 1 and "No meeting nope" in err.getvalue()


async def test_admin_switches_meeting(kiosk: Callable[..., SigninKiosk], store: DocumentStore) -> None:
    save_meeting(store, Meeting("meeting:other", "宣传部周会", "2026-11-25T18:30", "2026-11-25T19:30",
                                roster=("001",)))
    app = kiosk()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f12", *PIN, "enter")
        await wait_until(lambda: isinstance(app.screen, PinDialog) and app.screen.unlocked, pilot)
        await pilot.press("down", "enter")  # "Switch meeting"
        await wait_until(lambda: not isinstance(app.screen, PinDialog), pilot)
        await pilot.press("enter")  # the first meeting listed: the later one, 宣传部周会
        await wait_until(lambda: app.meeting is not None and app.meeting.meeting_id == "meeting:other",
                         pilot)
        assert "0 / 1 signed in" in str(app.kiosk_screen.query_one("#kiosk-header").content)


async def test_repeated_wrong_pins_lock_the_dialog_then_the_admin_sees_the_count(
        kiosk: Callable[..., SigninKiosk], caplog: pytest.LogCaptureFixture) -> None:
    now = [1000.0]
    app = kiosk("zh")
    app.pin_guard = PinGuard(clock=lambda: now[0])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f12")
        await wait_until(lambda: isinstance(app.screen, PinDialog), pilot)
        for _ in range(5):
            await pilot.press(*"1111", "enter")
            await pilot.pause()
        message = app.screen.query_one("#pin-message")
        assert str(message.content) == "PIN 错误次数过多，请 30 秒后再试。"
        await pilot.press(*PIN, "enter")  # even the right PIN waits out the lock
        await pilot.pause()
        assert not app.screen.unlocked
        now[0] += 30
        await pilot.press(*PIN, "enter")
        await wait_until(lambda: app.screen.unlocked, pilot)
        assert "自上次解锁以来，PIN 输错 5 次。" in str(message.content)
    wrong = [r for r in caplog.records if r.getMessage().startswith("wrong kiosk admin PIN")]
    assert len(wrong) == 5


def test_each_wrong_pin_after_the_free_tries_doubles_the_lock() -> None:
    now = [0.0]
    guard = PinGuard(clock=lambda: now[0])
    for _ in range(5):
        assert guard.check("1111", PIN_HASH) is PinVerdict.WRONG
    assert guard.seconds_locked() == 30
    now[0] += 30
    assert guard.check("1111", PIN_HASH) is PinVerdict.WRONG
    assert guard.seconds_locked() == 60
    assert guard.check(PIN, PIN_HASH) is PinVerdict.LOCKED
    now[0] += 60
    assert guard.check(PIN, PIN_HASH) is PinVerdict.RIGHT
    assert guard.take_failures() == 6 and guard.seconds_locked() == 0


async def test_the_pin_exit_is_prompt_while_a_peer_holds_a_longpoll(
        kiosk: Callable[..., SigninKiosk], store: DocumentStore) -> None:
    app = kiosk()
    app.sync_node = SyncNode(store, NodeSettings(listen_host="127.0.0.1", listen_port=0,
                                                 discovery=False))
    held: list[aiohttp.ClientResponse] = []

    async def hold_a_longpoll_then_exit(peer: aiohttp.ClientSession) -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_until(lambda: app.sync_node is not None and app.sync_node.port > 0, pilot)
            held.append(await peer.get(  # once its headers are in, the longpoll is held
                f"http://127.0.0.1:{app.sync_node.port}/mishu/_changes",
                params={"feed": "longpoll", "since": "now", "timeout": "60000",
                        "heartbeat": "10000"}))
            await pilot.press("f12", *PIN, "enter")
            await wait_until(lambda: isinstance(app.screen, PinDialog) and app.screen.unlocked,
                             pilot)
            await pilot.press("enter")  # close the kiosk

    async with aiohttp.ClientSession() as peer:
        # a minute-long longpoll used to hold the exit for that minute; this deadline is
        # far above the target (well under 2 s) and only catches that hang
        await asyncio.wait_for(hold_a_longpoll_then_exit(peer), 30)
        assert (await held[0].json())["results"] == []
    assert app.return_code == 0
