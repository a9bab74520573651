"""Replies to a meeting notice: one fact per meeting and member, feeding excused absences."""

from __future__ import annotations

from datetime import datetime

import pytest

from store import DocumentStore, ValidationError
from store.meeting_replies import (ATTEND, LEAVE, ReplyCount, check_reply, count_replies,
                                   record_reply, reply_id)
from store.meetings import Meeting, record_absence, save_meeting
from store.meetings_attendance import AttendanceIndex, Status, sign_in

NOW = datetime(2026, 11, 24, 10, 0)
AFTER = datetime(2026, 11, 25, 16, 30)
MEETING = Meeting("meeting:weekly", "部长例会", "2026-11-25T14:00", "2026-11-25T15:00", "B",
                  roster=("001", "002", "003", "004"))


def reply(store: DocumentStore, member: str, answer: str, reason: str = "") -> str:
    return record_reply(store, check_reply(MEETING, member, answer, reason, NOW))


def test_replies_count_and_a_leave_reply_is_an_excused_absence(store: DocumentStore) -> None:
    save_meeting(store, MEETING)
    index = AttendanceIndex(store)
    store.attach_index(index)
    reply(store, "001", ATTEND)
    reply(store, "002", LEAVE, "考试")
    reply(store, "003", LEAVE, "实习")
    first = store.get(reply_id(MEETING.meeting_id, "003"))["_rev"]
    reply(store, "003", ATTEND)  # changed their mind: a new revision of the same fact
    doc = store.get(reply_id(MEETING.meeting_id, "003"))
    assert doc["_rev"] != first and doc["_rev"].startswith("2-") and doc["answer"] == ATTEND
    assert reply_id(MEETING.meeting_id, "003") == "reply:weekly:003"

    assert count_replies(MEETING, index.replies(MEETING.meeting_id)) == ReplyCount(2, 1, 1)
    store.put({"_id": reply_id(MEETING.meeting_id, "004"), "meeting_id": MEETING.meeting_id,
               "member_id": "004", "answer": "maybe"})  # a garbled answer from a peer
    assert count_replies(MEETING, index.replies(MEETING.meeting_id)) == ReplyCount(2, 1, 1)
    sign_in(store, index, MEETING, "001", node="kiosk", method="badge",
            now=datetime(2026, 11, 25, 13, 55))
    statuses = {row.member_id: row.status for row in index.rows(MEETING.meeting_id, 5, AFTER)}
    assert statuses == {"001": Status.PRESENT, "002": Status.EXCUSED, "003": Status.ABSENT,
                        "004": Status.ABSENT}
    assert index.absences(MEETING.meeting_id)["002"].reason == "考试"
    summary = index.summary(MEETING.meeting_id, 5, AFTER)
    assert (summary.expected, summary.excused) == (4, 1)
    assert summary.rate == pytest.approx(1 / 3)  # 001 of the three still expected

    record_absence(store, MEETING.meeting_id, "002", "病假（已批）", NOW)  # the recorded one wins
    assert index.absences(MEETING.meeting_id)["002"].reason == "病假（已批）"


def test_a_reply_is_refused_for_outsiders_and_a_leave_without_reason() -> None:
    with pytest.raises(ValidationError) as outsider:
        check_reply(MEETING, "999", ATTEND, "", NOW)
    assert outsider.value.key == "meetings.error.reply_not_attendee"
    with pytest.raises(ValidationError) as no_reason:
        check_reply(MEETING, "001", LEAVE, "  ", NOW)
    assert no_reason.value.key == "meetings.error.reason_required"
