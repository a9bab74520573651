"""The demo office's archive (with the documents issued into it, a :data:`store.demo.DEMO_PARTS`
entry), and realistic records for tests and the benchmark.

Titles follow the forms a student union's files really take — 关于举办…的通知, …会议纪要
（第N次）, …采购合同, …经费决算报告, 关于…同志任…的决定 — so search behaves as it would
on a real archive. The demo adds loans (one overdue), approvals for confidential files and a
few records whose retention has ended. Seeded like the rest.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from typing import Any

from .archive import CONFIDENTIAL, CONFIDENTIALITY, ArchiveRecord, format_time
from .archive_events import (APPROVER_ROLES, ARCHIVE_EVENT, DECISION, FILE, LEND, LOAN, REQUEST,
                             RETURN, ArchiveEvent, once_id)
from .archive_numbering import NumberingScheme
from .members import Member
from .people import label

CATEGORIES = ("发文", "收文", "会议纪要", "合同", "财务", "人事")
EVENTS = ["校园歌手大赛", "秋季运动会", "迎新晚会", "新生杯篮球赛", "读书分享会", "志愿服务月",
          "社团招新", "学术讲座", "心理健康周", "宿舍文化节", "元旦晚会", "毕业生欢送会",
          "无偿献血活动", "辩论赛", "环保宣传周", "英语角", "摄影大赛", "五四评优", "主题团日活动",
          "安全教育周", "招聘会志愿者招募", "运动会开幕式", "红色经典诵读", "科技创新大赛"]
VERBS = ["举办", "开展", "组织", "召开", "做好"]
KINDS = ["通知", "请示", "报告", "通报", "决定", "方案"]
MEETINGS = ["部长例会", "主席团会议", "全体干部大会", "宣传部周会", "财务工作会议", "换届筹备会"]
GOODS = ["音响设备", "舞台灯光", "活动横幅", "办公用品", "演出服装", "奖杯证书", "打印耗材"]
ISSUERS = ["校学生会秘书处", "校团委", "学生处", "教务处", "财务处", "保卫处", "后勤集团",
           "校学生会宣传部", "校学生会文艺部", "校学生会体育部", "研究生会", "计算机学院学生会"]
DEPARTMENTS = ["秘书处", "学习部", "宣传部", "文艺部", "体育部", "外联部", "生活部", "组织部"]
POSTS = ["部长", "副部长"]
NAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"


def _title(rng: random.Random, category: str, year: int) -> tuple[str, tuple[str, ...]]:
    """A title in the form its category takes, and the keywords a secretary would give it."""
    event = rng.choice(EVENTS)
    if category == "会议纪要":
        meeting = rng.choice(MEETINGS)
        return f"{year}年{meeting}会议纪要（第{rng.randint(1, 30)}次）", (meeting, "会议纪要")
    if category == "合同":
        goods = rng.choice(GOODS)
        return rng.choice([f"{event}{goods}采购合同", f"{event}场地租赁协议",
                           f"{event}赞助合作协议"]), (event, goods, "合同")
    if category == "财务":
        return (f"{year}年{event}活动经费{rng.choice(['预算表', '决算报告', '报销明细'])}",
                (event, "经费"))
    if category == "人事":
        name = rng.choice(NAMES) + rng.choice("伟芳娜敏静丽强磊军洋")
        department = rng.choice(DEPARTMENTS)
        return rng.choice([f"关于{name}同志任{department}{rng.choice(POSTS)}的决定",
                           f"{year}年{department}干部换届选举结果公示"]), (department, "人事")
    prefix = "" if category == "发文" else rng.choice(ISSUERS[1:7])
    return f"{prefix}关于{rng.choice(VERBS)}{event}的{rng.choice(KINDS)}", (event,)


def generate_records(rng: random.Random, scheme: NumberingScheme, count: int,
                     years: tuple[int, int] = (2010, 2026)) -> Iterator[ArchiveRecord]:
    """``count`` records numbered in order per category and year, as a real register runs."""
    sequences: dict[tuple[str, int], int] = {}
    for _ in range(count):
        category = rng.choice(CATEGORIES)
        year = rng.randint(*years)
        seq = sequences[(category, year)] = sequences.get((category, year), 0) + 1
        issued = date(year, 1, 1) + timedelta(days=rng.randint(0, 364))
        title, keywords = _title(rng, category, year)
        confidentiality = rng.choices(CONFIDENTIALITY, (3, 6, 1))[0]
        issuer = "校学生会秘书处" if category == "发文" else rng.choice(ISSUERS)
        yield ArchiveRecord(
            f"archive:{rng.getrandbits(128):032x}",
            scheme.render(category, year, seq), category, year, seq, title, issuer,
            issued.isoformat(), keywords, f"{rng.randint(1, 8)}号柜", f"{rng.randint(1, 5)}层",
            f"{rng.randint(1, 40)}盒", confidentiality,
            rng.choices(("10y", "30y", "permanent"), (5, 3, 2))[0],
            format_time(datetime.combine(issued + timedelta(days=rng.randint(0, 6)), time(10))),
            "秘书处")


def demo_archive(rng: random.Random, members: list[Member], today: date) -> list[dict[str, Any]]:
    scheme = NumberingScheme("校学生会")
    records = sorted(generate_records(rng, scheme, 150, (today.year - 11, today.year)),
                     key=lambda r: r.registered_at)
    records = [r for r in records if r.registered_at[:10] <= today.isoformat()]
    docs: list[dict[str, Any]] = [r.to_doc() for r in records]
    now = datetime.combine(today, time(9))
    borrowers = [label(m) for m in members if m.role == "干事"][:10] or ["王芳"]
    approver = next((label(m) for m in members if m.role in APPROVER_ROLES), "主席")
    for number, record in enumerate(records):
        registered = datetime.fromisoformat(record.registered_at)
        if number % 4 and registered + timedelta(days=9) < now:
            docs.append(ArchiveEvent(once_id(record.archive_id, FILE), record.archive_id, FILE,
                                     format_time(registered + timedelta(days=rng.randint(1, 9))),
                                     node="secretariat").to_doc())
    old_enough = [r for r in records if r.registered_at < format_time(now - timedelta(days=40))]
    def event_id() -> str:  # seeded, so loading the demo twice writes nothing new
        return f"{ARCHIVE_EVENT}:{rng.getrandbits(128):032x}"

    for number, record in enumerate(old_enough[::12]):
        borrower = rng.choice(borrowers)
        # the first loan is three weeks out on a two-week term: the demo's overdue loan
        lent_at = now - timedelta(days=21 if number == 0 else rng.randint(2, 10))
        ref = ""
        if record.confidentiality == CONFIDENTIAL:
            request = ArchiveEvent(event_id(), record.archive_id, REQUEST,
                                   format_time(lent_at - timedelta(hours=2)), person=borrower,
                                   purpose=LOAN, reason="核对历史材料", node="secretariat")
            ref = request.event_id
            docs += [request.to_doc(), ArchiveEvent(
                once_id(ref, DECISION), record.archive_id, DECISION,
                format_time(lent_at - timedelta(hours=1)), person=approver, role="主席",
                approved=True, reason="同意", ref=ref, node="secretariat").to_doc()]
        lend = ArchiveEvent(event_id(), record.archive_id, LEND, format_time(lent_at),
                            person=borrower, due=(lent_at + timedelta(days=14)).date().isoformat(),
                            ref=ref, node="secretariat")
        docs.append(lend.to_doc())
        if number % 2 == 0 and number:
            docs.append(ArchiveEvent(once_id(lend.event_id, RETURN), record.archive_id, RETURN,
                                     format_time(lent_at + timedelta(days=5)), person=borrower,
                                     ref=lend.event_id, node="secretariat").to_doc())
    return docs
