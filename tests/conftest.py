"""Fixtures shared by every test: real stores in temporary directories, a fixed clock."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest

from store import DocumentStore
from store.platform import PLATFORM_ENV, Kind
from tui.context import AppContext
from tui.i18n import Translator
from tui.settings import Settings

from .loop_watchdog import LoopWatchdog, watch_event_loops

FIXED_NOW = datetime(2026, 11, 25, 9, 30)


@pytest.fixture(params=[kind.value for kind in Kind])
def platform_mode(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Kind:
    """Run the test with the platform layer forced into each mode (children inherit it).

    Outside Linux mode ``os.fdatasync`` is removed, as it is on macOS and Windows, so a write
    that bypassed the layer would fail here instead of passing by luck.
    """
    kind = Kind(request.param)
    if (kind is Kind.LINUX and not hasattr(os, "fdatasync")) or (
            kind is Kind.MACOS and sys.platform == "win32"):
        pytest.skip(f"the {kind.value} primitives (fdatasync, fcntl) are not on {sys.platform}")
    monkeypatch.setenv(PLATFORM_ENV, request.param)
    if kind is not Kind.LINUX:
        monkeypatch.delattr(os, "fdatasync", raising=False)
    return kind


@pytest.fixture
def store(tmp_path: Path) -> Iterator[DocumentStore]:
    opened = DocumentStore.open(tmp_path / "data")
    yield opened
    opened.close()


@pytest.fixture
def make_store(tmp_path: Path) -> Iterator[Callable[[str], DocumentStore]]:
    """Several independent stores (nodes) in one test: ``make_store("a")``."""
    opened: list[DocumentStore] = []

    def make(name: str) -> DocumentStore:
        new = DocumentStore.open(tmp_path / name)
        opened.append(new)
        return new

    yield make
    for each in opened:
        each.close()


@pytest.fixture
def make_ctx(store: DocumentStore) -> Iterator[Callable[..., AppContext]]:
    """An AppContext on the ``store`` fixture, language and clock chosen by the test."""
    contexts: list[AppContext] = []

    def make(language: str = "en", now: datetime = FIXED_NOW,
             settings: Settings | None = None) -> AppContext:
        ctx = AppContext(settings=settings or Settings(), store=store,
                         i18n=Translator(language), clock=lambda: now)
        contexts.append(ctx)
        return ctx

    yield make
    for ctx in contexts:
        ctx.close()


@pytest.fixture(autouse=True)
def ui_errors_fail_the_test(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
                            ) -> Iterator[list[BaseException]]:
    """The apps turn unexpected exceptions into notifications so users never see a traceback;
    in tests that would hide bugs, so any such error fails the test (unless it expects one)."""
    from kiosk.base import KioskApp
    from tui.app import MishuApp

    errors: list[BaseException] = []
    for app_class in (MishuApp, KioskApp):
        original = app_class.report_error

        def recording(self, error: BaseException, _original=original) -> None:  # type: ignore[no-untyped-def]
            errors.append(error)
            _original(self, error)

        monkeypatch.setattr(app_class, "report_error", recording)
    yield errors
    if request.node.get_closest_marker("expect_ui_error") is None:
        assert errors == [], f"the UI reported unexpected errors: {errors!r}"


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[Path]:
    """The app's log file, as ``mishu`` sets it up, in a temporary directory; removed after."""
    from tui.logging_setup import setup_logging

    path = setup_logging(tmp_path / "logs-home")
    yield path
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, "baseFilename", "") == str(path)]:
        root.removeHandler(handler)
        handler.close()


@pytest.fixture(autouse=True)
def loop_watchdog(request: pytest.FixtureRequest) -> Iterator[LoopWatchdog | None]:
    """TUI and kiosk tests fail when the event loop was blocked > 200 ms (a frozen screen)."""
    if not {"tui", "kiosk"} & set(request.node.path.parts):
        yield None
        return
    with watch_event_loops() as watchdog:
        yield watchdog
    assert not watchdog.stalls, watchdog.report()
