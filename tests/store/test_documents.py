"""Official documents: the flow as facts, working-day promises, templates, two offline nodes."""

from __future__ import annotations

import io

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from docx import Document

from store import DocumentStore
from store.archive_blobs import BlobStore
from store.archive_index import ArchiveIndex
from store.archive_numbering import NumberingScheme
from store.document_templates import BUILTIN_TEMPLATES, DocTemplate, fill, load_templates, save_template
from store.documents import (
    CLASH, COMPLETED, DISTRIBUTED, DRAFTING, REQUESTED, RETURN, RETURNED, REVIEW, SIGNED,
    SIGNOFF, Actor, Content, acknowledge, comment, distribute, request, return_for_changes,
    save_draft, save_event, settle, sign_off)
from store.documents_index import DocumentAttention, DocumentIndex, DocumentQuery
from store.documents_issue import issue
from store.errors import ValidationError
from store.kpi import KpiReport, Period, document_figures

from .merging import sync

ROLES = ("主席", "副主席", "秘书长")
SCHEME = NumberingScheme("校学生会")
CATEGORIES = ("发文", "收文")


def at(day: int, hour: int = 10, month: int = 10) -> datetime:
    return datetime(2026, month, day, hour, 0)


def indexed(store: DocumentStore) -> DocumentIndex:
    index = DocumentIndex()
    store.attach_index(index)
    return index


def notice(what: str = "秋季运动会") -> Content:
    return Content(f"关于举办{what}的通知", "各部门：", f"{what}定于10月20日举行。\n请做好准备。",
                   signatory="校学生会", date="2026年10月9日")


def start(store: DocumentStore, index: DocumentIndex, when: datetime) -> str:
    event = save_event(store, request(Actor(when, "秘书处"), "体育部", "秋季运动会",
                                      "2026-10-15", owner="李秘书"))
    return event.doc_key


def test_the_whole_flow_numbers_files_and_tracks_receipts(store: DocumentStore) -> None:
    index = indexed(store)
    archive = ArchiveIndex()
    store.attach_index(archive)
    key = start(store, index, at(8))
    assert index.state(key).stage == REQUESTED
    save_event(store, save_draft(index.state(key), Actor(at(8, 11), "李秘书"), notice()))
    assert index.state(key).stage == DRAFTING
    save_event(store, save_draft(index.state(key), Actor(at(8, 11), "李秘书"), notice(),
                                 submit=True))
    assert index.state(key).stage == REVIEW
    save_event(store, return_for_changes(index.state(key), Actor(at(8, 15), "王秘书长"),
                                         "写明集合地点"))
    assert index.state(key).stage == RETURNED
    changed = Content(**{**notice().__dict__, "body": "秋季运动会定于10月20日举行。\n"
                         "八点在东操场集合。\n请做好准备。"})
    save_event(store, save_draft(index.state(key), Actor(at(9), "李秘书"), changed, submit=True))
    state = index.state(key)
    assert len(state.rounds) == 2
    assert "+八点在东操场集合。" in state.diff(1)
    with pytest.raises(ValidationError):
        sign_off(state, Actor(at(9, 11), "张干事"), "干事", ROLES)
    save_event(store, sign_off(state, Actor(at(9, 11), "王秘书长"), "秘书长", ROLES))
    assert index.state(key).stage == SIGNED

    event, record = issue(store, index.state(key), Actor(at(9, 14), "李秘书"), SCHEME,
                          CATEGORIES, archive.taken_seqs("发文", 2026), BlobStore.for_store(store))
    assert event.number == record.number == "校学生会发〔2026〕1号"
    [attachment] = record.attachments
    assert attachment.name == "校学生会发〔2026〕1号.docx"
    docx = Document(io.BytesIO(BlobStore.for_store(store).read(attachment)))
    text = "\n".join(paragraph.text for paragraph in docx.paragraphs)
    assert text.index("校学生会发〔2026〕1号") < text.index("关于举办") < text.index("八点")
    assert archive.record(record.archive_id).title == "关于举办秋季运动会的通知"

    save_event(store, distribute(index.state(key), Actor(at(9, 15), "李秘书"),
                                 ["体育部", "宣传部", "学习部"]))
    for department in ("体育部", "宣传部"):
        save_event(store, acknowledge(index.state(key), Actor(at(9, 16), "李秘书"), department))
    with pytest.raises(ValidationError):
        save_event(store, acknowledge(index.state(key), Actor(at(9, 17), "李秘书"), "体育部"))
    assert index.state(key).stage == DISTRIBUTED
    assert [r for _s, r in index.unacknowledged()] == ["学习部"]
    save_event(store, acknowledge(index.state(key), Actor(at(9, 17), "李秘书"), "学习部"))
    assert index.state(key).stage == COMPLETED


