"""The documents area through a Pilot: request → 通知 draft → return → change → sign-off →
issue into the archive → distribution → receipts, and the dashboard's outstanding receipt."""

from __future__ import annotations

import io

from datetime import datetime

from docx import Document
from textual.widgets import DataTable, Input, Select, TextArea

from store import DocumentStore
from store.archive_blobs import BlobStore
from store.archive_index import ArchiveIndex
from store.documents import COMPLETED, DISTRIBUTED, RETURNED, REVIEW, SIGNED
from store.documents_index import DocumentIndex
from store.members import Member, save_member
from tui.app import MishuApp
from tui.context import AppContext
from tui.dashboard_panels import document_deadlines
from tui.i18n import Translator
from tui.screens.dashboard import DashboardScreen
from tui.screens.documents import DocumentsScreen
from tui.settings import Settings
from tui.widgets.common.confirm_dialog import ConfirmDialog
from tui.widgets.common.fields_dialog import FieldsDialog
from tui.widgets.documents.content_editor import ContentEditor
from tui.widgets.documents.detail_view import DocumentDetail
from tui.widgets.documents.template_library import TemplateLibrary

from ..kiosk.driving import wait_until
from .screen_text import screen_text
from .test_archive import fill


class Clock:
    """The office clock, moved on by the test between the steps of the flow."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def office(store: DocumentStore) -> None:
    save_member(store, Member("0001", "王秘书长", "主席团", "秘书长"))
    save_member(store, Member("0002", "赵干事", "秘书处", "干事"))


async def press_for(app: MishuApp, pilot, key: str, screen: type) -> None:  # type: ignore[no-untyped-def]
    """Press ``key`` and wait until ``screen`` is on top."""
    await pilot.press(key)
    await wait_until(lambda: isinstance(app.screen, screen), pilot)


async def dialog_step(app: MishuApp, pilot, key: str, values: dict[str, str],  # type: ignore[no-untyped-def]
                      kind: type = FieldsDialog, save: str = "ctrl+s") -> None:
    await press_for(app, pilot, key, kind)
    await fill(app, pilot, values)
    await press_for(app, pilot, save, DocumentDetail)


async def test_journey_from_request_to_receipts(store: DocumentStore) -> None:
    office(store)
    clock = Clock(datetime(2026, 10, 8, 9, 0))
    ctx = AppContext(Settings(), store, Translator("zh"), clock=clock)
    app = MishuApp(ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await press_for(app, pilot, "f7", DocumentsScreen)
        await press_for(app, pilot, "ctrl+n", FieldsDialog)
        await fill(app, pilot, {"department": "体育部", "what": "举办秋季运动会",
                                "due": "2026-10-15", "owner": "李秘书",
                                "template": "doctemplate:notice"})
        await press_for(app, pilot, "ctrl+s", DocumentDetail)
        detail = app.screen
        assert isinstance(detail, DocumentDetail)
        assert "初稿应于 2026-10-12 09:00 前提交" in screen_text(app)  # 10 Oct is a 调休 Saturday

        await press_for(app, pilot, "e", ContentEditor)
        assert app.screen.query_one("#field-title", Input).value == "关于举办秋季运动会的通知"
        assert "体育部" in app.screen.query_one("#editor-body", TextArea).text
        await press_for(app, pilot, "ctrl+t", DocumentDetail)
        assert detail.state.stage == REVIEW

        clock.now = datetime(2026, 10, 8, 14, 0)
        await dialog_step(app, pilot, "r", {"person": "王秘书长", "text": "写明集合地点"})
        assert detail.state.stage == RETURNED

        await press_for(app, pilot, "e", ContentEditor)
        body = app.screen.query_one("#editor-body", TextArea)
        body.text = body.text.replace("特此通知。", "集合地点：东操场。\n\n特此通知。")
        await press_for(app, pilot, "ctrl+t", DocumentDetail)
        assert len(detail.state.rounds) == 2
        assert "+集合地点：东操场。" in screen_text(app)

        await pilot.press("o")  # a 干事 may not sign off: refused, the dialog stays
        await wait_until(lambda: isinstance(app.screen, FieldsDialog), pilot)
        await fill(app, pilot, {"signer": "0002"})
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, FieldsDialog)
        await fill(app, pilot, {"signer": "0001"})
        await press_for(app, pilot, "ctrl+s", DocumentDetail)
        assert detail.state.stage == SIGNED

        await press_for(app, pilot, "i", FieldsDialog)
        assert "校学生会发〔2026〕1号" in screen_text(app)
        await press_for(app, pilot, "ctrl+s", DocumentDetail)
        issued = detail.state.issue
        assert issued is not None and issued.number == "校学生会发〔2026〕1号"
        record = ctx.index(ArchiveIndex).record(issued.archive_id)
        assert record is not None and record.number == issued.number
        docx = Document(io.BytesIO(BlobStore.for_store(store).read(record.attachments[0])))
        filed = "\n".join(paragraph.text for paragraph in docx.paragraphs)
        assert "集合地点：东操场。" in filed and "王秘书长" not in filed

        await dialog_step(app, pilot, "b", {"recipients": "体育部，宣传部、学习部"})
        for department in ("体育部", "宣传部"):
            await dialog_step(app, pilot, "a", {"recipient": department})
        assert detail.state.stage == DISTRIBUTED
        assert detail.state.outstanding == ["学习部"]

        await pilot.press("escape")
        await press_for(app, pilot, "f1", DashboardScreen)
        panel = app.screen.query_one("#panel-due", DataTable)
        await wait_until(lambda: panel.loaded, pilot)
        assert "待签收：学习部" in {str(panel.get_row_at(row)[0]) for row in range(panel.row_count)}
        assert [line.cells for line in document_deadlines(ctx)] == [
            ("待签收：学习部", "关于举办秋季运动会的通知", "2026-10-08 14:00")]


async def test_search_by_initials_and_stage_filter_on_screen(store: DocumentStore) -> None:
    office(store)
    clock = Clock(datetime(2026, 10, 8, 9, 0))
    ctx = AppContext(Settings(), store, Translator("en"), clock=clock)
    from store.documents import Actor, request, save_event
    save_event(store, request(Actor(clock.now, "x"), "体育部", "秋季运动会", "", owner="李"))
    save_event(store, request(Actor(clock.now, "x"), "宣传部", "海报大赛", "", owner="周"))
    app = MishuApp(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await press_for(app, pilot, "f7", DocumentsScreen)
        table = app.screen.query_one("#documents-results", DataTable)
        await wait_until(lambda: table.row_count == 2, pilot)
        app.screen.query_one("#documents-search", Input).value = "hbds"
        await wait_until(lambda: table.row_count == 1, pilot)
        assert "海报大赛" in str(table.get_row_at(0)[1])
        app.screen.query_one("#documents-search", Input).value = ""
        app.screen.query_one("#filter-owner", Select).value = "李"
        await wait_until(lambda: table.row_count == 1 and "秋季" in str(table.get_row_at(0)[1]),
                         pilot)
        await press_for(app, pilot, "ctrl+t", TemplateLibrary)
        assert "Notice" in screen_text(app)
        assert len(ctx.index(DocumentIndex)) == 2
        assert COMPLETED not in {s.stage for s in ctx.index(DocumentIndex).states()}


async def test_editing_a_builtin_template_asks_first_and_ctrl_z_restores_it(
        store: DocumentStore) -> None:
    office(store)
    ctx = AppContext(Settings(), store, Translator("zh"), clock=Clock(datetime(2026, 10, 8, 9)))
    app = MishuApp(ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await press_for(app, pilot, "f7", DocumentsScreen)
        await press_for(app, pilot, "ctrl+t", TemplateLibrary)
        library = app.screen
        library.query_one("#template-list").focus()
        await pilot.press("enter")  # the first template: 通知
        await wait_until(lambda: isinstance(app.screen, ContentEditor), pilot)
        await fill(app, pilot, {"recipients": "各学院学生会："})
        await press_for(app, pilot, "ctrl+s", ConfirmDialog)
        assert "通知" in screen_text(app)
        await pilot.click("#choice-0")
        await wait_until(lambda: store.exists("doctemplate:notice"), pilot)
        await wait_until(lambda: app.screen is library, pilot)
        await pilot.press("ctrl+z")
        await wait_until(lambda: not store.exists("doctemplate:notice"), pilot)
