"""``mishu export attendance`` by the short code or the title the UI shows; ambiguity lists."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from store import DocumentStore
from store.meeting_lookup import find_meetings, short_code
from store.meetings import Meeting, save_meeting

from .cli_runner import run

WEEKLY = [Meeting(f"meeting:{key}", "部长例会", f"2026-11-{day}T19:00", f"2026-11-{day}T20:00")
          for key, day in (("3f9a2c0d11e24b6f8a1c9d7e5b3a2f10", "18"),
                           ("7b1e4d2a9c3f4e5d8b6a1c2d3e4f5a6b", "25"))]
PLENARY = Meeting("meeting:demo-presidium", "全体干部大会", "2026-11-25T14:00", "2026-11-25T16:00")


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    path = tmp_path / "data"
    with DocumentStore.open(path) as store:
        for meeting in (*WEEKLY, PLENARY):
            save_meeting(store, meeting)
    return path


def test_codes_and_titles_find_meetings() -> None:
    meetings = [*WEEKLY, PLENARY]
    assert [short_code(m) for m in meetings] == ["3f9a2c", "7b1e4d", "demo-presidium"]
    assert find_meetings(meetings, "3f9a2c") == [WEEKLY[0]]
    assert find_meetings(meetings, "全体干部大会") == [PLENARY]
    assert find_meetings(meetings, "干部") == [PLENARY]
    assert find_meetings(meetings, "部长例会") == [WEEKLY[1], WEEKLY[0]]  # newest first
    assert find_meetings(meetings, "nothing") == []


def test_export_by_code_and_by_unique_title(data_dir: Path, tmp_path: Path) -> None:
    for query in ("7b1e4d", "全体干部大会"):
        target = tmp_path / f"{query}.csv"
        code, _, err = run(data_dir, "--lang", "zh", "export", "attendance", query,
                           "--format", "csv", "--out", str(target))
        assert code == 0, err
        assert next(csv.reader(target.read_text(encoding="utf-8-sig").splitlines()))[0] == "姓名"


def test_an_ambiguous_title_lists_the_candidates(data_dir: Path, tmp_path: Path) -> None:
    code, _, err = run(data_dir, "--lang", "zh", "export", "attendance", "部长例会",
                       "--out", str(tmp_path / "x.csv"))
    assert code == 1
    assert "“部长例会”对应多个会议" in err
    assert "7b1e4d  2026-11-25 19:00  部长例会" in err and "3f9a2c  2026-11-18 19:00" in err
    assert not (tmp_path / "x.csv").exists()
