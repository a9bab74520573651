"""A TinyDB Storage that makes every acknowledged write durable at a cost independent of size.

Stock TinyDB rewrites the whole JSON file on every write. This storage keeps the database in
memory and persists it as a *snapshot* plus an append-only *journal*:

- each write appends one CRC-protected line per changed record and fsyncs before returning;
- when the journal outgrows the snapshot, the writer switches to the next journal generation
  and a background thread folds a frozen copy of the tables into a new snapshot, written to a
  temporary file and renamed into place (atomic on every OS, see ``store/platform.py``): writes
  never wait for a snapshot, and a crash at any instant leaves either the old snapshot with
  every journal or the new snapshot with the newer journal, never a torn file;
- on open, a torn tail of the journal (the last write of a killed process) is detected by its
  CRC and cut off; damage anywhere else, or a snapshot whose checksum does not match, is
  refused with :class:`~store.errors.StoreCorrupt` instead of being silently emptied.

Files live in one directory: ``snapshot`` and ``journal-<generation>``. A snapshot of
generation G contains everything written to journals older than G; journals G and newer are
replayed on top of it, older ones are leftovers of a finished compaction and are removed.

Records are encoded per table by a :class:`RecordCodec`, so the hot table can use a flat
tab-separated line that loads without JSON-decoding every body (see ``store/records.py``).
A :class:`ColdCodec` table keeps the records it loads from the snapshot *cold*: a short stand-in
that says where the line is, read back with ``pread`` when asked for (:meth:`JournalStorage.
resolve`). Each compaction writes the new snapshot, then points the stand-ins of the records
nobody changed meanwhile at it; the older snapshot's descriptor is closed at the compaction
after, when no reader can still hold a stand-in of it. Windows cannot rename over an open file,
so there every record stays whole in memory.
"""

from __future__ import annotations

import errno
import gc
import hashlib
import json
import logging
import os
import threading
import time
import zlib
from array import array
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any, Protocol

from tinydb.storages import Storage

from .errors import StoreCorrupt, StoreWriteFailed
from .platform import Platform

log = logging.getLogger(__name__)

SNAPSHOT_NAME = "snapshot"
SNAPSHOT_MAGIC = "mishu-snapshot 1"
DELETED = "~"
BATCH_TABLE = "#batch"  # header line: the next N lines were one write and apply all or none
_MISSING: Any = object()
SYNC_EVERY_BYTES = 8 * 1024 * 1024
REBASE_CHUNK = 4096  # stand-ins re-pointed per hold of the mutation lock (a few milliseconds)


class RecordCodec(Protocol):
    """Turns a table's records into single lines (no newline inside) and back."""

    def encode(self, record: Mapping[str, Any]) -> str: ...

    def decode(self, text: str | bytes) -> Any:
        """``text`` is a line from :meth:`encode`, as ``str`` or as UTF-8 ``bytes``."""
        ...


class ColdCodec(RecordCodec, Protocol):
    """A codec whose records loaded from a snapshot can stay on disk (see ``store/records.py``)."""

    def cold(self, record: Any, offset: int, length: int, generation: int) -> Any:
        """A stand-in for ``record`` (whole or a stand-in) whose line is ``length`` bytes at
        ``offset`` of snapshot ``generation``."""
        ...

    def cold_loader(self, generation: int) -> Callable[[bytes, int], tuple[bytes, Any]]:
        """For a line of snapshot ``generation`` and its offset: the key as written in the
        line, and a stand-in for its record."""
        ...

    def place(self, record: Any) -> tuple[int, int, int] | None:
        """Where a stand-in's line is (offset, length, generation); ``None`` for a whole one."""
        ...


class JsonCodec:
    """The default codec: one compact JSON object per record."""

    def encode(self, record: Mapping[str, Any]) -> str:
        return json.dumps(record, ensure_ascii=False, separators=(",", ":"))

    def decode(self, text: str | bytes) -> dict[str, Any]:
        value = json.loads(text)
        if not isinstance(value, dict):
            raise ValueError("record is not an object")
        return value


def encode_key(key: str) -> str:
    return json.dumps(key, ensure_ascii=False)


def decode_key(text: str | bytes) -> str:
    if isinstance(text, str) and "\\" not in text and len(text) >= 2 and text[0] == text[-1] == '"':
        return text[1:-1]
    key = json.loads(text)
    if not isinstance(key, str):
        raise ValueError("record key is not a string")
    return key


