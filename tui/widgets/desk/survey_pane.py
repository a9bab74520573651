"""The satisfaction survey on the service desk: surveys, their results once five answers are
in, the quarterly report against the 4.5 target, and answering in the app.

Answering here is for the person this machine's app belongs to (``[operator] member_id``); it
writes the same two unlinked facts as the kiosk (:mod:`store.survey`).
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Static

from store.survey import (MIN_ANSWERS, TARGET, Survey, SurveyIndex, quarter_of, save_survey,
                          submit_answer)
from store.survey_key import answer_key

from ...plain_text import cell, plain
from ..common.fields_dialog import Field, FieldsDialog
from .following import FollowingPane
from .score_chart import ScoreChart

QUESTION_SPLIT = re.compile(r"[,，、;；]")


class SurveyPane(FollowingPane):
    tab_key = "survey.tab"
    pane_id = "survey"
    BINDINGS: ClassVar[list[Binding]] = [  # type: ignore[assignment]
        Binding("n", "new_survey", "survey.new"),
        Binding("a", "answer", "survey.answer"),
    ]

    def compose(self) -> ComposeResult:
        table: DataTable[Text] = DataTable(id="survey-table", cursor_type="row")
        yield table
        with VerticalScroll(id="survey-report"):
            yield Static("", id="survey-detail")
            yield ScoreChart(self.t("survey.chart_axis"), self.t("survey.chart_unit", target=TARGET),
                             TARGET, id="survey-chart")
            yield Static("", id="survey-chart-empty")

    @property
    def index(self) -> SurveyIndex:
        return self.ctx.index(SurveyIndex)

    def reload(self) -> None:
        table = self.query_one("#survey-table", DataTable)
        if not table.columns:
            for key in ("col_title", "col_period", "col_answers", "col_results"):
                table.add_column(self.t(f"survey.{key}"), key=key)
        chosen = self.selected()
        table.clear()
        for survey in self.index.survey_list():
            result = self.index.result(survey)
            shown = "  ".join(self.t("survey.averages", question=q, average=f"{a:.2f}")
                              for q, a in zip(survey.questions, result.averages)) \
                if result.shown else self.t("survey.hidden_until", min=MIN_ANSWERS)
            table.add_row(cell(survey.title),
                          cell(self.t("survey.period", opens=survey.opens, closes=survey.closes)),
                          cell(str(result.answers)), cell(shown, width=60), key=survey.survey_id)
        if chosen is not None and chosen.survey_id in table.rows:
            table.move_cursor(row=table.get_row_index(chosen.survey_id))
        self.show_detail()
        self.show_chart()

    def selected(self) -> Survey | None:
        table = self.query_one("#survey-table", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.index.surveys.get(str(key))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_detail()

    def show_detail(self) -> None:
        detail = self.query_one("#survey-detail", Static)
        survey = self.selected()
        if survey is None:
            detail.update(plain(self.t("survey.no_surveys" if not self.index.surveys
                                       else "survey.pick_one")))
            return
        result = self.index.result(survey)
        if not result.shown:
            detail.update(plain(self.t("survey.detail_hidden", title=survey.title,
                                       count=result.answers, min=MIN_ANSWERS)))
            return
        lines = [self.t("survey.detail_head", title=survey.title, count=result.answers,
                        target=TARGET)]
        lines += [f"  {q}  {a:.2f}{'' if a >= TARGET else '  ↓'}"
                  for q, a in zip(survey.questions, result.averages)]
        lines.append(self.t("survey.comments", count=len(result.comments)) if result.comments
                     else self.t("survey.no_comments"))
        lines += [f"  · {comment}" for comment in result.comments]
        detail.update(plain("\n".join(lines)))

    def show_chart(self) -> None:
        rows = [(f"{row.quarter} {row.question}", row.average) for row in self.index.by_quarter()]
        self.query_one(ScoreChart).show_scores(rows)
        self.query_one(ScoreChart).display = bool(rows)
        empty = self.query_one("#survey-chart-empty", Static)
        empty.update(plain(self.t("survey.chart_empty", min=MIN_ANSWERS)))
        empty.display = not rows

    # -- actions ----------------------------------------------------------------------------

    def action_new_survey(self) -> None:
        today = self.ctx.clock().date()
        fields = [Field("title", self.t("survey.field_title"),
                        self.t("survey.default_title", quarter=quarter_of(today.isoformat()))),
                  Field("questions", self.t("survey.field_questions"), "，".join(
                      Survey("", "", "", "").questions)),
                  Field("opens", self.t("survey.field_opens"), today.isoformat()),
                  Field("closes", self.t("survey.field_closes"),
                        (today + timedelta(days=14)).isoformat())]
        created: list[Survey] = []

        def save(values: dict[str, str]) -> None:
            questions = tuple(q.strip() for q in QUESTION_SPLIT.split(values["questions"]))
            created.append(save_survey(self.ctx.store, Survey(
                Survey.new_id(), values["title"], values["opens"], values["closes"], questions)))

        self.app.push_screen(FieldsDialog(self.t("survey.new_title"), fields, save),
                             lambda saved: self.notify(self.t(
                                 "survey.created", title=created[-1].title)) if saved else None)

    def action_answer(self) -> None:
        survey = self.selected()
        if survey is None:
            return
        member_id = self.ctx.settings.operator.member_id
        if not member_id:
            self.notify(self.t("survey.no_operator"), severity="warning")
            return
        if self.ctx.directory.by_id(member_id) is None:
            self.notify(self.t("survey.operator_unknown", member_id=member_id), severity="warning")
            return
        fields = [Field(f"q{i}", self.t("survey.field_score", question=question))
                  for i, question in enumerate(survey.questions)]
        fields.append(Field("comment", self.t("survey.field_comment")))
        outcome: list[bool] = []

        def save(values: dict[str, str]) -> None:
            scores = [int(values[f"q{i}"]) if values[f"q{i}"].isdigit() else 0
                      for i in range(len(survey.questions))]  # 0 is refused with the rest
            outcome.append(submit_answer(
                self.ctx.store, survey, member_id, scores, values["comment"],
                today=self.ctx.clock().date(),
                key=answer_key(self.ctx.settings.survey.answer_key, self.ctx.store.data_dir)))

        def done(saved: bool | None) -> None:
            if saved:
                self.notify(self.t("survey.answered" if outcome[-1] else "survey.already"))

        self.app.push_screen(FieldsDialog(self.t("survey.answer_title", title=survey.title),
                                          fields, save, note=self.t("survey.answer_note")), done)
