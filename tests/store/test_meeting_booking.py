"""A meeting books its room: same clash rules, moves and cancels with the meeting, merges."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

import pytest

from store import DocumentStore
from store.booking import Booking
from store.booking_calendar import BookingCalendar
from store.booking_desk import BookingDesk
from store.conflicts import ConflictInbox, conflict_versions, resolve_conflict
from store.errors import ValidationError
from store.meeting_booking import (book_meeting, cancel_meeting, follow_meeting,
                                   meeting_booking_id, owner_of)
from store.meetings import Meeting, load_meeting, meeting_now_or_next
from store.rooms import Room, save_room

from .merging import sync

NOW = datetime(2026, 11, 25, 9, 30)
HALL = Room("room:hall", "报告厅", 200)
R1 = Room("room:r1", "第一会议室", 20)
R2 = Room("room:r2", "学生活动中心201", 60)


def calendar_of(store: DocumentStore) -> BookingCalendar:
    for room in (HALL, R1, R2):
        save_room(store, room)
    calendar = BookingCalendar()
    store.attach_index(calendar)
    return calendar


def plenary(room: str = "room:hall") -> Meeting:
    return Meeting("meeting:plenary", "全体干部大会", "2026-11-25T14:00", "2026-11-25T16:00",
                   "A", room, roster=("2026001", "2026002"))


def test_a_meeting_books_its_room_and_moves_it(store: DocumentStore) -> None:
    calendar = calendar_of(store)
    saved = book_meeting(store, calendar, plenary(), NOW)
    booking = calendar.bookings[meeting_booking_id(saved.meeting_id)]
    assert (booking.room_id, booking.start, booking.end, booking.active) == (
        "room:hall", "2026-11-25T14:00", "2026-11-25T16:00", True)
    assert load_meeting(store, saved.meeting_id).booking_id == booking.booking_id
    with pytest.raises(ValidationError) as refused:
        BookingDesk(store, calendar).create(Booking(
            "", "room:hall", "2026-11-25T14:30", "2026-11-25T15:30", "社团联席会"), NOW)
    assert refused.value.params["title"] == "全体干部大会"
    moved = book_meeting(store, calendar, replace(saved, start="2026-11-25T17:00",
                                                  end="2026-11-25T18:00"), NOW)
    assert calendar.bookings[moved.booking_id].start == "2026-11-25T17:00"
    BookingDesk(store, calendar).create(Booking(
        "", "room:hall", "2026-11-25T14:30", "2026-11-25T15:30", "社团联席会"), NOW)


def test_a_clashing_room_is_refused_before_anything_is_written(store: DocumentStore) -> None:
    calendar = calendar_of(store)
    BookingDesk(store, calendar).create(Booking(
        "", "room:hall", "2026-11-25T15:00", "2026-11-25T17:00", "社团联席会"), NOW)
    with pytest.raises(ValidationError) as refused:
        book_meeting(store, calendar, plenary(), NOW)
    assert refused.value.key == "bookings.error.overlap"
    assert load_meeting(store, "meeting:plenary") is None
    with pytest.raises(ValidationError):
        book_meeting(store, calendar, plenary("room:mars"), NOW)  # not a room: refused


def test_cancelling_or_clearing_the_room_cancels_the_booking(store: DocumentStore) -> None:
    calendar = calendar_of(store)
    saved = book_meeting(store, calendar, plenary(), NOW)
    cancelled = cancel_meeting(store, calendar, saved, NOW)
    assert cancelled.cancelled and not calendar.bookings[saved.booking_id].active
    restored = cancel_meeting(store, calendar, cancelled, NOW, cancelled=False)
    assert calendar.bookings[restored.booking_id].active
    cleared = book_meeting(store, calendar, replace(restored, room_id=""), NOW)
    assert not calendar.bookings[cleared.booking_id].active
    roomless = book_meeting(store, calendar, replace(plenary(""), meeting_id="meeting:x"), NOW)
    assert roomless.booking_id == "" and not store.exists(meeting_booking_id("meeting:x"))


def test_a_meeting_room_clash_after_a_merge_is_a_double_booking(
    make_store: Callable[[str], DocumentStore]
) -> None:
    a, b = make_store("a"), make_store("b")
    calendar_a, calendar_b = calendar_of(a), calendar_of(b)
    book_meeting(a, calendar_a, plenary(), NOW)
    BookingDesk(b, calendar_b).create(Booking(
        "", "room:hall", "2026-11-25T14:30", "2026-11-25T15:30", "社团联席会"), NOW)
    sync(a, b)
    [item] = calendar_a.attention_items()
    assert item.kind == "double_booking" and meeting_booking_id("meeting:plenary") in item.doc_ids
    assert {item.params["title_a"], item.params["title_b"]} == {"全体干部大会", "社团联席会"}


def test_one_meeting_moved_to_two_rooms_offline_is_one_item_and_resolvable(
    make_store: Callable[[str], DocumentStore]
) -> None:
    a, b = make_store("a"), make_store("b")
    calendar_a, calendar_b = calendar_of(a), calendar_of(b)
    saved = book_meeting(a, calendar_a, plenary(), NOW)
    sync(a, b)
    book_meeting(a, calendar_a, replace(saved, room_id="room:r1"), NOW)
    on_b = load_meeting(b, saved.meeting_id)
    book_meeting(b, calendar_b, replace(on_b, room_id="room:r2", title="全体干部大会（改）"), NOW)
    sync(a, b)
    inbox = ConflictInbox(a, part_of=owner_of)
    [item] = inbox.attention_items()
    assert item.doc_ids == (saved.meeting_id,)
    kept = next(v for v in conflict_versions(a, saved.meeting_id) if v.fields["room_id"] == "room:r1")
    resolve_conflict(a, saved.meeting_id, {**kept.fields, "title": "全体干部大会（改）"})
    assert follow_meeting(a, saved.meeting_id, NOW)
    sync(a, b)
    for store, calendar in ((a, calendar_a), (b, calendar_b)):
        assert ConflictInbox(store, part_of=owner_of).attention_items() == []
        booking = calendar.bookings[saved.booking_id]
        assert (booking.room_id, booking.title) == ("room:r1", "全体干部大会（改）")
    assert not follow_meeting(b, saved.meeting_id, NOW)  # already in line: nothing written


def test_a_door_kiosk_does_not_serve_a_cancelled_meeting(store: DocumentStore) -> None:
    calendar = calendar_of(store)
    saved = book_meeting(store, calendar, plenary(), NOW)
    assert meeting_now_or_next([saved], NOW) == saved
    assert meeting_now_or_next([cancel_meeting(store, calendar, saved, NOW)], NOW) is None
