"""Documents a careless or malicious peer could replicate: the views skip what they cannot
read instead of failing later inside a screen (issue 15, the hostile-data guard)."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from bench.hostile_data import as_peer_wrote
from store import DocumentStore
from store.booking import Booking
from store.booking_calendar import BookingCalendar, kpi_facts
from store.errors import InvalidDocument
from store.meetings import Meeting
from store.meetings_attendance import AttendanceIndex
from store.members import MemberDirectory

MEETING = {"title": "例会", "start": "2026-11-25T09:00", "end": "2026-11-25T10:00",
           "meeting_class": "A", "roster": []}
BOOKING = {"room": "room:201", "start": "2026-11-25T09:00", "end": "2026-11-25T10:00",
           "title": "例会", "status": "confirmed", "created_at": "2026-11-20T09:00",
           "confirmed_at": "2026-11-20T10:00", "attendees": 5}


def replicate(store: DocumentStore, *docs: dict[str, Any]) -> None:
    store.put_revisions([as_peer_wrote(doc) for doc in docs])


def test_a_meeting_with_an_impossible_time_is_left_out(store: DocumentStore) -> None:
    replicate(store, {"_id": "meeting:good", **MEETING},
              {"_id": "meeting:bad-end", **MEETING, "end": "2026-02-30T25:61"},
              {"_id": "meeting:far", **MEETING, "end": "9999-12-31T23:59"},
              {"_id": "meeting:empty"})
    index = AttendanceIndex(store)
    store.attach_index(index)
    assert [m.meeting_id for m in index.meeting_list()] == ["meeting:good"]


def test_bookings_and_rooms_of_the_wrong_shape_are_left_out(store: DocumentStore) -> None:
    replicate(store, {"_id": "room:201", "name": "201", "capacity": 30},
              {"_id": "room:lots", "name": "x", "capacity": "lots"},
              {"_id": "room:gear", "name": "x", "capacity": 3, "equipment": 5},
              {"_id": "booking:good", **BOOKING},
              {"_id": "booking:confirmed", **BOOKING, "confirmed_at": "[link=x]y[/link]"},
              {"_id": "booking:series", **BOOKING, "recurrence": "weekly"},
              {"_id": "booking:count", **BOOKING, "recurrence": {"freq": "daily", "count": "9"}},
              {"_id": "booking:until", **BOOKING, "recurrence": {"freq": "daily",
                                                                  "until": "9999-99-99"}},
              {"_id": "booking:people", **BOOKING, "attendees": "many"})
    calendar = BookingCalendar()
    store.attach_index(calendar)
    assert sorted(calendar.rooms) == ["room:201"]
    assert sorted(calendar.bookings) == ["booking:good"]
    bookings, _rooms = kpi_facts(calendar)
    assert len(bookings) == 1


def test_a_member_document_is_the_member_its_id_names(store: DocumentStore) -> None:
    replicate(store, {"_id": "member:1", "member_id": "1", "name": "张三"},
              {"_id": "member:x", "member_id": "1", "name": "冒名"})
    directory = MemberDirectory()
    store.attach_index(directory)
    assert sorted(m.doc_id for m in directory.all()) == ["member:1", "member:x"]
    assert directory.by_id("1").name == "张三"


def test_a_room_with_odd_opening_hours_is_left_out(store: DocumentStore) -> None:
    replicate(store, {"_id": "room:201", "name": "201", "capacity": 30},
              {"_id": "room:odd", "name": "x", "capacity": 3, "open_from": "[/]ＷＷ"})
    calendar = BookingCalendar()
    store.attach_index(calendar)
    assert sorted(calendar.rooms) == ["room:201"]


def test_a_series_or_roster_of_the_wrong_shape_is_refused_as_invalid() -> None:
    for recurrence in (["weekly"], 7, {"freq": "daily", "exceptions": 5}):
        with pytest.raises(InvalidDocument):
            Booking.from_doc({"_id": "booking:x", **BOOKING, "recurrence": recurrence})
    with pytest.raises(InvalidDocument):
        Meeting.from_doc({"_id": "meeting:x", **MEETING, "roster": 5})


def test_a_refused_document_is_logged_as_a_warning_with_its_reason(
    store: DocumentStore, caplog: pytest.LogCaptureFixture
) -> None:
    replicate(store, {"_id": "meeting:bad-end", **MEETING, "end": "2026-02-30T25:61"})
    with caplog.at_level(logging.WARNING, logger="store.docstore"):
        store.attach_index(AttendanceIndex(store))
    [record] = [r for r in caplog.records if "meeting:bad-end" in r.getMessage()]
    assert record.levelno == logging.WARNING and record.exc_info is None
    assert "end is not a valid time" in record.getMessage()


def _signin(meeting: str, member: str, time: str = "2026-11-25T08:58") -> dict[str, Any]:
    return {"meeting_id": f"meeting:{meeting}", "member_id": member, "time": time, "node": "a"}


def test_a_damaged_sign_in_is_left_out_of_its_meetings_attendance(store: DocumentStore) -> None:
    replicate(store, {"_id": "meeting:m", **MEETING, "roster": ["001", "002"]},
              {"_id": "signin:m:001", **_signin("m", "001")},
              {"_id": "signin:m:002", **_signin("m", "002", "2026-02-30T25:61")},
              {"_id": "signinscan:m:001:b", **_signin("m", "001"), "node": "b", "door": 5})
    index = AttendanceIndex(store)
    store.attach_index(index)
    assert index.count("meeting:m") == (1, 2)
    rows = index.rows("meeting:m", 10)
    assert [(row.member_id, row.status, row.also) for row in rows] == [
        ("001", "present", ()), ("002", "absent", ())]


def test_a_sign_in_counts_for_the_member_its_id_names_or_not_at_all(
        store: DocumentStore) -> None:
    """Its id is how a sign-in is loaded and removed; one whose body names another member
    (or meeting) would count for someone who never came."""
    replicate(store, {"_id": "meeting:m", **MEETING, "roster": ["001", "002"]},
              {"_id": "meeting:n", **MEETING, "roster": ["001"]},
              {"_id": "signin:m:001", **_signin("m", "002")},
              {"_id": "signin:m:002", **_signin("n", "001")},
              {"_id": "signinscan:m:001:b", **_signin("m", "002"), "node": "b"})
    index = AttendanceIndex(store)
    store.attach_index(index)
    assert index.count("meeting:m") == (0, 2)
    assert index.count("meeting:n") == (0, 1)
    assert index.signins("meeting:m") == {} and index.scans("meeting:m") == {}
