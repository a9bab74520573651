"""The key bar fits 120 columns on every screen, and every key is in the command palette.

At 80 columns the key bar scrolls: the screen's own shown keys come first and fit (they are
what a secretary uses most), the app keys (quit, F1–F8, F9, palette) follow.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.binding import Binding
from textual.widgets import Footer

from store import DocumentStore
from store.demo import fill_demo
from tui.app import AREAS, MishuApp
from tui.context import AppContext

from ..conftest import FIXED_NOW

# The key of each area, read from the app's own bindings ("switch_mode('bookings')" → "f3")
AREA_KEYS = {binding.action.split("'")[1]: binding.key for binding in MishuApp.BINDINGS
             if isinstance(binding, Binding) and binding.action.startswith("switch_mode(")}


def footer_width(app: MishuApp) -> int:
    footer = app.screen.query_one(Footer)
    return sum(child.outer_size.width for child in footer.children)


def own_keys_width(app: MishuApp) -> int:
    footer = app.screen.query_one(Footer)
    screen_keys = {key for key, active in app.screen.active_bindings.items()
                   if active.node is app.screen and active.binding.show}
    return sum(child.outer_size.width for child in footer.children
               if getattr(child, "key", None) in screen_keys)


@pytest.mark.parametrize("language", ["zh", "en"])
async def test_every_screen_key_bar_fits_and_every_key_is_in_the_palette(
    language: str, store: DocumentStore, make_ctx: Callable[..., AppContext]
) -> None:
    fill_demo(store, today=FIXED_NOW.date())
    app = MishuApp(make_ctx(language))
    t = app.ctx.i18n
    async with app.run_test(size=(120, 40)) as pilot:
        for area in AREAS:
            await pilot.press(AREA_KEYS[area])
            await pilot.pause()
            screen = app.screen
            assert footer_width(app) <= 120, area
            assert own_keys_width(app) <= 80, area
            titles = {command.title for command in app.get_system_commands(screen)}
            for active in screen.active_bindings.values():
                binding = active.binding
                if active.node in (screen, app) and not binding.system and t.has(
                        binding.description):
                    assert t(binding.description) in titles, (area, binding.key)
            assert t("cluster.invite_title") in titles, area
            assert t("nav.switch_language") in titles


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
@pytest.mark.parametrize("language", ["zh", "en"])
async def test_key_bar_shows_whole_keys_only_and_the_areas_as_one_range(
    size: tuple[int, int], language: str, store: DocumentStore,
    make_ctx: Callable[..., AppContext],
) -> None:
    """Before: at 80 columns the bar ran past the palette key and ended in ``f1f2f3f▏`` (keys
    and labels cut, F9 hidden behind ``^p``); the areas took 16 cells as ``f1f2…f8``."""
    from textual.widgets._footer import FooterKey

    from .screen_text import screen_lines

    fill_demo(store, today=FIXED_NOW.date())
    app = MishuApp(make_ctx(language))
    async with app.run_test(size=size) as pilot:
        for area in AREAS:
            await pilot.press(AREA_KEYS[area])
            await pilot.pause()
            await pilot.pause()
            footer = app.screen.query_one(Footer)
            keys = [key for key in footer.query(FooterKey) if key.display]
            palette = next(key for key in keys if key.has_class("-command-palette"))
            for key in keys:
                if key is not palette:
                    assert key.region.right <= palette.region.x, (area, key.key_display)
            bar = screen_lines(app)[-1]
            assert "f1f2" not in bar.lower(), (area, bar)
            assert "f1–f8" in bar.lower(), (area, bar)
