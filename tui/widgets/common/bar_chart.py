"""A horizontal bar chart a person can read: a label axis, bars scaled to the widest, each
value written beside its bar, the unit under the axis.

Sparklines showed the shape only; the KPI view's weekly counts need the numbers themselves
(issue 17). Rows are (label, value); labels and unit come translated from the screen.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.widget import Widget

BAR = "█"
MAX_BAR = 50  # cells; wider bars are no easier to compare


class BarChart(Widget):
    """Bars for ``rows``; ``axis`` names the labels' axis, ``unit`` the values' unit."""

    DEFAULT_CSS = "BarChart { height: auto; }"

    def __init__(self, axis: str, unit: str, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.axis = axis
        self.unit = unit
        self.rows: list[tuple[str, int]] = []

    def show(self, rows: list[tuple[str, int]]) -> None:
        self.rows = rows
        self.refresh(layout=True)

    def get_content_height(self, container, viewport, width: int) -> int:  # type: ignore[no-untyped-def]
        return len(self.rows) + 2

    def lines(self, width: int) -> list[str]:
        """The chart as plain lines for ``width`` cells (also what tests read)."""
        label_width = max([cell_len(self.axis), *(cell_len(label) for label, _ in self.rows)])
        top = max([1, *(value for _label, value in self.rows)])
        tail = max(len(str(top)), cell_len(self.unit)) + 1  # a value or the unit after the bar
        room = max(1, min(MAX_BAR, width - label_width - 2 - tail))

        def pad(text: str) -> str:
            return text + " " * (label_width - cell_len(text))

        lines = [f"{pad(self.axis)} │"]
        for label, value in self.rows:
            lines.append(f"{pad(label)} │{BAR * round(room * value / top)} {value}")
        lines.append(f"{' ' * label_width} └{'─' * room} {self.unit}")
        return lines

    def render(self) -> Text:
        return Text("\n".join(self.lines(self.size.width)), no_wrap=True, overflow="ellipsis")
