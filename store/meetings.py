"""Meetings (会议), their sign-ins, leave of absence and resolutions (决议): records and rules.

A meeting is ``meeting:{key}``; what happens at it is appended as facts that never change:
``signin:{key}:{member_id}`` (deterministic, so one person scanned at two doors is one
document), ``signinscan:{key}:{member_id}:{node}`` (each door's own scan of that person, kept
beside the sign-in so a second door is never lost in the merge) and ``absence:{key}:{member_id}`` (a leave of absence recorded by the secretary).
Resolutions are ``resolution:{uuid}`` with an owner, a deadline and a status; "overdue" is
derived from the clock, never stored. Attendance is derived in :mod:`store.meetings_attendance`.
"""

from __future__ import annotations

import re
import sys
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from .doc_codec import DocumentRecord, LocalDate, LocalTime
from .docstore import DocumentStore
from .errors import ConflictError, InvalidDocument, ValidationError
from .members import MemberDirectory

MEETING = "meeting"
SIGNIN = "signin"
SIGNIN_SCAN = "signinscan"
ABSENCE = "absence"
RESOLUTION = "resolution"

MEETING_CLASSES = ("A", "B", "C")
MINUTES_NONE, MINUTES_DRAFT, MINUTES_FINAL = "none", "draft", "final"
MINUTES_STATUSES = (MINUTES_NONE, MINUTES_DRAFT, MINUTES_FINAL)
OPEN, IN_PROGRESS, DONE = "open", "in_progress", "done"
RESOLUTION_STATUSES = (OPEN, IN_PROGRESS, DONE)
METHODS = ("badge", "id", "name", "manual")
_KEY = re.compile(r"^[0-9A-Za-z_.-]{1,64}$")
_TIME = "%Y-%m-%dT%H:%M"


def format_time(moment: datetime) -> str:
    return moment.isoformat(timespec="minutes")


def parse_time(text: str) -> datetime:
    return datetime.strptime(text, _TIME)


def meeting_key(meeting_id: str) -> str:
    """``"meeting:ab12"`` → ``"ab12"``: the part sign-in and absence ids embed."""
    return meeting_id.split(":", 1)[1] if meeting_id.startswith(f"{MEETING}:") else meeting_id


def meeting_doc_id(key_or_id: str) -> str:
    return key_or_id if key_or_id.startswith(f"{MEETING}:") else f"{MEETING}:{key_or_id}"


def signin_id(meeting_id: str, member_id: str) -> str:
    return f"{SIGNIN}:{meeting_key(meeting_id)}:{member_id}"


def signin_scan_id(meeting_id: str, member_id: str, node: str) -> str:
    return f"{SIGNIN_SCAN}:{meeting_key(meeting_id)}:{member_id}:{node}"


def absence_id(meeting_id: str, member_id: str) -> str:
    return f"{ABSENCE}:{meeting_key(meeting_id)}:{member_id}"


def _refuse(key: str, english: str, **params: Any) -> ValidationError:
    return ValidationError(f"meetings.error.{key}", english, **params)


@dataclass(frozen=True)
class Meeting(DocumentRecord):
    ID_FIELD = "meeting_id"

    meeting_id: str
    title: str
    start: LocalTime
    end: LocalTime
    meeting_class: str = "B"
    room_id: str = ""
    booking_id: str = ""
    roster: tuple[str, ...] = ()  # member ids expected to attend, in display order
    minute_taker: str = ""
    minutes_status: str = MINUTES_NONE
    draft_at: LocalTime = ""
    final_at: LocalTime = ""
    cancelled: bool = False  # with its booking, see store.meeting_booking
    agenda: str = ""  # 议程, items separated by "；", for the notice and the minutes

    @staticmethod
    def new_id() -> str:
        return f"{MEETING}:{uuid.uuid4().hex}"

    @property
    def key(self) -> str:
        return meeting_key(self.meeting_id)

    @property
    def day(self) -> str:
        return self.start[:10]

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Meeting:
        """The roster's member ids are interned: an office of a few hundred members holds
        ~18k meetings of ~55 names each, a million copies of the same few hundred strings
        (~64 MB at 1M documents) unless each name is one shared string."""
        meeting: Meeting = super().from_doc(doc)
        if not isinstance(meeting.roster, list | tuple):
            raise InvalidDocument(reason=f"{doc.get('_id')}: roster is not a list")
        return replace(meeting, roster=tuple(sys.intern(str(m)) for m in meeting.roster))


