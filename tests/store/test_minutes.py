"""Minutes: decisions become resolutions once, status kept; offline edits are a conflict."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest

from store import DocumentStore
from store.conflicts import conflict_versions
from store.errors import ValidationError
from store.meetings import Meeting, ResolutionBoard, load_meeting, save_meeting, set_resolution_status
from store.members import Member, MemberDirectory, save_member
from store.minutes import DecisionLabels, minutes_doc_id, parse_decisions, save_minutes

from .merging import sync

NOW = datetime(2026, 11, 25, 17, 0)
LABELS = [DecisionLabels("责任人", "截止日期"), DecisionLabels("Owner", "Deadline")]
MEETING = Meeting("meeting:plenary", "全体干部大会", "2026-11-25T14:00", "2026-11-25T16:00")
TEXT = """# 会议纪要

## 议题

1. 换届工作

## 议定事项

- 月底前提交换届材料；责任人：张三（2026001）；截止日期：2026-11-30
- Book the hall; Owner: 2026002; Deadline: 2026-12-02
"""


def seeded(store: DocumentStore) -> MemberDirectory:
    save_member(store, Member("2026001", "张三", "秘书处"))
    save_member(store, Member("2026002", "李四", "宣传部"))
    save_meeting(store, MEETING)
    directory = MemberDirectory()
    store.attach_index(directory)
    return directory


def test_decision_lines_in_either_language_are_parsed() -> None:
    decisions = parse_decisions(TEXT, LABELS)
    assert [(d.text, d.owner, d.deadline) for d in decisions] == [
        ("月底前提交换届材料", "张三（2026001）", "2026-11-30"),
        ("Book the hall", "2026002", "2026-12-02")]


def test_saving_twice_updates_the_same_resolutions_and_keeps_their_status(
    store: DocumentStore
) -> None:
    directory = seeded(store)
    board = ResolutionBoard()
    store.attach_index(board)
    saved = save_minutes(store, directory, MEETING, TEXT, LABELS, NOW)
    assert saved.meeting.minutes_status == "draft"
    assert [(r.owner, r.deadline) for r in board.all("meeting:plenary")] == [
        ("2026001", "2026-11-30"), ("2026002", "2026-12-02")]
    set_resolution_status(store, board.all()[0], "done", NOW)
    final = save_minutes(store, directory, saved.meeting, TEXT.replace("2026-12-02", "2026-12-03"),
                         LABELS, NOW, final=True)
    assert final.meeting.minutes_status == "final"
    assert load_meeting(store, "meeting:plenary").final_at == "2026-11-25T17:00"
    assert [(r.status, r.deadline) for r in board.all("meeting:plenary")] == [
        ("open", "2026-12-03"), ("done", "2026-11-30")]


def test_a_decision_naming_no_member_refuses_the_whole_save(store: DocumentStore) -> None:
    directory = seeded(store)
    with pytest.raises(ValidationError):
        save_minutes(store, directory, MEETING, TEXT.replace("2026002", "dinggui"), LABELS, NOW)
    assert not store.exists(minutes_doc_id("meeting:plenary"))
    assert store.ids_of_type("resolution") == []


def test_two_secretaries_editing_offline_get_both_versions(
    make_store: Callable[[str], DocumentStore]
) -> None:
    a, b = make_store("a"), make_store("b")
    directory_a = seeded(a)
    sync(a, b)
    directory_b = MemberDirectory()
    b.attach_index(directory_b)
    save_minutes(a, directory_a, MEETING, TEXT + "\n王：补充一", LABELS, NOW, node="a")
    save_minutes(b, directory_b, MEETING, TEXT + "\n李：补充二", LABELS, NOW, node="b")
    sync(a, b)
    assert minutes_doc_id("meeting:plenary") in a.conflicted_ids()
    texts = {v.fields["text"][-5:] for v in conflict_versions(a, minutes_doc_id("meeting:plenary"))}
    assert texts == {"王：补充一", "李：补充二"}


def test_docx_export_drops_control_characters(tmp_path: Path) -> None:
    from docx import Document

    from store.minutes_export import write_text_docx

    target = tmp_path / "m.docx"
    write_text_docx(target, "# 纪要\n- 响铃\x07与\x1b[2J转义\n")
    assert [p.text for p in Document(str(target)).paragraphs] == ["纪要", "响铃与[2J转义"]
