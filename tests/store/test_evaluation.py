"""The evaluation's figures against the hand-computed fixture, term and quarter edges, the
visibility of hand scores, and the 服务之星 proposal."""

from __future__ import annotations

from datetime import date

import pytest

from store import DocumentStore
from store.errors import ValidationError
from store.evaluation import Weights, evaluate, meetings_in, quarter_period, star_proposal, term_of
from store.evaluation_requests import request_outcomes
from store.evaluation_scores import (ATTITUDE, HandScore, HandScoreIndex, Viewer, may_score,
                                     save_hand_score, viewer_for)
from store.meetings import ResolutionBoard
from store.meetings_attendance import AttendanceIndex

from .evaluation_fixture import A, B, C, HEAD, NOW, PRESIDENT, REQUESTS, build, expected_totals


def table(store: DocumentStore, viewer: Viewer):  # type: ignore[no-untyped-def]
    attendance, board, hand = AttendanceIndex(store), ResolutionBoard(), HandScoreIndex()
    for index in (attendance, board, hand):
        store.attach_index(index)
    term = term_of(NOW.date())
    return evaluate([A, B, C], meetings_in(store, attendance, term.period, NOW, 5), board.all(),
                    REQUESTS, hand.current(term.key, viewer), term.period, NOW, Weights())


@pytest.mark.parametrize("presidium", [True, False])
def test_the_table_matches_the_hand_computed_fixture(store: DocumentStore, presidium: bool) -> None:
    build(store)
    viewer = viewer_for(PRESIDENT if presidium else HEAD, ["主席团"])
    assert viewer.presidium is presidium
    rows = table(store, viewer)
    totals = {row.figures.member.member_id: round(row.total or 0, 2) for row in rows}
    assert totals == expected_totals(presidium)
    assert [row.rank for row in rows] == [1, 2, 3]
    first = rows[0].figures.counts
    assert (first.expected, first.attended, first.late) == (3, 3, 1)
    assert (first.resolutions, first.resolutions_on_time, first.requests) == (2, 1, 1)
    b = next(row.figures for row in rows if row.figures.member.member_id == "002")
    assert (b.counts.expected, b.counts.attended, b.counts.late) == (2, 2, 1)
    assert b.hand[ATTITUDE].score == 70
    c = next(row.figures for row in rows if row.figures.member.member_id == "003")
    assert [m.meeting_id for m in c.counts.missed] == ["meeting:m1"]


def test_terms_and_quarters() -> None:
    assert term_of(date(2026, 11, 25)).key == "2026-autumn"
    assert term_of(date(2027, 1, 31)).key == "2026-autumn"
    assert term_of(date(2027, 2, 1)).key == "2027-spring"
    assert quarter_period(date(2026, 11, 25)) == ("2026Q4", quarter_period(date(2026, 10, 1))[1])
    assert quarter_period(date(2026, 12, 31))[1].end == date(2026, 12, 31)
    assert quarter_period(date(2026, 2, 3))[1].end == date(2026, 3, 31)


def test_who_may_score_and_bad_scores(store: DocumentStore) -> None:
    assert may_score(HEAD, A, ["部长"], presidium=False)
    assert not may_score(HEAD, PRESIDENT, ["部长"], presidium=False)
    assert may_score(PRESIDENT, HEAD, ["部长"], presidium=True)
    assert not may_score(None, A, ["部长"], presidium=True)
    for bad in (HandScore("evalscore:x", "t", "001", ATTITUDE, 101, "901", "2026-11-25T09:00"),
                HandScore("evalscore:y", "t", "001", "charm", 50, "901", "2026-11-25T09:00"),
                HandScore("evalscore:z", "t", "001", ATTITUDE, 50, "", "2026-11-25T09:00")):
        with pytest.raises(ValidationError):
            save_hand_score(store, bad)


def test_an_accepted_request_counts_for_its_handler_on_time_only_when_done_by_the_promise(
        store: DocumentStore) -> None:
    from datetime import datetime

    from store.desk_index import DeskIndex
    from store.desk_requests import (DeskRequest, accept_event, decline_event, done_event,
                                     file_request, parse_promises)

    promises = parse_promises({"其他": "4h", "物资": "4h"})
    filed = datetime(2026, 11, 23, 9, 0)  # a Monday
    quick = file_request(store, DeskRequest("", "其他", "体育部", "借桌子"), promises, filed)
    slow = file_request(store, DeskRequest("", "物资", "宣传部", "海报纸"), promises, filed)
    declined = file_request(store, DeskRequest("", "其他", "外联部", "拉赞助"), promises, filed)
    index = DeskIndex()
    store.attach_index(index)  # fed every change from now on

    def state(request: DeskRequest):  # type: ignore[no-untyped-def]
        return next(s for s in index.request_states(promises)
                    if s.request.request_id == request.request_id)

    for request, at, finish in ((quick, 10, done_event), (slow, 16, done_event)):
        store.put(accept_event(state(request), "001", filed).to_doc())
        store.put(finish(state(request), "001", filed.replace(hour=at)).to_doc())
    store.put(accept_event(state(declined), "002", filed).to_doc())
    store.put(decline_event(state(declined), "002", "没有预算", filed.replace(hour=10)).to_doc())
    outcomes = sorted(request_outcomes(index.request_states(promises)),
                      key=lambda o: (o.member_id, o.done_at))
    assert [(o.member_id, o.on_time) for o in outcomes] == [("001", True), ("001", False),
                                                            ("002", False)]


def test_star_proposal_prefers_members_named_in_comments(store: DocumentStore) -> None:
    build(store)
    rows = table(store, viewer_for(PRESIDENT, ["主席团"]))
    proposal = star_proposal(rows, ["李四帮我们改了三次海报，很耐心", "李四回复很快", "好"])
    assert [c.row.figures.member.name for c in proposal] == ["李四", "张三", "王五"]
    assert len(proposal[0].comments) == 2
    assert [c.row.figures.member.name for c in star_proposal(rows, [])][0] == "张三"