@dataclass(frozen=True)
class SignIn(DocumentRecord):
    """One member signed in to one meeting: an immutable fact."""

    meeting_id: str
    member_id: str
    time: LocalTime
    node: str = ""
    method: str = "badge"
    walk_in: bool = False
    reason: str = ""  # why a secretary signed someone in by hand
    override: bool = False  # signed in by hand outside the manual window, ``reason`` says why
    door: str = ""  # the kiosk's name (``[kiosk] name``), empty for a sign-in at the desk

    @property
    def doc_id(self) -> str:
        return signin_id(self.meeting_id, self.member_id)

    @property
    def clock(self) -> str:
        return self.time[11:16]


@dataclass(frozen=True)
class SignInScan(DocumentRecord):
    """The first scan of one member at one door (kiosk node) for one meeting: an immutable fact.

    The sign-in itself stays one document per person; these say at which doors, and when, they
    were seen, so two kiosks that were apart both keep their scan.
    """

    meeting_id: str
    member_id: str
    time: str
    node: str
    door: str = ""

    clock = SignIn.clock

    @property
    def doc_id(self) -> str:
        return signin_scan_id(self.meeting_id, self.member_id, self.node)


@dataclass(frozen=True)
class Absence(DocumentRecord):
    """A leave of absence (请假) recorded before or after the meeting."""

    meeting_id: str
    member_id: str
    reason: str
    recorded_at: LocalTime = ""

    @property
    def doc_id(self) -> str:
        return absence_id(self.meeting_id, self.member_id)


@dataclass(frozen=True)
class Resolution(DocumentRecord):
    ID_FIELD = "resolution_id"

    resolution_id: str
    meeting_id: str
    text: str
    owner: str  # member id
    deadline: LocalDate  # YYYY-MM-DD: due by the end of that day
    status: str = OPEN
    done_at: LocalTime = ""

    @staticmethod
    def new_id() -> str:
        return f"{RESOLUTION}:{uuid.uuid4().hex}"

    def is_overdue(self, now: datetime) -> bool:
        return self.status != DONE and bool(self.deadline) and now.date().isoformat() > self.deadline



# -- rules ------------------------------------------------------------------------------------


def roster_from(
    directory: MemberDirectory,
    departments: Iterable[str] = (),
    roles: Iterable[str] = (),
    member_ids: Iterable[str] = (),
) -> tuple[str, ...]:
    """Everyone in one of ``departments`` or holding one of ``roles``, plus the named members.

    Sorted the way the directory lists people; unknown member ids are refused, so a typo does
    not become a permanent "absent".
    """
    wanted_departments = {d.strip() for d in departments if d.strip()}
    wanted_roles = {r.strip() for r in roles if r.strip()}
    picked = {m.strip() for m in member_ids if m.strip()}
    for member_id in sorted(picked):
        if directory.by_id(member_id) is None:
            raise _refuse("unknown_member", "No member with ID {member_id}", member_id=member_id)
    return tuple(
        member.member_id
        for member in directory.all()
        if member.department in wanted_departments
        or member.role in wanted_roles
        or member.member_id in picked
    )


@dataclass(frozen=True)
class MinutesState:
    draft_due: str
    final_due: str
    draft_overdue: bool
    final_overdue: bool

    @property
    def overdue(self) -> bool:
        return self.draft_overdue or self.final_overdue


def minutes_state(meeting: Meeting, now: datetime, draft_hours: int, final_hours: int
                  ) -> MinutesState:
    """Draft due ``draft_hours`` after the meeting ends, final ``final_hours`` after."""
    end = parse_time(meeting.end)
    draft_due = format_time(end + timedelta(hours=draft_hours))
    final_due = format_time(end + timedelta(hours=final_hours))
    current = format_time(now)
    has_draft = meeting.minutes_status in (MINUTES_DRAFT, MINUTES_FINAL)
    return MinutesState(
        draft_due=draft_due,
        final_due=final_due,
        draft_overdue=not has_draft and current > draft_due,
        final_overdue=meeting.minutes_status != MINUTES_FINAL and current > final_due,
    )


