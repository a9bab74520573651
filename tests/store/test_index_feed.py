"""The order of a view's updates survives their trip to the loop: a write on the loop's own
thread first applies what worker threads queued before it, so the view ends at the store's
winner, and a view attached with no loop running is updated at once in any thread."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

from store import DocumentStore


class Names:
    doc_types = ("member",)

    def __init__(self) -> None:
        self.names: dict[str, str] = {}

    def reset(self) -> None:
        self.names.clear()

    def update(self, doc_id: str, doc: dict[str, Any] | None) -> None:
        if doc is None:
            self.names.pop(doc_id, None)
        else:
            self.names[doc_id] = doc["name"]


def in_thread(write: Any) -> None:
    """Run ``write`` in another thread and wait for it here, without giving the loop a turn."""
    worker = threading.Thread(target=write)
    worker.start()
    worker.join()


async def test_a_write_on_the_loop_applies_the_queued_updates_first(store: DocumentStore) -> None:
    view = Names()
    store.attach_index(view)
    in_thread(lambda: store.put({"_id": "member:1", "name": "张三"}))
    assert view.names == {}  # queued for the loop, which has not had a turn
    store.put_latest({"_id": "member:1", "name": "张三丰"})
    assert view.names == {"member:1": "张三丰"}
    in_thread(lambda: store.put({"_id": "member:2", "name": "李四"}))
    await asyncio.sleep(0)  # the loop's turn
    assert view.names == {"member:1": "张三丰", "member:2": "李四"}


def test_without_a_loop_a_view_is_updated_in_the_writing_thread(store: DocumentStore) -> None:
    view = Names()
    store.attach_index(view)
    in_thread(lambda: store.put({"_id": "member:1", "name": "张三"}))
    assert view.names == {"member:1": "张三"}


async def test_while_a_worker_reads_the_views_the_update_comes_a_moment_later_and_says_so(
        store: DocumentStore) -> None:
    view = Names()
    store.attach_index(view)
    seen: list[dict[str, str]] = []  # what the view held at each notification
    store.subscribe(lambda _seq: seen.append(dict(view.names)))
    in_thread(lambda: store.put({"_id": "member:1", "name": "张三"}))
    reading, done = threading.Event(), threading.Event()
    reader = threading.Thread(target=lambda: store.without_writes(
        lambda: (reading.set(), done.wait(10))))
    reader.start()
    reading.wait(10)
    await asyncio.sleep(0)  # the loop's turn: the views are being read, it does not wait
    assert view.names == {} and seen == [{}]
    done.set()
    reader.join()
    for _ in range(500):
        if len(seen) > 1:
            break
        await asyncio.sleep(0.01)
    assert seen == [{}, {"member:1": "张三"}]
