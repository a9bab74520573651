"""Service desk: what the departments ask of the secretariat, each job on its own tab.

The tabs are independent panes (requests, approvals, collections, surveys, evaluation), each
in its own module under ``tui/widgets/desk``; this screen only lays them out, so a pane can
be added without touching the others.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual import on
from textual.widget import Widget
from textual.widgets import DataTable, TabbedContent, TabPane

from ..widgets.desk.approvals_pane import ApprovalsPane
from ..widgets.desk.collections_pane import CollectionsPane
from ..widgets.desk.evaluation_pane import EvaluationPane
from ..widgets.desk.pane import DeskPane
from ..widgets.desk.requests_pane import RequestsPane
from ..widgets.desk.survey_pane import SurveyPane
from .base import AreaScreen


DESK_PANES: tuple[type[DeskPane], ...] = (RequestsPane, ApprovalsPane, CollectionsPane,
                                           SurveyPane, EvaluationPane)


class DeskScreen(AreaScreen):
    title_key = "nav.desk"
    CSS_PATH = "../styles/desk.tcss"

    def compose_body(self) -> ComposeResult:
        with TabbedContent(id="desk-tabs"):
            for pane in DESK_PANES:
                with TabPane(self.t(pane.tab_key), id=f"desk-{pane.pane_id}"):
                    yield pane()

    def main_view(self) -> Widget | None:
        """The list of the tab on view: its keys work as soon as the desk or a tab opens."""
        tabs = self.query_one("#desk-tabs", TabbedContent)
        pane = tabs.active_pane
        if pane is None:
            return None
        return next((table for table in pane.query(DataTable) if table.focusable), None)

    def on_mount(self) -> None:
        self.call_after_refresh(self._focus_list)

    @on(TabbedContent.TabActivated, "#desk-tabs")
    def _focus_list(self) -> None:
        table = self.main_view()
        if table is not None:
            table.focus()
