"""KPI view: the secretariat's key figures for a period, with weekly trends and export."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, DataTable, Input, Label, Select

from store.kpi import KpiReport
from store.table_export import write_table

from ..kpi_sources import PERIOD_CHOICES, build_report, period_for
from ..plain_text import cell
from ..widgets.common.bar_chart import BarChart
from .base import AreaScreen


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


FIGURE_WIDTH = 60
"""A figure's name is read whole: two columns in a full-width table have the room."""


def kpi_rows(report: KpiReport, t) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    rows = [
        (t("kpi.meetings_held"), str(report.meetings_held)),
        (t("kpi.average_attendance"), _percent(report.average_attendance)),
        (t("kpi.minutes_on_time"), _percent(report.minutes_on_time)),
        (t("kpi.confirmed_within"), _percent(report.confirmed_within)),
        (t("kpi.no_shows"), str(report.no_shows)),
        (t("kpi.archives_registered"), str(report.archives_registered)),
        (t("kpi.median_days_to_filing"), "—" if report.median_days_to_filing is None
         else t("kpi.days", days=f"{report.median_days_to_filing:.1f}")),
        (t("kpi.loans"), str(report.loans)),
        (t("kpi.overdue_rate"), _percent(report.overdue_rate)),
        (t("kpi.documents_on_time"), _percent(report.documents_on_time)),
    ]
    rows.extend((t("kpi.utilisation", room=room), _percent(share))
                for room, share in sorted(report.utilisation.items()))
    rows.extend((t("desk.kpi.requests_within", kind=kind), _percent(share))
                for kind, share in report.requests_within.items())
    return rows


class KpiScreen(AreaScreen):
    title_key = "kpi.title"
    CSS_PATH = "../styles/kpi.tcss"
    BINDINGS = [Binding("escape", "app.pop_screen", "common.close")]

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="kpi-controls"):
            yield Select([(self.t(f"kpi.period.{c}"), c) for c in PERIOD_CHOICES],
                         value=PERIOD_CHOICES[0], allow_blank=False, id="kpi-period")
            yield Input(placeholder="kpi.xlsx / kpi.csv", id="kpi-export-path")
            yield Button(self.t("kpi.export"), id="kpi-export")
        with VerticalScroll(id="kpi-body"):
            table: DataTable[str] = DataTable(id="kpi-table", cursor_type="row", show_cursor=False)
            table.add_column(self.t("kpi.figure"), key="figure")
            table.add_column(self.t("kpi.value"), key="value")
            yield table
            yield Label(self.t("kpi.meetings_trend"))
            yield BarChart(self.t("kpi.week_axis"), self.t("kpi.meetings_unit"),
                           id="kpi-meetings-trend")
            yield Label(self.t("kpi.bookings_trend"))
            yield BarChart(self.t("kpi.week_axis"), self.t("kpi.bookings_unit"),
                           id="kpi-bookings-trend")
        self.fill_after_mount(self.recompute)

    @property
    def report(self) -> KpiReport:
        choice = str(self.query_one("#kpi-period", Select).value)
        return build_report(self.ctx, period_for(choice, self.ctx.clock().date()))

    @on(Select.Changed, "#kpi-period")
    def recompute(self) -> None:
        report = self.report
        table = self.query_one("#kpi-table", DataTable)
        table.clear()
        for figure, value in kpi_rows(report, self.t):
            table.add_row(cell(figure, width=FIGURE_WIDTH), cell(value))
        weeks = [self.t("kpi.week_label", month=start.month, day=start.day)
                 for start, _end in report.period.weeks()]
        self.query_one("#kpi-meetings-trend", BarChart).show(
            list(zip(weeks, report.meetings_per_week, strict=True)))
        self.query_one("#kpi-bookings-trend", BarChart).show(
            list(zip(weeks, report.bookings_per_week, strict=True)))

    @on(Button.Pressed, "#kpi-export")
    def export(self) -> None:
        raw = self.query_one("#kpi-export-path", Input).value.strip() or "kpi.xlsx"
        path = Path(raw).expanduser()
        rows = kpi_rows(self.report, self.t)
        header = (self.t("kpi.figure"), self.t("kpi.value"))
        fmt = "csv" if path.suffix.lower() == ".csv" else "xlsx"
        write_table(path, [header, *rows], fmt, self.t("kpi.title"))
        self.notify(self.t("kpi.exported", path=str(path)))
