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

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from .docstore import DocumentStore
from .errors import ConflictError, InvalidDocument, ValidationError
from .index_feed import log_skipped, update_index
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


def member_status(meeting: Meeting, member_id: str, arrived: str | None, walk_in: bool,
                  excused: bool, grace_minutes: int, now: datetime | None = None) -> Status:
    """``arrived`` is the sign-in's time (``None``: not signed in), ``walk_in`` what it says.

    ``now`` before the start makes the missing "not yet"; ``None`` judges the meeting held.
    """
    on_roster = member_id in meeting.roster
    if arrived is not None:
        if not on_roster or walk_in:
            return Status.WALK_IN
        return Status.LATE if arrived > late_after(meeting, grace_minutes) else Status.PRESENT
    if excused:
        return Status.EXCUSED
    return Status.ABSENT if has_started(meeting, now) else Status.NOT_YET


def attendance_rows(meeting: Meeting, signins: Mapping[str, SignIn],
                    absences: Mapping[str, Absence], grace_minutes: int,
                    now: datetime | None = None,
                    scans: Mapping[str, list[SignInScan]] | None = None) -> list[AttendanceRow]:
    """The roster in its order, then walk-ins in the order they arrived."""
    scans = scans or {}
    rows = []
    for member_id in meeting.roster:
        signin = signins.get(member_id)
        status = member_status(meeting, member_id, signin.time if signin else None,
                               signin is not None and signin.walk_in, member_id in absences,
                               grace_minutes, now)
        rows.append(AttendanceRow(member_id, status, signin, absences.get(member_id),
                                  other_doors(signin, scans.get(member_id, []))))
    roster = set(meeting.roster)
    walk_ins = sorted((s for m, s in signins.items() if m not in roster), key=lambda s: s.time)
    rows.extend(AttendanceRow(s.member_id, Status.WALK_IN, s, absences.get(s.member_id),
                              other_doors(s, scans.get(s.member_id, [])))
                for s in walk_ins)
    return rows


def has_started(meeting: Meeting, now: datetime | None) -> bool:
    return now is None or format_time(now) >= meeting.start


def summarise(statuses: Iterable[Status], expected: int,
              started: bool = True) -> AttendanceSummary:
    counts = {status: 0 for status in Status}
    for status in statuses:
        counts[status] += 1
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


def _signin_owner(doc_id: str) -> tuple[str, str]:
    """(meeting id, member id) a sign-in's id names: ``signin:{key}:{member}``."""
    parts = doc_id.split(":", 2)
    if len(parts) != 3:
        raise InvalidDocument(reason=f"{doc_id}: not a sign-in id")
    return f"{MEETING}:{parts[1]}", parts[2]


