"""Driving a kiosk from a test: scanner-speed input, a known admin PIN, waiting for a state."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace

from textual import events

from store.kiosk_pin import hash_pin
from kiosk.scanner import ScannerClock
from tui.settings import KioskSettings, Settings

PIN = "2468"
PIN_HASH = hash_pin(PIN)


def kiosk_settings(**changes: object) -> Settings:
    return replace(Settings(), kiosk=replace(KioskSettings(admin_pin_hash=PIN_HASH), **changes))


class HandClock(ScannerClock):
    """A scanner clock the test moves: each key comes ``step`` seconds after the one before."""

    def __init__(self, step: float = 0.005) -> None:
        self.at = 1000.0
        self.step = step

    def stamp(self, key: object) -> float:
        self.at += self.step
        return self.at

    def now(self) -> float:
        return self.at

    def wait(self, seconds: float) -> None:
        self.at += seconds


def hand_clock(app) -> HandClock:  # type: ignore[no-untyped-def]
    """The app's clock, made a :class:`HandClock` on first use."""
    if not isinstance(app.scanner_clock, HandClock):
        app.scanner_clock = HandClock()
    return app.scanner_clock  # type: ignore[no-any-return]


async def scan(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    """Keys at scanner speed (5 ms apart on the kiosk's clock, however slow this machine is),
    then Enter."""
    hand_clock(pilot.app).wait(1.0)
    await pilot.press(*text, "enter")
    await pilot.pause()


def reader_keys(app, text: str, *, start: float | None = None, every: float = 0.005,  # type: ignore[no-untyped-def]
                suffix: str = "") -> float:
    """Queue ``text`` as a USB reader sends it: one key every ``every`` seconds by the keys' own
    timestamps (what the kiosk times), however slowly this machine hands them over. Returns the
    timestamp of the last key, for the next burst to start after a chosen pause."""
    at = time.monotonic() if start is None else start
    driver = app._driver
    for char in [*text, *([suffix] if suffix else [])]:
        key = events.Key(char, char) if len(char) == 1 else events.Key(char, "\r")
        key.time = at
        key.set_sender(app)
        driver.send_message(key)
        at += every
    return at - every


async def type_slowly(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    """Keys at human speed (300 ms apart on the kiosk's clock), then Enter: what a member typing
    an ID or a number does."""
    clock = hand_clock(pilot.app)
    for key in text:
        clock.wait(0.3)
        await pilot.press(key)
    clock.wait(0.3)
    await pilot.press("enter")
    await pilot.pause()


async def wait_until(condition: Callable[[], bool], pilot, timeout: float = 5.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        await pilot.pause(0.05)
