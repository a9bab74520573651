"""``mishu demo``: a believable student-union office to try mishu without typing a roster.

Generation is seeded, so the same command gives the same office (handy in screenshots and bug
reports). Each area contributes its part through :data:`DEMO_PARTS`; a part receives the
members already created and returns the documents it wants written.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from .booking_demo import demo_bookings
from .desk_demo import demo_desk
from .docstore import DocumentStore
from .documents_demo import demo_archive_and_documents
from .meetings_demo import demo_meetings
from .members import Member
from .supplies_demo import demo_supplies
from .survey_demo import demo_survey

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彬鹏辉晨宇轩浩然子涵欣怡梓萱一诺雨泽思远佳琪博文嘉怡晓东春梅志强"
DEPARTMENTS = ["秘书处", "学习部", "宣传部", "文艺部", "体育部", "外联部", "生活部", "组织部", "主席团"]
ROLES = ["干事", "干事", "干事", "副部长", "部长"]


@dataclass(frozen=True)
class DemoSummary:
    members: int
    documents: int


DemoPart = Callable[[random.Random, list[Member], date], list[dict[str, Any]]]


def demo_members(rng: random.Random, count: int = 200) -> list[Member]:
    members = []
    for number in range(1, count + 1):
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        department = DEPARTMENTS[number % len(DEPARTMENTS)]
        role = "主席" if department == "主席团" and number < 20 else rng.choice(ROLES)
        members.append(
            Member(
                member_id=f"2026{number:04d}",
                name=name,
                department=department,
                role=role,
                phone=f"13{rng.randint(0, 9)}{rng.randint(10000000, 99999999)}",
                email=f"s2026{number:04d}@stu.example.edu.cn",
                qr_token=f"M{rng.getrandbits(64):016X}",
            )
        )
    return members


def _member_docs(members: list[Member]) -> list[dict[str, Any]]:
    return [{"_id": member.doc_id, **member.to_fields()} for member in members]


DEMO_PARTS: list[DemoPart] = [demo_bookings, demo_meetings, demo_supplies,
                              demo_archive_and_documents, demo_desk, demo_survey]


Progress = Callable[[int, int], None]


def fill_demo(store: DocumentStore, *, today: date, seed: int = 2026,
              progress: Progress | None = None) -> DemoSummary:
    """Write the demo office; documents that already exist are left as they are.

    ``progress(done, total)`` is called after each batch, for a progress bar.
    """
    rng = random.Random(seed)
    members = demo_members(rng)
    docs = _member_docs(members)
    for part in DEMO_PARTS:
        docs.extend(part(rng, members, today))
    fresh = [doc for doc in docs if not store.exists(doc["_id"])]
    for start in range(0, len(fresh), 500):
        store.bulk_put(fresh[start : start + 500])
        if progress is not None:
            progress(min(len(fresh), start + 500), len(fresh))
    # the parts may add members of their own (the desk's two approvers)
    return DemoSummary(members=sum(doc["_id"].startswith("member:") for doc in docs),
                       documents=len(fresh))
