"""One row of the ``make bench`` table: our figure beside a baseline measured in the same run."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class BenchRow:
    benchmark: str
    mishu: str
    baseline: str
    target: str
    ok: bool

    def cells(self) -> tuple[str, str, str, str, str]:
        return (self.benchmark, self.mishu, self.baseline, self.target, "yes" if self.ok else "NO")


def render(rows: list[BenchRow]) -> str:
    header = ("benchmark", "mishu", "baseline (same run)", "target", "met")
    table = [header, *(row.cells() for row in rows)]
    widths = [max(len(line[i]) for line in table) for i in range(len(header))]
    lines = [" | ".join(cell.ljust(widths[i]) for i, cell in enumerate(line)) for line in table]
    lines.insert(1, "-+-".join("-" * width for width in widths))
    return "\n".join(lines)