class AttendanceIndex:
    """Meetings, their sign-ins and absences, kept current from the changes feed.

    Sign-ins are loaded per meeting on first use (by id prefix) rather than all at attach:
    years of history cost nothing until someone looks at an old meeting. Even loaded, a
    meeting keeps only what its counts need, each member's arrival time (``_arrived``) and
    who arrived as a walk-in: the KPI report loads a period's meetings, and a year of
    them at 1M documents would hold every sign-in record. The records themselves, and the door
    scans, are read from the store when one meeting's attendance list asks for them. The
    store is also what conflicted sign-ins are derived from (the earliest of their leaves).

    A sign-in is counted for the meeting and member its id names, and refused (skipped and
    logged) when its body names others: its id is how it is found, loaded and removed.
    """

    doc_types = (MEETING, SIGNIN, ABSENCE, REPLY)
    lazy_types = (SIGNIN,)

    def __init__(self, store: DocumentStore) -> None:
        self._store = store
        self.meetings: dict[str, Meeting] = {}
        self._absences: dict[str, dict[str, Absence]] = {}
        self._replies: dict[str, dict[str, Reply]] = {}
        self._owner: dict[str, tuple[str, str]] = {}  # absence or reply id → (meeting, member)
        self._arrived: dict[str, dict[str, str]] = {}  # loaded meeting → member → sign-in time
        self._walk_ins: dict[str, set[str]] = {}  # meeting → members signed in as walk-ins

    @classmethod
    def for_store(cls, store: DocumentStore) -> AttendanceIndex:
        return cls(store)

    def reset(self) -> None:
        for table in (self.meetings, self._absences, self._replies, self._owner, self._arrived,
                      self._walk_ins):
            table.clear()

    def update(self, doc_id: str, doc: dict[str, Any] | None) -> None:
        kind = doc_id.split(":", 1)[0]
        if kind == MEETING:
            self.meetings.pop(doc_id, None)
            if doc is not None:
                self.meetings[doc_id] = Meeting.from_doc(doc)
        elif kind == SIGNIN:
            self._update_signin(doc_id, doc)
        else:
            self._update_fact(kind, doc_id, doc)

    def _update_signin(self, doc_id: str, doc: dict[str, Any] | None) -> None:
        meeting_id, member_id = _signin_owner(doc_id)
        arrived = self._arrived.get(meeting_id)
        if arrived is None:
            return  # loaded with the rest of that meeting's sign-ins when first needed
        arrived.pop(member_id, None)
        walk_ins = self._walk_ins.get(meeting_id, set())
        walk_ins.discard(member_id)
        if not walk_ins:
            self._walk_ins.pop(meeting_id, None)
        if doc is None:
            return
        signin = derived_signin(self._store, doc_id, doc)
        if (signin.meeting_id, signin.member_id) != (meeting_id, member_id):
            raise InvalidDocument(reason=f"{doc_id} holds the sign-in of {signin.doc_id}")
        arrived[signin.member_id] = signin.time
        if signin.walk_in:
            self._walk_ins.setdefault(meeting_id, set()).add(signin.member_id)

    def _update_fact(self, kind: str, doc_id: str, doc: dict[str, Any] | None) -> None:
        facts: dict[str, dict[str, Any]] = self._replies if kind == REPLY else self._absences
        previous = self._owner.pop(doc_id, None)
        if previous is not None:
            facts.get(previous[0], {}).pop(previous[1], None)
        if doc is None:
            return
        fact = Reply.from_doc(doc) if kind == REPLY else Absence.from_doc(doc)
        facts.setdefault(fact.meeting_id, {})[fact.member_id] = fact
        self._owner[doc_id] = (fact.meeting_id, fact.member_id)

    def _arrivals(self, meeting_id: str) -> dict[str, str]:
        """Member → arrival time for the meeting, its sign-ins loaded on first use."""
        arrived = self._arrived.get(meeting_id)
        if arrived is None:
            arrived = self._arrived[meeting_id] = {}
            for doc_id, doc in self._docs_with_prefix(signin_id(meeting_id, "")):
                update_index(self, doc_id, doc)
        return arrived

    def _docs_with_prefix(self, prefix: str) -> Iterator[tuple[str, dict[str, Any]]]:
        for doc_id in self._store.ids_with_prefix(prefix):
            doc = self._store.get_or_none(doc_id)
            if doc is not None:
                yield doc_id, doc

    def scans(self, meeting_id: str) -> dict[str, list[SignInScan]]:
        """Each member's door scans for the meeting (member id → scans), read from the store:
        only one meeting's attendance list shows them. A scan whose body names another meeting,
        member or door than its id is skipped, as a sign-in is."""
        by_member: dict[str, list[SignInScan]] = {}
        for doc_id, doc in self._docs_with_prefix(f"{SIGNIN_SCAN}:{meeting_key(meeting_id)}:"):
            try:
                scan = SignInScan.from_doc(doc)
            except InvalidDocument as error:
                log_skipped(self, doc_id, error)
                continue
            if scan.doc_id == doc_id and scan.meeting_id == meeting_id:
                by_member.setdefault(scan.member_id, []).append(scan)
        return by_member

    def meeting(self, meeting_id: str) -> Meeting | None:
        return self.meetings.get(meeting_id)

    def meeting_list(self) -> list[Meeting]:
        """Newest first: the secretary mostly works on this week's meetings."""
        return sorted(self.meetings.values(), key=lambda m: (m.start, m.meeting_id), reverse=True)

    def signin(self, meeting_id: str, member_id: str) -> SignIn | None:
        if member_id not in self._arrivals(meeting_id):
            return None
        doc_id = signin_id(meeting_id, member_id)
        doc = self._store.get_or_none(doc_id)
        return derived_signin(self._store, doc_id, doc) if doc is not None else None

    def signins(self, meeting_id: str) -> dict[str, SignIn]:
        found = {member_id: self.signin(meeting_id, member_id)
                 for member_id in self._arrivals(meeting_id)}
        return {member_id: signin for member_id, signin in found.items() if signin is not None}

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
        signed = sum(1 for member_id in self._arrivals(meeting_id) if member_id in roster)
        return signed, len(roster)

    def rows(self, meeting_id: str, grace_minutes: int,
             now: datetime | None = None) -> list[AttendanceRow]:
        meeting = self.meetings.get(meeting_id)
        if meeting is None:
            return []
        return attendance_rows(meeting, self.signins(meeting_id), self.absences(meeting_id),
                               grace_minutes, now, self.scans(meeting_id))

    def summary(self, meeting_id: str, grace_minutes: int,
                now: datetime | None = None) -> AttendanceSummary:
        """The counts of :meth:`rows`, from the arrival times alone (no record is read)."""
        meeting = self.meetings.get(meeting_id)
        if meeting is None:
            return summarise((), 0)
        arrived = self._arrivals(meeting_id)
        walk_ins = self._walk_ins.get(meeting_id, set())
        excused = self.absences(meeting_id)
        roster = set(meeting.roster)
        statuses = [member_status(meeting, member_id, arrived.get(member_id),
                                  member_id in walk_ins, member_id in excused, grace_minutes, now)
                    for member_id in meeting.roster]
        statuses.extend(Status.WALK_IN for member_id in arrived if member_id not in roster)
        return summarise(statuses, len(meeting.roster), has_started(meeting, now))


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
