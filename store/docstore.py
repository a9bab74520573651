"""The document store: CouchDB-style revisioned JSON documents on a journaled TinyDB.

This is the one API every other layer uses. Local edits (``put``/``delete``) follow CouchDB's
``new_edits=true`` rules (you must name the revision you edit); replication inserts foreign
revisions with ``put_revisions`` (``new_edits=false``), keeping every branch so concurrent
edits become conflicts with a deterministic winner instead of lost updates.

Each write is durable when the call returns (see :mod:`store.journal`). A local update
sequence numbers every change; ``changes`` reads it and ``wait_for_changes`` lets the UI and
the replication server wait for the next one without polling. Derived views (stock levels,
booking calendars, search indexes) attach as :class:`DocIndex` objects and are fed every
change right after it commits.

What a valid document is lives in :mod:`store.doc_rules`, a document's revision state in
:mod:`store.doc_state`, the replication side in :mod:`store.replication` and ``_local``
documents in :mod:`store.local_docs`; this module holds the table, its in-memory indexes,
reads, local edits and the commit that feeds the views.
"""

from __future__ import annotations

import gc
import json
import logging
import threading
import uuid
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, Protocol, TypedDict, TypeVar

from . import revtree
from .doc_rules import PutResult, body_text, doc_type, error_result, validate_id
from .doc_state import DocState, materialize, winning_doc
from .errors import ConflictError, InvalidDocument, NotFound, StoreError
from .index_feed import IndexFeed, update_index
from .journal import CompactionStep, JournalStorage
from .local_docs import LocalDocuments
from .notifier import ChangeNotifier
from .platform import DataDirLock, Platform
from .records import NO_OTHERS, DocFields, DocRecord, DocRecordCodec, is_deleted, unpack
from .replication import Replication
from .revtree import RevNode, RevTree
from .seq_index import SeqIndex
from .sorted_ids import SortedIds
from .table import JournaledTable, JournaledTinyDB

log = logging.getLogger(__name__)

STORE_DIR = "db"
T = TypeVar("T")


class DocIndex(Protocol):
    """A derived view kept current from the changes of the document types it names.

    A view may also name ``lazy_types``: documents of those types are not fed to it when it
    is attached (only later changes are), because it loads the ones it needs on demand, e.g.
    one meeting's sign-ins by id prefix instead of every sign-in ever made.
    """

    doc_types: tuple[str, ...]

    def reset(self) -> None: ...

    def update(self, doc_id: str, doc: dict[str, Any] | None) -> None:
        """``doc`` is the new winning revision, or ``None`` when the document is gone."""


class Change(TypedDict, total=False):
    seq: int
    id: str
    changes: list[dict[str, str]]
    deleted: bool
    doc: dict[str, Any]


