"""One dashboard panel: a titled table of lines, urgent ones highlighted."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import DataTable

from ...plain_text import cell
from ..common.fit_columns import fit_rows

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


class DashboardPanel(DataTable[Text]):
    DEFAULT_CLASSES = "dashboard-panel"

    def __init__(self, spec: PanelSpec) -> None:
        super().__init__(id=spec.panel_id, cursor_type="row", show_cursor=False)
        self.spec = spec
        self.loaded = False
        self._lines: list[PanelLine] = []

    def on_mount(self) -> None:
        """Paint the frame at once and fill it right after: the first view must not wait for
        every area's index to be built over years of history."""
        t = self.app.ctx.i18n  # type: ignore[attr-defined]
        for key in self.spec.column_keys:
            self.add_column(t(key), key=key)
        self.border_title = t("dashboard.loading")
        self.loaded = False
        self.call_after_refresh(self.reload)

    def reload(self) -> None:
        ctx = self.app.ctx  # type: ignore[attr-defined]
        self._lines = self.spec.source(ctx)
        self._show_lines()
        self.border_title = ctx.i18n(self.spec.title_key, count=len(self._lines))
        self.loaded = True

    def on_resize(self) -> None:
        if self.loaded:
            self._show_lines()

    def _show_lines(self) -> None:
        """The lines with every column in view: long cells give way, narrow ones stay whole."""
        headers = [str(column.label) for column in self.columns.values()]
        fitted = fit_rows(headers, [line.cells for line in self._lines],
                          self.scrollable_content_region.width)
        self.clear()
        for line, texts in zip(self._lines, fitted):
            style = "bold red" if line.urgent else ""
            self.add_row(*(cell(text, style=style) for text in texts))
