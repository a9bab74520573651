"""USB bundles: the store's revisions and scans in one file, for places without a network.

A bundle carries every revision of every document with its history (what ``_bulk_get`` with
``revs=true`` would send for every leaf) and the attachment blobs, so importing it is a
replication: ``put_revisions`` with ``new_edits=false`` keeps conflicts, overwrites nothing,
and a second import of the same bundle changes nothing.

The file::

    MAGIC | header length (4 bytes) | header (JSON) | chunk* | final chunk

The header names the cluster, the exporting node's certificate and a random nonce prefix. The
content is a byte stream of frames (``D`` + a JSON list of documents, ``B`` + a JSON blob
address and size followed by the raw bytes) cut into chunks of at most 1 MiB, each sealed with
AES-256-GCM under the cluster key (:mod:`sync.cluster_key`); a chunk's nonce holds its number
and a last-chunk flag, and its associated data is the header's hash, so chunks cannot be
reordered, dropped, cut off at the end or moved to another header. The final chunk holds the
node's ECDSA signature over the header and the whole content: a bundle is read from a member
of this cluster, never just from whoever has the key.

Import reads the file twice: once to check every chunk and the signature (nothing is written),
then to apply. Memory stays flat whatever the size: blobs go through
:meth:`store.archive_blobs.BlobStore.incoming` a chunk at a time.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import struct
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.x509.oid import NameOID

from store import DocumentStore
from store.archive_blobs import BlobStore, attachments_of

from .cluster_key import cluster_key
from .pki import NODE_KEY, Cluster, ClusterError, cert_pem, issued_by
from .revocation import TrustLedger

MAGIC = b"MISHU-BUNDLE-1\n"
CHUNK = 1 << 20
DOC_BATCH = 500
_NONCE_PREFIX = 7
_LENGTH = struct.Struct(">I")
_FRAME = struct.Struct(">cI")  # kind, payload length


class BundleError(ClusterError):
    """A bundle refused before anything was written; ``key`` says why, for the message."""


@dataclass(frozen=True)
class ImportSummary:
    new: int = 0  # revisions this node did not have
    known: int = 0  # revisions it had already
    conflicts: int = 0  # documents that are in conflict after the import
    blobs: int = 0  # scans stored
    node_name: str = ""


@dataclass(frozen=True)
class ExportSummary:
    documents: int
    revisions: int
    blobs: int


def _refuse(key: str, reason: str) -> BundleError:
    return BundleError(key=f"bundle.{key}", reason=reason)


def _nonce(prefix: bytes, number: int, final: bool) -> bytes:
    return prefix + struct.pack(">I", number) + (b"\x01" if final else b"\x00")


# -- writing ------------------------------------------------------------------------------------


class _SealedWriter:
    """Frames in, sealed chunks out; the plaintext is hashed for the signature on the way."""

    def __init__(self, out: IO[bytes], key: bytes, header: bytes, prefix: bytes) -> None:
        self._out = out
        self._aead = AESGCM(key)
        self._aad = hashlib.sha256(header).digest()
        self._prefix = prefix
        self._buffer = bytearray()
        self._number = 0
        self.digest = hashlib.sha256(header)

    def frame(self, kind: bytes, payload: bytes) -> None:
        self.raw(_FRAME.pack(kind, len(payload)) + payload)

    def raw(self, data: bytes) -> None:
        self.digest.update(data)
        self._buffer += data
        while len(self._buffer) >= CHUNK:
            self._seal(bytes(self._buffer[:CHUNK]), final=False)
            del self._buffer[:CHUNK]

    def finish(self, signature: bytes) -> None:
        if self._buffer:
            self._seal(bytes(self._buffer), final=False)
        self._seal(signature, final=True)

    def _seal(self, plain: bytes, final: bool) -> None:
        sealed = self._aead.encrypt(_nonce(self._prefix, self._number, final), plain, self._aad)
        self._out.write(_LENGTH.pack(len(sealed)) + sealed)
        self._number += 1


def _node_key(cluster: Cluster) -> ec.EllipticCurvePrivateKey:
    key = serialization.load_pem_private_key((cluster.directory / NODE_KEY).read_bytes(), None)
    assert isinstance(key, ec.EllipticCurvePrivateKey)
    return key


def _revisions(store: DocumentStore, doc_ids: Iterator[str]) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for doc_id in doc_ids:
        for answer in store.open_revs(doc_id, None):
            if "ok" in answer:
                batch.append(answer["ok"])
        if len(batch) >= DOC_BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def since_for(store: DocumentStore, node_id: str) -> int:
    """How far ``node_id`` has pulled from this node, by its checkpoint here (0: unknown)."""
    rep_id = hashlib.md5(f"{node_id}|{store.node_id}|mishu-pull-v1".encode()).hexdigest()
    seq = (store.get_local(rep_id) or {}).get("source_last_seq", 0)
    return seq if isinstance(seq, int) and seq >= 0 else 0


def export_bundle(store: DocumentStore, cluster: Cluster, path: Path, since: int = 0,
                  progress: Callable[[int], None] | None = None) -> ExportSummary:
    """Write the documents changed after ``since`` (every one by default), all their leaves
    with history, and the scans they name, to ``path`` (via a temporary file and a rename)."""
    prefix = secrets.token_bytes(_NONCE_PREFIX)
    header = json.dumps({"cluster": cluster.cluster_id, "node": cert_pem(cluster.node_cert),
                         "node_id": store.node_id, "since": since, "prefix": prefix.hex()}
                        ).encode()
    rows, _ = store.changes(since)
    blobs = BlobStore.for_store(store)
    addresses: set[str] = set()
    revisions = 0
    temp = path.with_name(path.name + ".part")
    platform = store.platform
    try:
        with platform.open_private(temp, "wb") as out:
            out.write(MAGIC + _LENGTH.pack(len(header)) + header)
            writer = _SealedWriter(out, cluster_key(cluster), header, prefix)
            for batch in _revisions(store, (row["id"] for row in rows)):
                writer.frame(b"D", json.dumps(batch, ensure_ascii=False).encode())
                addresses.update(a.sha256 for a in attachments_of(batch))
                revisions += len(batch)
                if progress is not None:
                    progress(revisions)
            stored = 0
            for sha256 in sorted(addresses):
                if blobs.verify(sha256) is not True:
                    continue  # not here (or damaged): the peers will bring it
                size = blobs.path(sha256).stat().st_size
                writer.frame(b"B", json.dumps({"sha256": sha256, "size": size}).encode())
                with blobs.path(sha256).open("rb") as reader:
                    for chunk in iter(lambda: reader.read(CHUNK), b""):
                        writer.raw(chunk)
                stored += 1
            signature = _node_key(cluster).sign(writer.digest.digest(),
                                                ec.ECDSA(Prehashed(hashes.SHA256())))
            writer.finish(signature)
            out.flush()
            platform.flush(out.fileno())
        platform.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return ExportSummary(len(rows), revisions, stored)


# -- reading ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Header:
    raw: bytes
    node_cert: x509.Certificate
    prefix: bytes


def _read_header(reader: IO[bytes], cluster: Cluster) -> _Header:
    if reader.read(len(MAGIC)) != MAGIC:
        raise _refuse("not_bundle", "this file is not a mishu bundle")
    try:
        (length,) = _LENGTH.unpack(reader.read(_LENGTH.size))
        raw = reader.read(length) if length <= 64 * 1024 else b""
        header = json.loads(raw)
        if header["cluster"] != cluster.cluster_id:
            raise _refuse("foreign", "this bundle comes from another cluster; nothing was "
                                     "imported")
        cert = x509.load_pem_x509_certificate(header["node"].encode())
        prefix = bytes.fromhex(header["prefix"])
    except BundleError:
        raise
    except (struct.error, ValueError, KeyError, TypeError, AttributeError):
        raise _refuse("damaged", "this bundle is damaged; nothing was imported") from None
    if len(prefix) != _NONCE_PREFIX or not issued_by(cluster.ca_cert, cert):
        raise _refuse("foreign", "this bundle comes from another cluster; nothing was imported")
    return _Header(raw, cert, prefix)


def _chunks(reader: IO[bytes], key: bytes, header: _Header) -> Iterator[tuple[bytes, bool]]:
    """Each chunk's plaintext and whether it is the last; refuses damage, reordering and an
    end cut off."""
    aead = AESGCM(key)
    aad = hashlib.sha256(header.raw).digest()
    number = 0
    while True:
        size_bytes = reader.read(_LENGTH.size)
        (size,) = _LENGTH.unpack(size_bytes.ljust(_LENGTH.size, b"\0"))
        if size > CHUNK + 64:
            raise _refuse("damaged", "this bundle is damaged or was changed after it was "
                                     "written; nothing was imported")
        sealed = reader.read(size)
        if len(size_bytes) < _LENGTH.size or len(sealed) < size:
            raise _refuse("truncated", "this bundle is incomplete (cut off); nothing was "
                                       "imported")
        for final in (False, True):
            try:
                plain = aead.decrypt(_nonce(header.prefix, number, final), sealed, aad)
                break
            except InvalidTag:
                continue
        else:
            raise _refuse("damaged", "this bundle is damaged or was changed after it was "
                                     "written; nothing was imported")
        number += 1
        yield plain, final
        if final:
            if reader.read(1):
                raise _refuse("damaged", "this bundle is damaged or was changed after it was "
                                         "written; nothing was imported")
            return


class _Plain:
    """The content stream of a checked bundle, read back as frames."""

    def __init__(self, chunks: Iterator[tuple[bytes, bool]]) -> None:
        self._chunks = chunks
        self._buffer = bytearray()
        self._done = False

    def read(self, size: int) -> bytes:
        while len(self._buffer) < size and not self._done:
            plain, final = next(self._chunks)
            if final:
                self._done = True
            else:
                self._buffer += plain
        if len(self._buffer) < size:
            raise _refuse("damaged", "this bundle is damaged; nothing more was imported")
        data = bytes(self._buffer[:size])
        del self._buffer[:size]
        return data

    def at_end(self) -> bool:
        while not self._buffer and not self._done:
            plain, final = next(self._chunks)
            if final:
                self._done = True
            else:
                self._buffer += plain
        return not self._buffer


def _verify(path: Path, cluster: Cluster, key: bytes) -> _Header:
    """Check every chunk and the node's signature without writing anything."""
    with path.open("rb") as reader:
        header = _read_header(reader, cluster)
        digest = hashlib.sha256(header.raw)
        signature = b""
        for plain, final in _chunks(reader, key, header):
            if final:
                signature = plain
            else:
                digest.update(plain)
    public = header.node_cert.public_key()
    try:
        assert isinstance(public, ec.EllipticCurvePublicKey)
        public.verify(signature, digest.digest(), ec.ECDSA(Prehashed(hashes.SHA256())))
    except (InvalidSignature, AssertionError):
        raise _refuse("unsigned", "this bundle's signature does not match its node; nothing "
                                  "was imported") from None
    if TrustLedger.for_cluster(cluster).is_revoked(
            header.node_cert.public_bytes(serialization.Encoding.DER)):
        raise _refuse("revoked", "this bundle was written by a revoked machine; nothing was "
                                 "imported")
    return header


