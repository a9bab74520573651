"""One dashboard panel: a titled table of lines, urgent ones highlighted."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ...plain_text import cell
from ..common.fit_columns import FittedTable
from .filled_off_loop import FilledOffLoop

if TYPE_CHECKING:
    from ...context import AppContext


@dataclass(frozen=True)
class PanelLine:
    cells: tuple[str, ...]
    urgent: bool = False


PanelSource = Callable[["AppContext"], list[PanelLine]]


@dataclass(frozen=True)
class PanelSpec:
    panel_id: str
    title_key: str  # gets {count}
    column_keys: tuple[str, ...]
    source: PanelSource


class DashboardPanel(FilledOffLoop, FittedTable):
    DEFAULT_CLASSES = "dashboard-panel"
    # A document number keeps its end (…人〔2015〕1号): its start is the same on every row
    CUT_START = frozenset({"dashboard.col.number"})

    def __init__(self, spec: PanelSpec) -> None:
        super().__init__(id=spec.panel_id, cursor_type="row", show_cursor=False)
        self.spec = spec

    def on_mount(self) -> None:
        """Paint the frame at once and fill it once its views are built (in a worker): the
        first view must not wait for every area's index to be built over years of history."""
        t = self.app.ctx.i18n  # type: ignore[attr-defined]
        for key in self.spec.column_keys:
            self.add_column(t(key), key=key)
        self.border_title = t("dashboard.loading")
        self.build_views_then_fill()

    def read_views(self, ctx: AppContext) -> list[PanelLine]:
        return self.spec.source(ctx)

    def show(self, read: list[PanelLine]) -> None:
        ctx = self.app.ctx  # type: ignore[attr-defined]
        lines = read
        self.show_rows([(None, [cell(text, style="bold red" if line.urgent else "")
                                for text in line.cells]) for line in lines])
        self.border_title = ctx.i18n(self.spec.title_key, count=len(lines))
