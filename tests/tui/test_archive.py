"""The archive screen through a Pilot: register, find by pinyin initials, lend, approvals."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace

import pytest
from textual.widgets import Input, Select

from store import DocumentStore
from store.archive import CONFIDENTIAL, ArchiveRecord, register
from store.archive_index import ArchiveIndex
from store.archive_numbering import NumberingScheme
from tui.app import MishuApp
from tui.context import AppContext
from tui.screens.archive import ArchiveScreen
from tui.widgets.archive.detail_view import ArchiveDetail
from tui.widgets.common.fields_dialog import FieldsDialog
from tui.widgets.common.member_picker import MemberPicker
from tui.widgets.archive.register_form import RegisterForm
from tui.widgets.archive.report_dialog import ReportDialog
from tui.i18n import Translator
from tui.widgets.archive.result_table import ArchiveTable, confidentiality_label

from ..conftest import FIXED_NOW


async def wait_until(condition: Callable[[], bool], pilot, timeout: float = 5.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        await pilot.pause(0.05)


async def open_archive(pilot, app: MishuApp) -> ArchiveScreen:  # type: ignore[no-untyped-def]
    await pilot.press("f6")
    await pilot.pause()
    assert isinstance(app.screen, ArchiveScreen)
    return app.screen


def rows(screen: ArchiveScreen) -> list[str]:
    table = screen.query_one(ArchiveTable)
    return [str(table.get_row_at(i)[1]) for i in range(table.row_count)]


def seed(store: DocumentStore) -> None:
    store.put({"_id": "member:001", "member_id": "001", "name": "张三"})  # skips the welcome


async def fill(app: MishuApp, pilot, values: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    for name, value in values.items():
        widget = app.screen.query_one(f"#field-{name}")
        if isinstance(widget, Select):
            widget.value = value
        elif isinstance(widget, MemberPicker):
            widget.input.value = value
        else:
            assert isinstance(widget, Input)
            widget.value = value
    await pilot.pause()


async def test_register_find_by_initials_and_lend(
        store: DocumentStore, make_ctx: Callable[..., AppContext]) -> None:
    seed(store)
    app = MishuApp(make_ctx())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_archive(pilot, app)
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, RegisterForm)
        assert "校学生会发〔2026〕1号" in str(app.screen.query_one("#form-note").content)
        await fill(app, pilot, {"title": "关于举办校园歌手大赛的通知", "keywords": "歌手，文艺",
                                "cabinet": "A1", "confidentiality": "public"})
        await pilot.press("ctrl+s")
        await wait_until(lambda: isinstance(app.screen, ArchiveScreen), pilot)
        [record] = screen.index.records.values()
        assert record.number == "校学生会发〔2026〕1号" and record.keywords == ("歌手", "文艺")

        search = screen.query_one("#archive-search", Input)
        search.value = ""
        search.focus()
        await pilot.press(*"xygsds")  # 校园歌手大赛, by the initials of its title
        table = screen.query_one(ArchiveTable)
        await wait_until(lambda: [key.value for key in table.rows] == [record.archive_id], pilot)
        await pilot.press("enter")  # into the results
        await pilot.press("enter")  # open the record
        await wait_until(lambda: isinstance(app.screen, ArchiveDetail), pilot)
        await pilot.press("l")
        await wait_until(lambda: isinstance(app.screen, FieldsDialog), pilot)
        await fill(app, pilot, {"person": "001", "due": "2026-12-09"})
        await pilot.press("ctrl+s")
        await wait_until(lambda: isinstance(app.screen, ArchiveDetail), pilot)
        index = app.ctx.index(ArchiveIndex)
        [loan] = index.state(record.archive_id).open_loans
        assert loan.lend.person == "张三（001）" and loan.lend.due == "2026-12-09"
        assert "张三（001）" in str(app.screen.query_one("#archive-detail").content)
        await pilot.press("escape")
        await wait_until(lambda: "On loan" in str(
            screen.query_one(ArchiveTable).get_row_at(0)[4]), pilot)


async def test_confidential_loan_waits_for_an_approval(
        store: DocumentStore, make_ctx: Callable[..., AppContext]) -> None:
    seed(store)
    ctx = make_ctx("zh")
    secret = register(store, ArchiveRecord(ArchiveRecord.new_id(), "", "人事", 2026, 0,
                                           "关于王芳同志任宣传部部长的决定",
                                           confidentiality=CONFIDENTIAL),
                      NumberingScheme("校学生会"), ["人事"], [], FIXED_NOW)
    app = MishuApp(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_archive(pilot, app)
        app.push_screen(ArchiveDetail(secret.archive_id, NumberingScheme("校学生会")))
        await wait_until(lambda: isinstance(app.screen, ArchiveDetail), pilot)
        detail = app.screen
        await pilot.press("l")
        await wait_until(lambda: isinstance(app.screen, FieldsDialog), pilot)
        await fill(app, pilot, {"person": "李四", "due": "2026-12-09"})
        await pilot.press("ctrl+s")  # refused: the dialog stays open, nothing is lent
        await pilot.pause()
        assert isinstance(app.screen, FieldsDialog)
        assert app.ctx.index(ArchiveIndex).state(secret.archive_id).loans == ()
        await pilot.press("escape")
        await pilot.press("a")
        await wait_until(lambda: isinstance(app.screen, FieldsDialog), pilot)
        await fill(app, pilot, {"person": "李四", "purpose": "loan", "reason": "核对任免材料"})
        await pilot.press("ctrl+s")
        await wait_until(lambda: app.screen is detail, pilot)
        await pilot.press("d")
        await wait_until(lambda: isinstance(app.screen, FieldsDialog), pilot)
        await fill(app, pilot, {"approver": "王主席", "role": "主席", "decision": "yes",
                                "reason": "同意"})
        await pilot.press("ctrl+s")
        await wait_until(lambda: app.screen is detail, pilot)
        await pilot.press("l")
        await wait_until(lambda: isinstance(app.screen, FieldsDialog), pilot)
        await fill(app, pilot, {"person": "李四", "due": "2026-12-09"})
        await pilot.press("ctrl+s")
        await wait_until(lambda: app.screen is detail, pilot)
        state = app.ctx.index(ArchiveIndex).state(secret.archive_id)
        assert state.status == "on_loan"
        assert [a.status for a in state.approvals] == ["used"]
        # not a member: a guest
        assert "王主席（访客）（主席）同意" in str(detail.query_one("#archive-detail").content)


async def test_records_replicated_in_appear_with_one_redraw_per_batch(
        store: DocumentStore, make_ctx: Callable[..., AppContext]) -> None:
    """The screen follows the store: a batch from another laptop is drawn once, without a
    reload."""
    seed(store)
    app = MishuApp(make_ctx())
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_archive(pilot, app)
        await wait_until(lambda: "0" in str(screen.query_one("#archive-count").content), pilot)
        redraws: list[int] = []
        original = screen.redraw
        screen.redraw = lambda: (redraws.append(1), original())[1]  # type: ignore[method-assign]
        store.bulk_put([ArchiveRecord(ArchiveRecord.new_id(), f"校学生会发〔2026〕{n}号", "行政",
                                      2026, n, f"第{n}份文件").to_doc() for n in (1, 2, 3)])
        await wait_until(lambda: len(rows(screen)) == 3, pilot)
        assert redraws == [1]


async def test_reports_list_destruction_due_and_overdue_loans(
        store: DocumentStore, make_ctx: Callable[..., AppContext]) -> None:
    seed(store)
    old = register(store, replace(ArchiveRecord(ArchiveRecord.new_id(), "", "财务", 2012, 0,
                                                "2012年迎新晚会经费决算报告"), retention="10y"),
                   NumberingScheme("校学生会"), ["财务"], [], FIXED_NOW)
    app = MishuApp(make_ctx())
    async with app.run_test(size=(80, 24)) as pilot:
        await open_archive(pilot, app)
        await pilot.press("ctrl+o")
        await wait_until(lambda: isinstance(app.screen, ReportDialog), pilot)
        table = app.screen.query_one("#report-destruction")
        assert table.row_count == 1  # type: ignore[attr-defined]
        assert str(table.get_row_at(0)[0]) == old.number  # type: ignore[attr-defined]


def test_an_unknown_confidentiality_from_a_peer_is_shown_as_it_is(
        caplog: pytest.LogCaptureFixture) -> None:
    """It was looked up as a catalog key: a warning per redraw, terminal codes in the log."""
    t = Translator("zh")
    assert confidentiality_label(t, "\x1b[31mred") == "\x1b[31mred"
    assert confidentiality_label(t, "confidential") == t("archive.confidentiality.confidential")
    assert not [r for r in caplog.records if "missing" in r.getMessage()]


async def test_titles_use_the_width_the_window_gives_and_end_with_an_ellipsis(
    store: DocumentStore, make_ctx: Callable[..., AppContext]
) -> None:
    """Before: titles were cut at 22 cells without an ellipsis even with 60 columns free."""
    from store.demo import fill_demo

    from ..conftest import FIXED_NOW

    fill_demo(store, today=FIXED_NOW.date())
    app = MishuApp(make_ctx("zh"))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_archive(pilot, app)
        table = screen.query_one(ArchiveTable)
        await wait_until(lambda: table.row_count > 0, pilot)
        index = app.ctx.index(ArchiveIndex)
        titles = {index.record(str(key.value)).title for key in table.rows}  # type: ignore[union-attr]
        assert set(rows(screen)) == titles  # every demo title whole at 120 columns
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert any(shown.endswith("…") for shown in rows(screen))
        assert table.virtual_size.width <= table.scrollable_content_region.width
