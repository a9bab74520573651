"""Two nodes that never see each other converge through a CouchDB hub (a stand-in speaking
CouchDB's HTTP API with Basic auth, from npm), conflicts kept and scans delivered; the hub is
trusted no more than a peer; a wrong password is a clear status, not a crash."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import aiohttp
import pytest

from store import DocumentStore
from store.archive import load_record
from store.archive_blobs import BlobStore
from sync.blob_fetch import BlobFetcher
from sync.hub import HubLink, HubSettings
from tests.sync.couch_hub import HUB_PASSWORD, HUB_USER, NodeMissing, StandInHub, stand_in_hub
from tests.sync.test_archive_blobs_sync import SCAN, record_with_scan
from tests.sync.test_pouchdb_interop import mishu_state
from tests.sync.test_replication import wait_until


AUTH = {"Authorization": aiohttp.encode_basic_auth(HUB_USER, HUB_PASSWORD, "utf-8")}


@pytest.fixture
async def hub() -> AsyncIterator[StandInHub]:
    try:
        async with stand_in_hub() as running:
            yield running
    except NodeMissing as missing:
        pytest.skip(str(missing))


@asynccontextmanager
async def linked(store: DocumentStore, hub: StandInHub, password: str = HUB_PASSWORD
                 ) -> AsyncIterator[HubLink]:
    """``store`` pulling from and pushing to ``hub`` until the block ends."""
    link = HubLink(store, HubSettings(hub.url, HUB_USER, password), BlobFetcher(store),
                   longpoll_seconds=1.0)
    stop = asyncio.Event()
    task = asyncio.create_task(link.run(stop))
    try:
        yield link
    finally:
        stop.set()
        task.cancel()  # as SyncNode.stop does: a longpoll on the hub ends now
        await asyncio.gather(task, return_exceptions=True)


def edit(store: DocumentStore, doc_id: str, **fields: object) -> None:
    current = store.get_or_none(doc_id)
    store.put({"_id": doc_id, **({"_rev": current["_rev"]} if current else {}), **fields})


async def test_two_nodes_converge_through_the_hub_with_conflicts_kept_and_scans_delivered(
        hub: StandInHub, tmp_path: Path, make_store: Callable[[str], DocumentStore]) -> None:
    a, b = make_store("a"), make_store("b")
    for i in range(120):
        edit(a, f"note:a{i}", text=f"甲 {i}")
        edit(b, f"note:b{i}", text=f"乙 {i}")
    for i in range(10):  # the same documents written on both sides before they meet
        edit(a, f"note:both{i}", text="甲写的")
        edit(b, f"note:both{i}", text="乙写的")
    record, attachment = record_with_scan(a, tmp_path)
    async with linked(a, hub) as link_a, linked(b, hub) as link_b:
        await wait_until(lambda: mishu_state(a) == mishu_state(b) and len(mishu_state(a)) == 251,
                         60)
        edit(b, "note:a0", text="乙改了甲的")  # and keep replicating while both run
        await wait_until(lambda: a.get("note:a0")["text"] == "乙改了甲的", 60)
        assert link_a.status.state in ("idle", "syncing") and link_b.status.kind == "hub"
    conflicted = [doc_id for doc_id, entry in mishu_state(b).items() if len(entry["leaves"]) == 2]
    assert sorted(conflicted) == sorted(f"note:both{i}" for i in range(10))
    assert a.conflicts("note:both3") == b.conflicts("note:both3")
    assert load_record(b, record.archive_id) is not None
    assert BlobStore.for_store(b).read(attachment) == SCAN
    assert not any(doc_id.startswith("blob:") for doc_id in mishu_state(b))


async def test_a_wrong_password_is_a_clear_status_and_nothing_crashes(
        hub: StandInHub, make_store: Callable[[str], DocumentStore]) -> None:
    a = make_store("a")
    edit(a, "note:1", text="x")
    async with linked(a, hub, password="wrong") as link:
        await wait_until(lambda: link.status.state == "failing", 30)
        assert link.status.problem == "unauthorized"
        assert "401" in link.status.last_error
    async with aiohttp.ClientSession(headers=AUTH) as session, session.get(hub.url) as response:
        assert (await response.json(content_type=None))["doc_count"] == 0
