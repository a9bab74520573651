"""After F9 the field or list that had the focus has it again, in every area (before: nothing
had it, so the next keys were lost and Enter did nothing)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from store import DocumentStore
from store.demo import fill_demo
from tui.app import MishuApp
from tui.context import AppContext

from ..conftest import FIXED_NOW


@pytest.mark.parametrize("key", ["f1", "f2", "f4", "f6", "f7", "f8"])
async def test_the_focus_survives_a_language_switch(
    key: str, store: DocumentStore, make_ctx: Callable[..., AppContext]
) -> None:
    fill_demo(store, today=FIXED_NOW.date())
    app = MishuApp(make_ctx("zh"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(key)
        await pilot.pause()
        before = app.focused
        assert before is not None
        await pilot.press("f9")
        await pilot.pause()
        after = app.focused
        assert after is not None and after.id == before.id and type(after) is type(before)
