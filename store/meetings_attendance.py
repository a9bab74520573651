"""Attendance derived from sign-in and absence facts: who is present, late, absent, excused.

Everything here is a pure function of the documents, except :class:`AttendanceIndex`, the
derived view the kiosk and the meetings screen read for live counts.

Merge rule: the same member signed in at two doors while the kiosks were apart gives two
first revisions of the same ``signin:`` document, i.e. a conflict. Neither is wrong; the member
arrived at the *earlier* time, so the derived sign-in is the earliest of all leaf revisions
(:func:`earliest_signin`), whichever revision CouchDB's rule happens to make the winner. The
leaves are left as they are (the conflict inbox knows sign-ins settle by this rule): closing
one would be a write made merely by looking. Each door's scan is also its own ``signinscan:``
fact, so the attendance shows "also at 东门 13:58" whichever leaf wins.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from .docstore import DocumentStore
from .errors import ConflictError, ValidationError
from .kpi import MeetingFact, Period
from .meeting_replies import REPLY, Reply, leave_absences
from .meetings import (ABSENCE, MEETING, SIGNIN, SIGNIN_SCAN, Absence, Meeting, SignIn, SignInScan,
                       format_time, meeting_key, parse_time, signin_id)
from .room_checkin import RoomCheckIn, checkin_prefix, record_checkin


class Status(StrEnum):
    PRESENT = "present"
    LATE = "late"
    ABSENT = "absent"
    EXCUSED = "excused"
    WALK_IN = "walk_in"
    NOT_YET = "not_yet"  # the meeting has not started: nobody is absent yet


@dataclass(frozen=True)
class AttendanceRow:
    member_id: str
    status: Status
    signin: SignIn | None = None
    absence: Absence | None = None
    also: tuple[SignInScan, ...] = ()  # scans at other doors than the one that counted


def other_doors(signin: SignIn | None, scans: list[SignInScan]) -> tuple[SignInScan, ...]:
    """The scans that are not the sign-in itself, earliest first: "also at 东门 13:58"."""
    if signin is None:
        return ()
    return tuple(sorted((scan for scan in scans if scan.node != signin.node),
                        key=lambda scan: (scan.time, scan.node)))


@dataclass(frozen=True)
class AttendanceSummary:
    expected: int
    present: int
    late: int
    absent: int
    excused: int
    walk_in: int
    not_yet: int = 0
    started: bool = True  # before the start nobody is absent and there is no rate to show

    @property
    def signed_in(self) -> int:
        """Roster members who signed in (on time or late); walk-ins are counted apart."""
        return self.present + self.late

    @property
    def rate(self) -> float:
        """Signed in ÷ expected, where members on approved leave are not expected."""
        required = self.expected - self.excused
        return self.signed_in / required if required > 0 else 1.0


def late_after(meeting: Meeting, grace_minutes: int) -> str:
    return format_time(parse_time(meeting.start) + timedelta(minutes=grace_minutes))


def member_status(meeting: Meeting, member_id: str, signin: SignIn | None,
                  absence: Absence | None, grace_minutes: int,
                  now: datetime | None = None) -> Status:
    """``now`` before the start makes the missing "not yet"; ``None`` judges the meeting held."""
    on_roster = member_id in meeting.roster
    if signin is not None:
        if not on_roster or signin.walk_in:
            return Status.WALK_IN
        return Status.LATE if signin.time > late_after(meeting, grace_minutes) else Status.PRESENT
    if absence is not None:
        return Status.EXCUSED
    return Status.ABSENT if has_started(meeting, now) else Status.NOT_YET


def attendance_rows(meeting: Meeting, signins: Mapping[str, SignIn],
                    absences: Mapping[str, Absence], grace_minutes: int,
                    now: datetime | None = None,
                    scans: Mapping[str, list[SignInScan]] | None = None) -> list[AttendanceRow]:
    """The roster in its order, then walk-ins in the order they arrived."""
    scans = scans or {}
    rows = [
        AttendanceRow(member_id,
                      member_status(meeting, member_id, signins.get(member_id),
                                    absences.get(member_id), grace_minutes, now),
                      signins.get(member_id), absences.get(member_id),
                      other_doors(signins.get(member_id), scans.get(member_id, [])))
        for member_id in meeting.roster
    ]
    roster = set(meeting.roster)
    walk_ins = sorted((s for m, s in signins.items() if m not in roster), key=lambda s: s.time)
    rows.extend(AttendanceRow(s.member_id, Status.WALK_IN, s, absences.get(s.member_id),
                              other_doors(s, scans.get(s.member_id, [])))
                for s in walk_ins)
    return rows


def has_started(meeting: Meeting, now: datetime | None) -> bool:
    return now is None or format_time(now) >= meeting.start


def summarise(rows: list[AttendanceRow], expected: int, started: bool = True) -> AttendanceSummary:
    counts = {status: 0 for status in Status}
    for row in rows:
        counts[row.status] += 1
    return AttendanceSummary(expected, counts[Status.PRESENT], counts[Status.LATE],
                             counts[Status.ABSENT], counts[Status.EXCUSED], counts[Status.WALK_IN],
                             counts[Status.NOT_YET], started)


def earliest_signin(leaves: list[dict[str, Any]]) -> SignIn | None:
    """The sign-in a set of leaf revisions stands for: the earliest time among live leaves.

    ``leaves`` is what ``store.open_revs(doc_id, None)`` answers (``{"ok": doc}`` entries).
    Ties on time are broken by node name so every node derives the same record.
    """
    candidates = [
        SignIn.from_doc(entry["ok"])
        for entry in leaves
        if "ok" in entry and not entry["ok"].get("_deleted")
    ]
    if not candidates:
        return None
    return min(candidates, key=lambda s: (s.time, s.node, s.method))


def derived_signin(store: DocumentStore, doc_id: str, winner: dict[str, Any]) -> SignIn:
    """The sign-in for ``doc_id`` given its winning revision; reads every leaf when in conflict."""
    if store.conflicts(doc_id):
        found = earliest_signin(store.open_revs(doc_id, None))
        if found is not None:
            return found
    return SignIn.from_doc(winner)


class AttendanceIndex:
    """Meetings, their sign-ins and absences, kept current from the changes feed.

    Give it the store (``AttendanceIndex(store)``) so conflicted sign-ins are derived from all
    their leaves; without one it can only see each document's winning revision. With the store,
    sign-ins are loaded per meeting on first use (by id prefix) rather than all at attach: years
    of history cost nothing until someone looks at an old meeting.
    """

    doc_types = (MEETING, SIGNIN, SIGNIN_SCAN, ABSENCE, REPLY)

    def __init__(self, store: DocumentStore | None = None) -> None:
        self._store = store
        self.meetings: dict[str, Meeting] = {}
        self._signins: dict[str, dict[str, SignIn]] = {}
        self._absences: dict[str, dict[str, Absence]] = {}
        self._replies: dict[str, dict[str, Reply]] = {}
        self._scans: dict[str, dict[str, SignInScan]] = {}  # meeting id → scan doc id → scan
        self._owner: dict[str, tuple[str, str]] = {}  # fact doc id → (meeting id, member id)
        self._loaded: set[str] = set()  # meetings whose sign-ins are in ``_signins``

    @property
    def lazy_types(self) -> tuple[str, ...]:
        return (SIGNIN, SIGNIN_SCAN) if self._store is not None else ()

    @classmethod
    def for_store(cls, store: DocumentStore) -> AttendanceIndex:
        return cls(store)

    def reset(self) -> None:
        self.meetings.clear()
        self._signins.clear()
        self._absences.clear()
        self._replies.clear()
        self._scans.clear()
        self._owner.clear()
        self._loaded.clear()

    def _meeting_signins(self, meeting_id: str) -> dict[str, SignIn]:
        if self._store is not None and meeting_id not in self._loaded:
            self._loaded.add(meeting_id)
            for kind, prefix in ((SIGNIN, signin_id(meeting_id, "")),
                                 (SIGNIN_SCAN, f"{SIGNIN_SCAN}:{meeting_key(meeting_id)}:")):
                for doc_id in self._store.ids_with_prefix(prefix):
                    doc = self._store.get_or_none(doc_id)
                    if doc is not None:
                        self._apply_fact(kind, doc_id, doc)
        return self._signins.get(meeting_id, {})

    def update(self, doc_id: str, doc: dict[str, Any] | None) -> None:
        kind = doc_id.split(":", 1)[0]
        if kind == MEETING:
            self.meetings.pop(doc_id, None)
            if doc is not None:
                self.meetings[doc_id] = Meeting.from_doc(doc)
            return
        if kind in self.lazy_types:
            meeting_id = (doc or {}).get("meeting_id") or self._owner.get(doc_id, ("",))[0]
            if meeting_id not in self._loaded:
                return  # loaded with the rest of that meeting's sign-ins when first needed
        self._apply_fact(kind, doc_id, doc)

    def _apply_fact(self, kind: str, doc_id: str, doc: dict[str, Any] | None) -> None:
        if kind == SIGNIN_SCAN:
            self._apply_scan(doc_id, doc)
            return
        facts: dict[str, dict[str, Any]] = {SIGNIN: self._signins, REPLY: self._replies}.get(
            kind, self._absences)
        previous = self._owner.pop(doc_id, None)
        if previous is not None:
            facts.get(previous[0], {}).pop(previous[1], None)
        if doc is None:
            return
        fact: SignIn | Absence | Reply
        if kind == SIGNIN:
            fact = derived_signin(self._store, doc_id, doc) if self._store else SignIn.from_doc(doc)
        elif kind == REPLY:
            fact = Reply.from_doc(doc)
        else:
            fact = Absence.from_doc(doc)
        facts.setdefault(fact.meeting_id, {})[fact.member_id] = fact
        self._owner[doc_id] = (fact.meeting_id, fact.member_id)

    def _apply_scan(self, doc_id: str, doc: dict[str, Any] | None) -> None:
        previous = self._owner.pop(doc_id, None)
        if previous is not None:
            self._scans.get(previous[0], {}).pop(doc_id, None)
        if doc is not None:
            scan = SignInScan.from_doc(doc)
            self._scans.setdefault(scan.meeting_id, {})[doc_id] = scan
            self._owner[doc_id] = (scan.meeting_id, scan.member_id)

    def scans(self, meeting_id: str) -> dict[str, list[SignInScan]]:
        """Each member's door scans for the meeting (member id → scans)."""
        self._meeting_signins(meeting_id)
        by_member: dict[str, list[SignInScan]] = {}
        for scan in self._scans.get(meeting_id, {}).values():
            by_member.setdefault(scan.member_id, []).append(scan)
        return by_member

    def meeting(self, meeting_id: str) -> Meeting | None:
        return self.meetings.get(meeting_id)

    def meeting_list(self) -> list[Meeting]:
        """Newest first: the secretary mostly works on this week's meetings."""
        return sorted(self.meetings.values(), key=lambda m: (m.start, m.meeting_id), reverse=True)

    def signin(self, meeting_id: str, member_id: str) -> SignIn | None:
        return self._meeting_signins(meeting_id).get(member_id)

    def signins(self, meeting_id: str) -> dict[str, SignIn]:
        return dict(self._meeting_signins(meeting_id))

    def absences(self, meeting_id: str) -> dict[str, Absence]:
        """Who is excused: leave replies, and absences the secretariat recorded (which win)."""
        return {**leave_absences(self._replies.get(meeting_id, {}).values()),
                **self._absences.get(meeting_id, {})}

    def replies(self, meeting_id: str) -> dict[str, Reply]:
        return dict(self._replies.get(meeting_id, {}))

    def count(self, meeting_id: str) -> tuple[int, int]:
        """(roster members signed in, roster size): the kiosk's "42 / 50".

        The roster's set is made per call, not kept per meeting: kept, the sets of ~18k
        meetings held a million entries (~35 MB) for the few meetings anyone counts."""
        meeting = self.meetings.get(meeting_id)
        roster = set(meeting.roster) if meeting is not None else set()
        signed = sum(1 for member_id in self._meeting_signins(meeting_id) if member_id in roster)
        return signed, len(roster)

    def rows(self, meeting_id: str, grace_minutes: int,
             now: datetime | None = None) -> list[AttendanceRow]:
        meeting = self.meetings.get(meeting_id)
        if meeting is None:
            return []
        return attendance_rows(meeting, self._meeting_signins(meeting_id),
                               self.absences(meeting_id), grace_minutes, now,
                               self.scans(meeting_id))

    def summary(self, meeting_id: str, grace_minutes: int,
                now: datetime | None = None) -> AttendanceSummary:
        meeting = self.meetings.get(meeting_id)
        expected = len(meeting.roster) if meeting else 0
        started = meeting is None or has_started(meeting, now)
        return summarise(self.rows(meeting_id, grace_minutes, now), expected, started)