def import_bundle(store: DocumentStore, cluster: Cluster, path: Path,
                  progress: Callable[[int], None] | None = None) -> ImportSummary:
    """Apply a bundle like a replication; refused whole (nothing written) unless it is intact,
    from this cluster and signed by a member that is not revoked."""
    key = cluster_key(cluster)
    header = _verify(path, cluster, key)
    blobs = BlobStore.for_store(store)
    new = known = stored = 0
    touched: set[str] = set()
    with path.open("rb") as reader:
        _read_header(reader, cluster)
        content = _Plain(_chunks(reader, key, header))
        while not content.at_end():
            kind, length = _FRAME.unpack(content.read(_FRAME.size))
            payload = content.read(length)
            if kind == b"D":
                docs = json.loads(payload)
                asked: dict[str, list[str]] = {}
                for doc in docs:
                    asked.setdefault(doc["_id"], []).append(doc["_rev"])
                missing = store.revs_diff(asked)
                fresh = sum(len(entry["missing"]) for entry in missing.values())
                new, known = new + fresh, known + len(docs) - fresh
                touched.update(doc["_id"] for doc in docs)
                store.put_revisions(docs)
                if progress is not None:
                    progress(new + known)
            elif kind == b"B":
                entry = json.loads(payload)
                writer = blobs.incoming(entry["sha256"]) if blobs.wants(entry["sha256"]) else None
                remaining = int(entry["size"])
                while remaining:  # a scan this node has already is read past, not written
                    piece = content.read(min(CHUNK, remaining))
                    if writer is not None:
                        writer.write(piece)
                    remaining -= len(piece)
                if writer is not None:
                    writer.commit()
                    stored += 1
            else:
                raise _refuse("damaged", "this bundle is damaged; nothing more was imported")
    conflicts = sum(1 for doc_id in touched if store.conflicts(doc_id))
    name = header.node_cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
    return ImportSummary(new, known, conflicts, stored, str(name))

