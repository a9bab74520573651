"""Data is text: names, titles and messages that look like markup or terminal codes are shown
exactly as typed on every screen, and a megabyte of text does not push the other columns away."""

from __future__ import annotations

from collections.abc import Callable
from itertools import cycle
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input

from store import DocumentStore
from store.demo import fill_demo
from store.members import Member, save_member
from store.supplies import Item
from store.supplies_desk import save_item
from tui.app import MishuApp
from tui.context import AppContext
from tui.plain_text import CELL_WIDTH
from tui.screens.archive import ArchiveScreen
from tui.widgets.dashboard.conflict_dialog import ConflictDialog

from ..conftest import FIXED_NOW
from ..kiosk.driving import wait_until
from .screen_text import screen_lines, screen_text

NAMES = ["[/]", "欧阳[/b]娜娜", "[red]张三[/red] ["]
MEGABYTE = "名" * (1 << 19)  # 1 MiB of UTF-16, 1.5 MB of UTF-8

# the text field each kind of record shows first
SHOWN_FIELD = {"member": "name", "room": "name", "booking": "title", "meeting": "title",
               "item": "name", "asset": "name", "archive": "title", "resolution": "text"}


def hostile_office(store: DocumentStore) -> None:
    """The demo office with every shown name and title replaced by markup-like text."""
    fill_demo(store, today=FIXED_NOW.date())
    names = cycle(NAMES)
    for kind, field in SHOWN_FIELD.items():
        for doc_id in sorted(store.ids_of_type(kind)):
            doc = dict(store.get(doc_id))
            doc[field] = next(names)
            store.put_latest(doc)


@pytest.mark.parametrize(("language", "size"), [("zh", (80, 24)), ("en", (120, 40))])
async def test_markup_like_member_names_show_literally_in_the_directory(
        store: DocumentStore, make_ctx: Callable[..., AppContext], language: str,
        size: tuple[int, int]) -> None:
    for number, name in enumerate(NAMES, start=1):
        save_member(store, Member(f"202600{number}", name, "[b]秘书处"))
    app = MishuApp(make_ctx(language))
    async with app.run_test(size=size) as pilot:
        await pilot.press("f2")
        await pilot.pause()
        shown = screen_text(app)
        for name in NAMES:
            assert name in shown
        assert "[b]秘书处" in shown


@pytest.mark.parametrize("key", ["f1", "f3", "f4", "f5", "f6"])
async def test_every_area_shows_markup_like_titles_literally(
        store: DocumentStore, make_ctx: Callable[..., AppContext], key: str) -> None:
    hostile_office(store)
    app = MishuApp(make_ctx("zh"))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press(key)
        await wait_until(lambda: any(name in screen_text(app) for name in NAMES), pilot)
        if isinstance(app.screen, ArchiveScreen):
            app.screen.query_one("#archive-results", DataTable).focus()
            await pilot.press("enter")
            await wait_until(lambda: any(name in screen_text(app) for name in NAMES), pilot)
        await pilot.press("f9")
        await wait_until(lambda: any(name in screen_text(app) for name in NAMES), pilot)


async def test_a_conflict_from_peers_shows_both_versions_literally(
        store: DocumentStore, make_ctx: Callable[..., AppContext]) -> None:
    rev = store.put({"_id": "room:201", "name": "学生活动中心201", "capacity": 30})
    base = rev.split("-")[1]
    store.put_revisions([
        {"_id": "room:201", "_rev": "2-aaaa", "_revisions": {"start": 2, "ids": ["aaaa", base]},
         "name": NAMES[0], "capacity": 40, "[b]note": NAMES[2]},
        {"_id": "room:201", "_rev": "2-bbbb", "_revisions": {"start": 2, "ids": ["bbbb", base]},
         "name": NAMES[1], "capacity": 30},
    ])
    app = MishuApp(make_ctx())
    async with app.run_test(size=(120, 40)) as pilot:
        app.push_screen(ConflictDialog("room:201"))
        await pilot.pause()
        shown = screen_text(app)
        for text in (*NAMES, "[b]note"):
            assert text in shown


async def test_notifications_show_data_literally(
        store: DocumentStore, make_ctx: Callable[..., AppContext]) -> None:
    save_member(store, Member("2026001", "张三", "秘书处"))
    app = MishuApp(make_ctx())
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        app.notify(app.ctx.i18n("kpi.exported", path="/tmp/[/]report.csv"))
        app.screen.notify("[red]张三[/red] [\x1b[2J", severity="warning")
        await wait_until(lambda: "/tmp/[/]report.csv" in screen_text(app), pilot)
        assert "[red]张三[/red] [" in screen_text(app)
        assert all("\x1b" not in n.message for n in app._notifications)


async def test_a_megabyte_name_leaves_the_other_columns_on_screen(
        store: DocumentStore, make_ctx: Callable[..., AppContext]) -> None:
    save_member(store, Member("2026001", MEGABYTE, "秘书处", phone="13800000001"))
    save_member(store, Member("2026002", "张三", "学习部", phone="13800000002"))
    save_item(store, Item("item:big", MEGABYTE, "包", "纸张", code="IBIG"))
    app = MishuApp(make_ctx("zh"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f2")
        await pilot.pause()
        table = app.screen.query_one("#member-table", DataTable)
        assert table.ordered_columns[0].content_width <= CELL_WIDTH
        rows = [line for line in screen_lines(app) if "2026001" in line]
        assert len(rows) == 1 and "…" in rows[0]
        assert "秘书处" in rows[0] and "13800000001" in rows[0]
        await pilot.press("f5")
        await wait_until(lambda: any("包" in line and "名" in line for line in screen_lines(app)),
                         pilot)


@pytest.mark.parametrize("language", ["zh", "en"])
async def test_an_imported_roster_shows_each_name_literally(
        store: DocumentStore, make_ctx: Callable[..., AppContext], tmp_path: Path,
        language: str) -> None:
    roster = tmp_path / "roster.csv"
    rows = "".join(f'202600{n},"{name}",秘书处\n' for n, name in enumerate(NAMES, start=1))
    roster.write_text("学号,姓名,部门\n" + rows, encoding="utf-8")
    save_member(store, Member("2026000", "王五", "学习部"))
    app = MishuApp(make_ctx(language))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f2", "ctrl+o")
        await pilot.pause()
        app.screen.query_one("#field-path", Input).value = str(roster)
        await pilot.press("enter")
        await wait_until(lambda: len(app._notifications) == 1, pilot)
        table = app.screen.query_one("#member-table", DataTable)
        await wait_until(lambda: table.row_count == 4, pilot)
        assert set(NAMES) <= {str(table.get_row_at(row)[0]) for row in range(table.row_count)}
        await pilot.press("f1", "f2")  # what is drawn, not only what the table holds
        await wait_until(lambda: all(name in screen_text(app) for name in NAMES), pilot)
    assert sorted(store.get(f"member:202600{n}")["name"] for n in (1, 2, 3)) == sorted(NAMES)
