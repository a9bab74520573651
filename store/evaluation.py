"""Member evaluation (绩效考核) per term: the figures, the parts, the weighted total, the rank.

Parts, each on 0–100:

* **attendance** (出勤率): meetings signed in ÷ meetings the member was expected at, over the
  term's meetings that have started; an approved leave (请假) is not expected.
* **punctuality** (准时): 100 × (1 − late sign-ins ÷ sign-ins).
* **resolutions** (决议按时完成): resolutions the member owns that fell due in the term (or were
  done in it), done by the end of their deadline day ÷ all of them.
* **requests** (需求按时办结): requests the member handled that fell due in the term, done by
  the promised time ÷ all of them (from :mod:`store.evaluation_requests`).
* **attitude** and **innovation** (工作态度、创新贡献): the scores heads entered by hand
  (:mod:`store.evaluation_scores`), only those the viewer may see.

The total is the weighted mean of the parts a member *has*: a part with nothing to measure (no
resolutions owned, say) drops out and the other weights fill its place, so nobody is ranked
down for work they were never given. A viewer who may not see someone's hand scores gets totals
without them, so the table never reveals a hidden score by difference.

Everything here is a pure function over records, so the figures can be checked by hand.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from .docstore import DocumentStore
from .evaluation_requests import RequestOutcome
from .evaluation_scores import ATTITUDE, INNOVATION, HandScore
from .kpi import Period
from .meetings import DONE, SIGNIN, Meeting, Resolution, format_time
from .meetings_attendance import AttendanceIndex, derived_signin, late_after
from .members import Member

PARTS = ("attendance", "punctuality", "resolutions", "requests", ATTITUDE, INNOVATION)


@dataclass(frozen=True)
class Term:
    """A school term: autumn from August to January, spring from February to July."""

    key: str  # "2026-autumn", "2027-spring"
    period: Period

    @property
    def year(self) -> int:
        return int(self.key[:4])

    @property
    def season(self) -> str:
        return self.key[5:]


def term_of(day: date) -> Term:
    if 2 <= day.month <= 7:
        return Term(f"{day.year}-spring", Period(date(day.year, 2, 1), date(day.year, 7, 31)))
    year = day.year if day.month >= 8 else day.year - 1
    return Term(f"{year}-autumn", Period(date(year, 8, 1), date(year + 1, 1, 31)))


def quarter_period(day: date) -> tuple[str, Period]:
    """(``2026Q4``, its first to last day)."""
    first_month = (day.month - 1) // 3 * 3 + 1
    start = date(day.year, first_month, 1)
    end = date(day.year + 1, 1, 1) if first_month == 10 else date(day.year, first_month + 3, 1)
    return f"{day.year}Q{(first_month - 1) // 3 + 1}", Period(start, date.fromordinal(
        end.toordinal() - 1))


@dataclass(frozen=True)
class Weights:
    attendance: float = 0.25
    punctuality: float = 0.10
    resolutions: float = 0.15
    requests: float = 0.10
    attitude: float = 0.20
    innovation: float = 0.20

    def of(self, part: str) -> float:
        return float(getattr(self, part))


@dataclass
class Counts:
    """What was counted for one member; filled by :func:`evaluate`, read-only after."""

    expected: int = 0
    attended: int = 0
    late: int = 0
    resolutions: int = 0
    resolutions_on_time: int = 0
    requests: int = 0
    requests_on_time: int = 0
    missed: list[Meeting] = field(default_factory=list)  # absent, for the member's sheet
    late_at: list[Meeting] = field(default_factory=list)


@dataclass(frozen=True)
class MemberFigures:
    member: Member
    counts: Counts
    hand: Mapping[str, HandScore] = field(default_factory=dict)  # dimension → visible entry

    def part(self, name: str) -> float | None:
        """The part on 0–100, or None when there is nothing to measure."""
        c = self.counts
        if name == "attendance":
            return _rate(c.attended, c.expected)
        if name == "punctuality":
            late_rate = _rate(c.late, c.attended)
            return None if late_rate is None else 100 - late_rate
        if name == "resolutions":
            return _rate(c.resolutions_on_time, c.resolutions)
        if name == "requests":
            return _rate(c.requests_on_time, c.requests)
        score = self.hand.get(name)
        return None if score is None else float(score.score)

    def total(self, weights: Weights) -> float | None:
        measured = [(weights.of(name), value) for name in PARTS
                    if (value := self.part(name)) is not None and weights.of(name) > 0]
        weight = sum(w for w, _ in measured)
        return sum(w * v for w, v in measured) / weight if weight > 0 else None


def _rate(part: int, whole: int) -> float | None:
    return 100 * part / whole if whole else None


@dataclass(frozen=True)
class RankedRow:
    rank: int  # 0 for members with nothing measured (listed last)
    figures: MemberFigures
    total: float | None


@dataclass(frozen=True)
class HeldMeeting:
    """A meeting of the period that has started: who signed in (member → time) and who was
    excused (请假). The evaluation needs only these, not the full attendance rows, so a term of
    200 000 sign-ins is read in one pass (:func:`meetings_in`)."""

    meeting: Meeting
    signed: Mapping[str, str]
    excused: frozenset[str]
    late_after: str  # a sign-in after this minute is late


def _count_attendance(tallies: dict[str, Counts], meetings: Iterable[HeldMeeting]) -> None:
    """Per roster member: signed in (late or not), else excused (not expected), else absent;
    the same order of precedence as the meeting's attendance list."""
    for held in meetings:
        for member_id in held.meeting.roster:
            tally = tallies.get(member_id)
            time = held.signed.get(member_id)
            if tally is None or (time is None and member_id in held.excused):
                continue
            tally.expected += 1
            if time is None:
                tally.missed.append(held.meeting)
                continue
            tally.attended += 1
            if time > held.late_after:
                tally.late += 1
                tally.late_at.append(held.meeting)


