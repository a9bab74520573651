"""What the evaluation pane shows, gathered from the shared views: the ranked table of a
term for the viewer, a member's sheet, the export rows and the 服务之星 proposal."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from store.evaluation import (PARTS, RankedRow, StarCandidate, Term, Weights, evaluate, meetings_in,
                              quarter_period, star_proposal)
from store.desk_index import DeskIndex
from store.evaluation_requests import request_outcomes
from store.evaluation_scores import HandScoreIndex, Viewer, viewer_for
from store.kpi import Period
from store.meetings import ResolutionBoard
from store.meetings_attendance import AttendanceIndex
from store.survey import SurveyIndex

from ...context import AppContext

Translate = Callable[..., str]


def weights_of(ctx: AppContext) -> Weights:
    return ctx.settings.evaluation


def current_viewer(ctx: AppContext) -> Viewer:
    member_id = ctx.settings.operator.member_id
    member = ctx.directory.by_id(member_id) if member_id else None
    return viewer_for(member, ctx.settings.evaluation.presidium_roles)


def ranked(ctx: AppContext, period: Period, term_key: str, viewer: Viewer) -> list[RankedRow]:
    """The table for ``period`` (a term or a quarter) with the hand scores of ``term_key``.

    The views are built first and only then read with writes held off: building one inside
    ``without_writes`` would wait for the context's build lock while the event loop, building
    another, holds that lock and waits for the writes — a deadlock (found by the monkey)."""
    attendance, board = ctx.index(AttendanceIndex), ctx.index(ResolutionBoard)
    desk = ctx.index(DeskIndex)
    hand, directory = ctx.index(HandScoreIndex), ctx.directory

    def read() -> list[RankedRow]:
        now = ctx.clock()
        return evaluate(directory.all(),
                        meetings_in(ctx.store, attendance, period, now,
                                    ctx.settings.meetings.late_grace_minutes),
                        board.all(),
                        request_outcomes(desk.request_states(ctx.settings.desk.promise_spans)),
                        hand.current(term_key, viewer), period, now, weights_of(ctx))

    return ctx.store.without_writes(read)


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f}"


def total_text(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def row_cells(row: RankedRow, weights: Weights) -> list[str]:
    """Rank, name, department, each part (0–100) and the total, as the table shows them."""
    figures = row.figures
    return [str(row.rank) if row.rank else "—", figures.member.name, figures.member.department,
            *(percent(figures.part(part)) for part in PARTS), total_text(row.total)]


def column_keys() -> list[str]:
    return ["rank", "name", "department", *PARTS, "total"]


def export_rows(t: Translate, rows: list[RankedRow], weights: Weights) -> list[list[str | int | float]]:
    header: list[str | int | float] = [t(f"evaluation.col.{key}") for key in column_keys()]
    header[2:2] = [t("evaluation.col.member_id")]
    body: list[list[str | int | float]] = []
    for row in rows:
        f = row.figures
        body.append([row.rank or "", f.member.name, f.member.member_id, f.member.department,
                     *(round(v, 2) if (v := f.part(p)) is not None else "" for p in PARTS),
                     round(row.total, 2) if row.total is not None else ""])
    return [header, *body]


def member_sheet(t: Translate, row: RankedRow, weights: Weights, history: list[str]) -> list[str]:
    f, c = row.figures, row.figures.counts
    lines = [t("evaluation.sheet.rank", rank=row.rank or "—", total=total_text(row.total)),
             t("evaluation.sheet.attendance", attended=c.attended, expected=c.expected,
               late=c.late),
             t("evaluation.sheet.resolutions", done=c.resolutions_on_time, total=c.resolutions),
             t("evaluation.sheet.requests", done=c.requests_on_time, total=c.requests), ""]
    for part in PARTS:
        lines.append(t("evaluation.sheet.part", part=t(f"evaluation.col.{part}"),
                       value=percent(f.part(part)), weight=f"{weights.of(part):g}"))
    for key, meetings in (("missed", c.missed), ("late", c.late_at)):
        if meetings:
            lines += ["", t(f"evaluation.sheet.{key}")]
            lines += [f"  {m.start.replace('T', ' ')}  {m.title}" for m in meetings]
    lines += ["", t("evaluation.sheet.hand")]
    lines += history or [t("evaluation.sheet.no_hand")]
    return lines


@dataclass(frozen=True)
class StarProposal:
    quarter: str
    candidates: list[StarCandidate]


def star_of_quarter(ctx: AppContext, today: date, viewer: Viewer, term: Term) -> StarProposal:
    quarter, period = quarter_period(today)
    rows = ranked(ctx, period, term.key, viewer)
    comments = ctx.index(SurveyIndex).comments_in(quarter)
    return StarProposal(quarter, star_proposal(rows, comments))
