"""Scanned attachments, stored once by content address and verified on every read.

A record lists its attachments as ``{name, sha256, size, content_type}``; the bytes live in
``<data>/attachments/<sha256[:2]>/<sha256>``, so the same scan attached to two records (or
arriving from two nodes) is stored once. Files are written to a temporary name, fsynced and
renamed, so a crash never leaves half a blob under a real address.

Replication: the record document carries only the addresses, so it replicates like any other
document. The bytes follow separately: a node serves ``GET /_mishu/blob/{sha256}``
(:mod:`sync.http_api`) and the pull replicator fetches the blobs a pulled record names and
this node lacks (:mod:`sync.pull`), checking the hash before storing. Until then the
attachment reads as "not yet synced", never as damaged. A blob whose bytes no longer match
their address (disk damage, a hand edit) is refused with :class:`AttachmentCorrupt` and marked
(``<sha256>.damaged`` beside it), which makes it "missing" again: the sync node fetches a good
copy from a peer and renames it over the damaged one. Bytes are written and hashed a chunk at
a time (:class:`BlobWriter`), so a 50 MB scan never sits in memory whole.
"""

from __future__ import annotations

import hashlib
import logging
import mimetypes
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from .archive import ARCHIVE, ArchiveRecord, Attachment, refuse
from .desk_approvals import EXPENSE, Expense
from .docstore import DocumentStore, doc_type
from .errors import StoreError, ValidationError
from .material_collection import ITEM, Submission
from .platform import Platform

log = logging.getLogger(__name__)

BLOB_DIR = "attachments"
BLOB_PATH = "/_mishu/blob"  # where a node serves blobs to its peers
ACCEPTED_TYPES = ("application/pdf", "image/")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_CHUNK = 1 << 20


class AttachmentCorrupt(ValidationError):
    def __init__(self, name: str, sha256: str) -> None:
        super().__init__("archive.error.attachment_corrupt",
                         "Attachment {name} is damaged: its content no longer matches its "
                         "sha256 {sha256}. Restore it from another node or a backup.",
                         name=name, sha256=sha256)


class AttachmentNotSynced(ValidationError):
    def __init__(self, name: str) -> None:
        super().__init__("archive.error.attachment_not_synced",
                         "Attachment {name} has not arrived from the other node yet",
                         name=name)


def is_sha256(text: str) -> bool:
    return bool(_SHA256.match(text))


def content_type_of(source: Path) -> str:
    return mimetypes.guess_type(source.name)[0] or "application/octet-stream"


# The document types that name blobs, each with how to read its attachments: their bytes
# follow them from node to node.
CARRIERS: dict[str, Callable[[dict[str, Any]], tuple[Attachment, ...]]] = {
    ARCHIVE: lambda doc: ArchiveRecord.from_doc(doc).attachments,
    ITEM: lambda doc: Submission.from_doc(doc).attachments,
    EXPENSE: lambda doc: Expense.from_doc(doc).receipts,
}


def attachments_of(docs: Iterable[Mapping[str, Any]]) -> list[Attachment]:
    """The attachments the records among ``docs`` (replicated or stored) name.

    A record this node cannot read names nothing: it must not stop replication.
    """
    found: list[Attachment] = []
    for doc in docs:
        read = CARRIERS.get(doc_type(str(doc.get("_id", ""))))
        if read is None or doc.get("_deleted"):
            continue
        try:
            found.extend(read(dict(doc)))
        except (StoreError, TypeError, ValueError):
            log.warning("record %s is unreadable; its attachments are not fetched",
                        doc.get("_id"))
    return found


