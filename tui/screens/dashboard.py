"""工作台: what needs the secretary today, and every clash waiting for a decision."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid

from ..dashboard_panels import PANELS
from ..widgets.dashboard.attention_inbox import AttentionInbox
from ..widgets.dashboard.panel import DashboardPanel
from .base import PaletteCommand
from .undoable import UndoableScreen
from .kpi import KpiScreen


class DashboardScreen(UndoableScreen):
    title_key = "nav.dashboard"
    CSS_PATH = "../styles/dashboard.tcss"
    # Below 100 columns the panels stack in one column; each keeps a readable height and the
    # dashboard scrolls (a grid of 1fr rows left one line per panel at 80x24).
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    BINDINGS = [
        Binding("ctrl+r", "refresh_dashboard", "dashboard.refresh"),
        Binding("ctrl+k", "open_kpi", "kpi.open"),
    ]

    def compose_body(self) -> ComposeResult:
        with Grid(id="dashboard"):
            yield AttentionInbox(id="attention-inbox")
            for spec in PANELS:
                yield DashboardPanel(spec)

    def on_mount(self) -> None:
        self._unsubscribe = self.ctx.store.subscribe(
            lambda _seq: self.app.call_later(self.action_refresh_dashboard))

    def on_unmount(self) -> None:
        self._unsubscribe()

    def action_refresh_dashboard(self) -> None:
        self.query_one(AttentionInbox).reload()
        for panel in self.query(DashboardPanel):
            panel.reload()

    def action_open_kpi(self) -> None:
        self.app.push_screen(KpiScreen())

    def palette_commands(self) -> list[PaletteCommand]:
        return [
            ("dashboard.refresh", "dashboard.refresh_help", self.action_refresh_dashboard),
            ("kpi.open", "kpi.open_help", self.action_open_kpi),
        ]
