"""Service desk: what the departments ask of the secretariat, each job on its own tab.

The tabs are independent panes (requests, approvals, collections, surveys, evaluation), each
in its own module under ``tui/widgets/desk``; this screen only lays them out, so a pane can
be added without touching the others.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import TabbedContent, TabPane

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
