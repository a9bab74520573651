"""What every service-desk pane declares, and the list of panes the desk shows in order.

A pane is a container widget that fills itself from the store; the desk screen gives it a
tab named by ``tab_key`` (an i18n key) with the id ``desk-<pane_id>``.
"""

from __future__ import annotations

from typing import ClassVar

from textual.containers import Vertical


class DeskPane(Vertical):
    tab_key: ClassVar[str]
    pane_id: ClassVar[str]


# Each pane module appends its class here, in tab order, when it is added (one line each).
# The pane modules import DeskPane from above, hence the imports down here.
from .survey_pane import SurveyPane  # noqa: E402
from .evaluation_pane import EvaluationPane  # noqa: E402

DESK_PANES: tuple[type[DeskPane], ...] = (SurveyPane, EvaluationPane)
