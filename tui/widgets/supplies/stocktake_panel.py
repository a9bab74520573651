"""The stock-take tab: where this counter stands, the scan line, counted items, the asset audit.

It only shows a :class:`~store.stocktake.StocktakeReport`; the screen records the scans. Names,
tags and codes come from people and peers, so every line is built as ``Text``.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Select, Static

from store.stocktake import OPEN
from store.stocktake_report import StocktakeReport

from .tables import CountTable, Translate

Describe = Callable[[str], tuple[str, str]]  # record id → (name, code or tag)


class StocktakePanel(Vertical):
    def __init__(self, t: Translate, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.t = t
        self._shelves: list[str] = []

    def compose(self) -> ComposeResult:
        yield Static("", id="stocktake-status")
        with Horizontal(id="count-line"):
            yield Select[str]([], prompt=self.t("supplies.shelf_label"), id="count-shelf")
            yield Input(placeholder=self.t("supplies.scan_label"), id="count-input")
        yield CountTable(id="count-table")
        yield Static("", id="stocktake-audit")

    def shelf(self) -> str:
        """The shelf this counter said they are at; empty when they did not say."""
        chosen = self.query_one("#count-shelf", Select)
        return "" if chosen.is_blank() else str(chosen.value)

    def choose_shelf(self, shelf: str) -> None:
        chosen = self.query_one("#count-shelf", Select)
        if shelf in self._shelves:
            chosen.value = shelf
        else:
            chosen.clear()

    def offer_shelves(self, shelves: list[str]) -> None:
        """The register's places as choices; the one chosen stays chosen if it still exists."""
        if shelves == self._shelves:
            return
        current = self.shelf()
        self._shelves = shelves
        self.query_one("#count-shelf", Select).set_options((Text(s), s) for s in shelves)
        self.choose_shelf(current)

    def show(self, report: StocktakeReport | None, item: Describe, asset: Describe) -> None:
        status = self.query_one("#stocktake-status", Static)
        audit = self.query_one("#stocktake-audit", Static)
        if report is None:
            status.update(Text(self.t("supplies.stocktake_none")))
            self.query_one(CountTable).reload([], item)
            audit.update("")
            return
        status.update(self.status_line(report))
        self.query_one(CountTable).reload(report.counted, item)
        audit.update(Text("\n").join(self.audit_lines(report, asset)))

    def status_line(self, report: StocktakeReport) -> Text:
        t, stocktake = self.t, report.stocktake
        line = Text(t("supplies.stocktake_open", number=stocktake.key,
                      started=stocktake.started_at.replace("T", " "),
                      by=stocktake.by or stocktake.node,
                      scope=stocktake.scope or t("supplies.whole_room"),
                      scans=sum(c.scans for c in report.counters),
                      items=len(report.counted), uncounted=len(report.uncounted),
                      assets=len(report.seen)))
        line.append("\n")
        line.append(t(f"supplies.stocktake_status.{report.status}",
                      adjusted=len(report.adjusted)),
                    style="bold" if report.status == OPEN else "bold yellow")
        return line

    def audit_lines(self, report: StocktakeReport, asset: Describe) -> list[Text]:
        t = self.t

        def tags(asset_ids: tuple[str, ...]) -> str:
            return "、".join(asset(a)[1] or asset(a)[0] for a in asset_ids) or "—"

        elsewhere = "、".join(t("supplies.seen_at", tag=asset(s.asset_id)[1], seen=s.seen_at,
                                registered=s.registered) for s in report.elsewhere) or "—"
        unknown = "、".join(f"{u.code} ×{u.scans}" for u in report.unknown) or "—"
        counters = "; ".join(t("supplies.counter_line", by=c.by or "?", node=c.node,
                               shelf=c.location or "—", scans=c.scans, units=c.units,
                               first=c.first[11:], last=c.last[11:])
                             for c in report.counters) or "—"
        return [Text(t("supplies.audit.missing", assets=tags(report.missing))),
                Text(t("supplies.audit.elsewhere", assets=elsewhere)),
                Text(t("supplies.audit.on_loan", assets=tags(report.on_loan))),
                Text(t("supplies.audit.unknown", codes=unknown)),
                Text(t("supplies.audit.counters", counters=counters))]
