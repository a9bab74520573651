"""Service-desk rules over a real store: promises, request states, approvals, offline clashes."""

from __future__ import annotations

import tomllib
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from store import DocumentStore
from store.booking import CONFIRMED
from store.booking_desk import BookingDesk
from store.desk_approvals import (
    EXPENSE_STAGES,
    TO_FINANCE,
    TO_PAY,
    ApprovalRoles,
    Expense,
    amount_text,
    cents_from_text,
    decision_event,
    expense_status,
    file_expense,
    term_of,
    totals,
)
from store.demo import fill_demo
from store.desk_events import StageDecision, save_event, settle_event
from store.desk_index import DeskIndex
from store.desk_requests import (
    DONE_STATUS,
    DeskRequest,
    RequestState,
    Venue,
    accept_event,
    decline_event,
    done_event,
    file_request,
    open_by_age,
    parse_promise,
    parse_promises,
)
from store.desk_roles import matching_role
from store.errors import ValidationError
from store.kpi import KpiReport, Period, request_figures
from store.members import Member, save_member
from store.rooms import Room, save_room

from .merging import sync

PROMISES = parse_promises({"场地": "4h", "公文审核": "24h", "初稿": "3wd", "其他": "3wd"})
ROLES = ApprovalRoles(("秘书长",), ("秘书长", "副秘书长"), ("财务部部长",))
MONDAY = datetime(2026, 11, 23, 9, 0)


def test_promises_count_working_time_only() -> None:
    friday_before_national_day = datetime(2026, 9, 30, 10, 0)
    assert parse_promise("24h").due(friday_before_national_day) > datetime(2026, 10, 8)
    assert parse_promise("4h").due(MONDAY) == MONDAY + timedelta(hours=4)
    assert parse_promise("3wd").due(datetime(2026, 11, 27, 9)) == datetime(2026, 12, 2, 9)
    for bad in ("4", "4 days", "-1h", ""):
        with pytest.raises(ValueError):
            parse_promise(bad)


def test_roles_match_by_normalised_text() -> None:
    assert matching_role("秘书处 / 副秘书长", ["副秘书长"]) == "副秘书长"
    assert matching_role(" 财务部部长　", ["财务部部长"]) == "财务部部长"
    assert matching_role("ＳＥＣＲＥＴＡＲＹ", ["secretary"]) == "secretary"
    assert matching_role("副秘书长", ["秘书长"]) == ""


def test_amounts_are_cents_never_floats() -> None:
    assert cents_from_text("128.5") == 12850 and cents_from_text("￥0.10") == 10
    assert amount_text(12850) == "128.50"
    for bad in ("1.005", "-3", "abc", "nan", "0", "1e400"):
        with pytest.raises(ValidationError):
            cents_from_text(bad)
    assert term_of(datetime(2026, 11, 1).date()) == "2026-2027-1"
    assert term_of(datetime(2027, 1, 5).date()) == "2026-2027-1"
    assert term_of(datetime(2027, 3, 5).date()) == "2026-2027-2"


def venue_request(store: DocumentStore, now: datetime) -> DeskRequest:
    save_room(store, Room("room:301", "301 会议室", 20))
    return file_request(store, DeskRequest("", "场地", "宣传部", "海报评审会"), PROMISES, now,
                        Venue("room:301", "2026-11-26", "14:00", "15:00"))


def test_venue_request_becomes_a_booking_and_is_met_within_four_hours(store: DocumentStore) -> None:
    index = DeskIndex()
    store.attach_index(index)
    request = venue_request(store, MONDAY)
    bookings = BookingDesk(store)
    assert bookings.current(request.handoff)[0].title == "海报评审会"
    (state,) = index.request_states(PROMISES)
    save_event(store, accept_event(state, "张三", MONDAY + timedelta(hours=1)))
    (state,) = index.request_states(PROMISES)
    save_event(store, done_event(state, "张三", MONDAY + timedelta(hours=3), bookings=bookings))
    (state,) = index.request_states(PROMISES)
    assert state.status == DONE_STATUS and state.accepted.person == "张三"
    assert bookings.current(request.handoff)[0].status == CONFIRMED
    report = KpiReport(Period(MONDAY.date(), MONDAY.date()))
    request_figures(report, index.request_facts(PROMISES), MONDAY + timedelta(days=1))
    assert report.requests_within == {"场地": 1.0}


