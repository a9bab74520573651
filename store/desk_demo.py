"""The demo office's service desk (a :data:`store.demo.DEMO_PARTS` entry).

A fortnight of department requests, some answered in time, some late, a few still open (one
past its promise), a leave and two expenses waiting for approval, so the desk's tabs and the
dashboard's open-requests panel have something to show; and the two approvers config names,
a 秘书长 and a 财务部部长, so an expense can go through both of its stages in the demo; and
the departments' monthly summaries being collected, two departments still missing.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from typing import Any

from .desk_approvals import Expense, LeaveRequest
from .desk_events import DESK_EVENT, new_event
from .desk_requests import DONE, OUTCOME, DeskRequest
from .material_collection import COLLECTION, ITEM, MaterialCollection, Submission
from .members import Member

# Added beside the generated directory (not drawn from its random roles), with fixed ids after
# its 200 members, so every other demo part draws the same office as before.
APPROVERS = (Member("20260201", "周敏", "秘书处", "秘书长", "13800000201",
                    "s20260201@stu.example.edu.cn", "M000000000000D201"),
             Member("20260202", "郑磊", "财务部", "财务部部长", "13800000202",
                    "s20260202@stu.example.edu.cn", "M000000000000D202"))

REQUESTS = [  # kind, title, hours after filing it was answered (None: still open)
    ("公文审核", "社团联合会合作协议审核", 20), ("初稿", "第一季度工作总结初稿", 50),
    ("物资", "迎新晚会物资：横幅布 10 米、矿泉水 5 箱", 6), ("其他", "借用学生会公章", 2),
    ("公文审核", "校园歌手大赛活动方案", 30), ("初稿", "学代会报告初稿", None),
    ("物资", "运动会对讲机 4 台", None), ("其他", "部门例会纪要模板", None),
]


SUMMARY_DEPARTMENTS = ("宣传部", "组织部", "学习部", "体育部", "文艺部", "外联部")
HANDED_IN = 4  # the first four have handed theirs in; 文艺部 and 外联部 are still missing


def demo_collection(today: date) -> list[dict[str, Any]]:
    """The departments' monthly summaries, due the day after tomorrow, two still missing."""
    opened = datetime.combine(today - timedelta(days=3), time(9, 0))
    collection = MaterialCollection(
        f"{COLLECTION}:demo", f"各部门{opened.month}月工作总结",
        datetime.combine(today + timedelta(days=2), time(17, 0)).isoformat(timespec="minutes"),
        SUMMARY_DEPARTMENTS, opened.isoformat(timespec="minutes"))
    return [collection.to_doc(), *(
        Submission(f"{ITEM}:demo{number}", collection.collection_id, department,
                   (opened + timedelta(days=1, hours=number)).isoformat(timespec="minutes"),
                   f"{department}{opened.month}月工作总结：活动开展、成员考勤与下月计划。",
                   recorded_by="office-1").to_doc()
        for number, department in enumerate(SUMMARY_DEPARTMENTS[:HANDED_IN]))]


def demo_desk(rng: random.Random, members: list[Member], today: date) -> list[dict[str, Any]]:
    now = datetime.combine(today, time(9, 30))
    docs: list[dict[str, Any]] = [{"_id": m.doc_id, **m.to_fields()} for m in APPROVERS]
    secretaries = [m for m in members if m.department == "秘书处"] or members
    for number, (kind, title, answered_after) in enumerate(REQUESTS):
        asker = rng.choice([m for m in members if m.department != "秘书处"] or members)
        filed = now - timedelta(days=len(REQUESTS) - number, hours=rng.randint(0, 5))
        request = DeskRequest(f"desk_request:demo{number:02d}", kind, asker.department, title,
                              filed_at=filed.isoformat(timespec="minutes"), filed_by=asker.name)
        docs.append(request.to_doc())
        if answered_after is not None:
            done = new_event(request.request_id, OUTCOME, DONE,
                             filed + timedelta(hours=answered_after),
                             person=rng.choice(secretaries).name)
            # a fixed id, so a second demo run finds it written and adds nothing
            docs.append(replace(done, event_id=f"{DESK_EVENT}:demo{number:02d}").to_doc())
    applicant, payer = rng.sample([m for m in members if m.department != "秘书处"], 2)
    docs.append(LeaveRequest("desk_leave:demo", applicant.member_id, "课程考试",
                             duty="周三下午值班",
                             filed_at=(now - timedelta(days=1)).isoformat(timespec="minutes")
                             ).to_doc())
    for number, (cents, purpose) in enumerate(((12850, "迎新海报打印"), (6000, "横幅制作"))):
        docs.append(Expense(f"desk_expense:demo{number}", payer.member_id, payer.department,
                            cents, purpose,
                            filed_at=(now - timedelta(days=2 - number)).isoformat(
                                timespec="minutes")).to_doc())
    return docs + demo_collection(today)