def check_meeting(meeting: Meeting) -> Meeting:
    """The meeting as it will be stored, or the first reason it cannot be."""
    meeting = replace(meeting, title=meeting.title.strip(), minute_taker=meeting.minute_taker.strip())
    if not meeting.title:
        raise _refuse("title_required", "A meeting needs a title")
    if not _KEY.match(meeting.key) or not meeting.meeting_id.startswith(f"{MEETING}:"):
        raise _refuse("bad_id", "Meeting id {meeting_id} is not valid", meeting_id=meeting.meeting_id)
    try:
        start, end = parse_time(meeting.start), parse_time(meeting.end)
    except ValueError:
        raise _refuse("bad_time", "Times are written YYYY-MM-DD HH:MM") from None
    if end <= start:
        raise _refuse("end_before_start", "The meeting must end after it starts")
    if meeting.meeting_class not in MEETING_CLASSES:
        raise _refuse("bad_class", "Meeting class must be A, B or C")
    if meeting.minutes_status not in MINUTES_STATUSES:
        raise _refuse("bad_minutes", "Unknown minutes status")
    return meeting


def save_meeting(store: DocumentStore, meeting: Meeting) -> str:
    meeting = check_meeting(meeting)
    try:
        return store.put_latest(meeting.to_doc())
    except ConflictError:
        raise _refuse("changed", "This record was changed elsewhere; reload and retry") from None


def load_meeting(store: DocumentStore, meeting_id: str) -> Meeting | None:
    doc = store.get_or_none(meeting_doc_id(meeting_id))
    return Meeting.from_doc(doc) if doc is not None else None


def set_minutes_status(store: DocumentStore, meeting: Meeting, status: str, now: datetime) -> Meeting:
    if status not in MINUTES_STATUSES:
        raise _refuse("bad_minutes", "Unknown minutes status")
    stamp = format_time(now)
    changed = replace(
        meeting,
        minutes_status=status,
        draft_at=meeting.draft_at or (stamp if status in (MINUTES_DRAFT, MINUTES_FINAL) else ""),
        final_at=stamp if status == MINUTES_FINAL else "",
    )
    save_meeting(store, changed)
    return changed


def meeting_now_or_next(meetings: Iterable[Meeting], now: datetime) -> Meeting | None:
    """The meeting a door kiosk should serve: running now, else the next one today."""
    current = format_time(now)
    today = now.date().isoformat()
    candidates = [m for m in meetings if m.day == today and m.end > current and not m.cancelled]
    candidates.sort(key=lambda m: (m.start > current, m.start, m.meeting_id))
    return candidates[0] if candidates else None


def record_absence(store: DocumentStore, meeting_id: str, member_id: str, reason: str,
                   now: datetime) -> Absence:
    if not reason.strip():
        raise _refuse("reason_required", "Give a reason for the leave of absence")
    absence = Absence(meeting_id, member_id, reason.strip(), format_time(now))
    store.put_latest(absence.to_doc())
    return absence


def save_resolution(store: DocumentStore, resolution: Resolution) -> str:
    if not resolution.text.strip():
        raise _refuse("text_required", "A resolution needs its text")
    if not resolution.owner.strip():
        raise _refuse("owner_required", "A resolution needs an owner")
    try:
        date.fromisoformat(resolution.deadline)
    except ValueError:
        raise _refuse("bad_deadline", "The deadline is written YYYY-MM-DD") from None
    if resolution.status not in RESOLUTION_STATUSES:
        raise _refuse("bad_status", "Unknown resolution status")
    try:
        return store.put_latest(resolution.to_doc())
    except ConflictError:
        raise _refuse("changed", "This record was changed elsewhere; reload and retry") from None


def set_resolution_status(store: DocumentStore, resolution: Resolution, status: str,
                          now: datetime) -> Resolution:
    changed = replace(resolution, status=status,
                      done_at=format_time(now) if status == DONE else "")
    save_resolution(store, changed)
    return changed


class ResolutionBoard:
    """Every resolution, kept current from the changes feed (决议追踪看板)."""

    doc_types = (RESOLUTION,)

    def __init__(self) -> None:
        self._by_id: dict[str, Resolution] = {}

    def reset(self) -> None:
        self._by_id.clear()

    def update(self, doc_id: str, doc: dict[str, Any] | None) -> None:
        self._by_id.pop(doc_id, None)
        if doc is not None:
            self._by_id[doc_id] = Resolution.from_doc(doc)

    def all(self, meeting_id: str | None = None) -> list[Resolution]:
        """Open work first, by deadline; finished resolutions last."""
        chosen = [r for r in self._by_id.values() if meeting_id is None or r.meeting_id == meeting_id]
        return sorted(chosen, key=lambda r: (r.status == DONE, r.deadline, r.resolution_id))

    def overdue(self, now: datetime) -> list[Resolution]:
        return [r for r in self.all() if r.is_overdue(now)]
