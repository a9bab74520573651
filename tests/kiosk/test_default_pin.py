"""A kiosk on the factory PIN says so on its screen and on the secretary's dashboard."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from textual.widgets import DataTable

from store.kiosk_pin import DEFAULT_PIN, hash_pin, verify_pin
from kiosk.signin_app import SigninKiosk
from store import DocumentStore
from store.kiosk_status import KioskStatus, save_kiosk_status
from tui.app import MishuApp
from tui.context import AppContext
from tui.settings import GeneralSettings

from ..tui.cli_runner import run
from .driving import kiosk_settings, wait_until


def kiosk_on(make_ctx: Callable[..., AppContext], pin: str, language: str = "en") -> SigninKiosk:
    settings = replace(kiosk_settings(admin_pin_hash=hash_pin(pin)),
                       general=GeneralSettings(node_name="door"))
    return SigninKiosk(make_ctx(language, settings=settings))


@pytest.mark.parametrize("language, band", [
    ("en", "Default admin PIN: set one with mishu kiosk pin"),
    ("zh", "仍在使用默认管理员 PIN：请用 mishu kiosk pin 设置新的 PIN"),
])
async def test_a_kiosk_on_the_factory_pin_shows_a_band_and_tells_the_office(
        store: DocumentStore, make_ctx: Callable[..., AppContext], language: str, band: str
) -> None:
    app = kiosk_on(make_ctx, DEFAULT_PIN, language)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(lambda: store.exists("kiosk:door"), pilot)
        shown = app.kiosk_screen.query_one("#default-pin-band")
        assert shown.display and str(shown.content) == band
    assert store.get("kiosk:door")["default_pin"] is True


async def test_a_kiosk_with_its_own_pin_shows_no_band(
        store: DocumentStore, make_ctx: Callable[..., AppContext]) -> None:
    app = kiosk_on(make_ctx, "97531")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(lambda: store.exists("kiosk:door"), pilot)
        assert not app.kiosk_screen.query_one("#default-pin-band").display
    assert store.get("kiosk:door")["default_pin"] is False


async def test_the_dashboard_lists_kiosks_on_the_factory_pin(
        store: DocumentStore, make_ctx: Callable[..., AppContext]) -> None:
    save_kiosk_status(store, KioskStatus("door", default_pin=True, started="2026-11-25T08:00"))
    save_kiosk_status(store, KioskStatus("supply-room", default_pin=False))
    app = MishuApp(make_ctx("zh"))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        inbox = app.screen.query_one("#attention-inbox", DataTable)
        assert inbox.row_count == 1
        kind, what = (str(cell) for cell in inbox.get_row_at(0)[:2])
        assert kind == "自助终端使用默认 PIN" and "door" in what


def test_mishu_kiosk_pin_makes_a_hash_and_refuses_the_factory_pin(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("97531\n"))
    code, out, _err = run(tmp_path, "kiosk", "pin")
    assert code == 0
    stored = out.strip().removeprefix('admin_pin_hash = "').removesuffix('"')
    assert verify_pin("97531", stored) and not verify_pin(DEFAULT_PIN, stored)
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{DEFAULT_PIN}\n"))
    code, out, err = run(tmp_path, "--lang", "zh", "kiosk", "pin")
    assert code == 1 and out == "" and "出厂 PIN" in err