@dataclass(frozen=True)
class SignInOutcome:
    kind: str  # "ok", "already" (``signin`` is the earlier one) or "not_on_roster"
    signin: SignIn | None = None


def manual_window_refusal(meeting: Meeting, now: datetime,
                          opens_minutes: int) -> ValidationError | None:
    """Why a sign-in by hand is refused now: it is open from ``opens_minutes`` before the
    start until the end, so a typo days ahead does not record someone as present."""
    opens = parse_time(meeting.start) - timedelta(minutes=opens_minutes)
    if now < opens:
        return ValidationError("meetings.error.signin_not_open",
                               "Manual sign-in opens at {opens}, {minutes} min before the start",
                               opens=format_time(opens).replace("T", " "), minutes=opens_minutes)
    if format_time(now) > meeting.end:
        return ValidationError("meetings.error.signin_closed",
                               "The meeting ended at {end}; manual sign-in is closed",
                               end=meeting.end.replace("T", " "))
    return None


def sign_in(store: DocumentStore, index: AttendanceIndex, meeting: Meeting, member_id: str, *,
            now: datetime, node: str, method: str, walk_in: bool = False,
            reason: str = "", override: bool = False,
            window_minutes: int | None = None, door: str = "") -> SignInOutcome:
    """Record that ``member_id`` arrived, unless they already did or are not expected.

    A member not on the roster is only signed in when ``walk_in`` is asked for explicitly.
    With ``window_minutes`` a sign-in outside the manual window (:func:`manual_window_refusal`)
    is refused unless ``override`` is given, which the sign-in then records beside ``reason``.
    A kiosk gives its ``door``: the first scan there is kept as a fact even when the member
    had already signed in at another door.
    """
    refusal = manual_window_refusal(meeting, now, window_minutes) \
        if window_minutes is not None and not override else None
    if refusal is not None:
        raise refusal
    existing = index.signin(meeting.meeting_id, member_id)
    if existing is None and member_id not in meeting.roster and not walk_in:
        return SignInOutcome("not_on_roster")
    if door:
        record_scan(store, SignInScan(meeting.meeting_id, member_id, format_time(now), node, door))
    if existing is not None:
        return SignInOutcome("already", existing)
    signin = SignIn(meeting.meeting_id, member_id, format_time(now), node, method,
                    walk_in and member_id not in meeting.roster, reason, override=override,
                    door=door)
    try:
        store.put(signin.to_doc())
    except ConflictError:  # replicated in between the check and the write
        return SignInOutcome("already", index.signin(meeting.meeting_id, member_id))
    claim_room(store, meeting, signin)
    return SignInOutcome("ok", index.signin(meeting.meeting_id, member_id) or signin)


