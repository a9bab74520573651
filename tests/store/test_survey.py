"""The anonymous survey's rules: one answer per member, nothing links an answer to a member,
results hidden below five answers, and two kiosks apart merge to one answer per member."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from store import DocumentStore
from store.errors import InvalidDocument, ValidationError
from store.members import Member, save_member
from store.survey import (ANSWER, TAKEN, Survey, SurveyIndex, answer_id, save_survey,
                          submit_answer)

from .survey_checks import assert_no_link_from_answers_to_members

KEY = b"k" * 32
TODAY = date(2026, 11, 25)
SURVEY = Survey("survey:q4", "2026Q4 满意度", "2026-11-20", "2026-11-30")
SCORES = [(5, 4, 5), (4, 4, 5), (5, 5, 4), (3, 4, 5), (5, 4, 4), (4, 5, 5)]


def members(store: DocumentStore, count: int) -> list[Member]:
    people = [Member(f"20260{n:02d}", f"成员{n}", "秘书处", phone=f"1380000{n:04d}")
              for n in range(1, count + 1)]
    for member in people:
        save_member(store, member)
    return people


def index_of(store: DocumentStore) -> SurveyIndex:
    index = SurveyIndex()
    store.attach_index(index)
    return index


def test_six_answers_show_their_averages_and_nothing_links_an_answer_to_a_member(
        store: DocumentStore) -> None:
    save_survey(store, SURVEY)
    people = members(store, 6)
    comments = ["张三办事很快", "", "", "", "", "态度好"]
    for member, scores, comment in zip(people, SCORES, comments):
        assert submit_answer(store, SURVEY, member.member_id, scores, comment, today=TODAY,
                             key=KEY)
    result = index_of(store).result(SURVEY)
    assert result.answers == 6 and result.shown
    assert [round(a, 3) for a in result.averages] == [4.333, 4.333, 4.667]
    assert sorted(result.comments) == ["张三办事很快", "态度好"]

    assert_no_link_from_answers_to_members(store, people, 6)


def test_results_are_hidden_at_four_answers(store: DocumentStore) -> None:
    save_survey(store, SURVEY)
    for member, scores in zip(members(store, 4), SCORES):
        submit_answer(store, SURVEY, member.member_id, scores, "", today=TODAY, key=KEY)
    index = index_of(store)
    result = index.result(SURVEY)
    assert result.answers == 4 and not result.shown
    assert result.averages == () and result.comments == ()
    assert index.by_quarter() == []


def test_one_answer_per_member_on_one_node(store: DocumentStore) -> None:
    save_survey(store, SURVEY)
    assert submit_answer(store, SURVEY, "001", (5, 5, 5), "", today=TODAY, key=KEY)
    assert not submit_answer(store, SURVEY, "001", (1, 1, 1), "", today=TODAY, key=KEY)
    assert len(store.ids_of_type(ANSWER)) == 1


def test_two_kiosks_apart_merge_to_one_answer_per_member(
        store: DocumentStore, make_store: Callable[[str], DocumentStore]) -> None:
    west, east = store, make_store("east")
    for node in (west, east):
        save_survey(node, SURVEY)
    for member_id in ("001", "002", "003"):
        submit_answer(west, SURVEY, member_id, (5, 5, 5), "西门", today=TODAY, key=KEY)
    for member_id in ("003", "004", "005"):  # 003 answers again at the other door
        submit_answer(east, SURVEY, member_id, (2, 2, 2), "东门", today=TODAY, key=KEY)
    for source, target in ((west, east), (east, west)):
        for kind in (TAKEN, ANSWER):
            for doc_id in source.ids_of_type(kind):
                target.put_revisions([e["ok"] for e in source.open_revs(doc_id, None) if "ok" in e])
    for node in (west, east):
        assert len(node.ids_of_type(TAKEN)) == 5
        assert len(node.ids_of_type(ANSWER)) == 5  # one per member who answered
        assert node.conflicts(answer_id(KEY, SURVEY.survey_id, "003"))
        assert node.conflicts(f"{TAKEN}:q4:003") == []  # the same fact, the same revision
        assert index_of(node).result(SURVEY).answers == 5
    assert west.get(answer_id(KEY, SURVEY.survey_id, "003")) == \
        east.get(answer_id(KEY, SURVEY.survey_id, "003"))


def test_bad_answers_are_refused(store: DocumentStore) -> None:
    with pytest.raises(ValidationError):
        submit_answer(store, SURVEY, "001", (5, 6, 5), "", today=TODAY, key=KEY)
    with pytest.raises(ValidationError):
        submit_answer(store, SURVEY, "001", (5, 5), "", today=TODAY, key=KEY)
    with pytest.raises(ValidationError):
        submit_answer(store, SURVEY, "001", (5, 5, 5), "", today=date(2026, 12, 1), key=KEY)
    with pytest.raises(ValidationError):
        save_survey(store, Survey("survey:x", " ", "2026-11-20", "2026-11-30"))
    assert store.ids_of_type(ANSWER) == []


def test_quarter_report_counts_only_surveys_past_the_threshold(store: DocumentStore) -> None:
    small = Survey("survey:small", "小", "2026-11-21", "2026-11-30")
    save_survey(store, SURVEY)
    save_survey(store, small)
    for number, (member, scores) in enumerate(zip(members(store, 6), SCORES)):
        submit_answer(store, SURVEY, member.member_id, scores, "", today=TODAY, key=KEY)
        if number < 3:  # three answers of 1: never shown, never averaged into the quarter
            submit_answer(store, small, member.member_id, (1, 1, 1), "", today=TODAY, key=KEY)
    rows = {(r.quarter, r.question): (round(r.average, 3), r.answers)
            for r in index_of(store).by_quarter()}
    assert rows == {("2026Q4", "及时性"): (4.333, 6), ("2026Q4", "专业性"): (4.333, 6),
                    ("2026Q4", "态度"): (4.667, 6)}


def test_a_peer_answer_with_bad_scores_is_skipped(store: DocumentStore) -> None:
    save_survey(store, SURVEY)
    store.put({"_id": "surveyanswer:bad", "survey_id": SURVEY.survey_id, "day": "2026-11-25",
               "scores": [9, "x"]})
    index = SurveyIndex()
    with pytest.raises(InvalidDocument):
        index.update("surveyanswer:bad", store.get("surveyanswer:bad"))


def test_the_demo_office_has_surveys_with_results_and_no_links(store: DocumentStore) -> None:
    from store.demo import fill_demo
    from store.members import MemberDirectory

    fill_demo(store, today=TODAY)
    index = index_of(store)
    assert [(r.survey.title, r.answers) for r in index.shown_results()] == [
        ("本季度服务满意度调查", 12), ("上季度服务满意度调查", 8)]
    directory = MemberDirectory()
    store.attach_index(directory)
    comments = [comment for r in index.shown_results() for comment in r.comments]
    named = [m for m in directory.all() if any(m.name in c for c in comments)]
    assert len(named) == 1  # the helper the demo's comments praise, named on purpose
    answerers = [m for m in directory.all() if m not in named]
    assert_no_link_from_answers_to_members(store, answerers, 20)