def test_open_requests_overdue_first(store: DocumentStore) -> None:
    index = DeskIndex()
    store.attach_index(index)
    old = file_request(store, DeskRequest("", "初稿", "学习部", "年度总结初稿"), PROMISES, MONDAY)
    urgent = file_request(store, DeskRequest("", "公文审核", "外联部", "赞助合同"), PROMISES,
                          MONDAY + timedelta(hours=2))
    now = MONDAY + timedelta(days=1, hours=3)  # the 24 h review is overdue, the 3-day draft not
    order = [s.request.request_id for s in open_by_age(index.request_states(PROMISES), now)]
    assert order == [urgent.request_id, old.request_id]
    report = KpiReport(Period(MONDAY.date(), MONDAY.date()))
    request_figures(report, index.request_facts(PROMISES), now)
    assert report.requests_within == {"公文审核": 0.0}  # the draft is not judged yet


def ids(states: list[RequestState]) -> list[str]:
    return [state.request.request_id for state in states]


def test_the_open_and_answered_requests_follow_each_answer(store: DocumentStore) -> None:
    """The board keeps its open and answered lists between redraws; an answer (or a filing)
    moves a request between them at once."""
    index = DeskIndex()
    store.attach_index(index)
    first = file_request(store, DeskRequest("", "初稿", "学习部", "年度总结初稿"), PROMISES, MONDAY)
    second = file_request(store, DeskRequest("", "其他", "体育部", "借球"), PROMISES,
                          MONDAY + timedelta(hours=1))
    assert ids(index.open_request_states(PROMISES)) == [first.request_id, second.request_id]
    assert index.answered_request_states(PROMISES) == []
    (state,) = [s for s in index.request_states(PROMISES) if s.request == first]
    save_event(store, decline_event(state, "李四", "重复", MONDAY + timedelta(hours=2)))
    assert ids(index.open_request_states(PROMISES)) == [second.request_id]
    assert ids(index.answered_request_states(PROMISES)) == [first.request_id]
    (state,) = index.open_request_states(PROMISES)
    save_event(store, done_event(state, "李四", MONDAY + timedelta(hours=3)))
    assert index.open_request_states(PROMISES) == []
    assert ids(index.answered_request_states(PROMISES)) == [second.request_id, first.request_id]


def test_two_offline_outcomes_of_one_request_are_one_attention_item(
        make_store) -> None:  # type: ignore[no-untyped-def]
    a, b = make_store("a"), make_store("b")
    request = file_request(a, DeskRequest("", "其他", "办公室", "借桌子"), PROMISES, MONDAY)
    sync(a, b)
    index_a, index_b = DeskIndex(), DeskIndex()
    a.attach_index(index_a)
    b.attach_index(index_b)
    (state_a,) = index_a.request_states(PROMISES)
    (state_b,) = index_b.request_states(PROMISES)
    save_event(a, done_event(state_a, "张三", MONDAY + timedelta(hours=1)))
    save_event(b, decline_event(state_b, "李四", "没有桌子", MONDAY + timedelta(hours=2)))
    sync(a, b)
    (item,) = index_a.attention_items()
    assert [i.key for i in index_b.attention_items()] == [item.key]
    assert len(item.doc_ids) == 2 and item.params["what"] == "借桌子"
    stage = index_a.stages(request.request_id)["outcome"]
    save_event(a, settle_event(stage.events[1], "王五", MONDAY + timedelta(hours=3)))
    sync(a, b)
    assert index_a.attention_items() == [] and index_b.attention_items() == []
    (state_b,) = index_b.request_states(PROMISES)
    assert state_b.status == "declined"


