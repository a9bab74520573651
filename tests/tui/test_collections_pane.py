"""Pilot journey: a collection on the service desk, two departments hand in, one is missing;
the reminder names it; a withdrawal asks first and Ctrl+Z brings the submission back."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Static, TextArea

from store import DocumentStore
from store.members import Member, save_member
from store.material_collection import CollectionIndex, new_collection, save_collection
from tui.app import MishuApp
from tui.context import AppContext
from tui.screens.desk import DeskScreen
from tui.widgets.common.confirm_dialog import ConfirmDialog
from tui.widgets.common.fields_dialog import FieldsDialog
from tui.widgets.desk.collections_pane import CollectionsPane
from tui.widgets.desk.reminder_dialog import ReminderDialog

from ..kiosk.driving import wait_until
from ..conftest import FIXED_NOW

HOSTILE = "[bold red]宣传部[/]\x1b[2J"
SHOWN = "[bold red]宣传部[/]"  # literally, without the terminal's escape


async def open_pane(pilot, app: MishuApp) -> CollectionsPane:  # type: ignore[no-untyped-def]
    """F8, the collections tab, its list focused."""
    await pilot.press("f8")
    await wait_until(lambda: isinstance(app.screen, DeskScreen), pilot)
    pane = app.screen.query_one(CollectionsPane)
    pane.query_one("#collections-list", DataTable).focus()
    await pilot.pause()
    return pane


async def fill(pilot, app: MishuApp, values: dict[str, str],  # type: ignore[no-untyped-def]
               refused: bool = False) -> None:
    """Type the values into the open form and save; a refused form stays open with them
    (then Escape leaves it)."""
    await wait_until(lambda: isinstance(app.screen, FieldsDialog), pilot)
    for name, value in values.items():
        app.screen.query_one(f"#field-{name}", Input).value = value
    await pilot.press("ctrl+s")
    if refused:
        await pilot.pause()
        assert isinstance(app.screen, FieldsDialog)
        await pilot.press("escape")
    await wait_until(lambda: not isinstance(app.screen, FieldsDialog), pilot)


def missing_line(pane: CollectionsPane) -> str:
    return str(pane.query_one("#collections-missing", Static).render())


@pytest.mark.parametrize("language", ["zh", "en"])
async def test_collection_lists_the_missing_department(
        store: DocumentStore, make_ctx: Callable[..., AppContext], tmp_path: Path,
        language: str) -> None:
    save_member(store, Member("2026001", "张三", "体育部"))  # past the first-run screen
    app = MishuApp(make_ctx(language))
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await open_pane(pilot, app)
        await pilot.press("n")
        await fill(pilot, app, {"title": "工作总结", "deadline": "2026-12-04 17:00",
                                "departments": f"体育部、{HOSTILE}、学习部"})
        lists = pane.query_one("#collections-list", DataTable)
        await wait_until(lambda: lists.row_count == 1, pilot)
        lists.focus()
        for department, text in (("体育部", "比赛六场。"), ("学习部", "讲座四场。")):
            await pilot.press("s")
            await wait_until(lambda: isinstance(app.screen, FieldsDialog), pilot)
            app.screen.query_one("#field-department").value = department
            await fill(pilot, app, {"text": text})
        await wait_until(lambda: SHOWN in missing_line(pane), pilot)
        assert "体育部" not in missing_line(pane) and "学习部" not in missing_line(pane)

        await pilot.press("r")
        await wait_until(lambda: isinstance(app.screen, ReminderDialog), pilot)
        reminder = app.screen.query_one(TextArea).text
        assert SHOWN in reminder and "\x1b" not in reminder
        assert ("尚未提交" if language == "zh" else "Not yet received") in reminder
        await pilot.press("escape")
        await wait_until(lambda: isinstance(app.screen, DeskScreen), pilot)

        await pilot.press("e")
        out = tmp_path / "总结.zip"
        await fill(pilot, app, {"path": str(out)})
        await wait_until(lambda: out.exists() and isinstance(app.screen, DeskScreen), pilot)
        with zipfile.ZipFile(out) as archive:
            texts = [archive.read(n).decode() for n in archive.namelist()]
        assert "比赛六场。" in texts and "讲座四场。" in texts
        await pilot.press("e")
        await fill(pilot, app, {"path": str(out)}, refused=True)  # never over an export

        items = pane.query_one("#collections-items", DataTable)
        items.focus()
        items.move_cursor(row=0)  # 体育部's submission
        await pilot.press("delete")
        await wait_until(lambda: isinstance(app.screen, ConfirmDialog), pilot)
        await pilot.click("#choice-0")
        await wait_until(lambda: "体育部" in missing_line(pane), pilot)
        await pilot.press("ctrl+z")
        await wait_until(lambda: "体育部" not in missing_line(pane), pilot)


async def test_a_submission_from_another_node_shows_without_a_keypress(
        store: DocumentStore, make_ctx: Callable[..., AppContext]) -> None:
    collection = new_collection("工作计划", "2026-12-04 17:00", ("体育部", "宣传部"), FIXED_NOW)
    save_collection(store, collection)
    app = MishuApp(make_ctx("en"))
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await open_pane(pilot, app)
        await wait_until(lambda: "体育部、宣传部" in missing_line(pane), pilot)
        store.put({"_id": "collection_item:peer1", "collection_id": collection.collection_id,
                   "department": "宣传部", "submitted_at": "2026-11-25T09:00", "text": "x",
                   "attachments": [], "recorded_by": "other"})
        await wait_until(lambda: "宣传部" not in missing_line(pane), pilot)
        assert app.ctx.index(CollectionIndex).missing(collection) == ["体育部"]


async def test_a_megabyte_department_is_not_offered_as_a_default(
        store: DocumentStore, make_ctx: Callable[..., AppContext]) -> None:
    save_member(store, Member("2026001", "张三", "体育部"))
    store.put({"_id": "member:2026002", "name": "李四", "department": "长" * 350_000,
               "qr_token": "t2"})
    app = MishuApp(make_ctx("zh"))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_pane(pilot, app)
        await pilot.press("n")
        await wait_until(lambda: isinstance(app.screen, FieldsDialog), pilot)
        assert app.screen.query_one("#field-departments", Input).value == "体育部"
        await pilot.press("escape")


async def test_a_late_collection_is_in_the_inbox_and_on_the_desk_panel(
        store: DocumentStore, make_ctx: Callable[..., AppContext]) -> None:
    """Before: a collection past its deadline with a department missing showed nowhere but
    on its own tab."""
    save_member(store, Member("2026001", "张三", "体育部"))
    late = new_collection("工作总结", "2026-11-24 17:00", ("体育部", "学习部"), FIXED_NOW)
    save_collection(store, late)
    save_collection(store, new_collection("活动计划", "2026-12-04 17:00", ("外联部",), FIXED_NOW))
    app = MishuApp(make_ctx("zh"))
    async with app.run_test(size=(120, 40)) as pilot:
        panel = app.screen.query_one("#panel-requests", DataTable)
        await wait_until(lambda: panel.row_count == 2, pilot)
        rows = [" ".join(str(c) for c in panel.get_row_at(n)) for n in range(2)]
        assert "工作总结" in rows[0] and "体育部、学习部" in rows[0]  # the late one first
        assert "活动计划" in rows[1] and "外联部" in rows[1]
        inbox = app.screen.query_one("#attention-inbox", DataTable)
        await wait_until(lambda: inbox.row_count == 1, pilot)
        assert "体育部、学习部" in " ".join(str(c) for c in inbox.get_row_at(0))
        inbox.focus()
        await pilot.press("enter")
        await wait_until(lambda: isinstance(app.screen, ReminderDialog), pilot)
        assert "体育部、学习部" in app.screen.query_one(TextArea).text