def test_a_draft_promise_across_guoqing_falls_on_the_adjusted_saturday(
        store: DocumentStore) -> None:
    index = indexed(store)
    key = start(store, index, datetime(2026, 9, 30, 10, 0))
    draft, = index.state(key).promises()
    assert draft.due == datetime(2026, 10, 10, 10, 0)  # 1-7 Oct rest, the 调休 Saturday works
    attention = DocumentAttention(index, datetime(2026, 10, 7, 12, 0))
    assert attention.attention_items() == []  # mid-holiday: nothing due yet
    due_today = DocumentAttention(index, datetime(2026, 10, 10, 8, 0)).attention_items()
    assert [item.kind for item in due_today] == ["document_due_today"]
    late = DocumentAttention(index, datetime(2026, 10, 10, 10, 1)).attention_items()
    assert [item.kind for item in late] == ["document_overdue"]


def test_a_review_clock_started_before_the_holiday_runs_on_after_it(
        store: DocumentStore) -> None:
    index = indexed(store)
    key = start(store, index, datetime(2026, 9, 29, 9, 0))
    save_event(store, save_draft(index.state(key), Actor(datetime(2026, 9, 30, 18, 0), "李"),
                                 notice(), submit=True))
    _draft, review = index.state(key).promises()
    assert review.due == datetime(2026, 10, 8, 18, 0)  # 6 hours on 30 Sep, 18 on 8 Oct
    save_event(store, comment(index.state(key), Actor(datetime(2026, 10, 8, 17, 0), "王"),
                              "标题再短些"))
    facts = index.promise_facts()
    assert all(fact.met_at is not None and fact.met_at <= fact.due for fact in facts)
    report = KpiReport(Period(datetime(2026, 7, 1).date(), datetime(2026, 9, 30).date()))
    document_figures(report, facts, datetime(2026, 10, 9, 9, 0))
    assert report.documents_on_time == 1.0


def test_a_late_review_counts_against_the_quarter(store: DocumentStore) -> None:
    index = indexed(store)
    key = start(store, index, datetime(2026, 10, 9, 9, 0))  # Friday before the 调休 Saturday
    save_event(store, save_draft(index.state(key), Actor(datetime(2026, 10, 9, 9, 0), "李"),
                                 notice(), submit=True))
    _draft, review = index.state(key).promises()
    assert review.due == datetime(2026, 10, 10, 9, 0)  # the Saturday counts
    report = KpiReport(Period(datetime(2026, 10, 1).date(), datetime(2026, 12, 31).date()))
    document_figures(report, index.promise_facts(), datetime(2026, 10, 12, 9, 0))
    assert report.documents_on_time == 0.5


def two_nodes_in_review(make_store: Callable[[str], DocumentStore]
                        ) -> tuple[DocumentStore, DocumentStore, DocumentIndex, DocumentIndex, str]:
    """Two nodes that both hold one submitted draft, then go offline."""
    a, b = make_store("a"), make_store("b")
    index_a, index_b = indexed(a), indexed(b)
    key = start(a, index_a, at(8))
    save_event(a, save_draft(index_a.state(key), Actor(at(8, 11), "李"), notice(), submit=True))
    sync(a, b)
    return a, b, index_a, index_b, key