def resolution_counts(resolution: Resolution, period: Period, now: datetime) -> tuple[bool, bool]:
    """(counts in the period, done on time): due in the period and due by now, or done in it."""
    done_day = resolution.done_at[:10] if resolution.status == DONE else ""
    due = resolution.deadline
    start, end = period.start.isoformat(), period.end.isoformat()
    counted = (start <= due <= end and due < now.date().isoformat()) or (
        bool(done_day) and start <= done_day <= end)
    return counted, bool(done_day) and done_day <= due


def evaluate(members: Iterable[Member],
             meetings: Iterable[HeldMeeting],
             resolutions: Iterable[Resolution], requests: Iterable[RequestOutcome],
             hand: Mapping[tuple[str, str], HandScore], period: Period, now: datetime,
             weights: Weights) -> list[RankedRow]:
    """The ranked table. ``meetings`` are the period's held meetings; ``hand`` holds only the
    entries the viewer may see."""
    people = {member.member_id: member for member in members}
    tallies = {member_id: Counts() for member_id in people}
    _count_attendance(tallies, meetings)
    for resolution in resolutions:
        tally = tallies.get(resolution.owner)
        counted, on_time = resolution_counts(resolution, period, now)
        if tally is not None and counted:
            tally.resolutions += 1
            tally.resolutions_on_time += on_time
    now_text = format_time(now)
    for request in requests:
        tally = tallies.get(request.member_id)
        in_period = period.start.isoformat() <= request.due[:10] <= period.end.isoformat()
        if tally is not None and in_period and (request.done_at or request.due < now_text):
            tally.requests += 1
            tally.requests_on_time += request.on_time
    figures = [MemberFigures(people[member_id], counts, {
        dim: hand[(member_id, dim)] for dim in (ATTITUDE, INNOVATION) if (member_id, dim) in hand})
        for member_id, counts in tallies.items()]
    scored = [(f.total(weights), f) for f in figures]
    scored.sort(key=lambda pair: (pair[0] is None, -(pair[0] or 0), pair[1].member.member_id))
    rows: list[RankedRow] = []
    for position, (total, figure) in enumerate(scored, start=1):
        rank = 0 if total is None else (
            rows[-1].rank if rows and rows[-1].total is not None
            and round(rows[-1].total, 2) == round(total, 2) else position)
        rows.append(RankedRow(rank, figure, total))
    return rows


@dataclass(frozen=True)
class StarCandidate:
    row: RankedRow
    comments: tuple[str, ...]  # survey comments of the quarter that name the member


def star_proposal(rows: Iterable[RankedRow], comments: Iterable[str], limit: int = 3
                  ) -> list[StarCandidate]:
    """服务之星 candidates, best first: most named in the quarter's survey comments, then the
    highest total. A proposal for the 主席团, who decide."""
    said = list(comments)
    candidates = [StarCandidate(row, tuple(c for c in said if len(row.figures.member.name) >= 2
                                           and row.figures.member.name in c))
                  for row in rows if row.total is not None]
    candidates.sort(key=lambda c: (-len(c.comments), -(c.row.total or 0),
                                   c.row.figures.member.member_id))
    return candidates[:limit]


def meetings_in(store: DocumentStore, attendance: AttendanceIndex, period: Period,
                now: datetime, grace_minutes: int) -> list[HeldMeeting]:
    """The period's meetings that have started and were not cancelled, with their sign-ins.

    The sign-ins are read in one pass over their ids (``signin:{meeting}:{member}``), not a
    prefix scan per meeting; a conflicted sign-in is the earliest of its leaves, as in the
    meeting's own attendance list.
    """
    now_text = format_time(now)
    start, end = period.start.isoformat(), period.end.isoformat()
    held = {meeting.key: meeting for meeting in attendance.meetings.values()
            if start <= meeting.day <= end and meeting.start <= now_text and not meeting.cancelled}
    signed: dict[str, dict[str, str]] = {key: {} for key in held}
    conflicted = set(store.conflicted_ids())
    for doc_id in store.ids_of_type(SIGNIN):
        parts = doc_id.split(":")
        if len(parts) != 3 or parts[1] not in held:
            continue
        doc = store.get_or_none(doc_id)
        if doc is None:
            continue
        if doc_id in conflicted:
            doc = {"time": derived_signin(store, doc_id, doc).time}
        time = doc.get("time")
        if isinstance(time, str) and len(time) == 16:  # compared as text: nothing to parse
            signed[parts[1]][parts[2]] = time
    return [HeldMeeting(meeting, signed[key],
                        frozenset(attendance.absences(meeting.meeting_id)),
                        late_after(meeting, grace_minutes))
            for key, meeting in held.items()]
