"""Abusive requests cost the node bounded memory and get CouchDB-style answers, quietly logged."""

from __future__ import annotations

import asyncio
import json
import logging
import tracemalloc
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from store import DocumentStore
from sync.hosting import NodeSettings, SyncNode
from sync.http_api import ApiLimits

MB = 1024 * 1024


@pytest.fixture
async def node(tmp_path: Path) -> AsyncIterator[SyncNode]:
    store = DocumentStore.open(tmp_path / "data")
    running = SyncNode(store, NodeSettings(listen_host="127.0.0.1", listen_port=0,
                                           discovery=False))
    await running.start()
    yield running
    await running.stop()
    store.close()


async def post(port: int, body: bytes) -> tuple[int, dict]:
    async with aiohttp.ClientSession() as session:
        async with session.post(f"http://127.0.0.1:{port}/mishu/_bulk_docs", data=body,
                                headers={"Content-Type": "application/json"}) as response:
            return response.status, await response.json()


async def test_bodies_of_millions_of_tiny_values_are_refused_before_parsing(node: SyncNode
                                                                           ) -> None:
    body = b'{"docs":[' + b",".join([b"[]"] * (int(7.5 * MB) // 3)) + b"]}"
    tracemalloc.start()
    try:
        answers = await asyncio.gather(*(post(node.port, body) for _ in range(4)))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert all(status == 413 and answer["error"] == "too_large" for status, answer in answers)
    assert peak < 150 * MB, f"four 7.5 MB bodies took {peak // MB} MB"


async def test_a_body_over_the_size_limit_is_a_json_413(node: SyncNode) -> None:
    status, answer = await post(node.port, b'{"docs":["' + b"x" * (9 * MB) + b'"]}')
    assert status == 413 and answer["error"] == "too_large"


async def raw_exchange(port: int, request: bytes) -> bytes:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(request)
    await writer.drain()
    writer.write_eof()
    answer = await reader.read()
    writer.close()
    return answer


@pytest.mark.parametrize("request_bytes", [
    b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
    b"POST /mishu/_bulk_docs HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n{}",
    b"POST /mishu/_bulk_docs HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{}",
], ids=["line too long", "bad content-length", "body shorter than content-length"])
async def test_malformed_requests_are_logged_as_one_info_line(
        node: SyncNode, request_bytes: bytes, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    answer = await raw_exchange(node.port, request_bytes)
    if answer:  # a body cut short has nobody left to answer
        head, _, body = answer.partition(b"\r\n\r\n")
        assert b" 400 " in head.split(b"\r\n")[0]
        assert b"application/json" in head and json.loads(body)["error"] == "bad_request"
    loud = [r for r in caplog.records if r.levelno >= logging.WARNING or r.exc_info]
    assert not loud, [r.getMessage() for r in loud]


async def test_a_body_that_never_arrives_frees_its_slot(tmp_path: Path) -> None:
    with DocumentStore.open(tmp_path / "slow") as store:
        node = SyncNode(store, NodeSettings(listen_host="127.0.0.1", listen_port=0,
                                            discovery=False,
                                            limits=ApiLimits(body_seconds=0.5)))
        await node.start()
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", node.port)
            writer.write(b"POST /mishu/_bulk_docs HTTP/1.1\r\nHost: x\r\n"
                         b"Content-Type: application/json\r\nContent-Length: 1000000\r\n\r\n{")
            await writer.drain()  # and then nothing more, the connection left open
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 30)
            writer.close()
            assert b" 400 " in head.split(b"\r\n")[0]
            status, answer = await post(node.port, b'{"docs":[]}')
            assert status == 201
        finally:
            await node.stop()
