"""Archive rules: numbering, duplicate numbers after a merge, approvals, loans, reports."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime

import pytest

from store import DocumentStore, ValidationError
from store.archive import (CONFIDENTIAL, PUBLIC, ArchiveRecord, check_record, load_record,
                           register, split_keywords)
from store.archive_events import (COPY, DESTROY, LOAN, VIEW, check_view, copy_event,
                                  decision_event, destroy_event, file_event, lend_event,
                                  request_event, return_event, save_event)
from store.archive_index import ArchiveIndex, renumber
from store.archive_numbering import (NumberingScheme, NumberQuery, check_pattern, next_seq,
                                     number_key, parse_category_patterns)

NOW = datetime(2026, 11, 25, 9, 30)
CATEGORIES = ("发文", "收文", "会议纪要", "合同", "财务", "人事")
SCHEME = NumberingScheme("校学生会", "{org}〔{year}〕{seq}号")  # an office's own pattern


def draft(title: str = "关于举办校园歌手大赛的通知", category: str = "发文", year: int = 2026,
          **changes: object) -> ArchiveRecord:
    base = ArchiveRecord(ArchiveRecord.new_id(), "", category, year, 0, title, "校学生会秘书处",
                         "2026-11-20", ("歌手大赛", "文艺"), "A1", "3", "12")
    return replace(base, **changes)  # type: ignore[arg-type]


def indexed(store: DocumentStore) -> ArchiveIndex:
    index = ArchiveIndex()
    store.attach_index(index)
    return index


def add(store: DocumentStore, index: ArchiveIndex, record: ArchiveRecord,
        scheme: NumberingScheme = SCHEME) -> ArchiveRecord:
    return register(store, record, scheme, CATEGORIES,
                    index.taken_seqs(record.category, record.year), NOW, "秘书处")


# -- numbering ------------------------------------------------------------------------------------


def test_a_configured_pattern_renders_the_official_form() -> None:
    assert SCHEME.render("发文", 2026, 12) == "校学生会〔2026〕12号"


def test_default_patterns_give_each_category_its_own_numbers() -> None:
    fresh = NumberingScheme("校学生会")
    numbers = {category: fresh.render(category, 2026, 1)
               for category in ("发文", "收文", "会议纪要", "合同", "财务", "人事", "活动")}
    assert numbers["发文"] == "校学生会发〔2026〕1号"
    assert numbers["收文"] == "校学生会收〔2026〕1号"
    assert numbers["活动"] == "校学生会活动〔2026〕1号"
    assert len({number_key(number) for number in numbers.values()}) == len(numbers)
    configured = NumberingScheme("校学生会", category_patterns={"发文": "{org}〔{year}〕{seq}号"})
    assert configured.render("发文", 2026, 1) == "校学生会〔2026〕1号"
    assert configured.render("收文", 2026, 1) == "校学生会收〔2026〕1号"


def test_category_patterns_and_placeholders() -> None:
    scheme = NumberingScheme("校学生会", category_patterns=parse_category_patterns(
        ["合同 = {org}合字〔{year}〕第{seq:03d}号", "会议纪要={category}〔{year}〕{seq}"]))
    assert scheme.render("合同", 2026, 7) == "校学生会合字〔2026〕第007号"
    assert scheme.render("会议纪要", 2025, 3) == "会议纪要〔2025〕3"
    assert scheme.render("发文", 2025, 3) == "校学生会发〔2025〕3号"


@pytest.mark.parametrize("pattern", ["{org}〔{year}〕号", "{org}{seq}", "{org}〔{yr}〕{seq}号",
                                     "{org}〔{year}〕{seq号"])
def test_patterns_that_cannot_number_uniquely_are_refused(pattern: str) -> None:
    with pytest.raises(ValidationError) as refused:
        check_pattern(pattern)
    assert refused.value.key.startswith("archive.error.")
    with pytest.raises(ValidationError):
        parse_category_patterns(["没有等号"])


def test_sequences_run_per_category_and_year(store: DocumentStore) -> None:
    index = indexed(store)
    first = add(store, index, draft())
    second = add(store, index, draft("关于开展秋季运动会的通知"))
    other_category = add(store, index, draft("关于采购音响的合同", category="合同"))
    next_year = add(store, index, draft("新年贺词", year=2027))
    assert (first.seq, second.seq, other_category.seq, next_year.seq) == (1, 2, 1, 1)
    assert second.number == "校学生会〔2026〕2号"
    assert next_year.number == "校学生会〔2027〕1号"
    assert set(index.taken_seqs("发文", 2026)) == {1, 2}
    assert load_record(store, first.archive_id) == first


def test_numbers_never_reuse_a_gap() -> None:
    assert next_seq([1, 2, 5]) == 6
    assert next_seq([]) == 1


def test_number_forms() -> None:
    assert number_key("校学生会[2026] 12号") == number_key("校学生会〔2026〕12号")
    assert NumberQuery.parse("〔2026〕12") == NumberQuery(2026, 12)
    assert NumberQuery.parse("(2026)12") == NumberQuery(2026, 12)
    assert NumberQuery.parse("12") == NumberQuery(None, 12)
    assert NumberQuery.parse("〔2026〕") == NumberQuery(2026, None)
    assert NumberQuery.parse("通知").empty


def test_records_are_checked(store: DocumentStore) -> None:
    with pytest.raises(ValidationError, match="title"):
        check_record(draft("  "), CATEGORIES)
    with pytest.raises(ValidationError, match="category"):
        check_record(draft(category="杂项"), CATEGORIES)
    with pytest.raises(ValidationError, match="YYYY-MM-DD"):
        check_record(draft(date="2026/11/20"), CATEGORIES)
    with pytest.raises(ValidationError):
        check_record(draft(retention="forever"), CATEGORIES)
    assert split_keywords("换届，选举、 学生会 ,选举") == ("换届", "选举", "学生会")


def merge(source: DocumentStore, target: DocumentStore) -> None:
    """Store-level replication: every leaf revision of every document, history included."""
    changes, _ = source.changes(0, style="all_docs")
    for change in changes:
        revs = [entry["rev"] for entry in change["changes"]]
        target.put_revisions([answer["ok"] for answer in source.open_revs(change["id"], revs)
                              if "ok" in answer])


def test_two_offline_nodes_allocating_one_number_are_flagged_and_renumbered(
        make_store: Callable[[str], DocumentStore]) -> None:
    a, b = make_store("a"), make_store("b")
    index_a, index_b = indexed(a), indexed(b)
    add(a, index_a, draft("第一号文件"))
    merge(a, b)
    on_a = add(a, index_a, draft("甲节点的通知"))
    on_b = add(b, index_b, draft("乙节点的通知"))
    assert on_a.number == on_b.number == "校学生会〔2026〕2号"
    assert index_a.attention_items() == []
    merge(a, b)
    merge(b, a)
    for index in (index_a, index_b):
        [item] = index.attention_items()
        assert item.kind == "duplicate_number"
        assert set(item.doc_ids) == {on_a.archive_id, on_b.archive_id}
        assert item.message_key == "archive.attention.duplicate_number"
        assert item.params["number"] == "校学生会〔2026〕2号"
    moved = renumber(a, index_a, on_b.archive_id, SCHEME)
    assert moved.number == "校学生会〔2026〕3号"
    assert moved.renumbered_from == ("校学生会〔2026〕2号",)
    assert index_a.attention_items() == []
    merge(a, b)
    assert index_b.attention_items() == []
    with pytest.raises(ValidationError, match="not shared"):
        renumber(a, index_a, on_a.archive_id, SCHEME)


def test_same_number_in_different_categories_is_not_a_clash(store: DocumentStore) -> None:
    index = indexed(store)
    add(store, index, draft())
    add(store, index, draft("来文", category="收文"))
    assert index.attention_items() == []


# -- approvals, loans, copies, destruction --------------------------------------------------------


def approve(store: DocumentStore, index: ArchiveIndex, record: ArchiveRecord, person: str,
            purpose: str, approved: bool = True) -> None:
    request = save_event(store, request_event(record, index.state(record.archive_id), person,
                                              purpose, "查阅历史材料", NOW))
    approval = index.state(record.archive_id).approval(request.event_id)
    assert approval is not None and approval.status == "pending"
    save_event(store, decision_event(approval, "王主席", "主席", approved, "同意", NOW))


def test_confidential_loan_needs_an_approval_that_is_spent(store: DocumentStore) -> None:
    index = indexed(store)
    secret = add(store, index, draft("人事任免决定", category="人事", confidentiality=CONFIDENTIAL))
    state = lambda: index.state(secret.archive_id)  # noqa: E731
    with pytest.raises(ValidationError) as refused:
        lend_event(secret, state(), "李四", "2026-12-01", NOW)
    assert refused.value.key == "archive.error.approval_required_loan"
    approve(store, index, secret, "李四", LOAN, approved=False)
    with pytest.raises(ValidationError):
        lend_event(secret, state(), "李四", "2026-12-01", NOW)
    approve(store, index, secret, "李四", LOAN)
    with pytest.raises(ValidationError):  # the approval is for 李四, not for 张三
        lend_event(secret, state(), "张三", "2026-12-01", NOW)
    lent = save_event(store, lend_event(secret, state(), "李四", "2026-12-01", NOW))
    assert state().status == "on_loan"
    assert sorted(a.status for a in state().approvals) == ["rejected", "used"]
    assert index.search(_query(status="on_loan")).archive_ids == [secret.archive_id]
    with pytest.raises(ValidationError, match="already lent"):
        lend_event(secret, state(), "李四", "2026-12-01", NOW)
    save_event(store, return_event(state().open_loans[0], NOW))
    assert state().status == "registered" and state().loans[0].lend == lent
    with pytest.raises(ValidationError):  # spent: a second loan needs a second approval
        lend_event(secret, state(), "李四", "2026-12-01", NOW)


def test_approval_rules(store: DocumentStore) -> None:
    index = indexed(store)
    secret = add(store, index, draft(confidentiality=CONFIDENTIAL))
    request = save_event(store, request_event(secret, index.state(secret.archive_id), "李四",
                                              VIEW, "核对", NOW))
    approval = index.state(secret.archive_id).approval(request.event_id)
    assert approval is not None
    with pytest.raises(ValidationError, match="cannot approve"):
        decision_event(approval, "赵六", "干事", True, "", NOW)
    with pytest.raises(ValidationError, match="own request"):
        decision_event(approval, "李四", "主席", True, "", NOW)
    with pytest.raises(ValidationError):
        request_event(secret, index.state(secret.archive_id), "李四", VIEW, "  ", NOW)
    save_event(store, decision_event(approval, "王五", "秘书长", True, "同意", NOW))
    with pytest.raises(ValidationError, match="already"):
        save_event(store, decision_event(approval, "王五", "秘书长", False, "", NOW))


def test_confidential_attachments_need_a_viewing_approval_for_that_day(
        store: DocumentStore) -> None:
    index = indexed(store)
    secret = add(store, index, draft(confidentiality=CONFIDENTIAL))
    public = add(store, index, draft(confidentiality=PUBLIC))
    check_view(public, index.state(public.archive_id), "李四", NOW.date())
    with pytest.raises(ValidationError) as refused:
        check_view(secret, index.state(secret.archive_id), "李四", NOW.date())
    assert refused.value.key == "archive.error.approval_required_view"
    approve(store, index, secret, "李四", VIEW)
    check_view(secret, index.state(secret.archive_id), "李四", NOW.date())
    with pytest.raises(ValidationError):  # a viewing approval lasts the day it was given
        check_view(secret, index.state(secret.archive_id), "李四", date(2026, 11, 26))


def test_copies_and_destruction_are_recorded_with_approval(store: DocumentStore) -> None:
    index = indexed(store)
    old = add(store, index, draft("二〇一〇年财务报表", category="财务", year=2010,
                                  retention="10y", confidentiality=CONFIDENTIAL))
    kept = add(store, index, draft("章程", retention="permanent"))
    with pytest.raises(ValidationError):
        copy_event(old, index.state(old.archive_id), "李四", 2, "审计", NOW)
    approve(store, index, old, "李四", COPY)
    save_event(store, copy_event(old, index.state(old.archive_id), "李四", 2, "审计", NOW))
    assert [r.archive_id for r in index.destruction_due(NOW.date())] == [old.archive_id]
    with pytest.raises(ValidationError, match="kept until"):
        destroy_event(kept, index.state(kept.archive_id), "张三", "过期", NOW)
    with pytest.raises(ValidationError) as refused:
        destroy_event(old, index.state(old.archive_id), "张三", "过期", NOW)
    assert refused.value.key == "archive.error.approval_required_destroy"
    approve(store, index, old, "张三", DESTROY)
    save_event(store, destroy_event(old, index.state(old.archive_id), "张三", "过期", NOW))
    assert index.state(old.archive_id).status == "destroyed"
    assert index.destruction_due(NOW.date()) == []
    with pytest.raises(ValidationError, match="destroyed"):
        lend_event(old, index.state(old.archive_id), "李四", "2026-12-01", NOW)


def test_filing_overdue_loans_and_kpi_facts(store: DocumentStore) -> None:
    index = indexed(store)
    record = add(store, index, draft())
    save_event(store, file_event(record, index.state(record.archive_id),
                                 datetime(2026, 11, 27, 10, 0)))
    with pytest.raises(ValidationError, match="filed"):
        file_event(record, index.state(record.archive_id), NOW)
    assert index.state(record.archive_id).status == "filed"
    save_event(store, lend_event(record, index.state(record.archive_id), "李四", "2026-11-28",
                                 datetime(2026, 11, 27, 11, 0)))
    assert index.overdue_loans(date(2026, 11, 28)) == []
    [overdue] = index.overdue_loans(date(2026, 11, 29))
    assert overdue.record == record and overdue.loan.lend.person == "李四"
    other = add(store, index, draft())
    with pytest.raises(ValidationError, match="past"):
        lend_event(other, index.state(other.archive_id), "李四", "2026-11-01", NOW)
    archives, loans = index.kpi_facts()
    assert {(fact.registered_at, fact.filed_at) for fact in archives} == {
        (NOW, None), (NOW, datetime(2026, 11, 27, 10, 0))}
    assert [(loan.due, loan.returned_at) for loan in loans] == [(datetime(2026, 11, 29), None)]


def _query(**filters: object):  # type: ignore[no-untyped-def]
    from store.archive_search import ArchiveQuery
    return ArchiveQuery(**filters)  # type: ignore[arg-type]
