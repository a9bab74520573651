"""Attachments follow their archive records from node to node, verified on arrival."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web

from store import DocumentStore
from store.archive import ArchiveRecord, Attachment, load_record, register, save_record
from store.archive_blobs import (
    BLOB_PATH,
    AttachmentCorrupt,
    AttachmentNotSynced,
    BlobStore,
)
from store.archive_numbering import NumberingScheme
from sync.hosting import NodeSettings, SyncNode
from sync.http_api import make_app
from sync.pull import PullReplicator
from tests.sync.test_replication import wait_until

SCAN = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 64


async def serve(store: DocumentStore) -> tuple[web.AppRunner, str]:
    runner = web.AppRunner(make_app(store))
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    return runner, f"http://127.0.0.1:{runner.addresses[0][1]}"


def record_with_scan(store: DocumentStore, tmp_path: Path, data: bytes = SCAN
                     ) -> tuple[ArchiveRecord, Attachment]:
    """An archive record on ``store`` with one scan attached (stored by its address)."""
    scan = tmp_path / "扫描件.png"
    scan.write_bytes(data)
    record = register(store, ArchiveRecord(ArchiveRecord.new_id(), "", "发文", 2026, 0, "通知"),
                      NumberingScheme("校学生会"), ["发文"], [], datetime(2026, 11, 25, 9, 0))
    attachment = BlobStore.for_store(store).add_file(scan, max_bytes=1 << 22)
    save_record(store, replace(record, attachments=(attachment,)))
    return record, attachment


def readable(store: DocumentStore, attachment: Attachment) -> bool:
    try:
        return BlobStore.for_store(store).read(attachment) == SCAN
    except (AttachmentCorrupt, AttachmentNotSynced):
        return False


async def test_a_pulled_record_brings_its_scans(tmp_path: Path,
                                                make_store: Callable[[str], DocumentStore]) -> None:
    source, target = make_store("source"), make_store("target")
    record, attachment = record_with_scan(source, tmp_path)
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


async def test_a_scan_arrives_after_its_record_and_a_damaged_copy_is_repaired(
        tmp_path: Path, make_store: Callable[[str], DocumentStore]) -> None:
    a, b, c = make_store("a"), make_store("b"), make_store("c")
    record, attachment = record_with_scan(a, tmp_path)
    blob_on_a = BlobStore.for_store(a).path(attachment.sha256)
    blob_on_a.rename(tmp_path / "downloading")  # as if A were still receiving it
    runner_a, url_a = await serve(a)
    runner_b, url_b = await serve(b)
    node_c = SyncNode(c, NodeSettings(listen_host="127.0.0.1", listen_port=0, discovery=False,
                                      static_peers=(url_b,), longpoll_seconds=1.0,
                                      blob_sweep_seconds=0.2))
    try:
        async with aiohttp.ClientSession() as session:
            await PullReplicator(b, url_a, session).replicate()  # B: the record, no scan yet
            await node_c.start()
            await wait_until(lambda: load_record(c, record.archive_id) is not None
                             and node_c.scans_missing == 1)
            (tmp_path / "downloading").rename(blob_on_a)
            await PullReplicator(b, url_a, session).replicate()  # B's download completes
            assert readable(b, attachment)
            # nothing new is written anywhere: C still asks B again, and gets the scan
            await wait_until(lambda: readable(c, attachment) and node_c.scans_missing == 0)

            blob_on_c = BlobStore.for_store(c).path(attachment.sha256)
            damaged = bytearray(blob_on_c.read_bytes())
            damaged[10] ^= 0xFF
            blob_on_c.write_bytes(bytes(damaged))
            with pytest.raises(AttachmentCorrupt):
                BlobStore.for_store(c).read(attachment)  # found on read, as the archive does
            await wait_until(lambda: readable(c, attachment) and node_c.scans_missing == 0)
            assert sorted(p.name for p in blob_on_c.parent.iterdir()) == [attachment.sha256]
    finally:
        await node_c.stop()
        await runner_a.cleanup()
        await runner_b.cleanup()


async def test_a_pulled_expense_brings_its_receipts(tmp_path: Path,
                                                    make_store: Callable[[str], DocumentStore]
                                                    ) -> None:
    """Before: only archive records and collection submissions named blobs to fetch, so an
    expense's receipts stayed on the laptop that recorded it."""
    from store.desk_approvals import Expense

    source, target = make_store("source"), make_store("target")
    receipt_file = tmp_path / "发票.png"
    receipt_file.write_bytes(SCAN)
    receipt = BlobStore.for_store(source).add_file(receipt_file, max_bytes=1 << 22)
    expense = Expense("desk_expense:e1", "001", "宣传部", 12850, "迎新海报打印",
                      receipts=(receipt,), filed_at="2026-11-25T09:30")
    source.put(expense.to_doc())
    runner, url = await serve(source)
    try:
        async with aiohttp.ClientSession() as session:
            await PullReplicator(target, url, session).replicate()
    finally:
        await runner.cleanup()
    assert target.get("desk_expense:e1") is not None
    assert BlobStore.for_store(target).read(receipt) == SCAN
