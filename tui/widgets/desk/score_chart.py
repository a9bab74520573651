"""Averages on the 1–5 satisfaction scale as bars, with the target (4.5) marked on each row.

The common :class:`~tui.widgets.common.bar_chart.BarChart` scales counts to the largest; scores
must share one fixed scale (a 4.2 is not "full" because it is the best of the quarter) and be
read against the goal, so the bars run over 0–5 and a ``┆`` stands where the target is.
"""

from __future__ import annotations

from rich.cells import cell_len

from ..common.bar_chart import BAR, MAX_BAR, BarChart

TOP = 5.0
MARK = "┆"


class ScoreChart(BarChart):
    def __init__(self, axis: str, unit: str, target: float, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(axis, unit, id=id)
        self.target = target
        self.scores: list[tuple[str, float]] = []

    def show_scores(self, rows: list[tuple[str, float]]) -> None:
        self.scores = rows
        self.show([(label, 0) for label, _ in rows])

    def lines(self, width: int) -> list[str]:
        label_width = max([cell_len(self.axis), *(cell_len(label) for label, _ in self.scores)])
        room = max(2, min(MAX_BAR, width - label_width - 8))
        mark = min(room - 1, round(room * self.target / TOP))

        def pad(text: str) -> str:
            return text + " " * (label_width - cell_len(text))

        lines = [f"{pad(self.axis)} │{' ' * mark}{MARK}"]
        for label, value in self.scores:
            bar = (BAR * round(room * min(value, TOP) / TOP)).ljust(room)
            if bar[mark] == " ":
                bar = bar[:mark] + MARK + bar[mark + 1:]
            lines.append(f"{pad(label)} │{bar} {value:.2f}")
        lines.append(f"{' ' * label_width} └{'─' * room} {self.unit}")
        return lines
