"""The demo office's supply room (a :data:`store.demo.DEMO_PARTS` entry).

Consumables with two months of deliveries and takes (a few end up below their reorder level),
fixed assets with tag numbers, some lent out, two of them overdue, so every tab of the
supplies screen and the dashboard's loan and stock panels have something to show.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import Any

from .members import Member
from .supplies import (RECEIVED, TAKEN, Asset, Item, Loan, Movement, Return, format_time)

ITEMS = [  # name, unit, category, reorder level
    ("A4 打印纸", "包", "纸张", 10), ("A3 打印纸", "包", "纸张", 3), ("彩色卡纸", "包", "纸张", 2),
    ("黑色签字笔", "支", "文具", 20), ("红色签字笔", "支", "文具", 10), ("白板笔", "支", "文具", 8),
    ("订书钉", "盒", "文具", 5), ("长尾夹", "盒", "文具", 5), ("便利贴", "本", "文具", 10),
    ("档案袋", "个", "文具", 30), ("文件夹", "个", "文具", 15), ("胶带", "卷", "文具", 6),
    ("5 号电池", "节", "电子耗材", 12), ("7 号电池", "节", "电子耗材", 12),
    ("硒鼓", "个", "电子耗材", 1), ("墨盒", "个", "电子耗材", 2), ("U 盘", "个", "电子耗材", 2),
    ("一次性纸杯", "包", "会务", 5), ("桌签", "个", "会务", 20), ("横幅布", "米", "会务", 10),
    ("签到表", "本", "会务", 3), ("矿泉水", "箱", "会务", 2),
]
ASSETS = [  # name, category, value, location
    ("投影仪", "电子设备", 3999.0, "器材室A柜"), ("投影仪", "电子设备", 4299.0, "器材室A柜"),
    ("笔记本电脑", "电子设备", 5999.0, "器材室B柜"), ("笔记本电脑", "电子设备", 5999.0, "器材室B柜"),
    ("单反相机", "摄影器材", 6800.0, "器材室C柜"), ("摄像机", "摄影器材", 8200.0, "器材室C柜"),
    ("三脚架", "摄影器材", 399.0, "器材室C柜"), ("无线麦克风", "音响设备", 1200.0, "器材室D柜"),
    ("便携音箱", "音响设备", 1599.0, "器材室D柜"), ("翻页笔", "电子设备", 129.0, "器材室A柜"),
    ("对讲机", "通讯设备", 350.0, "器材室D柜"), ("对讲机", "通讯设备", 350.0, "器材室D柜"),
    ("易拉宝架", "会务用品", 180.0, "仓库"), ("折叠桌", "会务用品", 260.0, "仓库"),
    ("扩音器", "音响设备", 220.0, "器材室D柜"), ("移动硬盘", "电子设备", 699.0, "器材室B柜"),
]


def demo_supplies(rng: random.Random, members: list[Member], today: date) -> list[dict[str, Any]]:
    now = datetime.combine(today, time(9, 30))
    docs: list[dict[str, Any]] = []
    serial = iter(range(1, 100_000))

    def event_id(kind: str) -> str:
        return f"{kind}:demo{next(serial):05d}"

    for number, (name, unit, category, reorder) in enumerate(ITEMS, start=1):
        item = Item(f"item:demo{number:03d}", name, unit, category, f"物资室{rng.randint(1, 4)}号柜",
                    reorder, f"I{rng.getrandbits(64):016X}")
        docs.append(item.to_doc())
        stock = 0
        for week in range(8, -1, -2):  # a delivery every other week
            at = now - timedelta(weeks=week, hours=rng.randint(0, 6))
            quantity = rng.randint(reorder + 2, reorder * 3 + 10)
            stock += quantity
            docs.append(Movement(event_id("movement"), item.item_id, RECEIVED, quantity,
                                 format_time(at), node="office").to_doc())
            for _ in range(rng.randint(1, 4)):
                if stock <= 1:
                    break
                taken = rng.randint(1, max(1, min(stock - 1, reorder + 3)))
                stock -= taken
                when = min(now, at + timedelta(days=rng.randint(1, 12), hours=rng.randint(0, 8)))
                docs.append(Movement(event_id("movement"), item.item_id, TAKEN, -taken,
                                     format_time(when), rng.choice(members).member_id,
                                     "supply-kiosk").to_doc())
    for number, (name, category, value, location) in enumerate(ASSETS, start=1):
        asset = Asset(f"asset:demo{number:03d}", f"GZ-2026-{number:03d}", name, category,
                      f"SN{rng.getrandbits(32):08X}", f"2025-{rng.randint(1, 12):02d}-15", value,
                      location, code=f"A{rng.getrandbits(64):016X}")
        docs.append(asset.to_doc())
        lent = now - timedelta(days=rng.randint(2, 40))
        loan = Loan(event_id("loan"), asset.asset_id, rng.choice(members).member_id,
                    format_time(lent), format_time(lent + timedelta(days=14)), "office")
        if number % 3 == 0:
            continue  # in the room, never lent
        docs.append(loan.to_doc())
        if number % 3 == 1:
            back = min(now, lent + timedelta(days=rng.randint(1, 14)))
            docs.append(Return(loan.loan_id, format_time(back), rng.choice(["good", "good", "worn"]),
                               "office").to_doc())
    return docs