@dataclass
class _PendingWrite:
    """Lines not yet on disk, with what each record was before, to undo a failed flush."""

    lines: list[str] = field(default_factory=list)
    undo: list[tuple[str, str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class _SnapshotJob:
    """A generation switch: the tables as they were when journal ``generation`` was started."""

    generation: int
    tables: dict[str, dict[str, Any]]
    # where each record of a cold table lands in the new snapshot, in the tables' order
    offsets: dict[str, array] = field(default_factory=dict)
    lengths: dict[str, array] = field(default_factory=dict)


CompactionStep = Callable[[str], None]
"""Called with "switched", "written", "replaced" and "done" as a compaction passes each step;
tests use it to hold a compaction or to kill the process at that exact point."""


class JournalStorage(Storage):
    """Snapshot + journal storage; ``read()`` hands out the live in-memory tables.

    The live tables are shared with :class:`store.table.JournaledTable`, which mutates them in
    place and reports the changed keys through :meth:`append`. Stock TinyDB code paths that
    call :meth:`write` with a whole database still work: that becomes a compaction.
    """

    def __init__(
        self,
        directory: str | os.PathLike[str],
        codecs: Mapping[str, RecordCodec] | None = None,
        *,
        compact_min_bytes: int = 8 * 1024 * 1024,
        compact_ratio: float = 1.0,
        platform: Platform | None = None,
        background_compaction: bool = True,
        on_compaction_step: CompactionStep | None = None,
    ) -> None:
        super().__init__()
        self.directory = Path(directory)
        self._platform = platform or Platform.detect()
        self._platform.make_private_dir(self.directory)
        self._codecs: dict[str, RecordCodec] = dict(codecs or {})
        self._cold: dict[str, ColdCodec] = {
            name: codec for name, codec in self._codecs.items()  # type: ignore[misc]
            if hasattr(codec, "place") and self._platform.reads_replaced_files}
        self._snapshot_fds: dict[int, int] = {}  # generation -> descriptor, for stand-ins
        self._retired_fds: list[int] = []  # older snapshots, closed at the next compaction
        # held by a table while it changes records, and by a compaction re-pointing stand-ins
        self.mutation_lock = threading.RLock()
        self._default_codec = JsonCodec()
        self._compact_min_bytes = compact_min_bytes
        self._compact_ratio = compact_ratio
        self._tables: dict[str, dict[str, Any]] = {}
        self._pending: _PendingWrite | None = None
        self._generation = 0
        self._snapshot_bytes = 0
        self._journal_bytes = 0
        self._journal_fd = -1
        self._background = background_compaction
        self._on_step = on_compaction_step or (lambda step: None)
        self._compactor: threading.Thread | None = None
        self._load()

    # -- TinyDB Storage interface -------------------------------------------------------------

    def read(self) -> dict[str, dict[str, Any]]:
        return self._tables

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        self._tables = {name: dict(table) for name, table in data.items()}
        self.compact()

    def close(self) -> None:
        self.wait_for_compaction()
        self._close_journal()
        for fd in [*self._snapshot_fds.values(), *self._retired_fds]:
            os.close(fd)
        self._snapshot_fds.clear()
        self._retired_fds.clear()
        gc.unfreeze()  # what the store froze at its opening is the collector's again

    def resolve(self, table: str, value: Any) -> Any:
        """``value`` whole: a cold table's stand-in is read back from its snapshot."""
        codec = self._cold.get(table)
        if codec is None or value is None or (place := codec.place(value)) is None:
            return value
        offset, length, generation = place
        line = os.pread(self._snapshot_fds[generation], length, offset)
        if len(line) != length:
            raise StoreCorrupt(path=str(self.directory / SNAPSHOT_NAME),
                               reason=f"record at byte {offset} is cut short")
        return codec.decode(line)

    def _close_journal(self) -> None:
        if self._journal_fd >= 0:
            os.close(self._journal_fd)
            self._journal_fd = -1

    # -- journaled writes ---------------------------------------------------------------------

    def live_table(self, name: str) -> dict[str, Any]:
        return self._tables.setdefault(name, {})

    def append(self, table: str, originals: Mapping[str, Any]) -> None:
        """Persist the current live value of each key in ``originals``.

        ``originals`` maps each changed key to its value before the change (``_MISSING`` via
        :data:`MISSING` when it did not exist), so a failed disk write can be undone in memory.
        Outside a :meth:`batch` the call returns only after the lines are fsynced.
        """
        live = self.live_table(table)
        codec = self._codecs.get(table, self._default_codec)
        pending = self._pending or _PendingWrite()
        for key, original in originals.items():
            value = live.get(key, _MISSING)
            payload = DELETED if value is _MISSING else codec.encode(value)
            pending.lines.append(_journal_line(table, key, payload))
            pending.undo.append((table, key, original))
        if self._pending is None:
            self._flush(pending)

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Group several appends into one write and one fsync (all-or-nothing in memory)."""
        outermost = self._pending is None
        if outermost:
            self._pending = _PendingWrite()
        try:
            yield
        except BaseException:
            if outermost:
                pending, self._pending = self._pending, None
                self._rollback(pending)
            raise
        if outermost:
            pending, self._pending = self._pending, None
            if pending.lines:
                self._flush(pending)

    def _flush(self, pending: _PendingWrite) -> None:
        lines = pending.lines
        if len(lines) > 1:
            lines = [_journal_line(BATCH_TABLE, "n", str(len(lines))), *lines]
        data = "".join(lines).encode("utf-8")
        try:
            self._write_all(self._journal_fd, data)
            self._platform.flush(self._journal_fd)
        except OSError as exc:
            self._truncate_journal(self._journal_bytes)
            self._rollback(pending)
            raise StoreWriteFailed(reason=os.strerror(exc.errno or errno.EIO)) from exc
        self._journal_bytes += len(data)
        if self._journal_bytes > max(self._compact_min_bytes,
                                     self._compact_ratio * self._snapshot_bytes):
            self._compact_in_background()

    def _rollback(self, pending: _PendingWrite) -> None:
        """Put back what a failed write changed, whole: a compaction re-pointing stand-ins may
        have passed the key already, and the snapshot a stand-in names is closed later."""
        with self.mutation_lock:
            for table, key, original in reversed(pending.undo):
                live = self.live_table(table)
                if original is _MISSING:
                    live.pop(key, None)
                else:
                    live[key] = self.resolve(table, original)

    def _truncate_journal(self, size: int) -> None:
        try:
            os.ftruncate(self._journal_fd, size)
        except OSError:
            log.exception("could not cut a failed write off the journal")

    @staticmethod
    def _write_all(fd: int, data: bytes) -> None:
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]

    # -- compaction ---------------------------------------------------------------------------

    def _compact_in_background(self) -> None:
        """Start a compaction after an acknowledged write; failing must not undo the success."""
        if self._compactor is not None and self._compactor.is_alive():
            return  # one at a time; the next write past the threshold starts the next one
        try:
            job = self._switch_generation()
        except (OSError, StoreWriteFailed):
            log.exception("compaction failed; the journal keeps every write, will retry later")
            return
        if not self._background:
            self._write_snapshot_quietly(job)
            return
        self._compactor = threading.Thread(
            target=self._write_snapshot_quietly, args=(job,), name="mishu-compaction", daemon=True
        )
        self._compactor.start()

    def compact(self) -> None:
        """Fold every journal into a new snapshot now, in the calling thread."""
        self.wait_for_compaction()
        self._write_snapshot(self._switch_generation())

    def wait_for_compaction(self) -> None:
        """Block until a background compaction, if any, has finished (closing, tests)."""
        compactor, self._compactor = self._compactor, None
        if compactor is not None:
            compactor.join()

    def _switch_generation(self) -> _SnapshotJob:
        """Send the next writes to a new journal and freeze what the older journals hold.

        Runs in the writer's thread: a shallow copy of each table (record dicts are never
        mutated in place, see ``store.table``) is all it costs. A crash right after leaves the
        old snapshot and both journals, which opening replays in order.
        """
        new_generation = self._generation + 1
        path = self._journal_path(new_generation)
        fd = self._platform.open_private_fd(path, os.O_WRONLY | os.O_APPEND)
        try:
            self._platform.sync_directory(self.directory)
        except OSError as exc:
            os.close(fd)
            path.unlink(missing_ok=True)
            raise StoreWriteFailed(reason=os.strerror(exc.errno or errno.EIO)) from exc
        self._close_journal()
        self._journal_fd = fd
        self._journal_bytes = 0
        self._generation = new_generation
        with self.mutation_lock:  # retired a compaction ago: no reader holds their stand-ins
            for retired in self._retired_fds:
                os.close(retired)
            self._retired_fds.clear()
        job = _SnapshotJob(new_generation, {name: dict(t) for name, t in self._tables.items()})
        # The copy is a new container holding every record: left to the collector, the next
        # young-generation passes would each walk all of it (~100 ms at 1M documents) inside
        # some later write. Frozen objects are skipped until the snapshot is written.
        gc.freeze()
        self._on_step("switched")
        return job

    def _write_snapshot_quietly(self, job: _SnapshotJob) -> None:
        try:
            self._write_snapshot(job)
        except (OSError, StoreWriteFailed):
            log.exception("compaction failed; the journals keep every write, will retry later")

    def _write_snapshot(self, job: _SnapshotJob) -> None:
        """Write the frozen tables as snapshot ``job.generation`` (tmp, fsync, rename, fsync dir).

        Journals older than that generation are removed only once the rename is durable.
        """
        try:
            self._fold(job)
        finally:
            gc.unfreeze()  # what became garbage meanwhile is collected again from now on

    def _fold(self, job: _SnapshotJob) -> None:
        snapshot = self.directory / SNAPSHOT_NAME
        tmp = snapshot.with_suffix(".tmp")
        digest = hashlib.sha256()
        count = 0
        try:
            with self._platform.open_private(tmp, "wb") as out:
                header = f"{SNAPSHOT_MAGIC} generation={job.generation}\n".encode()
                out.write(header)
                digest.update(header)
                unsynced = 0
                for chunk in self._snapshot_chunks(job, len(header)):
                    count += chunk.count(b"\n")
                    digest.update(chunk)
                    out.write(chunk)
                    unsynced += len(chunk)
                    if unsynced >= SYNC_EVERY_BYTES:  # a writer's fsync never queues behind
                        out.flush()                    # hundreds of megabytes of snapshot
                        self._platform.flush(out.fileno())
                        unsynced = 0
                out.write(f"end {count} {digest.hexdigest()}\n".encode())
                out.flush()
                self._platform.flush(out.fileno())
            self._on_step("written")
            self._platform.replace(tmp, snapshot)
            self._platform.sync_directory(self.directory)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise StoreWriteFailed(reason=os.strerror(exc.errno or errno.EIO)) from exc
        self._on_step("replaced")
        self._snapshot_bytes = snapshot.stat().st_size
        if job.offsets:
            self._rebase(job, os.open(snapshot, os.O_RDONLY))
        for generation in self._journal_generations():
            if generation < job.generation:
                self._journal_path(generation).unlink(missing_ok=True)
        self._on_step("done")

    def _snapshot_chunks(self, job: _SnapshotJob, start: int,
                         lines_per_chunk: int = 256) -> Iterator[bytes]:
        """Encode in small chunks, offering the GIL after each one.

        Encoding is pure Python: without the pause a writer thread coming back from its fsync
        would wait a whole switch interval (5 ms) for the GIL, several times per put. A cold
        table's stand-ins are read back from the older snapshot, and where each line lands is
        noted in ``job`` for :meth:`_rebase`.
        """
        lines: list[bytes] = []
        position = start
        for table, records in job.tables.items():
            codec = self._codecs.get(table, self._default_codec)
            cold = table in self._cold
            if cold:
                offsets = job.offsets[table] = array("q")
                lengths = job.lengths[table] = array("q")
            for key, record in records.items():
                prefix = f"{table}\t{encode_key(key)}\t".encode()
                payload = codec.encode(self.resolve(table, record)).encode()
                if cold:
                    offsets.append(position + len(prefix))
                    lengths.append(len(payload))
                lines.append(prefix + payload + b"\n")
                position += len(prefix) + len(payload) + 1
                if len(lines) >= lines_per_chunk:
                    yield b"".join(lines)
                    lines.clear()
                    time.sleep(0)
        if lines:
            yield b"".join(lines)

    def _rebase(self, job: _SnapshotJob, fd: int) -> None:
        """Point the records ``job`` wrote at the new snapshot ``fd`` (as stand-ins), except
        where a write replaced them meanwhile; in chunks, so a writer waits little. The older
        snapshots are closed at the next compaction: a reader may still hold a stand-in."""
        with self.mutation_lock:
            self._snapshot_fds[job.generation] = fd
        for table, offsets in job.offsets.items():
            codec = self._cold[table]
            rows = zip(job.tables[table].items(), offsets, job.lengths[table], strict=True)
            while chunk := list(islice(rows, REBASE_CHUNK)):
                with self.mutation_lock:
                    live = self._tables.get(table, {})
                    for (key, record), offset, length in chunk:
                        if live.get(key) is record:
                            live[key] = codec.cold(record, offset, length, job.generation)
                time.sleep(0)
        with self.mutation_lock:
            for generation in [older for older in self._snapshot_fds if older < job.generation]:
                self._retired_fds.append(self._snapshot_fds.pop(generation))

    # -- loading ------------------------------------------------------------------------------

    def _load(self) -> None:
        snapshot = self.directory / SNAPSHOT_NAME
        if snapshot.exists():
            self._generation = self._load_snapshot(snapshot)
            self._snapshot_bytes = snapshot.stat().st_size
        journals = self._journal_generations()
        for generation in journals:
            path = self._journal_path(generation)
            if generation < self._generation:
                path.unlink()
            else:
                self._replay_journal(path)
        if journals and journals[-1] >= self._generation:
            self._generation = journals[-1]
        (self.directory / SNAPSHOT_NAME).with_suffix(".tmp").unlink(missing_ok=True)
        self._open_journal()

    def _load_snapshot(self, path: Path, block_size: int = 4 * 1024 * 1024) -> int:
        """Stream the snapshot in blocks: peak memory stays near the loaded tables' size.

        The checksum is computed by a second reader in another thread while this one parses
        (hashing releases the GIL): at a million documents that is a tenth of the open time
        off the critical path. The records are not used before the checksum has matched.
        """
        size = path.stat().st_size
        with open(path, "rb") as handle, ThreadPoolExecutor(1, "mishu-checksum") as hasher:
            header = handle.readline()
            text = header.decode("utf-8", "replace")
            if not text.startswith(SNAPSHOT_MAGIC + " generation="):
                raise StoreCorrupt(path=str(path), reason="not a mishu snapshot")
            handle.seek(max(len(header), size - 512))
            tail = handle.read()
            trailer_start = size - len(tail) + tail.rfind(b"\n", 0, len(tail) - 1) + 1
            trailer = tail[trailer_start - size + len(tail):].decode("utf-8", "replace").split()
            if trailer_start < len(header) or len(trailer) != 3 or trailer[0] != "end":
                raise StoreCorrupt(path=str(path), reason="snapshot is incomplete")
            digest = hasher.submit(_file_digest, path, header, trailer_start, block_size)
            try:
                generation = int(text.rsplit("=", 1)[1])
            except ValueError as exc:
                raise StoreCorrupt(path=str(path), reason="not a mishu snapshot") from exc
            handle.seek(len(header))
            remaining = trailer_start - len(header)
            position = len(header)  # of the first line in the block
            pending = b""
            count = 0
            live: dict[str, Any] = {}
            decode = self._default_codec.decode
            cold: Callable[[bytes, int], tuple[bytes, Any]] | None = None
            prefix = b"\n"  # the current table's name and tab; no line starts with a newline
            try:
                while remaining > 0:
                    block = handle.read(min(block_size, remaining))
                    if not block:
                        break
                    remaining -= len(block)
                    block = pending + block
                    cut = block.rfind(b"\n") + 1
                    pending = block[cut:]
                    # Lines stay bytes: the checksum vouches for them, and a codec may keep
                    # the UTF-8 as it is (no decoding to str). A tight loop: one pass per record,
                    # and no copy of a line's payload where a stand-in will do.
                    lines = block[:cut].split(b"\n")
                    lines.pop()
                    count += len(lines)
                    for line in lines:
                        if not line.startswith(prefix):  # each table's records come together
                            name = line[:line.index(b"\t")].decode()
                            prefix = f"{name}\t".encode()
                            live = self.live_table(name)
                            decode = self._codecs.get(name, self._default_codec).decode
                            cold_codec = self._cold.get(name)
                            cold = cold_codec.cold_loader(generation) if cold_codec else None
                        if cold is None:
                            _table, key, payload = line.split(b"\t", 2)
                            record = decode(payload)
                        else:
                            key, record = cold(line, position)
                        live[decode_key(key) if b"\\" in key else key[1:-1].decode()] = record
                        position += len(line) + 1
            except (ValueError, UnicodeDecodeError) as exc:
                raise StoreCorrupt(path=str(path), reason=f"unreadable record: {exc}") from exc
            checksum = digest.result()
        if pending or remaining or trailer[2] != checksum:
            raise StoreCorrupt(path=str(path), reason="checksum mismatch")
        if count != int(trailer[1]):
            raise StoreCorrupt(path=str(path), reason="record count mismatch")
        if self._cold:  # the data directory is locked: this is the file just read
            self._snapshot_fds[generation] = os.open(path, os.O_RDONLY)
        return generation

    def _replay_journal(self, path: Path) -> None:
        """Apply a journal; cut a torn tail, refuse damage followed by intact records."""
        data = path.read_bytes()
        lines = self._split_journal(data)
        index = 0
        while index < len(lines):
            _start, _end, parsed = lines[index]
            if parsed is None:
                resume = index + 1
                break
            if parsed[0] != BATCH_TABLE:
                self._apply(*parsed)
                index += 1
                continue
            count = int(parsed[2]) if parsed[2].isdigit() else -1
            group = lines[index + 1 : index + 1 + count]
            if count < 0 or len(group) < count or any(p is None for _, _, p in group):
                resume = index + 1 + max(count, 0)
                break
            for _, _, member in group:
                self._apply(*member)  # type: ignore[misc]
            index += 1 + count
        else:
            return
        torn_at = lines[index][0]
        if any(p is not None for _, _, p in lines[resume:]):
            raise StoreCorrupt(
                path=str(path), reason=f"damaged record at byte {torn_at} before valid ones"
            )
        log.warning("cutting a torn write (%d bytes) off %s", len(data) - torn_at, path)
        with open(path, "r+b") as handle:
            handle.truncate(torn_at)
            self._platform.flush(handle.fileno())

    def _split_journal(self, data: bytes) -> list[tuple[int, int, tuple[str, str, str] | None]]:
        lines = []
        offset = 0
        while offset < len(data):
            newline = data.find(b"\n", offset)
            end = len(data) if newline < 0 else newline + 1
            parsed = self._parse_journal_line(data[offset:end]) if newline >= 0 else None
            lines.append((offset, end, parsed))
            offset = end
        return lines

    @staticmethod
    def _parse_journal_line(line: bytes) -> tuple[str, str, str] | None:
        try:
            text = line.decode("utf-8").rstrip("\n")
            crc, body = text.split("\t", 1)
            if int(crc, 16) != zlib.crc32(body.encode()):
                return None
            table, key, payload = body.split("\t", 2)
            return table, decode_key(key), payload
        except ValueError:
            return None

    def _apply(self, table: str, key: str, payload: str) -> None:
        live = self.live_table(table)
        if payload == DELETED:
            live.pop(key, None)
        else:
            live[key] = self._codecs.get(table, self._default_codec).decode(payload)

    # -- files --------------------------------------------------------------------------------

    def _journal_path(self, generation: int) -> Path:
        return self.directory / f"journal-{generation}"

    def _journal_generations(self) -> list[int]:
        generations = []
        for path in self.directory.glob("journal-*"):
            suffix = path.name.removeprefix("journal-")
            if suffix.isdigit():
                generations.append(int(suffix))
        return sorted(generations)

    def _open_journal(self) -> None:
        path = self._journal_path(self._generation)
        created = not path.exists()
        self._journal_fd = self._platform.open_private_fd(path, os.O_WRONLY | os.O_APPEND)
        self._journal_bytes = os.fstat(self._journal_fd).st_size
        if created:
            self._platform.sync_directory(self.directory)


def _file_digest(path: Path, header: bytes, end: int, block_size: int) -> str:
    """SHA-256 of ``header`` and of the file's bytes from after it up to ``end``."""
    digest = hashlib.sha256(header)
    with open(path, "rb") as handle:
        handle.seek(len(header))
        remaining = end - len(header)
        while remaining > 0 and (block := handle.read(min(block_size, remaining))):
            digest.update(block)
            remaining -= len(block)
    return digest.hexdigest()


def _journal_line(table: str, key: str, payload: str) -> str:
    body = f"{table}\t{encode_key(key)}\t{payload}"
    return f"{zlib.crc32(body.encode('utf-8')):08x}\t{body}\n"


MISSING = _MISSING
