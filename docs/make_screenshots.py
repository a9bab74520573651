"""Regenerate the README screenshots: ``.venv/bin/python docs/make_screenshots.py``.

Runs the real app headless on a temporary store filled with the demo office, visits each area
in both languages and saves Textual's SVG screenshots under docs/screenshots/; then the
room-door kiosk of the demo's 学生会办公室 at 80×24, as its booker checks in.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from store import DocumentStore  # noqa: E402
from kiosk.room_app import RoomKiosk  # noqa: E402
from store.booking import Booking  # noqa: E402
from store.booking_calendar import BookingCalendar  # noqa: E402
from store.booking_desk import BookingDesk  # noqa: E402
from store.demo import fill_demo  # noqa: E402
from tui.app import AREAS, MishuApp  # noqa: E402
from tui.context import AppContext  # noqa: E402
from tui.i18n import Translator  # noqa: E402
from tui.settings import GeneralSettings, Settings  # noqa: E402

NOW = datetime(2026, 11, 25, 9, 30)
OUT = ROOT / "docs" / "screenshots"


async def shoot(store: DocumentStore, language: str) -> None:
    settings = Settings(general=GeneralSettings(node_name="secretary-laptop"))
    ctx = AppContext(settings=settings, store=store, i18n=Translator(language), clock=lambda: NOW)
    app = MishuApp(ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        for number, area in enumerate(AREAS, start=1):
            await pilot.press(f"f{number}")
            await pilot.pause(0.3)
            app.save_screenshot(str(OUT / f"{area}-{language}.svg"))
        await pilot.press("f4", "down", "w")  # today's 全体干部大会: its minutes from the template
        await pilot.pause(0.3)
        app.save_screenshot(str(OUT / f"minutes-{language}.svg"))
        await pilot.press("escape", "f3", "m")  # the bookings' month view
        await pilot.pause(0.3)
        app.save_screenshot(str(OUT / f"month-{language}.svg"))
        # a 公文 in review: its request, deadline, rounds and the flow's keys
        await pilot.press("escape", "f7", "enter", *["down"] * 6, "enter")
        await pilot.pause(0.3)
        app.save_screenshot(str(OUT / f"document-{language}.svg"))
    ctx.close()


async def shoot_room_kiosk(store: DocumentStore, language: str) -> None:
    """学生会办公室's door at 15:34: the morning's booking was checked in, the early afternoon's
    was released unclaimed, the 15:30 booker checks in and an evening booking waits."""
    morning, now = NOW.replace(hour=8, minute=0), NOW.replace(hour=15, minute=34)
    for start, end, title, organiser in (("14:00", "15:00", "外联部赞助洽谈", "20260022"),
                                         ("18:30", "20:00", "学习部读书会", "20260010")):
        BookingDesk(store).create(Booking("", "room:lounge", f"{NOW:%Y-%m-%d}T{start}",
                                          f"{NOW:%Y-%m-%d}T{end}", title, organiser=organiser),
                                  morning)
    settings = Settings(general=GeneralSettings(node_name="lounge-door"))
    ctx = AppContext(settings=settings, store=store, i18n=Translator(language), clock=lambda: now)
    app = RoomKiosk(ctx, ctx.index(BookingCalendar).rooms["room:lounge"])
    async with app.run_test(size=(80, 24)) as pilot:
        booker = ctx.directory.by_id("20260178")
        assert booker is not None
        app.check_in(booker, "badge")
        await pilot.pause(0.3)
        app.save_screenshot(str(OUT / f"room-kiosk-{language}.svg"))
    ctx.close()


async def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        with DocumentStore.open(Path(tmp) / "data") as store:
            fill_demo(store, today=NOW.date())
            for language in ("en", "zh"):
                await shoot(store, language)
        for language in ("en", "zh"):
            with DocumentStore.open(Path(tmp) / f"door-{language}") as store:
                fill_demo(store, today=NOW.date())
                await shoot_room_kiosk(store, language)
    print(f"screenshots written to {OUT}")


if __name__ == "__main__":
    asyncio.run(main())
