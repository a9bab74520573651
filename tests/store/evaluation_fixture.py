"""A term small enough to compute by hand (the figures are worked out in the docstring of
:func:`expected_totals`), shared by the store and the desk tests."""

from __future__ import annotations

from datetime import datetime

from store import DocumentStore
from store.evaluation_requests import RequestOutcome
from store.evaluation_scores import ATTITUDE, INNOVATION, HandScore, save_hand_score
from store.meetings import Absence, Meeting, Resolution, SignIn, save_meeting, save_resolution
from store.members import Member, save_member

NOW = datetime(2026, 11, 25, 9, 30)
PRESIDENT = Member("900", "主席甲", "主席团", "主席")
HEAD = Member("901", "部长乙", "宣传部", "部长")
A, B, C = (Member("001", "张三", "宣传部"), Member("002", "李四", "宣传部"),
           Member("003", "王五", "宣传部"))
REQUESTS = [RequestOutcome("001", "2026-11-02T12:00", "2026-11-02T11:00"),
            RequestOutcome("003", "2026-11-03T10:00", "2026-11-03T12:00")]


def meeting(key: str, start: str, roster: tuple[str, ...]) -> Meeting:
    return Meeting(f"meeting:{key}", f"例会{key}", start, start[:11] + "11:00", roster=roster)


def build(store: DocumentStore) -> None:
    """Meetings (grace 5 min): m1 10-10 A on time, B late, C absent; m2 11-01 A at 09:03 (in
    grace), B on leave; m3 11-20 A late, B and C on time; m4 12-01 not yet held; m0 July:
    last term. Resolutions: A done a day early and two days late, and one due in December; B
    one overdue. Hand scores: A 工作态度 90 and 创新贡献 80 by the head; B 工作态度 60 then
    corrected to 70; C 创新贡献 100 entered by the president (hidden from the head)."""
    for member in (PRESIDENT, HEAD, A, B, C):
        save_member(store, member)
    everyone = ("001", "002", "003")
    for m in (meeting("m0", "2026-07-01T09:00", everyone), meeting("m1", "2026-10-10T09:00", everyone),
              meeting("m2", "2026-11-01T09:00", ("001", "002")),
              meeting("m3", "2026-11-20T09:00", everyone),
              meeting("m4", "2026-12-01T09:00", everyone)):
        save_meeting(store, m)
    for key, member_id, time in (("m0", "001", "09:00"), ("m1", "001", "08:58"),
                                 ("m1", "002", "09:10"), ("m2", "001", "09:03"),
                                 ("m3", "001", "09:20"), ("m3", "002", "09:00"),
                                 ("m3", "003", "09:01")):
        day = {"m0": "2026-07-01", "m1": "2026-10-10", "m2": "2026-11-01", "m3": "2026-11-20"}[key]
        store.put(SignIn(f"meeting:{key}", member_id, f"{day}T{time}").to_doc())
    store.put(Absence("meeting:m2", "002", "请假：考试", "2026-10-30T10:00").to_doc())
    for number, (owner, deadline, status, done_at) in enumerate((
            ("001", "2026-10-20", "done", "2026-10-19T18:00"),
            ("001", "2026-11-10", "done", "2026-11-12T10:00"),
            ("001", "2026-12-10", "open", ""),
            ("002", "2026-11-01", "open", ""))):
        save_resolution(store, Resolution(f"resolution:r{number}", "meeting:m1", f"决议{number}",
                                          owner, deadline, status, done_at))
    for number, (member_id, dimension, score, author, at) in enumerate((
            ("001", ATTITUDE, 90, "901", "2026-11-20T10:00"),
            ("001", INNOVATION, 80, "901", "2026-11-20T10:01"),
            ("002", ATTITUDE, 60, "901", "2026-11-20T10:02"),
            ("002", ATTITUDE, 70, "901", "2026-11-21T10:00"),
            ("003", INNOVATION, 100, "900", "2026-11-22T10:00"))):
        save_hand_score(store, HandScore(f"evalscore:s{number}", "2026-autumn", member_id,
                                         dimension, score, author, at))


def expected_totals(presidium: bool) -> dict[str, float]:
    """Default weights .25 attendance, .10 punctuality, .15 resolutions, .10 requests,
    .20 attitude, .20 innovation.

    A: attendance 3/3 = 100, punctuality 100·(1 − 1/3) = 66.67, resolutions 1/2 = 50,
       requests 1/1 = 100, attitude 90, innovation 80:
       25 + 6.667 + 7.5 + 10 + 18 + 16 = 83.17 (weights sum to 1).
    B: attendance 2/2 = 100 (m2 excused), punctuality 50, resolutions 0/1 = 0, no requests,
       attitude 70 (the later entry), no innovation: (25 + 5 + 0 + 14) / .70 = 62.86.
    C: attendance 1/2 = 50, punctuality 100, no resolutions, requests 0/1 = 0, innovation 100
       (seen by the 主席团 only): (12.5 + 10 + 0 + 20) / .65 = 65.38; without it
       (12.5 + 10 + 0) / .45 = 50.
    """
    return {"001": 83.17, "002": 62.86, "003": 65.38 if presidium else 50.0}


def expected_without_requests(presidium: bool) -> dict[str, float]:
    """The same term where the requests area is not installed (no requests part):
    A (25 + 6.667 + 7.5 + 18 + 16) / .90 = 81.30; B unchanged 62.86; C (12.5 + 10 + 20) / .55
    = 77.27 for the 主席团, (12.5 + 10) / .35 = 64.29 without the hidden 创新贡献."""
    return {"001": 81.30, "002": 62.86, "003": 77.27 if presidium else 64.29}