class BlobStore:
    """Content-addressed files under one directory (normally ``<data>/attachments``)."""

    def __init__(self, root: Path, platform: Platform) -> None:
        self.root = root
        self._platform = platform

    @classmethod
    def for_store(cls, store: DocumentStore) -> BlobStore:
        return cls(store.data_dir / BLOB_DIR, store.platform)

    def path(self, sha256: str) -> Path:
        if not is_sha256(sha256):
            raise refuse("bad_sha256", "{sha256} is not a sha256 address", sha256=sha256)
        return self.root / sha256[:2] / sha256

    def has(self, sha256: str) -> bool:
        return self.path(sha256).exists()

    def add_file(self, source: Path, max_bytes: int) -> Attachment:
        """Copy a scan in (once per content) and describe it for the record."""
        if not content_type_of(source).startswith(ACCEPTED_TYPES):
            raise refuse("attachment_type", "{name} is not a PDF or an image", name=source.name)
        return self.import_file(source, max_bytes)

    def import_file(self, source: Path, max_bytes: int) -> Attachment:
        """Copy any file in (once per content); the caller decides which kinds it takes."""
        content_type = content_type_of(source)
        try:
            size = source.stat().st_size
            if size > max_bytes:
                raise refuse("attachment_too_large", "{name} is larger than {limit} MB",
                             name=source.name, limit=max_bytes // (1024 * 1024))
            with source.open("rb") as reader:
                sha256, size = self._write(iter(lambda: reader.read(_CHUNK), b""))
        except OSError as error:
            raise refuse("attachment_unreadable", "Cannot read {name}: {reason}",
                         name=str(source), reason=error.strerror or str(error)) from None
        return Attachment(source.name, sha256, size, content_type)

    def put_bytes(self, sha256: str, data: bytes) -> None:
        """Store bytes fetched from a peer, refusing any that are not what they claim to be."""
        writer = self.incoming(sha256)
        writer.write(data)
        writer.commit()

    def incoming(self, sha256: str) -> BlobWriter:
        """A writer for bytes arriving in chunks (a peer's download, a bundle), hashed as they
        are written so memory stays flat; :meth:`BlobWriter.commit` checks them against
        ``sha256`` and only then puts them in place, replacing a damaged copy atomically."""
        self.path(sha256)  # refuse a bad address before touching the disk
        return BlobWriter(self, sha256)

    def read(self, attachment: Attachment) -> bytes:
        """The attachment's bytes, verified against its address; a damaged copy is marked so
        the sync node fetches a good one from a peer (see :meth:`missing`)."""
        path = self.path(attachment.sha256)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise AttachmentNotSynced(attachment.name) from None
        if hashlib.sha256(data).hexdigest() != attachment.sha256:
            self.mark_damaged(attachment.sha256)
            raise AttachmentCorrupt(attachment.name, attachment.sha256)
        return data

    def verify(self, sha256: str) -> bool | None:
        """Whether the stored copy matches its address (None: not here), read in chunks; a
        mismatch is marked for repair."""
        digest = hashlib.sha256()
        try:
            with self.path(sha256).open("rb") as reader:
                for chunk in iter(lambda: reader.read(_CHUNK), b""):
                    digest.update(chunk)
        except FileNotFoundError:
            return None
        if digest.hexdigest() != sha256:
            self.mark_damaged(sha256)
            return False
        return True

    def mark_damaged(self, sha256: str) -> None:
        log.warning("attachment blob %s is damaged; a good copy will be fetched from a peer",
                    sha256)
        self._platform.write_atomically(self._damaged_marker(sha256), b"")

    def missing(self, attachments: Iterable[Attachment]) -> list[str]:
        """Addresses named by ``attachments`` that are not here yet or are here damaged (to
        fetch from a peer)."""
        return sorted({a.sha256 for a in attachments if is_sha256(a.sha256)
                       and self.wants(a.sha256)})

    def wants(self, sha256: str) -> bool:
        """Whether a copy of ``sha256`` from elsewhere is needed: absent, or damaged here."""
        return not self.has(sha256) or self._damaged_marker(sha256).exists()

    def _damaged_marker(self, sha256: str) -> Path:
        return self.path(sha256).with_suffix(".damaged")

    def _write(self, chunks: Iterable[bytes]) -> tuple[str, int]:
        writer = BlobWriter(self, None)
        try:
            for chunk in chunks:
                writer.write(chunk)
        except BaseException:
            writer.abort()
            raise
        return writer.commit(), writer.size

    def _install(self, temp: Path, sha256: str) -> None:
        """Put a complete, flushed temporary file in place under its address: kept if a good
        copy is there already, replacing the old one in one rename if that one is damaged."""
        target = self.path(sha256)
        marker = self._damaged_marker(sha256)
        damaged = target.exists() and marker.exists()
        if target.exists() and not damaged:
            os.unlink(temp)
            return
        self._platform.make_private_dir(target.parent)
        self._platform.replace(temp, target)
        if damaged:
            marker.unlink(missing_ok=True)
            log.info("attachment blob %s repaired with a good copy", sha256)
        self._platform.sync_directory(target.parent)


class BlobWriter:
    """One blob being written to a temporary file beside the store, hashed chunk by chunk."""

    def __init__(self, blobs: BlobStore, expected: str | None) -> None:
        self._blobs = blobs
        self._expected = expected
        self._digest = hashlib.sha256()
        self.size = 0
        blobs._platform.make_private_dir(blobs.root)
        self._temp = tempfile.NamedTemporaryFile(dir=blobs.root, delete=False)

    def write(self, chunk: bytes) -> None:
        self._digest.update(chunk)
        self._temp.write(chunk)
        self.size += len(chunk)

    def commit(self) -> str:
        """Flush, check the hash (when one was expected) and install; the address stored."""
        self._temp.flush()
        self._blobs._platform.flush(self._temp.fileno())
        self._temp.close()
        sha256 = self._digest.hexdigest()
        if self._expected is not None and sha256 != self._expected:
            self.abort()
            raise AttachmentCorrupt(self._expected, self._expected)
        self._blobs._install(Path(self._temp.name), sha256)
        return sha256

    def abort(self) -> None:
        self._temp.close()
        Path(self._temp.name).unlink(missing_ok=True)