def test_comments_made_on_two_offline_nodes_both_survive(
        make_store: Callable[[str], DocumentStore]) -> None:
    a, b, index_a, index_b, key = two_nodes_in_review(make_store)
    save_event(a, comment(index_a.state(key), Actor(at(8, 12), "王", "a"), "日期用汉字"))
    save_event(b, comment(index_b.state(key), Actor(at(8, 12), "赵", "b"), "加联系人"))
    sync(a, b)
    for index in (index_a, index_b):
        assert sorted(e.comment for e in index.state(key).comments) == ["加联系人", "日期用汉字"]


def test_a_sign_off_on_one_node_and_a_return_on_the_other_is_a_clash(
        make_store: Callable[[str], DocumentStore]) -> None:
    a, b, index_a, index_b, key = two_nodes_in_review(make_store)
    save_event(a, sign_off(index_a.state(key), Actor(at(8, 12), "王", "a"), "秘书长", ROLES))
    save_event(b, return_for_changes(index_b.state(key), Actor(at(8, 12), "赵", "b"), "重写"))
    sync(a, b)
    for index in (index_a, index_b):
        assert index.state(key).stage == CLASH
        items = DocumentAttention(index, at(8, 13)).attention_items()
        assert [item.kind for item in items] == ["document_clash"]
        assert len(items[0].doc_ids) == 2
    save_event(a, settle(index_a.state(key), Actor(at(8, 14), "王"), RETURN))
    assert index_a.state(key).stage == RETURNED
    with pytest.raises(ValidationError):
        settle(index_a.state(key), Actor(at(8, 15), "王"), SIGNOFF)


def test_templates_fill_known_placeholders_only_and_hostile_text_stays_inert() -> None:
    values = {"what": "{department}[b]x[/b]{0.__class__}", "department": "体育部"}
    assert fill("{what}·{department}·{unknown}·{0}", values) == (
        "{department}[b]x[/b]{0.__class__}·体育部·{unknown}·{0}")
    assert {t.name for t in BUILTIN_TEMPLATES} >= {"通知", "公告", "决议", "请示", "报告", "函",
                                                 "工作计划", "总结", "会议纪要", "申请"}


def test_an_edited_builtin_and_a_new_template_replicate_as_documents(
        store: DocumentStore) -> None:
    notice_template = next(t for t in BUILTIN_TEMPLATES if t.name == "通知")
    save_template(store, DocTemplate(**{**notice_template.__dict__, "recipients": "各学院："}))
    save_template(store, DocTemplate(DocTemplate.new_id(), "倡议书", "Proposal", "{what}倡议书"))
    library = load_templates(store)
    assert len(library) == len(BUILTIN_TEMPLATES) + 1
    assert next(t for t in library if t.name == "通知").recipients == "各学院："


def test_search_finds_by_chinese_pinyin_initials_number_and_filters(
        store: DocumentStore) -> None:
    index = indexed(store)
    key = start(store, index, at(8))
    other = save_event(store, request(Actor(at(8), "秘书处"), "宣传部", "海报设计大赛", "",
                                      owner="周秘书")).doc_key
    archive = ArchiveIndex()
    store.attach_index(archive)
    save_event(store, save_draft(index.state(key), Actor(at(8, 11), "李"), notice(), submit=True))
    save_event(store, sign_off(index.state(key), Actor(at(8, 12), "王"), "主席", ROLES))
    issue(store, index.state(key), Actor(at(8, 13), "李"), SCHEME, CATEGORIES, (),
          BlobStore.for_store(store))
    for text in ("运动会", "yundonghui", "ydh", "〔2026〕1", "体育"):
        assert index.search(DocumentQuery(text))[0] == [key], text
    assert index.search(DocumentQuery("hbsj"))[0] == [other]
    assert index.search(DocumentQuery("2"))[0] == []  # seq 2, not every number of 2026
    assert index.search(DocumentQuery("", owner="周秘书"))[0] == [other]
    assert index.search(DocumentQuery("", stage=REQUESTED))[0] == [other]
    save_event(store, save_draft(index.state(other), Actor(at(8, 14), "周"),
                                 Content("宣传部海报设计大赛的通知")))
    assert index.search(DocumentQuery("xcb", stage=DRAFTING))[0] == [other]
    assert index.search(DocumentQuery("ydh", stage=DRAFTING))[0] == []


