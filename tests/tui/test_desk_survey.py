"""The survey pane on the service desk: averages once six answers are in (one given in the app
by this machine's operator), hidden at four, a new survey, the quarter chart, both languages,
and hostile text from a peer shown as text."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from textual.widgets import DataTable, Input, Static, TabbedContent

from store import DocumentStore
from store.members import Member, save_member
from store.survey import ANSWER, Survey, SurveyIndex, save_survey, submit_answer
from store.survey_key import answer_key
from tui.app import MishuApp
from tui.context import AppContext
from tui.settings import OperatorSettings, Settings, SurveySettings
from tui.widgets.common.fields_dialog import FieldsDialog
from tui.widgets.desk.score_chart import ScoreChart
from tui.widgets.desk.survey_pane import SurveyPane

from ..conftest import FIXED_NOW
from ..kiosk.driving import wait_until
from ..store.survey_checks import assert_no_link_from_answers_to_members
from .screen_text import screen_text

SURVEY = Survey("survey:q4", "2026Q4 服务满意度", "2026-11-20", "2026-11-30")
SCORES = [(5, 4, 5), (4, 4, 5), (5, 5, 4), (3, 4, 5), (5, 4, 4)]
SETTINGS = replace(Settings(), survey=SurveySettings(answer_key="office secret"),
                   operator=OperatorSettings(member_id="006"))


def seed(store: DocumentStore, answers: int) -> list[Member]:
    people = [Member(f"00{n}", name, "宣传部", phone=f"1380000000{n}")
              for n, name in enumerate(["张三", "李四", "王五", "赵六", "钱七", "孙八"], start=1)]
    for member in people:
        save_member(store, member)
    save_survey(store, SURVEY)
    key = answer_key(SETTINGS.survey.answer_key, store.data_dir)
    for member, scores in list(zip(people, SCORES))[:answers]:
        submit_answer(store, SURVEY, member.member_id, scores, "", today=FIXED_NOW.date(), key=key)
    return people


async def open_pane(pilot, app: MishuApp) -> SurveyPane:  # type: ignore[no-untyped-def]
    await pilot.press("f8")
    await wait_until(lambda: bool(app.screen.query(SurveyPane)), pilot)
    app.screen.query_one("#desk-tabs", TabbedContent).active = "desk-survey"
    await pilot.pause()
    pane = app.screen.query_one(SurveyPane)
    await wait_until(lambda: pane.query_one("#survey-table", DataTable).row_count > 0, pilot)
    pane.query_one("#survey-table", DataTable).focus()
    return pane


def detail(pane: SurveyPane) -> str:
    return str(pane.query_one("#survey-detail", Static).content)


async def test_six_answers_show_averages_and_no_document_links_an_answer_to_a_member(
        store: DocumentStore, make_ctx: Callable[..., AppContext]) -> None:
    people = seed(store, 5)
    app = MishuApp(make_ctx("zh", settings=SETTINGS))
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await open_pane(pilot, app)
        assert "已收到 5 份答卷" not in detail(pane)
        assert "5 份答卷" in detail(pane)  # five is enough
        await pilot.press("a")  # the operator (孙八) answers in the app
        await wait_until(lambda: isinstance(app.screen, FieldsDialog), pilot)
        for name, value in (("q0", "4"), ("q1", "5"), ("q2", "5"), ("comment", "打印很及时")):
            app.screen.query_one(f"#field-{name}", Input).value = value
        await pilot.press("ctrl+s")
        await wait_until(lambda: "6 份答卷" in detail(pane), pilot)
        text = detail(pane)
        assert "及时性  4.33" in text and "专业性  4.33" in text and "态度  4.67" in text
        assert "打印很及时" in text
        assert "及时性 4.33" in screen_text(app)
        chart = pane.query_one(ScoreChart)
        assert any("2026Q4 态度" in line and "4.67" in line for line in chart.lines(80))
    assert_no_link_from_answers_to_members(store, people, 6)


async def test_four_answers_keep_the_results_hidden(
        store: DocumentStore, make_ctx: Callable[..., AppContext]) -> None:
    seed(store, 4)
    app = MishuApp(make_ctx("en", settings=SETTINGS))
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await open_pane(pilot, app)
        assert "4 answers so far; results are shown from 5 answers" in detail(pane)
        assert "shown from 5 answers" in screen_text(app)
        assert not pane.query_one(ScoreChart).display
        assert "no survey has 5 answers yet" in screen_text(app)


async def test_a_new_survey_and_answering_without_an_operator(
        store: DocumentStore, make_ctx: Callable[..., AppContext]) -> None:
    save_member(store, Member("001", "张三"))  # an empty store opens on its own first screen
    app = MishuApp(make_ctx("en"))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f8")
        await wait_until(lambda: bool(app.screen.query(SurveyPane)), pilot)
        app.screen.query_one("#desk-tabs", TabbedContent).active = "desk-survey"
        await pilot.pause()
        app.screen.query_one("#survey-table", DataTable).focus()
        await pilot.press("n")
        await wait_until(lambda: isinstance(app.screen, FieldsDialog), pilot)
        assert app.screen.query_one("#field-title", Input).value == \
            "2026Q4 service satisfaction survey"
        app.screen.query_one("#field-questions", Input).value = "速度，专业、态度"
        await pilot.press("ctrl+s")
        pane = app.screen.query_one(SurveyPane)
        await wait_until(lambda: pane.query_one("#survey-table", DataTable).row_count == 1, pilot)
        (survey,) = app.ctx.index(SurveyIndex).survey_list()
        assert survey.questions == ("速度", "专业", "态度")
        assert (survey.opens, survey.closes) == ("2026-11-25", "2026-12-09")
        await pilot.press("a")
        await pilot.pause()
        assert not isinstance(app.screen, FieldsDialog)
    assert store.ids_of_type(ANSWER) == []


async def test_hostile_survey_text_from_a_peer_is_shown_as_text(
        store: DocumentStore, make_ctx: Callable[..., AppContext]) -> None:
    store.put({"_id": "survey:evil", "title": "[/]\x1b[2J[link=x]坏", "opens": "2026-11-01",
               "closes": "2026-11-30", "questions": ["[b]q[/b]", "x\x07", "y"]})
    key = answer_key("office secret", store.data_dir)
    survey = Survey.from_doc(store.get("survey:evil"))
    for n in range(5):
        submit_answer(store, survey, f"m{n}", (1, 2, 3), "[red]\x1b]0;t\x07[/]", today=FIXED_NOW.date(),
                      key=key)
    store.put({"_id": "surveyanswer:garbled", "survey_id": "survey:evil", "day": "bad",
               "scores": "x"})
    app = MishuApp(make_ctx("zh", settings=SETTINGS))
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await open_pane(pilot, app)
        text = detail(pane)
        assert "[/]" in text and "[red]" in text and "\x1b" not in text and "\x07" not in text
        assert "[/]" in screen_text(app)
