"""Rows written as CSV or XLSX that are safe to open in a spreadsheet: every export goes here.

Cells hold what people and peers typed (names, titles, rooms, notes), and a spreadsheet runs a
cell that starts like a formula: ``=HYPERLINK(…)`` in a member's name would be a live link,
``@SUM(1)`` or ``-1+1`` a calculation. So, as OWASP advises against CSV injection, a CSV cell
starting with ``= + - @``, a tab or a carriage return gets a leading ``'``; in XLSX every
text cell is written as a string, never a formula, and keeps its text unchanged.
Sheet titles follow Excel's rules, so a meeting called ``例会 2026/12`` still exports.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path

from .platform import open_private

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SHEET_TITLE_UNITS = 31  # Excel's limit, counted in UTF-16 units
_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_RESERVED_TITLES = ("history",)  # Excel keeps a sheet of this name for itself

Cell = str | int | float | Decimal  # money as Decimal: a number in the sheet, never a float


def csv_cell(value: Cell) -> str:
    """``value`` as CSV text a spreadsheet shows rather than evaluates."""
    text = str(value)
    return "'" + text if isinstance(value, str) and text.startswith(FORMULA_STARTS) else text


def _cut(text: str, units: int) -> str:
    """The longest start of ``text`` within ``units`` UTF-16 units."""
    used = 0
    for index, char in enumerate(text):
        used += 2 if ord(char) > 0xFFFF else 1
        if used > units:
            return text[:index]
    return text


def sheet_title(wanted: str, taken: Iterable[str] = (), fallback: str = "Sheet") -> str:
    """A title Excel accepts for ``wanted``: no ``[]:*?/\\``, no control characters, no quote
    at either end, at most 31 units, and unlike every title in ``taken`` (case ignored)."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # openpyxl (0.1 s) only for XLSX

    title = _TITLE_FORBIDDEN.sub("_", ILLEGAL_CHARACTERS_RE.sub("", wanted))
    title = _cut(title.strip().strip("'").strip(), SHEET_TITLE_UNITS).rstrip().rstrip("'")
    if not title or title.casefold() in _RESERVED_TITLES:
        title = _cut(f"{title} {fallback}".strip(), SHEET_TITLE_UNITS)
    used = {name.casefold() for name in taken}
    candidate, number = title, 2
    while candidate.casefold() in used:
        suffix = f" ({number})"
        candidate = _cut(title, SHEET_TITLE_UNITS - len(suffix)).rstrip() + suffix
        number += 1
    return candidate


def write_csv(path: Path, rows: Iterable[Sequence[Cell]]) -> None:
    """UTF-8 with a BOM, so Excel shows Chinese correctly."""
    with open_private(path, "w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows([csv_cell(value) for value in row] for row in rows)


def write_xlsx(path: Path, rows: Iterable[Sequence[Cell]], title: str) -> None:
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = sheet_title(title)
    for row_number, row in enumerate(rows, start=1):
        for column, value in enumerate(row, start=1):
            cell = sheet.cell(row=row_number, column=column)
            if isinstance(value, str):
                cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)  # XLSX cannot hold them
                cell.data_type = "s"  # set after the value, which openpyxl would type as a formula
            else:
                cell.value = value
    with open_private(path) as out:
        book.save(out)


def write_table(path: Path, rows: Iterable[Sequence[Cell]], fmt: str, title: str) -> None:
    """``rows`` (the header first) to ``path`` as ``fmt`` (``csv`` or ``xlsx``)."""
    if fmt == "xlsx":
        write_xlsx(path, rows, title)
    else:
        write_csv(path, rows)
