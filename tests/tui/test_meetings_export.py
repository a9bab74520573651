"""``mishu export attendance`` (CSV, XLSX) and ``mishu badges`` (PDF, PNG) from the command line."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import zxingcpp
from openpyxl import load_workbook
from PIL import Image

from store.badges import COLUMNS, ROWS, badge_pages
from store import DocumentStore
from store.meetings import Meeting, save_meeting
from store.meetings_attendance import AttendanceIndex, sign_in
from store.members import Member, save_member
from tests.conftest import FIXED_NOW

from .cli_runner import run

MEMBERS = [Member(f"2026{n:03d}", name, dept, qr_token=f"M{n * 7919:016X}")
           for n, (name, dept) in enumerate(
               [("张三", "秘书处"), ("李四", "秘书处"), ("王五", "宣传部"), ("赵六", "体育部"),
                ("钱七", "外联部"), ("孙八", "学习部"), ("周九", "文艺部"), ("吴十", "生活部"),
                ("郑十一", "组织部"), ("Alice Wong", "主席团")], start=1)]


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    path = tmp_path / "data"
    with DocumentStore.open(path) as store:
        for member in MEMBERS:
            save_member(store, member)
        meeting = Meeting("meeting:weekly", "部长例会", "2026-11-25T09:00", "2026-11-25T10:30",
                          roster=("2026001", "2026002", "2026003"))
        save_meeting(store, meeting)
        index = AttendanceIndex(store)
        store.attach_index(index)
        sign_in(store, index, meeting, "2026001", now=FIXED_NOW.replace(minute=0), node="door",
                method="badge")
        sign_in(store, index, meeting, "2026004", now=FIXED_NOW, node="door", method="manual",
                walk_in=True, reason="临时列席")
    return path


def exported_csv(data_dir: Path, lang: str, meeting: str) -> list[list[str]]:
    target = data_dir.parent / "a.csv"
    code, _, err = run(data_dir, "--lang", lang, "export", "attendance", meeting,
                       "--format", "csv", "--out", str(target))
    assert code == 0, err
    return list(csv.reader(target.read_text(encoding="utf-8-sig").splitlines()))


def test_csv_in_chinese(data_dir: Path) -> None:
    rows = exported_csv(data_dir, "zh", "weekly")
    assert rows[0] == ["姓名", "学号", "部门", "状态", "签到时间", "方式", "备注"]
    assert rows[1:] == [
        ["张三", "2026001", "秘书处", "出席", "09:00", "扫码", ""],
        ["李四", "2026002", "秘书处", "缺席", "", "", ""],
        ["王五", "2026003", "宣传部", "缺席", "", "", ""],
        ["赵六", "2026004", "体育部", "列席", "09:30", "手动", "临时列席"],
    ]


def test_xlsx_in_english(data_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "a.xlsx"
    code, _, err = run(data_dir, "--lang", "en", "export", "attendance", "meeting:weekly",
                       "--format", "xlsx", "--out", str(target))
    assert code == 0, err
    sheet = load_workbook(target).active
    rows = [[cell or "" for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["Name", "ID", "Department", "Status", "Sign-in time", "Method", "Note"]
    assert [row[3] for row in rows[1:]] == ["Present", "Absent", "Absent", "Walk-in"]


def test_unknown_meeting_is_a_user_error(data_dir: Path, tmp_path: Path) -> None:
    code, _, err = run(data_dir, "--lang", "en", "export", "attendance", "nope",
                       "--out", str(tmp_path / "x.csv"))
    assert code == 1 and "No meeting nope" in err


def decoded_tokens(page: Image.Image) -> list[str]:
    return [result.text for result in zxingcpp.read_barcodes(page)]


def test_every_badge_qr_decodes_to_its_members_token() -> None:
    pages = badge_pages(MEMBERS)
    assert len(pages) == -(-len(MEMBERS) // (COLUMNS * ROWS))
    found = [token for page in pages for token in decoded_tokens(page)]
    assert sorted(found) == sorted(member.qr_token for member in MEMBERS)


def test_badges_command_writes_png_pages_and_pdf(data_dir: Path, tmp_path: Path) -> None:
    code, out, err = run(data_dir, "--lang", "en", "badges", "--out", str(tmp_path / "b.png"))
    assert code == 0, err
    first, second = tmp_path / "b.png", tmp_path / "b-2.png"
    tokens = decoded_tokens(Image.open(first)) + decoded_tokens(Image.open(second))
    assert sorted(tokens) == sorted(member.qr_token for member in MEMBERS)
    code, _, err = run(data_dir, "badges", "--out", str(tmp_path / "b.pdf"))
    assert code == 0, err
    assert (tmp_path / "b.pdf").read_bytes().startswith(b"%PDF")
    code, _, err = run(data_dir, "--lang", "en", "badges", "--out", str(tmp_path / "b.txt"))
    assert code == 1 and ".pdf or .png" in err


@pytest.fixture
def hostile_meeting(tmp_path: Path) -> Path:
    """A peer's data: members whose names start like formulas, a title Excel refuses as is."""
    path = tmp_path / "hostile"
    with DocumentStore.open(path) as store:
        names = ['=HYPERLINK("http://evil.example","点我")', "@SUM(1)", "+1", "-1+1"]
        for n, name in enumerate(names, start=1):
            save_member(store, Member(f"2026{n:03d}", name, "秘书处"))
        save_meeting(store, Meeting("meeting:dec", "例会 2026/12: 第3次", "2026-12-02T09:00",
                                    "2026-12-02T10:00",
                                    roster=tuple(f"2026{n:03d}" for n in range(1, 5))))
    return path


def test_attendance_csv_neutralises_formula_cells(hostile_meeting: Path) -> None:
    rows = exported_csv(hostile_meeting, "en", "dec")
    assert [row[0] for row in rows[1:]] == [
        '\'=HYPERLINK("http://evil.example","点我")', "'@SUM(1)", "'+1", "'-1+1"]


def test_attendance_xlsx_has_no_formulas_and_a_legal_sheet_title(hostile_meeting: Path,
                                                                 tmp_path: Path) -> None:
    target = tmp_path / "a.xlsx"
    code, _, err = run(hostile_meeting, "--lang", "zh", "export", "attendance", "dec",
                       "--format", "xlsx", "--out", str(target))
    assert code == 0, err
    sheet = load_workbook(target).active
    assert sheet.title == "例会 2026_12_ 第3次"
    assert [cell.coordinate for row in sheet.iter_rows() for cell in row
            if cell.data_type == "f"] == []
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        '=HYPERLINK("http://evil.example","点我")', "@SUM(1)", "+1", "-1+1"]
