"""Real nodes on 127.0.0.1 ephemeral ports replicating real stores."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web

from store import DocumentStore
from sync.hosting import NodeSettings, SyncNode
from sync.http_api import make_app
from sync.pull import PullReplicator


def state(store: DocumentStore) -> dict[str, tuple[str, list[str]]]:
    """Winner and conflict set of every document, deleted ones included."""
    result = {}
    for row in store.changes(style="all_docs")[0]:
        winner = store.all_docs(keys=[row["id"]])[0]["value"]["rev"]
        result[row["id"]] = (winner, store.conflicts(row["id"]))
    return result


async def wait_until(predicate: Callable[[], bool], seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.05)


@pytest.mark.usefixtures("platform_mode")
async def test_three_nodes_converge_with_identical_winners_and_conflicts(
    make_store: Callable[[str], DocumentStore]
) -> None:
    stores = [make_store(name) for name in "abc"]
    shared = stores[0].put({"_id": "meeting:1", "title": "例会", "room": "201"})
    [base] = stores[0].open_revs("meeting:1", None)
    for other in stores[1:]:  # everyone starts from the same revision of the shared doc
        other.put_revisions([base["ok"]])
    # while partitioned: the same document edited on two nodes, plus local work everywhere
    stores[0].put({"_id": "meeting:1", "_rev": shared, "title": "例会", "room": "302"})
    stores[1].put({"_id": "meeting:1", "_rev": shared, "title": "部长例会", "room": "201"})
    for index, store in enumerate(stores):
        store.bulk_put([{"_id": f"signin:m1:{index}-{n}", "n": n} for n in range(50)])
    deleted = stores[2].put({"_id": "item:pen", "count": 3})
    stores[2].delete("item:pen", deleted)

    nodes = [SyncNode(store, NodeSettings(listen_host="127.0.0.1", listen_port=0,
                                          discovery=False, longpoll_seconds=1.0))
             for store in stores]
    for node in nodes:
        await node.start()
    try:
        for node in nodes:
            for other in nodes:
                if other is not node:
                    node.add_peer(f"http://127.0.0.1:{other.port}")
        # concurrent edits while replication runs
        for index, store in enumerate(stores):
            store.put({"_id": f"booking:live-{index}", "by": index})
        await wait_until(lambda: state(stores[0]) == state(stores[1]) == state(stores[2])
                         and len(state(stores[0])) == 3 * 50 + 1 + 1 + 3)
    finally:
        for node in nodes:
            await node.stop()
    final = state(stores[0])
    winner, conflicts = final["meeting:1"]
    assert len(conflicts) == 1  # both concurrent edits kept: one wins, one is a conflict
    assert {stores[0].get("meeting:1", winner)["room"],
            stores[0].get("meeting:1", conflicts[0])["room"]} == {"302", "201"}
    assert stores[1].get_or_none("item:pen") is None


async def serve(store: DocumentStore) -> tuple[web.AppRunner, str]:
    runner = web.AppRunner(make_app(store))
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    return runner, f"http://127.0.0.1:{runner.addresses[0][1]}"


async def test_restart_resumes_from_checkpoint(tmp_path: Path,
                                               make_store: Callable[[str], DocumentStore]) -> None:
    source = make_store("source")
    source.bulk_put([{"_id": f"member:{n}", "n": n} for n in range(1000)])
    runner, url = await serve(source)
    try:
        target = DocumentStore.open(tmp_path / "target")
        async with aiohttp.ClientSession() as session:
            first = PullReplicator(target, url, session, batch_size=100)
            assert await first.replicate() == 1000
        target.close()
        source.bulk_put([{"_id": f"member:new-{n}", "n": n} for n in range(30)])
        target = DocumentStore.open(tmp_path / "target")  # the node restarted
        async with aiohttp.ClientSession() as session:
            again = PullReplicator(target, url, session, batch_size=100)
            assert await again.replicate() == 30
            # identify, two checkpoints, one page of changes, one bulk_get, checkpoint, final page
            assert again.requests <= 8, again.requests
        assert target.doc_count == 1030
        target.close()
    finally:
        await runner.cleanup()


async def test_lost_local_checkpoint_falls_back_to_common_session(
    make_store: Callable[[str], DocumentStore]
) -> None:
    source, target = make_store("s"), make_store("t")
    source.bulk_put([{"_id": f"x:{n}"} for n in range(300)])
    runner, url = await serve(source)
    try:
        async with aiohttp.ClientSession() as session:
            replicator = PullReplicator(target, url, session, batch_size=100)
            await replicator.replicate()
            rep_id = replicator.replication_id(source.node_id)
            checkpoint = target.get_local(rep_id)
            # the target's checkpoint is older (say, restored from a backup) but shares history
            target.put_local(rep_id, {**{k: v for k, v in checkpoint.items() if not k.startswith("_")},
                                      "session_id": "older"})
            source.bulk_put([{"_id": f"y:{n}"} for n in range(10)])
            again = PullReplicator(target, url, session, batch_size=100)
            assert await again.replicate() == 10
    finally:
        await runner.cleanup()


def data_files(store: DocumentStore) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in (store.data_dir / "db").iterdir()}


MALFORMED = [
    ("POST", "/mishu/_bulk_docs", b"{not json"),
    ("POST", "/mishu/_bulk_docs", b'{"docs": "nope"}'),
    ("POST", "/mishu/_bulk_docs", b'{"docs": [{"_id": "x:1"}], "new_edits": "no"}'),
    ("PUT", "/mishu/member:1?new_edits=false", b'{"_rev": "9999999999-abc", "name": "x"}'),
    ("PUT", "/mishu/member:1?new_edits=false",
     b'{"_rev": "2-bb", "_revisions": {"start": 2, "ids": ["bb", 5]}, "name": "x"}'),
    ("PUT", "/mishu/member:2?new_edits=false", b'{"_rev": "zz"}'),
    ("POST", "/mishu/_revs_diff", b'["x"]'),
    ("POST", "/mishu/_revs_diff", b'{"x:1": ["not-a-rev"]}'),
    ("POST", "/mishu/_bulk_get", b'{"docs": [{"id": 5}]}'),
    ("POST", "/mishu/_bulk_get", b"[" * 100_000),
    ("GET", "/mishu/_changes?since=abc", None),
    ("GET", "/mishu/_changes?limit=-5", None),
    ("GET", "/mishu/_changes?feed=continuous", None),
    ("GET", "/mishu/_changes?style=weird", None),
    ("GET", "/mishu/member:1?open_revs=[1,2", None),
    ("GET", "/mishu/member:1?rev=nonsense", None),
    ("PUT", "/mishu/member:1", b'{"_id": "member:2"}'),
    ("PUT", "/mishu/_design/evil", b"{}"),
    ("PUT", "/mishu/_local/cp", b"[1, 2]"),
    ("DELETE", "/mishu/member:1", None),
    ("GET", "/mishu/_all_docs?keys=notjson", None),
    ("POST", "/mishu/_all_docs", b'{"keys": [1, 2]}'),
    ("PUT", "/mishu/member:1", b'{"name": "x", "_attachments": {"a": 1}}'),
    ("POST", "/mishu/_bulk_docs", b"x" * (9 * 1024 * 1024)),
]


@pytest.mark.parametrize(("method", "path", "body"), MALFORMED,
                         ids=[f"{m} {p[:40]} #{i}" for i, (m, p, _) in enumerate(MALFORMED)])
async def test_malformed_requests_get_4xx_and_leave_store_untouched(
    store: DocumentStore, method: str, path: str, body: bytes | None
) -> None:
    store.put({"_id": "member:1", "name": "张三"})
    before = data_files(store)
    runner, url = await serve(store)
    try:
        async with aiohttp.ClientSession() as session:
            async with session.request(method, url + path, data=body) as response:
                assert 400 <= response.status < 500, await response.text()
                payload = await response.json()
                assert set(payload) == {"error", "reason"}
    finally:
        await runner.cleanup()
    assert data_files(store) == before


async def test_bulk_docs_refuses_absurd_revisions_one_by_one(store: DocumentStore) -> None:
    """``new_edits=false``: each refused document gets CouchDB's per-document error entry; the
    good ones are stored; a refused one never reaches the store (it would break every edit)."""
    store.put({"_id": "member:1", "name": "张三"})
    docs = [
        {"_id": "member:1", "_rev": "9999999999-abc", "name": "x"},
        {"_id": "x:1", "_rev": "zz"},
        {"_id": "x:2", "_rev": "2-aa", "_revisions": {"start": 5, "ids": ["aa"]}},
        {"_id": "member:3", "_rev": "1-abc", "name": "王五"},
    ]
    runner, url = await serve(store)
    try:
        async with aiohttp.ClientSession() as session:
            async with session.post(url + "/mishu/_bulk_docs",
                                    json={"docs": docs, "new_edits": False}) as response:
                assert response.status == 201
                refused = await response.json()
    finally:
        await runner.cleanup()
    assert [(entry["id"], entry["error"]) for entry in refused] == [
        ("member:1", "bad_request"), ("x:1", "bad_request"), ("x:2", "bad_request")]
    assert all(entry["reason"] for entry in refused)
    assert store.get("member:3")["name"] == "王五"
    assert store.get_or_none("x:1") is None and store.get_or_none("x:2") is None
    current = store.get("member:1")
    assert current["name"] == "张三"
    store.put({**current, "name": "张三丰"})