def claim_room(store: DocumentStore, meeting: Meeting, signin: SignIn) -> None:
    """A sign-in is the check-in of the meeting's room booking, so a meeting that signs in at
    its own kiosk is not released by the room's door (the first sign-in is enough)."""
    if meeting.booking_id and not store.ids_with_prefix(checkin_prefix(meeting.booking_id,
                                                                       meeting.day)):
        record_checkin(store, RoomCheckIn(meeting.booking_id, meeting.day, signin.member_id,
                                          signin.time, signin.node, "signin", signin.door))


def record_scan(store: DocumentStore, scan: SignInScan) -> None:
    """Keep this door's first scan of the member; a later one at the same door adds nothing."""
    if not store.exists(scan.doc_id):
        try:
            store.put(scan.to_doc())
        except ConflictError:  # replicated in between: that door's scan is already kept
            pass


def kpi_facts(index: AttendanceIndex, grace_minutes: int, final_hours: int,
              period: Period) -> list[MeetingFact]:
    """One fact per meeting of ``period`` for the KPI view: who was expected, who came, minutes
    timing. Only the period's meetings are summarised: each summary loads that meeting's
    sign-ins, and years of meetings are ~930k sign-ins at 1M documents (~50 s, and hundreds of
    MB kept) for a report that counts only the period's."""
    facts = []
    for meeting in index.meeting_list():
        try:
            start, end = parse_time(meeting.start), parse_time(meeting.end)
        except ValueError:
            continue
        if not period.contains(start):
            continue
        summary = index.summary(meeting.meeting_id, grace_minutes)
        final_at = parse_time(meeting.final_at) if meeting.final_at else None
        facts.append(MeetingFact(start, summary.expected - summary.excused, summary.signed_in,
                                 end + timedelta(hours=final_hours), final_at))
    return facts
