"""Meeting rules: attendance derivation, sign-in merge across nodes, minutes and resolutions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store import DocumentStore, ValidationError
from store.meetings import (DONE, IN_PROGRESS, MINUTES_DRAFT, MINUTES_FINAL, Meeting, Resolution,
                            ResolutionBoard, SignIn, meeting_now_or_next, minutes_state,
                            record_absence, roster_from, save_meeting, save_resolution,
                            set_resolution_status)
from store.kpi import Period
from store.meetings_attendance import AttendanceIndex, Status, kpi_facts, sign_in
from store.members import Member, MemberDirectory, save_member

NOW = datetime(2026, 11, 25, 14, 0)


def meeting(roster: tuple[str, ...] = ("001", "002", "003", "004")) -> Meeting:
    return Meeting("meeting:weekly", "部长例会", "2026-11-25T14:00", "2026-11-25T15:30", "A",
                   roster=roster, minute_taker="001")


def add_members(store: DocumentStore) -> MemberDirectory:
    for number, (name, department, role) in enumerate(
        [("张三", "秘书处", "部长"), ("李四", "秘书处", "干事"), ("王五", "宣传部", "部长"),
         ("赵六", "体育部", "干事"), ("钱七", "体育部", "干事")], start=1):
        save_member(store, Member(f"00{number}", name, department, role, qr_token=f"TOK{number}"))
    directory = MemberDirectory()
    store.attach_index(directory)
    return directory


def held_meeting(store: DocumentStore) -> tuple[AttendanceIndex, Meeting]:
    """The members, an attendance index on the store, and the saved :func:`meeting`."""
    add_members(store)
    index = AttendanceIndex(store)
    store.attach_index(index)
    m = meeting()
    save_meeting(store, m)
    return index, m


def sync(a: DocumentStore, b: DocumentStore, doc_id: str) -> None:
    """Copy every leaf of ``doc_id`` both ways, as the replicator would."""
    from_a = [entry["ok"] for entry in a.open_revs(doc_id, None) if "ok" in entry]
    from_b = [entry["ok"] for entry in b.open_revs(doc_id, None) if "ok" in entry]
    b.put_revisions(from_a)
    a.put_revisions(from_b)


def test_roster_from_departments_roles_and_picks(store: DocumentStore) -> None:
    directory = add_members(store)
    assert set(roster_from(directory, departments=["秘书处"], roles=["部长"])) == {"001", "002", "003"}
    assert set(roster_from(directory, member_ids=["005"], departments=["宣传部"])) == {"003", "005"}
    with pytest.raises(ValidationError):
        roster_from(directory, member_ids=["999"])


def test_statuses_present_late_absent_excused_walk_in(store: DocumentStore) -> None:
    index, m = held_meeting(store)
    assert sign_in(store, index, m, "001", now=datetime(2026, 11, 25, 13, 58), node="door",
                   method="badge").kind == "ok"
    assert sign_in(store, index, m, "002", now=datetime(2026, 11, 25, 14, 6), node="door",
                   method="id").kind == "ok"
    record_absence(store, m.meeting_id, "003", "考试", NOW)
    assert sign_in(store, index, m, "005", now=NOW, node="door", method="name").kind == "not_on_roster"
    assert sign_in(store, index, m, "005", now=NOW, node="door", method="name", walk_in=True).kind == "ok"
    again = sign_in(store, index, m, "001", now=NOW, node="door", method="badge")
    assert again.kind == "already" and again.signin is not None and again.signin.clock == "13:58"

    rows = {row.member_id: row.status for row in index.rows(m.meeting_id, grace_minutes=5)}
    assert rows == {"001": Status.PRESENT, "002": Status.LATE, "003": Status.EXCUSED,
                    "004": Status.ABSENT, "005": Status.WALK_IN}
    summary = index.summary(m.meeting_id, 5)
    assert (summary.signed_in, summary.expected, summary.walk_in) == (2, 4, 1)
    assert summary.rate == pytest.approx(2 / 3)
    assert index.count(m.meeting_id) == (2, 4)


def test_same_member_on_two_nodes_merges_to_the_earliest_time(
    make_store: Callable[[str], DocumentStore]
) -> None:
    a, b = make_store("a"), make_store("b")
    m = meeting()
    for node in (a, b):
        save_meeting(node, m)
    index_a, index_b = AttendanceIndex(a), AttendanceIndex(b)
    a.attach_index(index_a)
    b.attach_index(index_b)
    sign_in(a, index_a, m, "001", now=datetime(2026, 11, 25, 14, 3), node="east", method="badge")
    sign_in(b, index_b, m, "001", now=datetime(2026, 11, 25, 13, 57), node="west", method="badge")
    doc_id = SignIn(m.meeting_id, "001", "").doc_id
    sync(a, b, doc_id)

    for node, index in ((a, index_a), (b, index_b)):
        assert node.ids_of_type("signin") == [doc_id]
        assert len(node.open_revs(doc_id, None)) == 2
        derived = index.signin(m.meeting_id, "001")
        assert derived is not None and (derived.time, derived.node) == ("2026-11-25T13:57", "west")
        fresh = AttendanceIndex(node)  # rebuilt from the store, as after a restart
        node.attach_index(fresh)
        assert fresh.signin(m.meeting_id, "001").time == "2026-11-25T13:57"  # type: ignore[union-attr]
        assert index.count(m.meeting_id) == (1, 4)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.integers(min_value=0, max_value=59), min_size=2, max_size=4, unique=True))
def test_earliest_leaf_wins_whatever_the_winner(tmp_path_factory: pytest.TempPathFactory,
                                                 minutes: list[int]) -> None:
    stores = [DocumentStore.open(tmp_path_factory.mktemp("node")) for _ in minutes]
    try:
        m = meeting()
        doc_id = SignIn(m.meeting_id, "002", "").doc_id
        for number, (node, minute) in enumerate(zip(stores, minutes)):
            node.put(SignIn(m.meeting_id, "002", f"2026-11-25T13:{minute:02d}", f"n{number}").to_doc())
        first = stores[0]
        for other in stores[1:]:
            sync(first, other, doc_id)
        index = AttendanceIndex(first)
        first.attach_index(index)
        assert index.signin(m.meeting_id, "002").time == f"2026-11-25T13:{min(minutes):02d}"  # type: ignore[union-attr]
    finally:
        for node in stores:
            node.close()


def test_minutes_due_and_overdue() -> None:
    m = meeting()
    state = minutes_state(m, datetime(2026, 11, 26, 15, 31), 24, 48)
    assert (state.draft_due, state.final_due) == ("2026-11-26T15:30", "2026-11-27T15:30")
    assert state.draft_overdue and not state.final_overdue
    drafted = minutes_state(Meeting(**{**m.__dict__, "minutes_status": MINUTES_DRAFT}),
                            datetime(2026, 11, 28, 9, 0), 24, 48)
    assert not drafted.draft_overdue and drafted.final_overdue
    final = minutes_state(Meeting(**{**m.__dict__, "minutes_status": MINUTES_FINAL}),
                          datetime(2026, 12, 28, 9, 0), 24, 48)
    assert not final.overdue


def test_meeting_validation(store: DocumentStore) -> None:
    with pytest.raises(ValidationError) as error:
        save_meeting(store, Meeting("meeting:x", " ", "2026-11-25T14:00", "2026-11-25T15:00"))
    assert error.value.key == "meetings.error.title_required"
    with pytest.raises(ValidationError) as error:
        save_meeting(store, Meeting("meeting:x", "t", "2026-11-25T14:00", "2026-11-25T13:00"))
    assert error.value.key == "meetings.error.end_before_start"


def test_meeting_now_or_next() -> None:
    early = Meeting("meeting:a", "a", "2026-11-25T09:00", "2026-11-25T10:00")
    running = Meeting("meeting:b", "b", "2026-11-25T13:30", "2026-11-25T15:00")
    later = Meeting("meeting:c", "c", "2026-11-25T16:00", "2026-11-25T17:00")
    assert meeting_now_or_next([early, running, later], NOW) == running
    assert meeting_now_or_next([early, later], NOW) == later
    assert meeting_now_or_next([early], NOW) is None


def test_resolution_board_overdue(store: DocumentStore) -> None:
    board = ResolutionBoard()
    store.attach_index(board)
    late = Resolution("resolution:1", "meeting:weekly", "交换届材料", "001", "2026-11-20")
    soon = Resolution("resolution:2", "meeting:weekly", "预订报告厅", "002", "2026-11-30")
    save_resolution(store, late)
    save_resolution(store, soon)
    assert [r.resolution_id for r in board.overdue(NOW)] == ["resolution:1"]
    set_resolution_status(store, board.all()[0], IN_PROGRESS, NOW)
    assert board.overdue(NOW)[0].status == IN_PROGRESS
    set_resolution_status(store, board.all()[0], DONE, NOW)
    assert board.overdue(NOW) == []
    assert [r.resolution_id for r in board.all("meeting:weekly")] == ["resolution:2", "resolution:1"]
    with pytest.raises(ValidationError):
        save_resolution(store, Resolution("resolution:3", "meeting:weekly", "x", "001", "someday"))


def test_before_the_start_nobody_is_absent_and_there_is_no_rate(store: DocumentStore) -> None:
    index, m = held_meeting(store)
    before = datetime(2026, 11, 25, 13, 40)
    sign_in(store, index, m, "001", now=before, node="door", method="badge")
    rows = {row.member_id: row.status for row in index.rows(m.meeting_id, 5, before)}
    assert rows == {"001": Status.PRESENT, "002": Status.NOT_YET, "003": Status.NOT_YET,
                    "004": Status.NOT_YET}
    summary = index.summary(m.meeting_id, 5, before)
    assert not summary.started and summary.absent == 0 and summary.not_yet == 3
    after = index.summary(m.meeting_id, 5, datetime(2026, 11, 25, 14, 0))
    assert after.started and after.absent == 3


def test_manual_signin_only_in_its_window_unless_overridden_with_a_reason(
        store: DocumentStore) -> None:
    index, m = held_meeting(store)
    two_days_before = datetime(2026, 11, 23, 14, 0)
    with pytest.raises(ValidationError) as caught:
        sign_in(store, index, m, "001", now=two_days_before, node="laptop", method="manual",
                reason="补签", window_minutes=30)
    assert caught.value.key == "meetings.error.signin_not_open"
    assert store.get_or_none("signin:weekly:001") is None
    with pytest.raises(ValidationError) as caught:
        sign_in(store, index, m, "001", now=datetime(2026, 11, 25, 16, 0), node="laptop",
                method="manual", reason="补签", window_minutes=30)
    assert caught.value.key == "meetings.error.signin_closed"
    assert sign_in(store, index, m, "002", now=datetime(2026, 11, 25, 13, 30), node="laptop",
                   method="manual", reason="忘带胸牌", window_minutes=30).kind == "ok"
    sign_in(store, index, m, "001", now=two_days_before, node="laptop", method="manual",
            reason="提前请示过", override=True, window_minutes=30)
    recorded = store.get("signin:weekly:001")
    assert recorded["override"] is True and recorded["reason"] == "提前请示过"


def test_meetings_share_one_string_per_roster_member(store: DocumentStore) -> None:
    """Thousands of meetings name the same few hundred members: one string each, not a copy
    per meeting (a million copies at 1M documents)."""
    _index, first = held_meeting(store)
    save_meeting(store, Meeting("meeting:other", "周会", "2026-11-26T14:00", "2026-11-26T15:00",
                                roster=first.roster))
    fresh = AttendanceIndex(store)
    store.attach_index(fresh)
    ours, theirs = fresh.meetings["meeting:weekly"].roster, fresh.meetings["meeting:other"].roster
    assert ours == theirs
    assert all(a is b for a, b in zip(ours, theirs, strict=True))


def test_kpi_facts_are_the_periods_meetings_only(store: DocumentStore) -> None:
    """Summarising a meeting loads its sign-ins; years of them are not read for one month."""
    index, m = held_meeting(store)
    sign_in(store, index, m, "001", now=NOW, node="desk", method="manual")
    save_meeting(store, Meeting("meeting:last-year", "年会", "2025-11-25T14:00",
                                "2025-11-25T15:00", roster=("001",)))
    facts = kpi_facts(index, 10, 48, Period(date(2026, 11, 1), date(2026, 11, 30)))
    assert [(fact.start, fact.expected, fact.attended) for fact in facts] == [
        (datetime(2026, 11, 25, 14, 0), 4, 1)]
