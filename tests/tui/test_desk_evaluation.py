"""The evaluation pane: the ranked table against the hand-computed fixture, a member's sheet,
hand-entered scores seen only by their author and the 主席团, XLSX read back, the 服务之星
proposal, both languages."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from openpyxl import load_workbook
from textual.widgets import DataTable, Input, Select, Static, TabbedContent

from store import DocumentStore
from store.evaluation_scores import EVALSCORE
from store.members import Member, save_member
from store.survey import Survey, save_survey, submit_answer
from tui.app import MishuApp
from tui.context import AppContext
from tui.settings import GeneralSettings, OperatorSettings, Settings
from tui.widgets.common.fields_dialog import FieldsDialog
from tui.widgets.common.progress_dialog import ProgressDialog
from tui.widgets.desk.evaluation_pane import EvaluationPane
from tui.widgets.desk.paging import PAGE
from tui.widgets.desk.text_dialog import TextDialog

from ..kiosk.driving import wait_until
from ..store.evaluation_fixture import HEAD, NOW, PRESIDENT, build, expected_without_requests
from .screen_text import screen_text


def settings_for(store: DocumentStore, operator: Member) -> Settings:
    return replace(Settings(), general=GeneralSettings(data_dir=str(store.data_dir)),
                   operator=OperatorSettings(member_id=operator.member_id))


async def open_pane(pilot, app: MishuApp) -> EvaluationPane:  # type: ignore[no-untyped-def]
    await pilot.press("f8")
    await wait_until(lambda: bool(app.screen.query(EvaluationPane)), pilot)
    app.screen.query_one(TabbedContent).active = "desk-evaluation"
    pane = app.screen.query_one(EvaluationPane)
    await wait_until(lambda: pane.loaded, pilot)
    pane.query_one("#evaluation-table", DataTable).focus()
    await pilot.pause()
    return pane


def assert_hand_computed_totals(pane: EvaluationPane, presidium: bool) -> None:
    table = pane.query_one("#evaluation-table", DataTable)
    expected = expected_without_requests(presidium)
    assert {key: str(table.get_cell(key, "total")) for key in expected} == {
        key: f"{value:.2f}" for key, value in expected.items()}


async def test_the_presidium_sees_the_hand_computed_table_and_exports_it(
        store: DocumentStore, make_ctx: Callable[..., AppContext]) -> None:
    build(store)
    app = MishuApp(make_ctx("zh", now=NOW, settings=settings_for(store, PRESIDENT)))
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await open_pane(pilot, app)
        assert_hand_computed_totals(pane, presidium=True)
        assert [row.figures.member.member_id for row in pane.rows[:3]] == ["001", "003", "002"]
        assert "2026 秋季学期" in str(pane.query_one("#evaluation-head", Static).content)
        assert "可见全部手填分数" in screen_text(app)

        table = pane.query_one("#evaluation-table", DataTable)
        table.move_cursor(row=table.get_row_index("003"))
        await pilot.press("enter")
        await wait_until(lambda: isinstance(app.screen, TextDialog), pilot)
        sheet = app.screen.text
        assert "应到会议 2 次，签到 1 次，其中迟到 0 次" in sheet
        assert "创新贡献 100 分（主席甲）" in sheet and "例会m1" in sheet
        await pilot.press("escape")

        await pilot.press("x")
        await wait_until(lambda: not isinstance(app.screen, ProgressDialog)
                         and (store.data_dir / "evaluation-2026-autumn.xlsx").exists(), pilot)
    sheet = load_workbook(store.data_dir / "evaluation-2026-autumn.xlsx").active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][:4] == ["排名", "姓名", "学号", "部门"] and rows[0][-1] == "总分"
    assert rows[1][:4] == [1, "张三", "001", "宣传部"] and rows[1][-1] == 81.3
    assert [row[2] for row in rows[1:4]] == ["001", "003", "002"]


async def test_a_head_sees_only_their_own_scores_and_enters_one(
        store: DocumentStore, make_ctx: Callable[..., AppContext]) -> None:
    build(store)
    app = MishuApp(make_ctx("en", now=NOW, settings=settings_for(store, HEAD)))
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await open_pane(pilot, app)
        assert_hand_computed_totals(pane, presidium=False)
        table = pane.query_one("#evaluation-table", DataTable)
        assert str(table.get_cell("003", "innovation")) == "—"
        table.move_cursor(row=table.get_row_index("003"))
        await pilot.press("enter")
        await wait_until(lambda: isinstance(app.screen, TextDialog), pilot)
        assert "100" not in app.screen.text.split("Hand-entered")[1]
        await pilot.press("escape")

        await pilot.press("s")
        await wait_until(lambda: isinstance(app.screen, FieldsDialog), pilot)
        app.screen.query_one("#field-dimension", Select).value = "attitude"
        app.screen.query_one("#field-score", Input).value = "88"
        await pilot.press("ctrl+s")
        await wait_until(lambda: len(store.ids_of_type(EVALSCORE)) == 6, pilot)
        await wait_until(lambda: str(table.get_cell("003", "attitude")) == "88", pilot)

        table.move_cursor(row=table.get_row_index("900"))
        await pilot.press("s")  # the president is not in the head's department
        await pilot.pause()
        assert not isinstance(app.screen, FieldsDialog)
    assert len(store.ids_of_type(EVALSCORE)) == 6


async def test_service_star_proposal_quotes_the_quarter_comments(
        store: DocumentStore, make_ctx: Callable[..., AppContext]) -> None:
    build(store)
    survey = Survey("survey:q4", "Q4", "2026-11-20", "2026-11-30")
    save_survey(store, survey)
    for n, comment in enumerate(["李四帮我们改海报，很耐心", "李四回复很快", "", "", ""]):
        submit_answer(store, survey, f"m{n}", (5, 5, 5), comment, today=NOW.date(), key=b"k")
    app = MishuApp(make_ctx("en", now=NOW, settings=settings_for(store, PRESIDENT)))
    async with app.run_test(size=(120, 40)) as pilot:
        await open_pane(pilot, app)
        await pilot.press("p")
        await wait_until(lambda: isinstance(app.screen, TextDialog), pilot)
        text = app.screen.text
        assert "Service star proposal, 2026Q4" in screen_text(app)
        assert text.index("1. 李四") < text.index("2. ") and "named in 2 comments" in text
        assert "“李四回复很快”" in text


async def test_hostile_names_in_the_table_are_text(
        store: DocumentStore, make_ctx: Callable[..., AppContext]) -> None:
    build(store)
    store.put({"_id": "member:evil", "name": "[/]\x1b[2J[link=x]坏", "department": "[b]部[/b]"})
    store.put({"_id": "evalscore:bad", "term": "2026-autumn", "member_id": "evil",
               "dimension": "attitude", "score": "lots", "author": "900", "at": "never"})
    app = MishuApp(make_ctx("zh", now=NOW, settings=settings_for(store, PRESIDENT)))
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await open_pane(pilot, app)
        assert "[/]" in screen_text(app) and "\x1b" not in screen_text(app)
        table = pane.query_one("#evaluation-table", DataTable)
        table.move_cursor(row=table.get_row_index("evil"))
        await pilot.press("enter")
        await wait_until(lambda: isinstance(app.screen, TextDialog), pilot)
        assert "[/]" in screen_text(app)


async def test_the_evaluation_waits_for_its_tab_while_the_desk_opens_on_the_requests(
        store: DocumentStore, make_ctx: Callable[..., AppContext]) -> None:
    """A term's sign-ins are read in a worker; on a hidden tab that worker would take the
    processor from the requests board the desk opens on, so it starts when its tab is shown."""
    build(store)
    app = MishuApp(make_ctx("zh", now=NOW, settings=settings_for(store, PRESIDENT)))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f8")
        await wait_until(lambda: bool(app.screen.query(EvaluationPane)), pilot)
        pane = app.screen.query_one(EvaluationPane)
        for _ in range(5):
            await pilot.pause(0.05)
        assert not pane.loaded and not pane.rows
        app.screen.query_one(TabbedContent).active = "desk-evaluation"
        await wait_until(lambda: pane.loaded, pilot)
        assert_hand_computed_totals(pane, presidium=True)


async def test_a_large_union_is_drawn_a_page_at_a_time(
        store: DocumentStore, make_ctx: Callable[..., AppContext]) -> None:
    """The fixture's members and 150 more: the first page is drawn, the rest as the cursor
    goes down, and the head counts every member."""
    build(store)
    for n in range(100, 250):
        save_member(store, Member(f"{n:03d}", f"干事{n}", "体育部"))
    app = MishuApp(make_ctx("en", now=NOW, settings=settings_for(store, PRESIDENT)))
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await open_pane(pilot, app)
        table = pane.query_one("#evaluation-table", DataTable)
        count = len(pane.rows)
        assert count > 150 and table.row_count == PAGE
        assert str(count) in str(pane.query_one("#evaluation-head", Static).render())
        assert_hand_computed_totals(pane, presidium=True)  # the fixture's members rank first
        await pilot.press("ctrl+end")
        await wait_until(lambda: table.row_count == min(count, 2 * PAGE), pilot)
        await pilot.press("ctrl+end")
        await wait_until(lambda: table.row_count == count, pilot)
