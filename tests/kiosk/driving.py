"""Driving a kiosk from a test: scanner-speed input, a known admin PIN, waiting for a state."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace

from kiosk.pin import hash_pin
from tui.settings import KioskSettings, Settings

PIN = "2468"
PIN_HASH = hash_pin(PIN)


def kiosk_settings(**changes: object) -> Settings:
    return replace(Settings(), kiosk=replace(KioskSettings(admin_pin_hash=PIN_HASH), **changes))


async def scan(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    """Keys at scanner speed: one after another with no pause, then Enter."""
    await pilot.press(*text, "enter")
    await pilot.pause()


async def type_slowly(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    """Keys at human speed, then Enter: what a member typing an ID or a number does."""
    for key in text:
        await pilot.press(key)
        await pilot.pause(0.1)
    await pilot.press("enter")
    await pilot.pause()


async def wait_until(condition: Callable[[], bool], pilot, timeout: float = 5.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        await pilot.pause(0.05)
