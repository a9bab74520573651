"""Room-door check-in: the no-show release derived from the documents, its merges and its KPI."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest

from store import DocumentStore
from store.booking import Booking
from store.booking_calendar import BookingCalendar, kpi_facts
from store.booking_desk import BookingDesk
from store.booking_grid import day_grid
from store.errors import ValidationError
from store.kpi import KpiReport, Period, booking_figures
from store.meeting_booking import book_meeting
from store.meetings import Meeting
from store.meetings_attendance import AttendanceIndex, sign_in
from store.room_checkin import RoomCheckIn, put_up_door, record_checkin
from store.rooms import Room, save_room

from .merging import merge, sync

ROOM = Room("room:r1", "第一会议室", 20)
OTHER = Room("room:r2", "第二会议室", 20)
MORNING = datetime(2026, 11, 25, 8, 0)
START = datetime(2026, 11, 25, 14, 0)


def office(store: DocumentStore, door: bool = True) -> BookingCalendar:
    for room in (ROOM, OTHER):
        save_room(store, room)
    if door:
        put_up_door(store, ROOM.room_id, "door", MORNING, 15)
    calendar = BookingCalendar()
    store.attach_index(calendar)
    return calendar


def book(store: DocumentStore, calendar: BookingCalendar, now: datetime, title: str = "部长例会",
         start: str = "14:00", end: str = "16:00", room: str = ROOM.room_id) -> str:
    booking = Booking("", room, f"2026-11-25T{start}", f"2026-11-25T{end}", title,
                      organiser="2026001")
    return BookingDesk(store, calendar, node_name="desk").create(booking, now).booking_id


def check_in(store: DocumentStore, booking_id: str, at: datetime, node: str = "door") -> None:
    record_checkin(store, RoomCheckIn(booking_id, "2026-11-25", "2026001",
                                      at.isoformat(timespec="minutes"), node))


def only(calendar: BookingCalendar, booking_id: str):  # type: ignore[no-untyped-def]
    [occurrence] = calendar.occurrences_of(booking_id)
    return occurrence


def no_shows(calendar: BookingCalendar, now: datetime) -> int:
    report = KpiReport(Period(now.date(), now.date()))
    booking_figures(report, *kpi_facts(calendar), now, timedelta(hours=4))
    return report.no_shows


def test_a_booking_checked_in_within_the_window_keeps_its_room(store: DocumentStore) -> None:
    calendar = office(store)
    booking_id = book(store, calendar, MORNING)
    check_in(store, booking_id, START + timedelta(minutes=10))
    later = START + timedelta(minutes=30)
    assert not calendar.released(only(calendar, booking_id), later)
    with pytest.raises(ValidationError):
        book(store, calendar, later, "社团联席会", "14:30", "15:30")
    assert no_shows(calendar, later) == 0


def test_a_booking_not_checked_in_is_released_and_its_slot_bookable(store: DocumentStore) -> None:
    calendar = office(store)
    booking_id = book(store, calendar, MORNING)
    occurrence = only(calendar, booking_id)
    assert not calendar.released(occurrence, START + timedelta(minutes=14))
    with pytest.raises(ValidationError):  # still in its window: the room is held
        book(store, calendar, START + timedelta(minutes=14), "社团联席会", "14:30", "15:30")

    released = START + timedelta(minutes=15)
    assert calendar.released(occurrence, released)
    assert {room.room_id for room in calendar.free_rooms(
        "2026-11-25T14:30", "2026-11-25T15:30", 5, now=released)} == {"room:r1", "room:r2"}
    [row] = [row for row in day_grid(calendar, released.date(), range(14, 16), released)
             if row.room_id == ROOM.room_id]
    assert all(cell.free for cell in row.cells)  # the bookings screen shows it free too
    book(store, calendar, released, "社团联席会", "14:30", "15:30")
    assert calendar.attention_items() == []
    assert no_shows(calendar, released) == 1
    assert no_shows(calendar, START) == 0  # not yet: it is released at 14:15


def test_a_check_in_after_the_window_does_not_bring_it_back(store: DocumentStore) -> None:
    calendar = office(store)
    booking_id = book(store, calendar, MORNING)
    check_in(store, booking_id, START + timedelta(minutes=20))
    assert calendar.released(only(calendar, booking_id), START + timedelta(minutes=20))


def test_rooms_without_a_door_and_bookings_before_it_are_never_released(
        store: DocumentStore) -> None:
    calendar = office(store, door=False)
    early = book(store, calendar, MORNING, start="09:00", end="09:30")
    put_up_door(store, ROOM.room_id, "door", datetime(2026, 11, 25, 12, 0), 15)
    elsewhere = book(store, calendar, MORNING, room=OTHER.room_id)
    assert not calendar.released(only(calendar, elsewhere), START + timedelta(hours=1))
    assert calendar.checkins.deadline(only(calendar, early)) is None
    assert no_shows(calendar, START + timedelta(hours=3)) == 0


def test_a_late_offline_check_in_against_a_new_booking_needs_attention(
        store: DocumentStore, make_store: Callable[[str], DocumentStore]) -> None:
    desk = store
    calendar = office(desk)
    booking_id = book(desk, calendar, MORNING)
    door = make_store("door")
    door_calendar = BookingCalendar()
    door.attach_index(door_calendar)
    sync(desk, door)

    check_in(door, booking_id, START + timedelta(minutes=12))  # the door is apart: not seen
    book(desk, calendar, START + timedelta(minutes=20), "社团联席会", "14:30", "15:30")
    assert calendar.attention_items() == []

    merge(door, desk)
    [item] = calendar.attention_items()
    assert item.kind == "double_booking" and booking_id in item.doc_ids
    merge(desk, door)
    assert [i.key for i in door_calendar.attention_items()] == [item.key]


def test_an_offline_double_booking_before_the_release_stays_a_clash(
        store: DocumentStore, make_store: Callable[[str], DocumentStore]) -> None:
    calendar = office(store)
    other = make_store("other")
    other_calendar = BookingCalendar()
    other.attach_index(other_calendar)
    sync(store, other)
    book(store, calendar, MORNING)
    book(other, other_calendar, MORNING, "社团联席会", "14:30", "15:30")
    sync(store, other)
    assert len(calendar.attention_items()) == 1  # neither was released when the other was booked


def test_a_sign_in_to_the_meeting_is_its_rooms_check_in(store: DocumentStore) -> None:
    calendar = office(store)
    meeting = book_meeting(store, calendar, Meeting(
        "meeting:weekly", "部长例会", "2026-11-25T14:00", "2026-11-25T16:00", "B", ROOM.room_id,
        roster=("2026001", "2026002")), MORNING)
    attendance = AttendanceIndex(store)
    store.attach_index(attendance)
    sign_in(store, attendance, meeting, "2026002", now=START + timedelta(minutes=3), node="west",
            method="badge", door="西门")
    sign_in(store, attendance, meeting, "2026001", now=START + timedelta(minutes=4), node="west",
            method="badge", door="西门")
    occurrence = only(calendar, meeting.booking_id)
    claimed = calendar.checkins.claimed_by(occurrence)
    assert claimed is not None and (claimed.member_id, claimed.via) == ("2026002", "signin")
    assert len(store.ids_of_type("roomcheckin")) == 1  # the first sign-in is enough
    assert not calendar.released(occurrence, START + timedelta(hours=1))


def test_a_restarted_door_keeps_its_first_day(store: DocumentStore) -> None:
    office(store)
    door = put_up_door(store, ROOM.room_id, "door", START, 10)
    assert (door.since, door.checkin_minutes) == ("2026-11-25T08:00", 10)


def test_malformed_check_ins_and_doors_are_left_out(store: DocumentStore) -> None:
    calendar = office(store)
    store.put({"_id": "roomdoor:r1:evil", "room_id": ROOM.room_id, "node": "evil",
               "since": "soon", "checkin_minutes": 5})
    store.put({"_id": "roomdoor:r1:evil2", "room_id": ROOM.room_id, "node": "evil",
               "since": "2026-11-25T07:00", "checkin_minutes": -5})
    store.put({"_id": "roomdoor:r1:evil3", "room_id": ROOM.room_id, "node": "evil",
               "since": "2026-11-25T07:00", "checkin_minutes": 10**15})
    store.put({"_id": "roomcheckin:x:2026-11-25:1:n", "booking_id": 7, "day": "2026-11-25",
               "member_id": "1", "time": "2026-11-25T14:00", "node": "n"})
    assert set(calendar.unreadable) == {"roomdoor:r1:evil", "roomdoor:r1:evil2", "roomdoor:r1:evil3",
                                        "roomcheckin:x:2026-11-25:1:n"}
    rule = calendar.checkins.rule(ROOM.room_id)
    assert rule is not None and rule.window == timedelta(minutes=15)


def test_a_booking_moved_into_a_released_slot_is_no_clash(store: DocumentStore) -> None:
    calendar = office(store)
    book(store, calendar, MORNING)
    other = book(store, calendar, MORNING, "社团联席会", "10:00", "11:00")  # booked before 14:15
    released = START + timedelta(minutes=20)
    BookingDesk(store, calendar).move(other, ROOM.room_id, "2026-11-25T14:30",
                                      "2026-11-25T15:30", released)
    assert calendar.attention_items() == []
    assert store.get(other)["placed_at"] == "2026-11-25T14:20"
