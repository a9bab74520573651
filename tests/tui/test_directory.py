"""The secretary app shell and the directory screen, driven through a Pilot."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.widgets import DataTable, Input

from store import DocumentStore
from store.desk_demo import APPROVERS
from store.members import Member, save_member
from tui.app import MishuApp
from tui.context import AppContext
from tui.screens.directory import DirectoryScreen
from tui.screens.dashboard import DashboardScreen
from tui.screens.empty_store import EmptyStoreScreen
from tui.widgets.common.confirm_dialog import ConfirmDialog

from ..kiosk.driving import wait_until


def seed_members(store: DocumentStore) -> None:
    for member_id, name in [("2026001", "张三"), ("2026002", "李四"), ("2026003", "张小明")]:
        save_member(store, Member(member_id=member_id, name=name, department="秘书处"))


def table_names(app: MishuApp) -> list[str]:
    table = app.screen.query_one("#member-table", DataTable)
    return [str(table.get_row_at(row)[0]) for row in range(table.row_count)]


async def test_search_by_pinyin_initials_finds_the_member(
    store: DocumentStore, make_ctx: Callable[..., AppContext]
) -> None:
    seed_members(store)
    app = MishuApp(make_ctx())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f2")
        assert isinstance(app.screen, DirectoryScreen)
        assert len(table_names(app)) == 3
        await pilot.click("#member-search")
        await pilot.press("z", "s")
        await pilot.pause()
        assert table_names(app) == ["张三"]
        await pilot.press("backspace", "backspace", *"lisi")
        await pilot.pause()
        assert table_names(app) == ["李四"]


async def test_invalid_member_shows_error_and_writes_nothing(
    store: DocumentStore, make_ctx: Callable[..., AppContext]
) -> None:
    seed_members(store)
    seq = store.update_seq
    app = MishuApp(make_ctx())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f2", "ctrl+n")
        await pilot.pause()
        app.screen.query_one("#field-name", Input).value = "王五"
        app.screen.query_one("#field-member_id", Input).value = "bad id!"
        app.screen.query_one("#field-phone", Input).value = "12"
        await pilot.click("#save")
        await pilot.pause()
        assert app.screen.query_one("#field-member_id", Input).has_class("-invalid")
        assert app.screen.query_one("#field-phone", Input).has_class("-invalid")
        assert any("ID may use" in n.message for n in app._notifications)
        assert store.update_seq == seq
        app.screen.query_one("#field-member_id", Input).value = "2026009"
        app.screen.query_one("#field-phone", Input).value = "13800000009"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert store.get("member:2026009")["name"] == "王五"
        assert "王五" in table_names(app)


async def test_language_switch_changes_visible_labels(
    store: DocumentStore, make_ctx: Callable[..., AppContext]
) -> None:
    seed_members(store)
    app = MishuApp(make_ctx(language="en"))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f2")
        search = app.screen.query_one("#member-search", Input)
        assert search.placeholder.startswith("Search")
        table = app.screen.query_one("#member-table", DataTable)
        assert str(table.columns["name"].label) == "Name"
        await pilot.press("f9")
        await pilot.pause()
        assert app.screen.query_one("#member-search", Input).placeholder.startswith("搜索")
        table = app.screen.query_one("#member-table", DataTable)
        assert str(table.columns["name"].label) == "姓名"
        assert app.ctx.i18n.language == "zh"


async def test_empty_store_offers_demo_data(
    store: DocumentStore, make_ctx: Callable[..., AppContext]
) -> None:
    app = MishuApp(make_ctx())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, EmptyStoreScreen)
        await pilot.click("#demo")
        await wait_until(lambda: isinstance(app.screen, DashboardScreen), pilot, timeout=30)
        assert len(store.ids_of_type("member")) == 200 + len(APPROVERS)  # the desk's two approvers
        assert len(store.ids_of_type("asset")) > 0


async def test_roster_import_from_the_directory(
    store: DocumentStore, make_ctx: Callable[..., AppContext], tmp_path: Path
) -> None:

    save_member(store, Member("2026001", "张三", "秘书处"))
    good = tmp_path / "roster.csv"
    good.write_text("学号,姓名,部门\n2026002,李四,宣传部\n2026003,王五,体育部\n", encoding="utf-8")
    bad = tmp_path / "bad.csv"
    bad.write_text("学号,姓名,部门\n2026004,赵六,学习部\n,,外联部\n", encoding="utf-8")
    app = MishuApp(make_ctx())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f2")
        for number, path in enumerate((bad, good), start=1):
            await pilot.press("ctrl+o")
            await pilot.pause()
            app.screen.query_one("#field-path", Input).value = str(path)
            await pilot.press("enter")
            await wait_until(lambda: len(app._notifications) == number, pilot)
        messages = [n.message for n in app._notifications]
        assert any(m.startswith("Nothing imported: 2 problem(s); first on line 3: Name is required") for m in messages)
        assert "Imported: 2 new, 0 updated." in messages
    assert sorted(store.ids_of_type("member")) == ["member:2026001", "member:2026002",
                                                   "member:2026003"]


async def test_delete_member_asks_naming_them_and_ctrl_z_brings_them_back(
    store: DocumentStore, make_ctx: Callable[..., AppContext]
) -> None:
    seed_members(store)
    app = MishuApp(make_ctx(language="zh"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f2")
        await pilot.pause()
        screen = app.screen
        table = screen.query_one("#member-table", DataTable)
        table.focus()
        table.move_cursor(row=table_names(app).index("李四"))
        await pilot.press("ctrl+d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert "李四（2026002，秘书处）" in str(app.screen.query_one(".dialog-title").render())
        await pilot.press("escape")  # backing out deletes nothing
        await pilot.pause()
        assert store.get_or_none("member:2026002") is not None
        await pilot.press("ctrl+d")
        await pilot.pause()
        await pilot.click("#choice-0")
        await wait_until(lambda: "李四" not in table_names(app), pilot)
        assert store.get_or_none("member:2026002") is None
        await pilot.press("ctrl+z")
        await wait_until(lambda: "李四" in table_names(app), pilot)
        assert store.get("member:2026002")["name"] == "李四"


async def test_roster_import_that_overwrites_members_asks_with_the_count_and_can_be_undone(
    store: DocumentStore, make_ctx: Callable[..., AppContext], tmp_path: Path
) -> None:
    save_member(store, Member("2026001", "张三", "秘书处", phone="13800000000"))
    roster = tmp_path / "roster.csv"
    roster.write_text("学号,姓名,部门\n2026001,张三,宣传部\n2026002,李四,宣传部\n",
                      encoding="utf-8")
    app = MishuApp(make_ctx())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f2")
        await pilot.press("ctrl+o")
        await pilot.pause()
        app.screen.query_one("#field-path", Input).value = str(roster)
        await pilot.press("enter")
        await wait_until(lambda: isinstance(app.screen, ConfirmDialog), pilot)
        assert "1 new, 1 existing members overwritten" in str(
            app.screen.query_one(".dialog-title").render())
        assert "张三 (2026001)" in str(app.screen.query_one("#confirm-items").render())
        assert store.get("member:2026001")["department"] == "秘书处"  # nothing written yet
        await pilot.click("#choice-0")
        await wait_until(lambda: store.get_or_none("member:2026002") is not None, pilot)
        assert store.get("member:2026001")["department"] == "宣传部"
        await wait_until(lambda: isinstance(app.screen, DirectoryScreen), pilot)
        await pilot.press("ctrl+z")
        await wait_until(lambda: store.get_or_none("member:2026002") is None, pilot)
        assert store.get("member:2026001")["department"] == "秘书处"
