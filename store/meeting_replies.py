"""Attendees' replies to a meeting notice: "will attend" or "on leave (reason)".

A reply is one small document per meeting and member, ``reply:{meeting key}:{member}``, so the
same person's reply recorded on two nodes is one document (a later reply is a new revision,
two offline ones an ordinary conflict) and replies from different people never collide. A
leave reply *is* a leave of absence: the attendance view reads it as an :class:`Absence`, so
it counts as excused and leaves the expected attendance exactly as a recorded absence does.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from .doc_codec import DocumentRecord, LocalTime
from .docstore import DocumentStore
from .errors import ValidationError
from .meetings import Absence, Meeting, format_time, meeting_key

REPLY = "reply"
ATTEND, LEAVE = "attend", "leave"
ANSWERS = (ATTEND, LEAVE)


def reply_id(meeting_id: str, member_id: str) -> str:
    return f"{REPLY}:{meeting_key(meeting_id)}:{member_id}"


@dataclass(frozen=True)
class Reply(DocumentRecord):
    meeting_id: str
    member_id: str
    answer: str  # ATTEND or LEAVE
    reason: str = ""  # why, for a leave
    recorded_at: LocalTime = ""

    @property
    def doc_id(self) -> str:
        return reply_id(self.meeting_id, self.member_id)

    def as_absence(self) -> Absence | None:
        """The leave of absence this reply asks for (None for "will attend")."""
        if self.answer != LEAVE:
            return None
        return Absence(self.meeting_id, self.member_id, self.reason, self.recorded_at)


@dataclass(frozen=True)
class ReplyCount:
    attend: int
    leave: int
    waiting: int  # attendees who have not replied


def _refuse(key: str, english: str, **params: object) -> ValidationError:
    return ValidationError(f"meetings.error.{key}", english, **params)


def check_reply(meeting: Meeting, member_id: str, answer: str, reason: str,
                now: datetime) -> Reply:
    """The reply to record, or a refusal: only attendees reply, and a leave gives a reason."""
    if member_id not in meeting.roster:
        raise _refuse("reply_not_attendee", "{member} is not on the attendee list of {title}",
                      member=member_id, title=meeting.title)
    if answer not in ANSWERS:
        raise _refuse("reply_answer", "Answer “will attend” or “on leave”")
    if answer == LEAVE and not reason.strip():
        raise _refuse("reason_required", "Give a reason for the leave of absence")
    return Reply(meeting.meeting_id, member_id, answer,
                 reason.strip() if answer == LEAVE else "", format_time(now))


def record_reply(store: DocumentStore, reply: Reply) -> str:
    """Write ``reply`` as the member's current reply (over an earlier one, as a new revision)."""
    return store.put_latest(reply.to_doc())


def count_replies(meeting: Meeting, replies: Mapping[str, Reply]) -> ReplyCount:
    """Replies of the meeting's attendees; someone dropped from the list no longer counts."""
    answers = [replies[m].answer for m in meeting.roster if m in replies]
    attend, leave = answers.count(ATTEND), answers.count(LEAVE)  # a garbled answer: not replied
    return ReplyCount(attend, leave, len(meeting.roster) - attend - leave)


def leave_absences(replies: Iterable[Reply]) -> dict[str, Absence]:
    """The absences the leave replies ask for, by member."""
    return {reply.member_id: absence for reply in replies
            if (absence := reply.as_absence()) is not None}
