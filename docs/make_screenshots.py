"""Regenerate the README screenshots: ``.venv/bin/python docs/make_screenshots.py``.

Runs the real app headless on a temporary store filled with the demo office, visits each area
in both languages and saves Textual's SVG screenshots under docs/screenshots/.
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
    ctx.close()


async def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        with DocumentStore.open(Path(tmp) / "data") as store:
            fill_demo(store, today=NOW.date())
            for language in ("en", "zh"):
                await shoot(store, language)
    print(f"screenshots written to {OUT}")


if __name__ == "__main__":
    asyncio.run(main())
