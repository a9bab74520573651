"""The bookings screen names what it shows: a week's keys move a week, a clash is a clash."""

from __future__ import annotations

from collections.abc import Callable

from store import DocumentStore
from tui.app import MishuApp
from tui.context import AppContext
from tui.widgets.bookings.clash_list import ClashList

from .test_bookings import open_bookings, seed_rooms


def shown_keys(app: MishuApp) -> dict[str, str]:
    """Key → translated description of what the footer offers on the current screen."""
    t = app.ctx.i18n
    return {key: t(active.binding.description)
            for key, active in app.screen.active_bindings.items() if active.binding.show}


async def test_bracket_keys_say_day_or_week_as_the_view_moves(
    store: DocumentStore, make_ctx: Callable[..., AppContext]
) -> None:
    seed_rooms(store)
    app = MishuApp(make_ctx("zh"))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_bookings(pilot, app)
        keys = shown_keys(app)
        assert (keys["left_square_bracket"], keys["right_square_bracket"]) == ("前一天", "后一天")
        await pilot.press("w")
        await pilot.pause()
        assert screen.week_room is not None
        keys = shown_keys(app)
        assert (keys["left_square_bracket"], keys["right_square_bracket"]) == ("前一周", "后一周")
        before = screen.day
        await pilot.press("right_square_bracket")
        assert screen.day is not None and before is not None
        assert (screen.day - before).days == 7


async def test_double_bookings_panel_is_not_called_repeat(
    store: DocumentStore, make_ctx: Callable[..., AppContext]
) -> None:
    seed_rooms(store)
    for language, title, headers in (("zh", "冲突预订（0）", ["会议室", "时间", "预订一", "预订二"]),
                                     ("en", "Double bookings (0)",
                                      ["Room", "When", "First booking", "Second booking"])):
        app = MishuApp(make_ctx(language))
        async with app.run_test(size=(120, 40)) as pilot:
            await open_bookings(pilot, app)
            clashes = app.screen.query_one(ClashList)
            assert clashes.border_title == title
            assert [str(column.label) for column in clashes.columns.values()] == headers