def members(store: DocumentStore) -> dict[str, Member]:
    people = {"applicant": Member("2026001", "张三", "宣传部", "干事"),
              "secretary": Member("2026002", "李四", "秘书处", "秘书处 / 秘书长"),
              "finance": Member("2026003", "王五", "财务部", "财务部部长")}
    for member in people.values():
        save_member(store, member)
    return people


def test_expense_passes_both_stages_and_two_offline_decisions_clash_once(make_store) -> None:  # type: ignore[no-untyped-def]
    a, b = make_store("a"), make_store("b")
    people = members(a)
    expense = file_expense(a, Expense("", "2026001", "宣传部", cents_from_text("128.50"),
                                      "海报打印"), MONDAY)
    sync(a, b)
    index_a, index_b = DeskIndex(), DeskIndex()
    a.attach_index(index_a)
    b.attach_index(index_b)
    with pytest.raises(ValidationError):  # 财务部 cannot do the 初审
        decision_event(expense.expense_id, "2026001", index_a.stages(expense.expense_id),
                       EXPENSE_STAGES, people["finance"], True, "", ROLES, MONDAY)
    with pytest.raises(ValidationError):  # nobody approves their own
        decision_event(expense.expense_id, "2026001", {}, EXPENSE_STAGES, people["applicant"],
                       True, "", ROLES, MONDAY)
    save_event(a, decision_event(expense.expense_id, "2026001", index_a.stages(expense.expense_id),
                                 EXPENSE_STAGES, people["secretary"], True, "", ROLES, MONDAY))
    save_event(b, decision_event(expense.expense_id, "2026001", index_b.stages(expense.expense_id),
                                 EXPENSE_STAGES, people["secretary"], False, "发票不全", ROLES,
                                 MONDAY + timedelta(minutes=5)))
    sync(a, b)
    assert len(index_a.attention_items()) == 1 and len(index_b.attention_items()) == 1
    first = index_a.stages(expense.expense_id)["first"]
    save_event(a, settle_event(first.events[0], "2026002", MONDAY + timedelta(hours=1)))
    assert expense_status(index_a.stages(expense.expense_id)) == TO_FINANCE
    save_event(a, decision_event(expense.expense_id, "2026001", index_a.stages(expense.expense_id),
                                 EXPENSE_STAGES, people["finance"], True, "", ROLES, MONDAY))
    status = expense_status(index_a.stages(expense.expense_id))
    assert status == TO_PAY
    (total,) = totals([(index_a.expenses[expense.expense_id], status)])
    assert (total.department, total.term, total.cents) == ("宣传部", "2026-2027-1", 12850)


def test_the_demo_office_has_the_approvers_an_expense_needs(store: DocumentStore) -> None:
    """Before: no demo member held 秘书长 or 财务部部长, so no demo expense could be approved."""
    desk = tomllib.loads((Path(__file__).parents[2] / "config.toml").read_text())["desk"]
    roles = ApprovalRoles(tuple(desk["leave_approvers"]), tuple(desk["expense_first_approvers"]),
                          tuple(desk["expense_finance_approvers"]))
    summary = fill_demo(store, today=date(2026, 11, 25))
    members = [Member.from_doc(store.get(doc_id)) for doc_id in store.ids_of_type("member")]
    assert summary.members == len(members)  # the approvers are counted as members too
    expense = Expense.from_doc(store.get("desk_expense:demo0"))
    stages: dict[str, StageDecision] = {}
    for stage in EXPENSE_STAGES[:2]:
        approver = next((m for m in members if m.member_id != expense.member_id
                         and matching_role(m.role, roles.for_stage(stage))), None)
        assert approver is not None, f"no demo member may decide {stage}"
        event = save_event(store, decision_event(expense.expense_id, expense.member_id, stages,
                                                 EXPENSE_STAGES, approver, True, "", roles,
                                                 MONDAY))
        stages = {**stages, stage: StageDecision((event,))}
    assert expense_status(stages) == TO_PAY