def test_a_submission_without_a_title_and_an_empty_return_are_refused(
        store: DocumentStore) -> None:
    index = indexed(store)
    key = start(store, index, at(8))
    with pytest.raises(ValidationError):
        save_draft(index.state(key), Actor(at(8), "李"), Content(), submit=True)
    save_event(store, save_draft(index.state(key), Actor(at(8), "李"), notice(), submit=True))
    with pytest.raises(ValidationError):
        return_for_changes(index.state(key), Actor(at(8), "王"), " ")
    with pytest.raises(ValidationError):
        save_draft(index.state(key), Actor(at(8), "李"), notice())  # with the reviewers
    assert index.state(key).open_promise().due - index.state(key).rounds[0].submit.moment == (
        timedelta(hours=24))


def test_the_demo_office_has_documents_in_every_stage_and_a_second_run_adds_none(
        store: DocumentStore) -> None:
    from datetime import date

    from store.demo import fill_demo

    index = indexed(store)
    fill_demo(store, today=date(2026, 11, 25))
    stages = {state.stage for state in index.states()}
    assert stages >= {REQUESTED, DRAFTING, REVIEW, RETURNED, SIGNED, DISTRIBUTED, COMPLETED}
    archive = ArchiveIndex()
    store.attach_index(archive)
    assert all(archive.record(state.issue.archive_id) is not None
               for state in index.states() if state.issue is not None)
    assert archive.duplicates() == []
    assert fill_demo(store, today=date(2026, 11, 25)).documents == 0


def test_the_demo_issues_its_documents_after_the_archive_s_last_number_of_the_year(
        store: DocumentStore) -> None:
    """As a real office's issue does: the next 发文 numbers of the year, not 〔2026〕906号 on."""
    from datetime import date

    from store.demo import fill_demo

    index = indexed(store)
    archive = ArchiveIndex()
    store.attach_index(archive)
    fill_demo(store, today=date(2026, 11, 25))
    issued = [archive.record(state.issue.archive_id) for state in index.states()
              if state.issue is not None]
    issued_ids = {record.archive_id for record in issued if record is not None}
    register = [record.seq for record in archive.records.values()
                if record.category == "发文" and record.year == 2026
                and record.archive_id not in issued_ids]
    seqs = sorted(record.seq for record in issued if record is not None)
    assert len(seqs) == 4
    assert seqs == list(range(max(register, default=0) + 1, max(register, default=0) + 5))


def test_a_peer_s_unreadable_template_and_unknown_settling_are_skipped(
        store: DocumentStore) -> None:
    index = indexed(store)
    key = start(store, index, at(8))
    save_event(store, save_draft(index.state(key), Actor(at(8, 11), "李"), notice(), submit=True))
    store.put({"_id": "doctemplate:hostile", "name": 3, "name_en": "x"})
    store.put({**save_event(store, sign_off(index.state(key), Actor(at(8, 12), "王"), "主席",
                                            ROLES)).to_doc(),
               "_id": "docevent:hostile", "kind": "settle", "outcome": "[/]"})
    assert len(load_templates(store)) == len(BUILTIN_TEMPLATES)
    assert index.state(key).stage == SIGNED
