"""Filtered replication with unmodified PouchDB 9, so a kiosk's pull also works with a CouchDB
hub: PouchDB pulls from a mishu node with a ``selector``, and a mishu kiosk pulls from
express-pouchdb (the CouchDB API over PouchDB) with its own."""

from __future__ import annotations

import asyncio
import json
from datetime import date

import aiohttp
from aiohttp import web

from store import DocumentStore
from sync.http_api import make_app
from sync.kiosk_selectors import supplies_selector
from sync.peer_guard import checkpoint_writes_only
from sync.pull import PullReplicator
from sync.selector import id_prefix

from .test_pouchdb_interop import POUCH_DIR, install_pouchdb

DOCS = [*({"_id": f"member:{n}", "name": "张三"} for n in range(5)),
        *({"_id": f"archive:{n}", "title": "会议纪要"} for n in range(20)),
        {"_id": "item:pen", "name": "签字笔"}, {"_id": "loan:1", "asset_id": "asset:1"}]


async def node(*args: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        "node", str(POUCH_DIR / "pouch_selector.js"), *args, cwd=POUCH_DIR,
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE)


async def test_pouchdb_pulls_only_what_its_selector_picks_from_a_mishu_node(
        store: DocumentStore) -> None:
    install_pouchdb()
    store.bulk_put(DOCS)
    store.delete("member:4", store.get("member:4")["_rev"])
    runner = web.AppRunner(make_app(store, middlewares=[checkpoint_writes_only]))  # as for peers
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    try:
        process = await node("pull", f"http://127.0.0.1:{runner.addresses[0][1]}/mishu",
                             json.dumps(id_prefix("member:")))
        out, err = await asyncio.wait_for(process.communicate(), 120)
    finally:
        await runner.cleanup()
    assert process.returncode == 0, err.decode()[-3000:]
    assert sorted(json.loads(out)) == [f"member:{n}" for n in range(4)]


async def test_a_kiosk_pulls_its_types_from_a_couchdb_api_server(store: DocumentStore) -> None:
    install_pouchdb()
    server = await node("serve", json.dumps(DOCS))
    try:
        assert server.stdout is not None
        port = int((await asyncio.wait_for(server.stdout.readline(), 60)).strip() or 0)
        assert port, (await server.stderr.read()).decode()[-3000:]  # type: ignore[union-attr]
        async with aiohttp.ClientSession() as session:
            pull = PullReplicator(store, f"http://127.0.0.1:{port}", session,
                                  selector=lambda: supplies_selector(date(2026, 11, 25)))
            assert await pull.replicate() == 7
    finally:
        assert server.stdin is not None
        server.stdin.close()
        await asyncio.wait_for(server.wait(), 30)
    assert {row["id"] for row in store.changes()[0]} == {
        *(f"member:{n}" for n in range(5)), "item:pen", "loan:1"}
