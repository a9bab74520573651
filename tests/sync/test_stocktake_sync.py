"""Two real nodes counting one stock-take: offline halves and concurrent scans all arrive."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime, timedelta

from store import DocumentStore
from store.stocktake_desk import confirm_stocktake, record_scan, start_stocktake
from store.supplies import Item
from store.supplies_desk import Actor, receive, save_item
from store.supplies_index import SupplyIndex
from sync.hosting import NodeSettings, SyncNode

from .test_replication import wait_until

NOW = datetime(2026, 11, 25, 9, 30)
ITEMS = [Item(f"item:{n}", f"物品{n}", "个", location=f"柜{n % 2 + 1}", code=f"I{n:04d}")
         for n in range(20)]


def indexed(store: DocumentStore) -> SupplyIndex:
    index = SupplyIndex.for_store(store)
    store.attach_index(index)
    return index


def node(store: DocumentStore) -> SyncNode:
    return SyncNode(store, NodeSettings(listen_host="127.0.0.1", listen_port=0, discovery=False,
                                        longpoll_seconds=1.0))


async def test_two_nodes_count_apart_then_together_and_agree(
        make_store: Callable[[str], DocumentStore]) -> None:
    a, b = make_store("a"), make_store("b")
    index_a, index_b = indexed(a), indexed(b)
    for item in ITEMS:
        save_item(a, item)
        receive(a, item, 10, Actor(NOW, "a"))
    stocktake = start_stocktake(a, index_a, Actor(NOW, "a", "王"))
    nodes = [node(a), node(b)]
    for each in nodes:
        await each.start()
    try:
        nodes[1].add_peer(f"http://127.0.0.1:{nodes[0].port}")
        await wait_until(lambda: index_b.open_stocktake() == stocktake
                         and len(index_b.items) == len(ITEMS))
        await nodes[1].stop()  # b goes offline: each counts its own shelf
        for n, item in enumerate(ITEMS):
            store, index, who = (a, index_a, "王") if n % 2 else (b, index_b, "李")
            record_scan(store, index, stocktake, item.code, Actor(NOW, store.node_id, who),
                        item.location, 9)
        nodes[1] = node(b)
        await nodes[1].start()
        for one, other in (nodes, nodes[::-1]):
            one.add_peer(f"http://127.0.0.1:{other.port}")
        # online now, both scanning at once
        for n in range(40):
            for store, index in ((a, index_a), (b, index_b)):
                record_scan(store, index, stocktake, ITEMS[n % 20].code,
                            Actor(NOW + timedelta(seconds=n), store.node_id), "", 1)
            await asyncio.sleep(0)
        await wait_until(lambda: len(index_a.tallies[stocktake.stocktake_id].scans)
                         == len(index_b.tallies[stocktake.stocktake_id].scans) == 20 + 80)
        report_a = index_a.stocktake_report(stocktake.stocktake_id)
        assert report_a == index_b.stocktake_report(stocktake.stocktake_id)
        assert {c.counted for c in report_a.counted} == {9 + 4}  # 9 offline, 2 × 2 online
        # both confirm what they see: each item is adjusted once, on both nodes
        confirm_stocktake(a, index_a, report_a, Actor(NOW, "a"))
        confirm_stocktake(b, index_b, index_b.stocktake_report(stocktake.stocktake_id),
                          Actor(NOW, "b"))
        await wait_until(lambda: all(index.level(item.item_id) == 13 for item in ITEMS
                                     for index in (index_a, index_b)))
    finally:
        for each in nodes:
            await each.stop()
