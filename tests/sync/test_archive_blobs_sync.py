"""Attachments follow their archive records from node to node, verified on arrival."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import aiohttp
from aiohttp import web

from store import DocumentStore
from store.archive import ArchiveRecord, load_record, register, save_record
from store.archive_blobs import BLOB_PATH, BlobStore
from store.archive_numbering import NumberingScheme
from sync.http_api import make_app
from sync.pull import PullReplicator

SCAN = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 64


async def serve(store: DocumentStore) -> tuple[web.AppRunner, str]:
    runner = web.AppRunner(make_app(store))
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    return runner, f"http://127.0.0.1:{runner.addresses[0][1]}"


async def test_a_pulled_record_brings_its_scans(tmp_path: Path,
                                                make_store: Callable[[str], DocumentStore]) -> None:
    source, target = make_store("source"), make_store("target")
    scan = tmp_path / "扫描件.png"
    scan.write_bytes(SCAN)
    record = register(source, ArchiveRecord(ArchiveRecord.new_id(), "", "发文", 2026, 0, "通知"),
                      NumberingScheme("校学生会"), ["发文"], [], datetime(2026, 11, 25, 9, 0))
    attachment = BlobStore.for_store(source).add_file(scan, max_bytes=1 << 20)
    save_record(source, replace(record, attachments=(attachment,)))
    runner, url = await serve(source)
    try:
        async with aiohttp.ClientSession() as session:
            async with session.get(f"{url}{BLOB_PATH}/{'0' * 64}") as missing:
                assert missing.status == 404
            await PullReplicator(target, url, session).replicate()
    finally:
        await runner.cleanup()
    pulled = load_record(target, record.archive_id)
    assert pulled is not None and pulled.attachments == (attachment,)
    assert BlobStore.for_store(target).read(attachment) == SCAN
