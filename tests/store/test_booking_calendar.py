"""The booking calendar on real stores: local refusal, post-merge clashes, pending requests."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

import pytest

from store import DocumentStore
from store.booking import Booking, Recurrence
from store.booking_calendar import BookingCalendar
from store.booking_desk import (BookingDesk, cancel_booking, confirm_booking, create_booking,
                                move_booking)
from store.booking_grid import day_grid, week_grid
from store.errors import ValidationError
from store.rooms import Room, save_room

from .merging import sync

NOW = datetime(2026, 11, 25, 9, 30)
ROOMS = [Room("room:r1", "第一会议室", 20, ("投影仪",)), Room("room:r2", "学生活动中心201", 60,
                                                              ("投影仪", "音响"))]


def with_rooms(store: DocumentStore) -> DocumentStore:
    for room in ROOMS:
        save_room(store, room)
    return store


def meeting(title: str, start: str = "2026-11-26T14:00", end: str = "2026-11-26T15:00",
            room: str = "room:r1", **fields: object) -> Booking:
    return Booking("", room, start, end, title, attendees=8, **fields)  # type: ignore[arg-type]


def test_overlapping_booking_is_refused_and_nothing_written(store: DocumentStore) -> None:
    with_rooms(store)
    create_booking(store, meeting("部长例会", organiser="2026001"), NOW)
    seq = store.update_seq
    with pytest.raises(ValidationError) as caught:
        create_booking(store, meeting("宣传部会议", "2026-11-26T14:30", "2026-11-26T16:00"), NOW)
    assert caught.value.key == "bookings.error.overlap"
    assert str(caught.value) == "第一会议室 is already booked 2026-11-26 14:00–15:00 for “部长例会”"
    assert store.update_seq == seq
    create_booking(store, meeting("宣传部会议", "2026-11-26T15:00", "2026-11-26T16:00"), NOW)
    create_booking(store, meeting("外联部会议", room="room:r2"), NOW)
    assert len(store.ids_of_type("booking")) == 3


def test_shared_calendar_sees_edits_and_moves(store: DocumentStore) -> None:
    with_rooms(store)
    calendar = BookingCalendar()
    store.attach_index(calendar)
    desk = BookingDesk(store, calendar, node_name="laptop")
    saved = desk.create(meeting("部长例会", meeting_class="A"), datetime(2026, 11, 26, 8))
    assert saved.short_notice
    booking = calendar.bookings[saved.booking_id]
    assert booking.created_on == "laptop" and booking.created_at == "2026-11-26T08:00"
    other = desk.create(meeting("学习部会议", "2026-11-26T16:00", "2026-11-26T17:00"), NOW)
    with pytest.raises(ValidationError):
        desk.move(other.booking_id, "room:r1", "2026-11-26T14:30", "2026-11-26T15:30", NOW)
    desk.move(other.booking_id, "room:r2", "2026-11-26T14:30", "2026-11-26T15:30", NOW)
    assert [o.booking.title for o in calendar.room_day("room:r2", date(2026, 11, 26))] == ["学习部会议"]
    desk.cancel(saved.booking_id)
    assert calendar.room_day("room:r1", date(2026, 11, 26))[0].booking.status == "cancelled"
    desk.create(meeting("补位会议", "2026-11-26T14:00", "2026-11-26T14:30"), NOW)
    with pytest.raises(ValidationError) as caught:
        desk.confirm(saved.booking_id)
    assert caught.value.key == "bookings.error.cancelled"


def test_pending_requests_have_age_and_overdue_flag(store: DocumentStore) -> None:
    with_rooms(store)
    calendar = BookingCalendar()
    store.attach_index(calendar)
    old = create_booking(store, meeting("旧申请"), NOW - timedelta(hours=5), calendar=calendar)
    new = create_booking(store, meeting("新申请", room="room:r2"), NOW - timedelta(hours=1),
                         calendar=calendar)
    pending = calendar.pending(NOW, confirm_within_hours=4)
    assert [(p.booking.booking_id, p.age, p.overdue) for p in pending] == [
        (old.booking_id, timedelta(hours=5), True), (new.booking_id, timedelta(hours=1), False)]
    confirm_booking(store, old.booking_id, calendar=calendar)
    assert [p.booking.booking_id for p in calendar.pending(NOW, 4)] == [new.booking_id]


def test_same_slot_on_two_offline_nodes_is_one_clash_until_resolved(
    make_store: Callable[[str], DocumentStore]
) -> None:
    a, b = with_rooms(make_store("a")), make_store("b")
    sync(a, b)
    calendars = {}
    for name, store in (("a", a), ("b", b)):
        calendars[name] = BookingCalendar()
        store.attach_index(calendars[name])
    first = create_booking(a, meeting("部长例会", organiser="2026001"), NOW, node_name="a")
    second = create_booking(b, meeting("宣传部会议", "2026-11-26T14:30", "2026-11-26T15:30",
                                       organiser="2026002"), NOW, node_name="b")
    assert not calendars["a"].attention_items() and not calendars["b"].attention_items()
    sync(a, b)
    for calendar in calendars.values():
        items = calendar.attention_items()
        assert len(items) == 1
        assert items[0].kind == "double_booking"
        assert set(items[0].doc_ids) == {first.booking_id, second.booking_id}
        assert items[0].params["room"] == "第一会议室"
        assert {items[0].params["who_a"], items[0].params["who_b"]} == {"2026001", "2026002"}
    assert calendars["a"].attention_items() == calendars["b"].attention_items()
    cancel_booking(a, second.booking_id)
    sync(a, b)
    assert calendars["a"].attention_items() == [] == calendars["b"].attention_items()
    assert b.get(second.booking_id)["status"] == "cancelled"


def test_moving_one_side_of_a_recurring_clash_clears_it(
    make_store: Callable[[str], DocumentStore]
) -> None:
    a, b = with_rooms(make_store("a")), make_store("b")
    sync(a, b)
    weekly = meeting("周例会", recurrence=Recurrence("weekly", count=6))
    create_booking(a, weekly, NOW)
    one_off = create_booking(b, meeting("年终总结", "2026-12-10T14:00", "2026-12-10T16:00"), NOW)
    sync(a, b)
    calendar = BookingCalendar.from_store(b)
    [clash] = calendar.clashes()
    assert {clash.first.start, clash.second.start} == {datetime(2026, 12, 10, 14)}
    move_booking(b, one_off.booking_id, "room:r2", "2026-12-10T14:00", "2026-12-10T16:00", NOW)
    sync(a, b)
    assert BookingCalendar.from_store(a).clashes() == []


def test_free_rooms_and_grids(store: DocumentStore) -> None:
    with_rooms(store)
    calendar = BookingCalendar()
    store.attach_index(calendar)
    create_booking(store, meeting("部长例会", recurrence=Recurrence("daily", count=3)), NOW,
                   calendar=calendar)
    free = calendar.free_rooms("2026-11-26T14:30", "2026-11-26T15:30", 10)
    assert [room.room_id for room in free] == ["room:r2"]
    assert calendar.free_rooms("2026-11-26T15:00", "2026-11-26T16:00", 30, ["音响"]) == [ROOMS[1]]
    assert calendar.free_rooms("2026-11-26T15:00", "2026-11-26T16:00", 10, ["白板"]) == []
    rows = day_grid(calendar, date(2026, 11, 26), range(8, 22))
    assert [row.room_id for row in rows] == ["room:r1", "room:r2"]  # by pinyin: di… < xue…
    r1 = rows[0]
    assert [index for index, cell in enumerate(r1.cells) if not cell.free] == [14 - 8]
    week = week_grid(calendar, "room:r1", date(2026, 11, 26), range(8, 22))
    assert [row.day.isoformat() for row in week if not row.cells[6].free] == [
        "2026-11-26", "2026-11-27", "2026-11-28"]