class DocumentStore(Replication, LocalDocuments):
    """Revisioned documents in one data directory, owned by one process at a time."""

    def __init__(self, data_dir: Path, db: JournaledTinyDB, lock: DataDirLock,
                 platform: Platform, revs_limit: int = revtree.REVS_LIMIT) -> None:
        self.data_dir = data_dir
        self.platform = platform
        self.revs_limit = revs_limit
        self._db = db
        self._lock = lock
        self._docs: JournaledTable = db.table("docs")
        self._local: JournaledTable = db.table("local")
        self._meta: JournaledTable = db.table("meta")
        self._write_lock = threading.RLock()
        self._notifier = ChangeNotifier()
        # the attached views, changed on the loop that reads them
        self._feed = IndexFeed(on_late=lambda: self._notifier.notify(self._seq))
        self._by_seq = SeqIndex()
        self._live_ids: SortedIds | None = None  # built when first asked
        self._live_count = 0
        self._conflicted: set[str] = set()
        self._seq = 0
        self._load_derived()
        self.node_id = self._ensure_node_id()
        # What was just loaded lives as long as the store: left young, the first collector
        # passes after opening would walk every record inside some write (~0.2 s at 1M docs).
        # The next compaction, or closing, unfreezes it into the oldest generation.
        gc.freeze()

    # -- lifecycle ----------------------------------------------------------------------------

    @classmethod
    def open(cls, data_dir: str | Path, *, compact_min_bytes: int = 8 * 1024 * 1024,
             compact_ratio: float = 1.0, platform: Platform | None = None,
             revs_limit: int = revtree.REVS_LIMIT,
             background_compaction: bool = True,
             on_compaction_step: CompactionStep | None = None) -> DocumentStore:
        """Open (creating if needed) the store in ``data_dir``; refuses a directory in use.

        ``platform`` defaults to the running OS (:meth:`Platform.detect`); the directory is
        made private (0700, files 0600) before anything is written into it. ``revs_limit``
        is how many ancestors of each leaf a revision tree keeps (CouchDB's default 1000).
        ``background_compaction=False`` folds the journal inside the write that crosses the
        threshold, as before (the bench's baseline). A journal is compacted once it outgrows
        ``compact_ratio`` times the snapshot (and ``compact_min_bytes``); the crash loop uses a
        small ratio so that kills land during compactions. ``on_compaction_step`` is for tests.
        """
        path = Path(data_dir)
        platform = platform or Platform.detect()
        lock = platform.lock(path)
        lock.acquire()
        try:
            storage_dir = path / STORE_DIR
            db = JournaledTinyDB(
                storage_dir,
                codecs={"docs": DocRecordCodec()},  # type: ignore[dict-item]
                compact_min_bytes=compact_min_bytes,
                compact_ratio=compact_ratio,
                platform=platform,
                background_compaction=background_compaction,
                on_compaction_step=on_compaction_step,
            )
            return cls(path, db, lock, platform, revs_limit)
        except BaseException:
            lock.release()
            raise

    def close(self) -> None:
        self._db.close()
        self._lock.release()

    def __enter__(self) -> DocumentStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def compact(self) -> None:
        with self._write_lock:
            self._storage.compact()

    def wait_for_compaction(self) -> None:
        """Block until a background compaction has finished (tests, benchmarks)."""
        self._storage.wait_for_compaction()

    @property
    def _storage(self) -> JournalStorage:
        storage = self._db.storage
        assert isinstance(storage, JournalStorage)
        return storage

    def _ensure_node_id(self) -> str:
        record = self._meta.record("node")
        if record is None:
            record = {"node_id": uuid.uuid4().hex}
            self._meta.put_records({"node": record})
        return str(record["node_id"])

    def _load_derived(self) -> None:
        """Rebuild the in-memory indexes at open (a tight loop: it runs once per document).

        The ids by type are left for the first call that needs them: opening a store of a
        million sign-ins must not pay for a set nobody may ask for.
        """
        conflicted = self._conflicted
        seqs = array("q")  # not (seq, id) tuples: 80 bytes each, a million at once
        ids = []
        deleted = 0
        for doc_id, record in self._docs.records():
            seq_text, _win, flags, _rest = record.split(b"\t", 3)
            seqs.append(int(seq_text))
            ids.append(doc_id)
            if flags != b"-":
                if b"d" in flags:
                    deleted += 1
                if b"c" in flags:
                    conflicted.add(doc_id)
        self._seq = max(seqs, default=0)
        self._by_seq = SeqIndex.from_pairs(zip(seqs, ids, strict=True), self._seq)
        self._live_count = len(ids) - deleted

    def _ids(self) -> SortedIds:
        """Live ids in order, built on first use and kept current by every commit.

        Only the build takes the write lock: a reader (the UI's event loop) must not wait for
        a write once the index exists, as it never did when it was built at open.
        """
        if self._live_ids is not None:
            return self._live_ids
        with self._write_lock:
            if self._live_ids is None:
                self._live_ids = SortedIds(
                    doc_id for doc_id, record in self._docs.records()
                    if not is_deleted(record))  # type: ignore[arg-type]
            return self._live_ids

    def _index_record(self, doc_id: str, fields: DocFields, old: DocRecord | None) -> None:
        was_live = False
        if old is not None:
            previous = unpack(old)
            was_live = not previous.deleted
            self._by_seq.remove(previous.seq)
        self._by_seq.add(fields.seq, doc_id)
        self._seq = max(self._seq, fields.seq)
        self._live_count += (not fields.deleted) - was_live
        if self._live_ids is not None and was_live == fields.deleted:
            if fields.deleted:
                self._live_ids.remove(doc_id)
            else:
                self._live_ids.add(doc_id)
        if fields.conflicted:
            self._conflicted.add(doc_id)
        else:
            self._conflicted.discard(doc_id)

    # -- reading ------------------------------------------------------------------------------

    @property
    def update_seq(self) -> int:
        return self._seq

    @property
    def doc_count(self) -> int:
        return self._live_count

    def _record(self, doc_id: str) -> DocRecord | None:
        return self._docs.record(doc_id)  # type: ignore[return-value]

    def get(self, doc_id: str, rev: str | None = None) -> dict[str, Any]:
        record = self._record(doc_id)
        if record is None:
            raise NotFound(doc_id)
        fields = unpack(record)
        if rev is None or rev == fields.win:
            if fields.deleted and rev is None:
                raise NotFound(doc_id, deleted=True)
            return winning_doc(doc_id, fields)
        state = DocState.from_record(record)
        if rev not in state.bodies or rev not in state.tree:
            raise NotFound(doc_id)
        doc = materialize(doc_id, rev, state.bodies[rev])
        if state.tree[rev].deleted:
            doc["_deleted"] = True
        return doc

    def get_or_none(self, doc_id: str) -> dict[str, Any] | None:
        try:
            return self.get(doc_id)
        except NotFound:
            return None

    def exists(self, doc_id: str) -> bool:
        record = self._record(doc_id)
        return record is not None and not is_deleted(record)

    def ids_of_type(self, kind: str) -> list[str]:
        """Live ids of one type, in order (``""``: the ids without a type)."""
        if not kind:
            return [doc_id for doc_id in self._ids().between() if ":" not in doc_id]
        return self._ids().with_prefix(f"{kind}:")

    def ids_with_prefix(self, prefix: str) -> list[str]:
        """Live ids starting with ``prefix`` (``"signin:m1:"``), in order; parses nothing."""
        return self._ids().with_prefix(prefix)

    def iter_docs(self, kind: str) -> Iterator[dict[str, Any]]:
        """Every live document whose id starts with ``kind:`` (no full scan: a type index)."""
        for doc_id in self.ids_of_type(kind):
            doc = self.get_or_none(doc_id)
            if doc is not None:
                yield doc

    def revision_tree(self, doc_id: str) -> RevTree:
        record = self._record(doc_id)
        if record is None:
            raise NotFound(doc_id)
        return DocState.from_record(record).tree

    def revisions(self, doc_id: str, rev: str) -> dict[str, Any]:
        return revtree.revisions_field(self.revision_tree(doc_id), rev)

    def conflicts(self, doc_id: str) -> list[str]:
        if doc_id not in self._conflicted:
            return []
        record = self._record(doc_id)
        if record is None:
            return []
        return revtree.conflicts(DocState.from_record(record).tree)

    def conflicted_ids(self) -> list[str]:
        return sorted(self._conflicted)

    def all_docs(
        self,
        *,
        include_docs: bool = False,
        keys: Iterable[str] | None = None,
        start_key: str | None = None,
        end_key: str | None = None,
        limit: int | None = None,
    ) -> list[dict[str, Any]]:
        if keys is not None:
            return [self._all_docs_key_row(key, include_docs) for key in keys]
        ids = self._ids().between(start_key or "", end_key)
        return [self._all_docs_key_row(doc_id, include_docs) for doc_id in ids[:limit]]

    def _all_docs_key_row(self, key: str, include_docs: bool) -> dict[str, Any]:
        record = self._record(key) if isinstance(key, str) else None
        if record is None:
            return {"key": key, "error": "not_found"}
        fields = unpack(record)
        value: dict[str, Any] = {"rev": fields.win}
        row: dict[str, Any] = {"id": key, "key": key, "value": value}
        if fields.deleted:
            value["deleted"] = True
            if include_docs:
                row["doc"] = None
        elif include_docs:
            row["doc"] = winning_doc(key, fields)
        return row

    # -- changes feed -------------------------------------------------------------------------

    def changes(
        self,
        since: int = 0,
        limit: int | None = None,
        style: str = "main_only",
        include_docs: bool = False,
    ) -> tuple[list[Change], int]:
        """Changes after ``since`` in sequence order, and the sequence to resume from."""
        results: list[Change] = []
        seq = max(since, 0)
        end = self._seq
        for row_seq, doc_id in self._by_seq.after(seq):
            if row_seq > end:
                break
            if limit is not None and len(results) >= limit:
                return results, seq
            seq = row_seq
            results.append(self._change_row(seq, doc_id, style, include_docs))
        return results, max(end, since)

    def _change_row(self, seq: int, doc_id: str, style: str, include_docs: bool) -> Change:
        record = self._record(doc_id)
        assert record is not None
        fields = unpack(record)
        if style == "all_docs" and (fields.conflicted or fields.others != NO_OTHERS):
            revs = revtree.leaves(DocState.from_record(record).tree)
            revs.sort(key=lambda rev: rev != fields.win)
        else:
            revs = [fields.win]
        row = Change(seq=seq, id=doc_id, changes=[{"rev": rev} for rev in revs])
        if fields.deleted:
            row["deleted"] = True
        if include_docs:
            row["doc"] = winning_doc(doc_id, fields)
        return row

    async def wait_for_changes(self, since: int, timeout: float) -> bool:
        """Wait until something newer than ``since`` is committed; False on timeout."""
        import asyncio

        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while self._seq <= since:
            remaining = deadline - loop.time()
            if remaining <= 0:
                return False
            await self._notifier.wait(remaining)
        return True

    def subscribe(self, callback: Callable[[int], None]) -> Callable[[], None]:
        return self._notifier.subscribe(callback)

    def attach_index(self, index: DocIndex) -> None:
        """Build ``index`` from the current documents and keep it current from now on (on
        the event loop attaching it, if any: see :mod:`store.index_feed`)."""
        with self._write_lock:
            self._feed.attach(index, self._build_index)

    def _build_index(self, index: DocIndex) -> None:
        index.reset()
        lazy = getattr(index, "lazy_types", ())
        for kind in index.doc_types:
            if kind in lazy:
                continue
            for doc in self.iter_docs(kind):
                update_index(index, doc["_id"], doc)

    def without_writes(self, read: Callable[[], T]) -> T:
        """Run ``read`` with no write committing and no view changing meanwhile, for a worker
        thread that builds a view (an archive's search index, say) from indexes the writers
        keep current."""
        with self._write_lock, self._feed.lock:
            return read()

    def detach_index(self, index: DocIndex) -> None:
        with self._write_lock:
            self._feed.detach(index)

    # -- local edits (new_edits=true) ---------------------------------------------------------

    def put(self, doc: Mapping[str, Any]) -> str:
        """Create or update a document; ``_rev`` must name the revision being replaced."""
        with self._write_lock:
            doc_id, state, rev = self._plan_edit(doc)
            self._commit({doc_id: state})
            return rev

    def put_latest(self, doc: Mapping[str, Any]) -> str:
        """Create ``doc``, or write it over the current winning revision.

        For records whose form holds every field (a room, a meeting, an item): the edit is the
        whole new version, so it replaces what is there rather than asking for a ``_rev``. A
        write that lands between the read and the put still raises ``ConflictError``.
        """
        current = self.get_or_none(str(doc.get("_id")))
        return self.put({**doc, "_rev": current["_rev"]} if current is not None else doc)

    def delete(self, doc_id: str, rev: str) -> str:
        return self.put({"_id": doc_id, "_rev": rev, "_deleted": True})

    def bulk_put(self, docs: Iterable[Mapping[str, Any]]) -> list[PutResult]:
        """Several edits with one fsync; each succeeds or fails on its own, like CouchDB."""
        with self._write_lock:
            planned: dict[str, DocState] = {}
            results: list[PutResult] = []
            for doc in docs:
                doc_id = doc.get("_id") if isinstance(doc, Mapping) else None
                try:
                    if isinstance(doc_id, str) and doc_id in planned:
                        raise ConflictError(doc_id=doc_id)
                    doc_id, state, rev = self._plan_edit(doc)
                except StoreError as error:
                    results.append(error_result(doc_id, error))
                    continue
                planned[doc_id] = state
                results.append(PutResult(id=doc_id, rev=rev, ok=True))
            if planned:
                self._commit(planned)
            return results

    def _plan_edit(self, doc: Mapping[str, Any]) -> tuple[str, DocState, str]:
        if not isinstance(doc, Mapping):
            raise InvalidDocument(reason="a document must be a JSON object")
        doc_id = validate_id(doc.get("_id"))
        text = body_text(doc)
        deleted = doc.get("_deleted") is True
        given = doc.get("_rev")
        record = self._record(doc_id)
        state = DocState.from_record(record) if record is not None else DocState.empty()
        if given is None:
            if record is None and deleted:
                raise NotFound(doc_id)
            current = unpack(record) if record is not None else None
            if current is not None and not current.deleted:
                raise ConflictError(doc_id=doc_id)
            parent = current.win if current is not None else None
        else:
            if not revtree.is_valid_rev(given):
                raise InvalidDocument(reason=f"malformed _rev {str(given)[:40]!r}")
            if given not in state.tree or given not in revtree.leaves(state.tree):
                raise ConflictError(doc_id=doc_id)
            parent = given
        try:
            rev = revtree.new_rev(parent, json.loads(text), deleted)
        except ValueError as exc:
            raise InvalidDocument(reason=f"{doc_id}: {exc}") from None
        if rev in state.tree:
            return doc_id, state, rev  # the identical edit was already made (e.g. on a peer)
        state.tree[rev] = RevNode(parent, deleted)
        state.bodies.pop(parent or "", None)
        state.bodies[rev] = text
        return doc_id, state, rev

    # -- commit -------------------------------------------------------------------------------

    def _commit(self, states: Mapping[str, DocState]) -> None:
        seq = self._seq
        records: dict[str, DocRecord] = {}
        for doc_id, state in states.items():
            seq += 1
            revtree.stem(state.tree, self.revs_limit)
            records[doc_id] = state.to_record(seq)
        previous = {doc_id: self._record(doc_id) for doc_id in records}
        self._docs.put_records(records)  # type: ignore[arg-type]
        fields = {doc_id: unpack(record) for doc_id, record in records.items()}
        for doc_id, unpacked in fields.items():
            self._index_record(doc_id, unpacked, previous[doc_id])
        self._feed_indexes(fields)
        self._notifier.notify(self._seq)

    def _feed_indexes(self, records: Mapping[str, DocFields]) -> None:
        updates = []
        for doc_id, fields in records.items():
            interested = self._feed.interested(doc_type(doc_id))
            if not interested:
                continue
            doc = None if fields.deleted else materialize(doc_id, fields.win, fields.body)
            updates.extend((index, doc_id, doc) for index in interested)
        self._feed.deliver(updates)
