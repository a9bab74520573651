"""A crash nothing could catch: logged with its traceback, exit code 1, one short line per
language on the terminal and no traceback there; the same for a failing CLI command."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.app import App
from textual.command import CommandPalette

from kiosk.supplies_app import SuppliesKiosk
from store import DocumentStore
from tui.app import MishuApp
from tui.context import AppContext
from tui.widgets.common.confirm_dialog import Choice, ConfirmDialog
from tui.widgets.common.status_bar import StatusBar

from ..kiosk.driving import kiosk_settings
from .cli_runner import run

CRASH_LINES = ("mishu 因意外错误（RuntimeError）停止运行", "mishu stopped on an unexpected error (RuntimeError)")


def assert_told_briefly(stderr: str) -> None:
    assert all(line in stderr for line in CRASH_LINES), repr(stderr)
    assert "Traceback" not in stderr


def explode(*_args: object) -> None:
    raise RuntimeError("injected failure")


async def wait_for_crash(app, pilot) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + 5
    while app.return_code is None:
        assert time.monotonic() < deadline, "the app did not stop"
        await pilot.pause(0.05)


async def test_a_failing_widget_ends_the_app_logged_with_code_1(
    store: DocumentStore, make_ctx: Callable[..., AppContext], log_file: Path,
    monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(StatusBar, "refresh_status", explode)  # a widget, not a screen
    app = MishuApp(make_ctx())
    with pytest.raises(RuntimeError, match="injected failure"):
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for_crash(app, pilot)
    assert app.return_code == 1
    text = log_file.read_text(encoding="utf-8")
    assert "Traceback" in text and "in explode" in text and "injected failure" in text
    assert_told_briefly(capfd.readouterr().err)


@pytest.mark.parametrize("make_app", [
    lambda make_ctx: MishuApp(make_ctx(language="zh")),
    lambda make_ctx: SuppliesKiosk(make_ctx(settings=kiosk_settings())),
], ids=["secretary", "kiosk"])
async def test_a_failing_worker_is_logged_with_its_own_traceback(
    make_app: Callable[..., App[None]], store: DocumentStore,
    make_ctx: Callable[..., AppContext], log_file: Path, capfd: pytest.CaptureFixture[str],
) -> None:
    async def failing_task() -> None:
        explode()

    app = make_app(make_ctx)
    with pytest.raises(Exception, match="injected failure"):
        async with app.run_test(size=(80, 24)) as pilot:
            app.run_worker(failing_task())
            await wait_for_crash(app, pilot)
    assert app.return_code == 1
    text = log_file.read_text(encoding="utf-8")
    assert "failing_task" in text and "RuntimeError: injected failure" in text
    assert_told_briefly(capfd.readouterr().err)


def test_a_failing_command_is_logged_and_told_in_both_languages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("tui.cli_commands.demo.fill_demo_office", explode)
    code, _out, err = run(tmp_path / "data", "demo")
    assert code == 1
    assert_told_briefly(err)
    assert str(tmp_path / "data" / "logs" / "mishu.log") in err
    text = (tmp_path / "data" / "logs" / "mishu.log").read_text(encoding="utf-8")
    assert "Traceback" in text and "injected failure" in text


async def test_an_action_a_widget_runs_reaches_the_app(
    store: DocumentStore, make_ctx: Callable[..., AppContext]
) -> None:
    """Textual's widgets run actions with their namespaces (the header's icon opens the
    palette that way); the shield once refused the extra argument, and the click only
    reported a TypeError."""
    app = MishuApp(make_ctx(language="zh"))
    async with app.run_test(size=(80, 24)) as pilot:
        await app.screen.run_action("app.command_palette")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)


async def test_the_palette_under_a_dialog_is_not_opened_twice(
    store: DocumentStore, make_ctx: Callable[..., AppContext]
) -> None:
    """The monkey opened the palette, a dialog over it (or another area), then the palette
    again: a second palette with the same id raised DuplicateIds."""
    app = MishuApp(make_ctx(language="zh"))
    async with app.run_test(size=(80, 24)) as pilot:
        await app.screen.run_action("app.command_palette")
        await pilot.pause()
        app.push_screen(ConfirmDialog("确定？", [Choice("ok", "好")]))
        await pilot.pause()
        await app.run_action("command_palette")
        await pilot.pause()
        assert sum(isinstance(screen, CommandPalette) for screen in app.screen_stack) == 1
        await app.run_action("switch_mode('directory')")  # the palette stays with its area
        await pilot.pause()
        await app.run_action("command_palette")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        assert app.return_code is None
