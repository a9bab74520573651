"""Member evaluation on the service desk: the ranked table of a term, a member's sheet (Enter),
scores entered by a head (s), the XLSX export (x) and the quarter's 服务之星 proposal (p).

The table is computed in a worker thread behind a loading line (a term of a large union reads
a hundred thousand sign-ins) and drawn a page at a time (:mod:`.paging`); what the operator may
not see of the hand-entered scores is left out of the figures they get (:mod:`store.evaluation`).
"""

from __future__ import annotations

from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static
from textual.worker import Worker, WorkerState

from store.evaluation import RankedRow, Term, Weights, term_of
from store.evaluation_scores import (DIMENSIONS, HandScore, HandScoreIndex, may_score,
                                     save_hand_score)
from store.meetings import format_time
from store.table_export import write_xlsx

from ...plain_text import cell, plain
from ..common.fields_dialog import ChoiceField, Field, FieldsDialog, whole_number
from ..common.progress_dialog import ProgressDialog
from .evaluation_data import (column_keys, current_viewer, export_rows, member_sheet, ranked,
                              row_cells, star_of_quarter, weights_of)
from .following import FollowingPane
from .paging import Pages
from .text_dialog import TextDialog

GROUP = "evaluation-table"


class EvaluationPane(FollowingPane):
    tab_key = "evaluation.tab"
    pane_id = "evaluation"
    BINDINGS: ClassVar[list[Binding]] = [  # type: ignore[assignment]
        Binding("s", "score", "evaluation.score"),
        Binding("x", "export", "evaluation.export"),
        Binding("p", "star", "evaluation.star"),
        Binding("left_square_bracket", "term(-1)", "evaluation.earlier", show=False),
        Binding("right_square_bracket", "term(1)", "evaluation.later", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.term: Term | None = None
        self.rows: list[RankedRow] = []
        self.loaded = False

    def compose(self) -> ComposeResult:
        yield Static("", id="evaluation-head")
        table: DataTable[Text] = DataTable(id="evaluation-table", cursor_type="row")
        for key in column_keys():
            table.add_column(self.t(f"evaluation.col.{key}"), key=key)
        self.pages = Pages(table)
        yield table

    def reload(self) -> None:
        if self.term is None:
            self.term = term_of(self.ctx.clock().date())
        self.loaded = False
        self.query_one("#evaluation-head", Static).update(plain(self.t(
            "evaluation.loading", term=self.term_label(self.term))))
        self._compute(self.term)

    def term_label(self, term: Term) -> str:
        return self.t(f"evaluation.term_{term.season}", year=term.year)

    @work(thread=True, exclusive=True, group=GROUP)
    def _compute(self, term: Term) -> tuple[Term, list[RankedRow]]:
        return term, ranked(self.ctx, term.period, term.key, current_viewer(self.ctx))

    @on(Worker.StateChanged)
    def _computed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != GROUP or event.state is not WorkerState.SUCCESS:
            return
        term, rows = event.worker.result  # type: ignore[misc]
        if term == self.term and self.is_attached:
            self.show_rows(rows)

    def show_rows(self, rows: list[RankedRow]) -> None:
        assert self.term is not None
        self.rows = rows
        weights = weights_of(self.ctx)
        self.pages.show([(row.figures.member.member_id, partial(self._cells, row, weights))
                         for row in rows])
        viewer = current_viewer(self.ctx)
        seen = "evaluation.sees_all" if viewer.presidium else (
            "evaluation.sees_own" if viewer.member_id else "evaluation.sees_none")
        self.query_one("#evaluation-head", Static).update(plain(self.t(
            "evaluation.head", term=self.term_label(self.term), count=len(rows),
            seen=self.t(seen))))
        self.loaded = True

    @staticmethod
    def _cells(row: RankedRow, weights: Weights) -> tuple[Text, ...]:
        return tuple(cell(text) for text in row_cells(row, weights))

    def selected(self) -> RankedRow | None:
        table = self.query_one("#evaluation-table", DataTable)
        if not table.row_count or not self.rows:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((row for row in self.rows if row.figures.member.member_id == key), None)

    # -- actions ----------------------------------------------------------------------------

    def action_term(self, step: int) -> None:
        if self.term is None:
            return
        edge = self.term.period.start - timedelta(days=1) if step < 0 \
            else self.term.period.end + timedelta(days=1)
        self.term = term_of(edge)
        self.reload()

    @on(DataTable.RowHighlighted, "#evaluation-table")
    def _next_page(self, event: DataTable.RowHighlighted) -> None:
        self.pages.follow(event.cursor_row)

    @on(DataTable.RowSelected, "#evaluation-table")
    def _sheet(self, event: DataTable.RowSelected) -> None:
        event.stop()
        row = self.selected()
        if row is None or self.term is None:
            return
        viewer = current_viewer(self.ctx)
        history = [self.t("evaluation.sheet.entry", at=s.at.replace("T", " "),
                          part=self.t(f"evaluation.col.{s.dimension}"), score=s.score,
                          author=self.name_of(s.author))
                   for s in self.ctx.index(HandScoreIndex).history(
                       row.figures.member.member_id, self.term.key, viewer)]
        self.app.push_screen(TextDialog(
            self.t("evaluation.sheet.title", name=row.figures.member.name,
                   term=self.term_label(self.term)),
            member_sheet(self.t, row, weights_of(self.ctx), history)))

    def name_of(self, member_id: str) -> str:
        member = self.ctx.directory.by_id(member_id)
        return member.name if member is not None else member_id

    def action_score(self) -> None:
        row = self.selected()
        if row is None or self.term is None:
            return
        viewer = current_viewer(self.ctx)
        author = self.ctx.directory.by_id(viewer.member_id) if viewer.member_id else None
        member = row.figures.member
        if not may_score(author, member, self.ctx.settings.evaluation.head_roles,
                         viewer.presidium):
            self.notify(self.t("evaluation.may_not_score" if author else "evaluation.no_operator"),
                        severity="warning")
            return
        term = self.term
        fields = [ChoiceField("dimension", self.t("evaluation.field_dimension"), DIMENSIONS[0],
                              tuple((self.t(f"evaluation.col.{d}"), d) for d in DIMENSIONS)),
                  Field("score", self.t("evaluation.field_score"))]

        def save(values: dict[str, str]) -> None:
            save_hand_score(self.ctx.store, HandScore(
                HandScore.new_id(), term.key, member.member_id, values["dimension"],
                whole_number(values["score"]), viewer.member_id, format_time(self.ctx.clock())))

        self.app.push_screen(FieldsDialog(
            self.t("evaluation.score_title", name=member.name, term=self.term_label(term)),
            fields, save, note=self.t("evaluation.score_note")),
            lambda saved: self.notify(self.t("common.saved")) if saved else None)

    def action_export(self) -> None:
        if self.term is None or not self.loaded:
            return
        term, rows = self.term, self.rows
        path = Path(self.ctx.settings.data_dir) / f"evaluation-{term.key}.xlsx"
        self.app.push_screen(ProgressDialog(
            self.t("evaluation.exporting", term=self.term_label(term)),
            lambda _progress: self.export(path, term, rows),
            lambda count: self.notify(self.t("evaluation.exported", count=count, path=path))))

    def export(self, path: Path, term: Term, rows: list[RankedRow]) -> int:
        write_xlsx(path, export_rows(self.t, rows, weights_of(self.ctx)), self.term_label(term))
        return len(rows)

    def action_star(self) -> None:
        if self.term is None:
            return
        today = self.ctx.clock().date()
        proposal = star_of_quarter(self.ctx, today, current_viewer(self.ctx), term_of(today))
        lines = [self.t("evaluation.star_rule"), ""]
        for number, candidate in enumerate(proposal.candidates, start=1):
            member = candidate.row.figures.member
            lines.append(self.t("evaluation.star_line", number=number, name=member.name,
                                department=member.department,
                                total=f"{candidate.row.total or 0:.2f}",
                                mentions=len(candidate.comments)))
            lines += [f"    “{comment}”" for comment in candidate.comments[:3]]
        if not proposal.candidates:
            lines.append(self.t("evaluation.star_none"))
        self.app.push_screen(TextDialog(self.t("evaluation.star_title", quarter=proposal.quarter),
                                        lines))
