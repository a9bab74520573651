"""Replication writes land in worker threads (the HTTP handlers' ``_bulk_docs``, the pull
replicator's ``put_revisions``), while the UI reads the views attached to the store on its
event loop. A view must only ever change on the thread that reads it: updates made by a
worker's write are delivered on the loop the view was attached from."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from typing import Any

import aiohttp
import pytest

from store import DocumentStore
from sync.couch_client import CouchDatabase
from sync.pull import PullReplicator
from sync.push import PushReplicator

from .test_replication import serve

DOCS = 600


class WatchedMembers:
    """A directory-like view that notes the thread of every update it is given."""

    doc_types = ("member",)

    def __init__(self) -> None:
        self.names: dict[str, str] = {}
        self.threads: set[int] = set()

    def reset(self) -> None:
        self.names.clear()

    def update(self, doc_id: str, doc: dict[str, Any] | None) -> None:
        self.threads.add(threading.get_ident())
        if doc is None:
            self.names.pop(doc_id, None)
        else:
            self.names[doc_id] = str(doc.get("name"))


async def read_while(index: WatchedMembers, done: Callable[[], bool]) -> int:
    """Read the view on the loop as a screen does, letting other threads run between its
    items (a screen's redraw does too: the GIL switches every few milliseconds)."""
    reads = 0
    while not done():
        for n, name in enumerate(index.names.values()):  # "changed size during iteration"
            if n % 20 == 0:                               # if a worker adds a member meanwhile
                time.sleep(0)
            assert name.startswith("成员")
        reads += 1
        await asyncio.sleep(0)
    return reads


def members(store: DocumentStore) -> None:
    store.bulk_put([{"_id": f"member:{n:04d}", "name": f"成员{n}"} for n in range(DOCS)])


@pytest.mark.parametrize("direction", ["peers push through _bulk_docs", "the node pulls"])
async def test_a_view_changes_only_on_its_loop_while_replication_writes(
        direction: str, make_store: Callable[[str], DocumentStore]) -> None:
    source, target = make_store("source"), make_store("target")
    members(source)
    index = WatchedMembers()
    target.attach_index(index)
    pushed = direction.startswith("peers")
    runner, url = await serve(target if pushed else source)
    try:
        async with aiohttp.ClientSession() as session:
            replication = (PushReplicator(source, CouchDatabase(session, url), identity=url,
                                          batch_size=20) if pushed
                           else PullReplicator(target, url, session, batch_size=20))
            writing = asyncio.create_task(replication.replicate())
            reads = await read_while(index, writing.done)
            await writing
    finally:
        await runner.cleanup()
    assert len(index.names) == DOCS and reads > 1
    assert index.threads == {threading.get_ident()}
