"""The paths a stock CouchDB client asks besides replication are answered as CouchDB 3 does."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiohttp import web

from store import DocumentStore
from sync.http_api import make_app
from sync.peer_guard import checkpoint_writes_only


@pytest.fixture
async def base_url(store: DocumentStore) -> AsyncIterator[str]:
    runner = web.AppRunner(make_app(store, middlewares=[checkpoint_writes_only]))
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    yield f"http://127.0.0.1:{runner.addresses[0][1]}"
    await runner.cleanup()


async def test_database_paths_with_and_without_trailing_slash(base_url: str,
                                                              store: DocumentStore) -> None:
    store.put({"_id": "member:1", "name": "张三"})
    async with aiohttp.ClientSession() as http:
        for path in ("/mishu", "/mishu/"):
            async with http.get(base_url + path) as response:
                assert response.status == 200
                assert (await response.json())["db_name"] == "mishu"
            async with http.head(base_url + path) as response:
                assert response.status == 200
            async with http.put(base_url + path) as response:
                assert response.status == 412
                assert (await response.json())["error"] == "file_exists"
    assert store.doc_count == 1


async def test_up_session_design_docs_and_headers(base_url: str) -> None:
    auth = {"Authorization": "Basic " + base64.b64encode(b"pouch:secret").decode()}
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{base_url}/_up") as response:
            assert (response.status, (await response.json())["status"]) == (200, "ok")
        async with http.get(f"{base_url}/_session", headers=auth) as response:
            body = await response.json()
            assert body["ok"] and body["userCtx"] == {"name": "pouch", "roles": []}
            assert body["info"]["authenticated"] == "default"
        async with http.get(f"{base_url}/_session") as response:
            assert (await response.json())["userCtx"]["name"] is None
        async with http.get(f"{base_url}/mishu/_design/app/_view/all") as response:
            assert response.status == 404
            assert await response.json() == {"error": "not_found", "reason": "missing"}
        async with http.get(f"{base_url}/mishu/_design/app") as response:
            assert response.status == 404
            assert response.headers["Server"].startswith("CouchDB/3")
            assert response.headers["Cache-Control"] == "must-revalidate"
            assert response.headers["X-Couch-Request-ID"]
        async with http.put(f"{base_url}/mishu/_design/app", json={"views": {}}) as response:
            assert response.status == 403
