"""Share a table's width among its columns so every column stays in view.

A table whose cells are each clipped to a fixed width still overflows a half-screen panel: the
last column (the overdue days, a meeting's sign-in count) scrolls out of sight and the screen
shows a horizontal scrollbar instead. Fitting narrows the widest columns first, never below
what their header needs, so short columns (times, counts, states) keep their full text and a
long title gives way with an ellipsis.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len

from ...plain_text import clip

PADDING = 2
"""Terminal cells a DataTable adds around each column (one on either side)."""


def fit_widths(natural: Sequence[int], floors: Sequence[int], available: int,
               give_way: Sequence[int] = ()) -> list[int]:
    """Column widths no wider than ``natural`` whose sum plus padding fits ``available``.

    The columns in ``give_way`` (indices, least important first) are narrowed to their floor
    first, in that order; then the widest column, one cell at a time, never below its floor.
    If the floors alone do not fit, the floors are returned (the table then scrolls).
    """
    widths = list(natural)
    room = available - PADDING * len(widths)
    excess = sum(widths) - room
    for index in give_way:
        cut = max(0, min(excess, widths[index] - floors[index]))
        widths[index] -= cut
        excess -= cut
    while excess > 0:
        shrinkable = [i for i, width in enumerate(widths) if width > floors[i]]
        if not shrinkable:
            break
        widest = max(shrinkable, key=lambda i: widths[i])
        widths[widest] -= 1
        excess -= 1
    return widths


def fit_rows(headers: Sequence[str], rows: Sequence[Sequence[str]], available: int,
             give_way: Sequence[int] = ()) -> list[list[str]]:
    """``rows`` with each cell clipped to its column's fitted width (see :func:`fit_widths`)."""
    natural = [max([cell_len(header), *(cell_len(clip(row[i])) for row in rows)])
               for i, header in enumerate(headers)]
    floors = [min(width, max(cell_len(header), 4)) for width, header in zip(natural, headers)]
    widths = fit_widths(natural, floors, available, give_way)
    return [[clip(text, width) for text, width in zip(row, widths)] for row in rows]
