"""The demo office's rooms and a believable week of bookings (a :data:`store.demo.DEMO_PARTS` entry).

Seeded like the rest of the demo; bookings never overlap, some requests wait past the
four-hour confirmation target and one A-class meeting is booked at short notice, so every
panel of the bookings screen has something to show. 学生会办公室 has a door kiosk since this
morning, and its booking this morning was checked in there.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import Any

from .booking import CONFIRMED, REQUESTED, Booking, Recurrence, format_time
from .booking_recurrence import Occurrence, occurrences
from .booking_rules import first_clash
from .meeting_booking import wanted_booking
from .meetings_demo import demo_meeting_records
from .members import Member
from .room_checkin import RoomCheckIn, RoomDoor
from .rooms import Room

DOOR_NODE = "lounge-door"
DEMO_ROOMS = [
    Room("room:sac-201", "学生活动中心201", 60, ("投影仪", "音响", "麦克风"), "学生活动中心2楼"),
    Room("room:sac-202", "学生活动中心202", 30, ("投影仪",), "学生活动中心2楼"),
    Room("room:sac-305", "学生活动中心305", 12, ("白板",), "学生活动中心3楼"),
    Room("room:meeting-1", "第一会议室", 20, ("投影仪", "白板", "视频会议"), "行政楼3楼"),
    Room("room:meeting-2", "第二会议室", 16, ("电视", "白板"), "行政楼3楼"),
    Room("room:hall", "报告厅", 200, ("投影仪", "音响", "麦克风", "舞台灯光"), "图书馆1楼",
         "08:00", "22:00"),
    Room("room:studio", "排练室", 40, ("音响", "镜墙"), "艺术楼B1", "10:00", "22:00"),
    Room("room:lounge", "学生会办公室", 10, ("白板",), "学生活动中心1楼", "08:30", "21:00"),
]
TITLES = ["部长例会", "宣传部周会", "学习部讲座筹备", "文艺部节目排练", "外联部赞助洽谈", "生活部座谈会",
          "组织部干部培训", "体育部赛事协调", "新媒体选题会", "主席团会议", "志愿者培训", "社团联席会"]
STARTS = [time(9), time(10), time(14), time(15, 30), time(16), time(18, 30), time(19)]


def demo_bookings(rng: random.Random, members: list[Member], today: date) -> list[dict[str, Any]]:
    monday = today - timedelta(days=today.weekday())
    now = datetime.combine(today, time(9, 30))
    placed: list[Occurrence] = []
    docs: list[dict[str, Any]] = [room.to_doc() for room in DEMO_ROOMS]

    def place(booking: Booking) -> None:
        if first_clash(booking, placed) is None:
            placed.extend(occurrences(booking))
            docs.append(booking.to_doc())

    def new(room: Room, start: datetime, hours: float, title: str, **fields: Any) -> Booking:
        organiser = rng.choice(members)
        values: dict[str, Any] = {
            "organiser": organiser.member_id,
            "attendees": rng.randint(max(1, room.capacity // 4), room.capacity),
            "meeting_class": rng.choice("BBBC"),
            "status": CONFIRMED,
            "created_at": format_time(start - timedelta(days=rng.randint(2, 9))),
            "created_on": "secretary-laptop",
            **fields,
        }
        if values["status"] == CONFIRMED:  # the secretariat confirms within two hours
            created = datetime.fromisoformat(values["created_at"])
            values["confirmed_at"] = format_time(created + timedelta(hours=2))
        return Booking(f"booking:{rng.getrandbits(128):032x}", room.room_id, format_time(start),
                       format_time(start + timedelta(hours=hours)), title, **values)

    for held in demo_meeting_records(members, today):  # the demo meetings' rooms come first
        place(wanted_booking(held, None, datetime.fromisoformat(held.start) - timedelta(days=3)))
    chair = DEMO_ROOMS[3]
    place(new(chair, datetime.combine(monday, time(19)), 1.5, "部长例会", meeting_class="A",
              recurrence=Recurrence("weekly", count=16, exceptions=(
                  (monday + timedelta(weeks=2)).isoformat(),))))
    for offset in range(7 if rng.random() < 0.5 else 6):
        day = monday + timedelta(days=offset)
        for _ in range(rng.randint(3, 7)):
            room = rng.choice(DEMO_ROOMS)
            start = datetime.combine(day, rng.choice(STARTS))
            if f"{start:%H:%M}" < room.open_from:
                continue
            place(new(room, start, rng.choice((1, 1.5, 2)), rng.choice(TITLES)))
    for hours_ago in (1, 3, 6):
        room = rng.choice(DEMO_ROOMS[:5])
        start = datetime.combine(today + timedelta(days=rng.randint(1, 4)), time(16))
        place(new(room, start, 1, rng.choice(TITLES), status=REQUESTED,
                  created_at=format_time(now - timedelta(hours=hours_ago))))
    place(new(DEMO_ROOMS[0], datetime.combine(today + timedelta(days=1), time(9)), 2,
              "全体干部大会", meeting_class="A", status=REQUESTED,
              created_at=format_time(now - timedelta(minutes=20))))
    return docs + door_docs(DEMO_ROOMS[-1], placed, today, now)


def door_docs(room: Room, placed: list[Occurrence], today: date, now: datetime
              ) -> list[dict[str, Any]]:
    """``room``'s door kiosk, up since 08:00, and a check-in by the booker 4 minutes after the
    start of each of its bookings today that began before ``now`` (no no-show in the demo's
    morning; the afternoon's wait for their bookers)."""
    docs = [RoomDoor(room.room_id, DOOR_NODE, f"{today}T08:00", 15).to_doc()]
    for occ in placed:
        if occ.booking.room_id == room.room_id and occ.day == today and occ.start < now:
            docs.append(RoomCheckIn(occ.booking.booking_id, today.isoformat(), occ.booking.organiser,
                                    format_time(occ.start + timedelta(minutes=4)),
                                    DOOR_NODE).to_doc())
    return docs
