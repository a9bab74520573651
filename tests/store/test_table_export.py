"""Exports a spreadsheet opens safely: no cell runs as a formula, every sheet title is legal."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import load_workbook

from store.table_export import csv_cell, sheet_title, write_table

HOSTILE = ["=HYPERLINK(\"http://evil.example\",\"点我\")", "@SUM(1)", "+1", "-1+1", "\t=1",
           "\r=1", "=1+1", "张三", "1", "", "a=b"]


def test_csv_cells_starting_like_a_formula_get_a_quote() -> None:
    assert [csv_cell(text) for text in HOSTILE] == [
        "'=HYPERLINK(\"http://evil.example\",\"点我\")", "'@SUM(1)", "'+1", "'-1+1", "'\t=1",
        "'\r=1", "'=1+1", "张三", "1", "", "a=b"]
    assert csv_cell(-1) == "-1"  # a number is a number, not text that looks like one


def test_csv_export_neutralises_every_cell(tmp_path: Path) -> None:
    target = tmp_path / "a.csv"
    write_table(target, [["name", "note"], *([text, text] for text in HOSTILE)], "csv", "x")
    with target.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["name", "note"]
    assert [row[0] for row in rows[1:]] == [csv_cell(text) for text in HOSTILE]
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for cell in row)


def test_xlsx_export_writes_text_never_formulas(tmp_path: Path) -> None:
    target = tmp_path / "a.xlsx"
    write_table(target, [["name", "count"], *([text, 3] for text in HOSTILE),
                         ["bell\x07 and \x1b[2J escape", 1]], "xlsx", "例会")
    sheet = load_workbook(target).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert [cell.data_type for cell in cells if cell.data_type == "f"] == []
    read_back = [row[0].value or "" for row in sheet.iter_rows(min_row=2)][:len(HOSTILE)]
    # the stdlib XML parser reads CR as LF, lxml (there with python-docx) keeps it
    assert [text.replace("\r", "\n") for text in read_back] == [
        text.replace("\r", "\n") for text in HOSTILE]
    assert sheet.cell(row=len(HOSTILE) + 2, column=1).value == "bell and [2J escape"
    assert sheet.cell(row=2, column=2).value == 3


@pytest.mark.parametrize(("wanted", "expected"), [
    ("例会 2026/12", "例会 2026_12"),
    ("部长例会: 第3次", "部长例会_ 第3次"),
    ("[a]*b?c\\d", "_a__b_c_d"),
    ("x" * 40, "x" * 31),
    ("'quoted'", "quoted"),
    ("   ", "Sheet"),
    ("history", "history Sheet"),
    ("会" * 40, "会" * 31),
    ("😀" * 20, "😀" * 15),  # an emoji is two of Excel's 31 units
    ("tab\there", "tab\there"),
    ("bell\x07", "bell"),
])
def test_sheet_titles_follow_excels_rules(wanted: str, expected: str) -> None:
    assert sheet_title(wanted) == expected


def test_sheet_titles_are_unique_in_a_workbook() -> None:
    first = sheet_title("x" * 40)
    second = sheet_title("x" * 40, taken=[first])
    third = sheet_title("X" * 40, taken=[first, second])
    assert (len(second), len(third)) == (31, 31)
    assert len({title.casefold() for title in (first, second, third)}) == 3
    assert second.endswith(" (2)") and third.endswith(" (3)")


@pytest.mark.parametrize("title", ["例会 2026/12", "部长例会: 第3次", "a" * 60, "[]:*?/\\", "'"])
def test_any_meeting_title_exports_as_xlsx(tmp_path: Path, title: str) -> None:
    target = tmp_path / "a.xlsx"
    write_table(target, [["name"], ["张三"]], "xlsx", title)
    assert load_workbook(target).active.title == sheet_title(title)
