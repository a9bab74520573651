"""The demo office's meetings (a :data:`store.demo.DEMO_PARTS` entry).

Last week's 部长例会 is complete (minutes final, resolutions partly done, one overdue);
yesterday's 宣传部周会 still has no minutes draft (overdue); today's 全体干部大会 is where a demo
kiosk signs people in; tomorrow's 主席团会议 has only its roster. Seeded like the rest. Each
meeting holds its room: :mod:`store.booking_demo` books the rooms of :func:`demo_meeting_records`
before its random week, so the grid shows them taken.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from typing import Any

from .meeting_booking import meeting_booking_id
from .meetings import (DONE, IN_PROGRESS, MINUTES_FINAL, MINUTES_NONE, OPEN, Absence, Meeting,
                       Resolution, SignIn, format_time)
from .members import Member

LEAVE_REASONS = ["课程冲突", "病假", "外出比赛", "实习"]
RESOLUTIONS = ["月底前提交换届材料", "预订报告厅并发布通知", "整理本学期活动经费台账",
               "联系三家赞助商并汇报进展", "更新通讯录并发各部门核对"]


def _facts(rng: random.Random, meeting: Meeting, share: float) -> list[dict[str, Any]]:
    start = datetime.fromisoformat(meeting.start)
    docs: list[dict[str, Any]] = []
    for member_id in meeting.roster:
        roll = rng.random()
        if roll < share:
            arrived = start + timedelta(minutes=rng.choice((-12, -8, -5, -3, -1, 0, 2, 4, 9, 15)))
            docs.append(SignIn(meeting.meeting_id, member_id, format_time(arrived),
                               rng.choice(("door-east", "door-west")),
                               rng.choice(("badge", "badge", "badge", "id", "name"))).to_doc())
        elif roll < share + 0.05:
            docs.append(Absence(meeting.meeting_id, member_id, rng.choice(LEAVE_REASONS),
                                format_time(start - timedelta(hours=3))).to_doc())
    return docs


def at(day: date, hour: int, minute: int = 0) -> str:
    return format_time(datetime.combine(day, time(hour, minute)))


def demo_meeting_records(members: list[Member], today: date) -> list[Meeting]:
    """The four demo meetings (no randomness: the booking part books their rooms too)."""
    heads = tuple(m.member_id for m in members if m.role in ("部长", "主席"))
    publicity = tuple(m.member_id for m in members if m.department == "宣传部")
    cadres = tuple(m.member_id for m in members if m.role != "干事")
    presidium = tuple(m.member_id for m in members if m.department == "主席团")
    secretary = next((m.member_id for m in members if m.department == "秘书处"), "")

    weekly = Meeting("meeting:demo-weekly", "部长例会", at(today - timedelta(days=7), 19),
                     at(today - timedelta(days=7), 20, 30), "A", "room:sac-201", roster=heads,
                     minute_taker=secretary, minutes_status=MINUTES_FINAL,
                     draft_at=at(today - timedelta(days=6), 10),
                     final_at=at(today - timedelta(days=6), 17))
    publicity_weekly = Meeting("meeting:demo-publicity", "宣传部周会",
                               at(today - timedelta(days=2), 18, 30),
                               at(today - timedelta(days=2), 19, 30), "B", "room:sac-202",
                               roster=publicity, minute_taker=secretary,
                               minutes_status=MINUTES_NONE)
    plenary = Meeting("meeting:demo-plenary", "全体干部大会", at(today, 14), at(today, 16), "A",
                      "room:hall", roster=cadres, minute_taker=secretary)
    presidium_meeting = Meeting("meeting:demo-presidium", "主席团会议",
                                at(today + timedelta(days=1), 12, 30),
                                at(today + timedelta(days=1), 13, 30), "C", "room:sac-202",
                                roster=presidium, minute_taker=secretary)
    return [replace(m, booking_id=meeting_booking_id(m.meeting_id))
            for m in (weekly, publicity_weekly, plenary, presidium_meeting)]


def demo_meetings(rng: random.Random, members: list[Member], today: date) -> list[dict[str, Any]]:
    weekly, publicity_weekly, _plenary, _presidium = meetings = demo_meeting_records(members, today)
    secretary = weekly.minute_taker
    docs = [m.to_doc() for m in meetings]
    docs += _facts(rng, weekly, 0.9)
    docs += _facts(rng, publicity_weekly, 0.8)
    statuses = (DONE, IN_PROGRESS, OPEN, OPEN, DONE)
    for number, (text, status) in enumerate(zip(RESOLUTIONS, statuses)):
        source = weekly if number < 3 else publicity_weekly
        deadline = today + timedelta(days=(-3, 2, -1, 5, 1)[number])
        owner = rng.choice(source.roster) if source.roster else secretary
        docs.append(Resolution(f"resolution:demo-{number}", source.meeting_id, text, owner,
                               deadline.isoformat(), status,
                               at(today - timedelta(days=1), 16) if status == DONE else "").to_doc())
    return docs
