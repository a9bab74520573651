"""Roster import: encodings, header aliases, per-line problems, all-or-nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from store import DocumentStore
from store.members import MemberDirectory
from store.roster import RosterError, import_roster

GOOD = "姓名,学号,部门,职务,手机号码,邮箱\n张三,2026001,秘书处,干事,13800000001,zs@example.org\n李四,2026002,学习部,部长,,\n"


def write(tmp_path: Path, text: str, encoding: str = "utf-8", name: str = "roster.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_imports_each_supported_encoding(store: DocumentStore, tmp_path: Path, encoding: str) -> None:
    report = import_roster(store, write(tmp_path, GOOD, encoding))
    assert (report.created, report.updated, report.problems) == (2, 0, [])
    assert store.get("member:2026001")["name"] == "张三"
    assert store.get("member:2026001")["initials"] == "zs"


def test_english_headers_from_other_exports(store: DocumentStore, tmp_path: Path) -> None:
    text = "ID,Name,Department,Extra\nA1,Alice,Outreach,ignored\n"
    report = import_roster(store, write(tmp_path, text))
    assert report.created == 1 and store.get("member:A1")["department"] == "Outreach"


def test_bad_rows_block_the_whole_file_with_line_numbers(store: DocumentStore, tmp_path: Path) -> None:
    text = GOOD + "王五,,宣传部,,,\n赵六,2026001,文艺部,,,\n孙七,2026007,,,not-a-phone,\n"
    report = import_roster(store, write(tmp_path, text))
    problems = [(p.line, p.field, p.key) for p in report.problems]
    assert problems == [
        (4, "member_id", "members.error.id_required"),
        (5, "member_id", "roster.error.duplicate"),
        (6, "phone", "members.error.phone"),
    ]
    assert report.written == 0 and store.doc_count == 0


def test_skip_invalid_imports_only_good_rows(store: DocumentStore, tmp_path: Path) -> None:
    text = GOOD + "王五,,宣传部,,,\n"
    report = import_roster(store, write(tmp_path, text), skip_invalid=True)
    assert report.created == 2 and report.skipped == 1 and store.doc_count == 2


def test_reimport_updates_instead_of_doubling_and_keeps_badges(store: DocumentStore, tmp_path: Path) -> None:
    import_roster(store, write(tmp_path, GOOD))
    token = store.get("member:2026001")["qr_token"]
    changed = GOOD.replace("秘书处", "办公室")
    report = import_roster(store, write(tmp_path, changed))
    assert (report.created, report.updated) == (0, 1)
    assert store.doc_count == 2
    assert store.get("member:2026001")["department"] == "办公室"
    assert store.get("member:2026001")["qr_token"] == token


def test_wrong_columns_and_bad_encoding_are_file_errors(store: DocumentStore, tmp_path: Path) -> None:
    with pytest.raises(RosterError, match="missing column"):
        import_roster(store, write(tmp_path, "部门,职务\n秘书处,干事\n"))
    with pytest.raises(RosterError, match="encoding"):
        import_roster(store, _binary(tmp_path, b"\xff\xfe\x00\xd8\x81\x30\x81"))
    with pytest.raises(RosterError, match="not found"):
        import_roster(store, tmp_path / "missing.csv")
    assert store.doc_count == 0


def _binary(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "binary.csv"
    path.write_bytes(data)
    return path


def test_xlsx_roster_with_numeric_cells(store: DocumentStore, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["姓名", "工号", "手机"])
    sheet.append(["周八", 2026008, 13900000008])
    path = tmp_path / "roster.xlsx"
    book.save(path)
    report = import_roster(store, path)
    assert report.created == 1
    assert store.get("member:2026008")["phone"] == "13900000008"


def test_directory_search_by_pinyin_initials_and_id(store: DocumentStore, tmp_path: Path) -> None:
    import_roster(store, write(tmp_path, GOOD))
    directory = MemberDirectory()
    store.attach_index(directory)
    assert [m.name for m in directory.search("zs")] == ["张三"]
    assert [m.name for m in directory.search("lisi")] == ["李四"]
    assert [m.name for m in directory.search("张")] == ["张三"]
    assert [m.name for m in directory.search("2026002")] == ["李四"]
    token = store.get("member:2026002")["qr_token"]
    assert directory.by_token(token).name == "李四"


SURNAMES = "姓名,学号\n曾伟,2026011\n单雪,2026012\n仇明,2026013\n解放,2026014\n吕一,2026015\n"


@pytest.mark.parametrize(("query", "name"), [
    ("zengwei", "曾伟"), ("cengwei", "曾伟"), ("zw", "曾伟"), ("shanxue", "单雪"), ("danxue", "单雪"),
    ("qiuming", "仇明"), ("chouming", "仇明"), ("xiefang", "解放"), ("jiefang", "解放"),
    ("luyi", "吕一"), ("lvyi", "吕一"), ("lüyi", "吕一"), ("ly", "吕一")])
def test_directory_finds_a_name_by_any_reading(store: DocumentStore, tmp_path: Path, query: str,
                                               name: str) -> None:
    import_roster(store, write(tmp_path, SURNAMES))
    directory = MemberDirectory()
    store.attach_index(directory)
    assert [m.name for m in directory.search(query)] == [name]


def test_a_folder_given_as_the_roster_is_refused_by_name(store: DocumentStore, tmp_path: Path
                                                         ) -> None:
    with pytest.raises(RosterError, match="directory"):
        import_roster(store, tmp_path)
