"""Attachments: content-addressed, stored once, size-limited, verified on every read."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from store import DocumentStore, ValidationError
from store.archive import Attachment
from store.archive_blobs import AttachmentCorrupt, AttachmentNotSynced, BlobStore

SCAN = b"%PDF-1.4\n" + bytes(range(256)) * 40


@pytest.fixture
def blobs(store: DocumentStore) -> BlobStore:
    return BlobStore.for_store(store)


def write(tmp_path: Path, name: str, data: bytes = SCAN) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_identical_files_are_stored_once_under_their_sha256(
        blobs: BlobStore, store: DocumentStore, tmp_path: Path) -> None:
    first = blobs.add_file(write(tmp_path, "通知扫描件.pdf"), max_bytes=1 << 20)
    second = blobs.add_file(write(tmp_path, "copy.pdf"), max_bytes=1 << 20)
    digest = hashlib.sha256(SCAN).hexdigest()
    assert first == Attachment("通知扫描件.pdf", digest, len(SCAN), "application/pdf")
    assert second.sha256 == digest
    assert blobs.path(digest) == store.data_dir / "attachments" / digest[:2] / digest
    assert [p.name for p in (store.data_dir / "attachments").rglob("*") if p.is_file()] == [digest]
    assert blobs.read(first) == SCAN


def test_a_corrupted_attachment_is_refused_with_a_clear_error(
        blobs: BlobStore, tmp_path: Path) -> None:
    attachment = blobs.add_file(write(tmp_path, "scan.png"), max_bytes=1 << 20)
    damaged = bytearray(blobs.path(attachment.sha256).read_bytes())
    damaged[100] ^= 0xFF
    blobs.path(attachment.sha256).write_bytes(bytes(damaged))
    with pytest.raises(AttachmentCorrupt) as refused:
        blobs.read(attachment)
    assert refused.value.key == "archive.error.attachment_corrupt"
    assert "scan.png is damaged" in str(refused.value)
    assert attachment.sha256 in str(refused.value)


def test_a_blob_not_yet_fetched_reads_as_not_synced(blobs: BlobStore) -> None:
    digest = hashlib.sha256(b"elsewhere").hexdigest()
    attachment = Attachment("远端.pdf", digest, 9, "application/pdf")
    assert blobs.missing([attachment]) == [digest]
    with pytest.raises(AttachmentNotSynced):
        blobs.read(attachment)
    with pytest.raises(AttachmentCorrupt):
        blobs.put_bytes(digest, b"something else")
    blobs.put_bytes(digest, b"elsewhere")
    assert blobs.read(attachment) == b"elsewhere" and blobs.missing([attachment]) == []


def test_size_and_type_limits(blobs: BlobStore, tmp_path: Path) -> None:
    with pytest.raises(ValidationError) as refused:
        blobs.add_file(write(tmp_path, "big.pdf"), max_bytes=100)
    assert refused.value.key == "archive.error.attachment_too_large"
    with pytest.raises(ValidationError) as refused:
        blobs.add_file(write(tmp_path, "notes.exe"), max_bytes=1 << 20)
    assert refused.value.key == "archive.error.attachment_type"
    with pytest.raises(ValidationError) as refused:
        blobs.add_file(tmp_path / "missing.pdf", max_bytes=1 << 20)
    assert refused.value.key == "archive.error.attachment_unreadable"
    with pytest.raises(ValidationError):
        blobs.path("../../etc/passwd")


def test_a_damaged_copy_is_wanted_again_and_replaced_by_a_good_one(
        blobs: BlobStore, tmp_path: Path) -> None:
    attachment = blobs.add_file(write(tmp_path, "scan.png"), max_bytes=1 << 20)
    path = blobs.path(attachment.sha256)
    path.write_bytes(SCAN[:-1] + b"!")
    assert blobs.missing([attachment]) == []  # existence alone cannot tell
    with pytest.raises(AttachmentCorrupt):
        blobs.read(attachment)
    assert blobs.missing([attachment]) == [attachment.sha256]
    with pytest.raises(AttachmentCorrupt):
        blobs.put_bytes(attachment.sha256, b"not it")  # a bad copy from a peer changes nothing
    assert path.read_bytes() == SCAN[:-1] + b"!"
    blobs.put_bytes(attachment.sha256, SCAN)
    assert blobs.read(attachment) == SCAN and blobs.missing([attachment]) == []
    assert sorted(p.name for p in path.parent.iterdir()) == [attachment.sha256]
