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
"""

from __future__ import annotations

import json
import logging
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypedDict, TypeVar

from . import revtree
from .errors import ConflictError, InvalidDocument, NotFound, StoreError
from .index_feed import IndexFeed, update_index
from .journal import CompactionStep, JournalStorage
from .notifier import ChangeNotifier
from .platform import DataDirLock, Platform
from .records import NO_OTHERS, DocRecord, DocRecordCodec, dumps
from .revtree import RevNode, RevTree
from .table import JournaledTable, JournaledTinyDB

log = logging.getLogger(__name__)

MAX_ID_LENGTH = 512
SPECIAL_FIELDS = frozenset({"_id", "_rev", "_deleted", "_revisions", "_conflicts", "_revs_info"})
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


class PutResult(TypedDict, total=False):
    id: str
    rev: str
    ok: bool
    error: str
    reason: str


class Change(TypedDict, total=False):
    seq: int
    id: str
    changes: list[dict[str, str]]
    deleted: bool
    doc: dict[str, Any]


def doc_type(doc_id: str) -> str:
    """``"member:42"`` → ``"member"``: the prefix that says what a document is."""
    return doc_id.split(":", 1)[0] if ":" in doc_id else ""


def validate_id(doc_id: object) -> str:
    if not isinstance(doc_id, str) or not doc_id:
        raise InvalidDocument(reason="_id must be a non-empty string")
    if len(doc_id) > MAX_ID_LENGTH:
        raise InvalidDocument(reason=f"_id longer than {MAX_ID_LENGTH} characters")
    if doc_id.startswith("_"):
        raise InvalidDocument(reason=f"_id {doc_id[:40]!r} starts with a reserved underscore")
    _require_utf8(doc_id, "_id")
    return doc_id


def _require_utf8(text: str, what: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidDocument(reason=f"{what} contains text that is not valid Unicode") from None


def body_text(doc: Mapping[str, Any]) -> str:
    """The user fields of ``doc`` as canonical JSON text; rejects what JSON cannot carry."""
    if not isinstance(doc, Mapping):
        raise InvalidDocument(reason="a document must be a JSON object")
    unknown = [key for key in doc if key.startswith("_") and key not in SPECIAL_FIELDS]
    if unknown:
        raise InvalidDocument(reason=f"unsupported special field {unknown[0]!r}")
    body = {key: value for key, value in doc.items() if not key.startswith("_")}
    try:
        text = json.dumps(body, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError, RecursionError) as exc:
        raise InvalidDocument(reason=f"not storable as JSON ({exc})") from None
    _require_utf8(text, "the document")
    return text


@dataclass
class _DocState:
    """A document's full revision state, decoded from its record for an edit."""

    tree: RevTree
    bodies: dict[str, str]  # leaf revision → JSON text of its body

    @classmethod
    def empty(cls) -> _DocState:
        return cls({}, {})

    @classmethod
    def from_record(cls, record: DocRecord) -> _DocState:
        tree = revtree.decode_tree(json.loads(record.tree))
        bodies = {record.win: record.body}
        for rev, body in json.loads(record.others).items():
            bodies[rev] = dumps(body)
        return cls(tree, bodies)

    def to_record(self, seq: int) -> DocRecord:
        win = revtree.winner(self.tree)
        leaves = revtree.leaves(self.tree)
        others = ",".join(
            f"{dumps(rev)}:{self.bodies.get(rev, '{}')}" for rev in leaves if rev != win
        )
        return DocRecord(
            seq=seq,
            win=win,
            deleted=self.tree[win].deleted,
            conflicted=bool(revtree.conflicts(self.tree)),
            body=self.bodies.get(win, "{}"),
            tree=dumps(revtree.encode_tree(self.tree)),
            others="{" + others + "}" if others else NO_OTHERS,
        )


def _materialize(doc_id: str, rev: str, text: str) -> dict[str, Any]:
    doc: dict[str, Any] = {"_id": doc_id, "_rev": rev}
    doc.update(json.loads(text))
    return doc


class DocumentStore:
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
        self._by_seq: dict[int, str] = {}
        self._ids_by_type: dict[str, set[str]] = {}
        self._conflicted: set[str] = set()
        self._seq = 0
        self._load_derived()
        self.node_id = self._ensure_node_id()

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
        """Rebuild the in-memory indexes at open (a tight loop: it runs 200k times)."""
        by_seq = self._by_seq
        conflicted = self._conflicted
        by_type = self._ids_by_type
        highest = 0
        for doc_id, record in self._docs.records():
            seq = record.seq  # type: ignore[attr-defined]
            by_seq[seq] = doc_id
            if seq > highest:
                highest = seq
            if not record.deleted:  # type: ignore[attr-defined]
                kind = doc_id.split(":", 1)[0] if ":" in doc_id else ""
                ids = by_type.get(kind)
                if ids is None:
                    ids = by_type[kind] = set()
                ids.add(doc_id)
            if record.conflicted:  # type: ignore[attr-defined]
                conflicted.add(doc_id)
        self._seq = highest

    def _index_record(self, doc_id: str, record: DocRecord, old: DocRecord | None) -> None:
        if old is not None:
            self._by_seq.pop(old.seq, None)
        self._by_seq[record.seq] = doc_id
        self._seq = max(self._seq, record.seq)
        ids = self._ids_by_type.setdefault(doc_type(doc_id), set())
        if record.deleted:
            ids.discard(doc_id)
        else:
            ids.add(doc_id)
        if record.conflicted:
            self._conflicted.add(doc_id)
        else:
            self._conflicted.discard(doc_id)

    # -- reading ------------------------------------------------------------------------------

    @property
    def update_seq(self) -> int:
        return self._seq

    @property
    def doc_count(self) -> int:
        return sum(len(ids) for ids in self._ids_by_type.values())

    def _record(self, doc_id: str) -> DocRecord | None:
        return self._docs.record(doc_id)  # type: ignore[return-value]

    def get(self, doc_id: str, rev: str | None = None) -> dict[str, Any]:
        record = self._record(doc_id)
        if record is None:
            raise NotFound(doc_id)
        if rev is None or rev == record.win:
            if record.deleted and rev is None:
                raise NotFound(doc_id, deleted=True)
            doc = _materialize(doc_id, record.win, record.body)
            if record.deleted:
                doc["_deleted"] = True
            return doc
        state = _DocState.from_record(record)
        if rev not in state.bodies or rev not in state.tree:
            raise NotFound(doc_id)
        doc = _materialize(doc_id, rev, state.bodies[rev])
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
        return record is not None and not record.deleted

    def ids_of_type(self, kind: str) -> list[str]:
        return list(self._ids_by_type.get(kind, ()))

    def ids_with_prefix(self, prefix: str) -> list[str]:
        """Live ids starting with ``prefix`` (``"signin:m1:"``); scans ids, parses nothing."""
        return [doc_id for doc_id in self.ids_of_type(doc_type(prefix)) if doc_id.startswith(prefix)]

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
        return _DocState.from_record(record).tree

    def revisions(self, doc_id: str, rev: str) -> dict[str, Any]:
        return revtree.revisions_field(self.revision_tree(doc_id), rev)

    def conflicts(self, doc_id: str) -> list[str]:
        record = self._record(doc_id)
        if record is None or not record.conflicted:
            return []
        return revtree.conflicts(_DocState.from_record(record).tree)

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
        ids = sorted(doc_id for ids in self._ids_by_type.values() for doc_id in ids)
        rows = []
        for doc_id in ids:
            if start_key is not None and doc_id < start_key:
                continue
            if end_key is not None and doc_id > end_key:
                break
            if limit is not None and len(rows) >= limit:
                break
            rows.append(self._all_docs_key_row(doc_id, include_docs))
        return rows

    def _all_docs_key_row(self, key: str, include_docs: bool) -> dict[str, Any]:
        record = self._record(key) if isinstance(key, str) else None
        if record is None:
            return {"key": key, "error": "not_found"}
        value: dict[str, Any] = {"rev": record.win}
        row: dict[str, Any] = {"id": key, "key": key, "value": value}
        if record.deleted:
            value["deleted"] = True
            if include_docs:
                row["doc"] = None
        elif include_docs:
            row["doc"] = _materialize(key, record.win, record.body)
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
        while seq < end:
            if limit is not None and len(results) >= limit:
                return results, seq
            seq += 1
            doc_id = self._by_seq.get(seq)
            if doc_id is not None:
                results.append(self._change_row(seq, doc_id, style, include_docs))
        return results, max(end, since)

    def _change_row(self, seq: int, doc_id: str, style: str, include_docs: bool) -> Change:
        record = self._record(doc_id)
        assert record is not None
        if style == "all_docs" and (record.conflicted or record.others != NO_OTHERS):
            revs = revtree.leaves(_DocState.from_record(record).tree)
            revs.sort(key=lambda rev: rev != record.win)
        else:
            revs = [record.win]
        row = Change(seq=seq, id=doc_id, changes=[{"rev": rev} for rev in revs])
        if record.deleted:
            row["deleted"] = True
        if include_docs:
            doc = _materialize(doc_id, record.win, record.body)
            if record.deleted:
                doc["_deleted"] = True
            row["doc"] = doc
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
            planned: dict[str, _DocState] = {}
            results: list[PutResult] = []
            for doc in docs:
                doc_id = doc.get("_id") if isinstance(doc, Mapping) else None
                try:
                    if isinstance(doc_id, str) and doc_id in planned:
                        raise ConflictError(doc_id=doc_id)
                    doc_id, state, rev = self._plan_edit(doc)
                except StoreError as error:
                    results.append(_error_result(doc_id, error))
                    continue
                planned[doc_id] = state
                results.append(PutResult(id=doc_id, rev=rev, ok=True))
            if planned:
                self._commit(planned)
            return results

    def _plan_edit(self, doc: Mapping[str, Any]) -> tuple[str, _DocState, str]:
        if not isinstance(doc, Mapping):
            raise InvalidDocument(reason="a document must be a JSON object")
        doc_id = validate_id(doc.get("_id"))
        text = body_text(doc)
        deleted = doc.get("_deleted") is True
        given = doc.get("_rev")
        record = self._record(doc_id)
        state = _DocState.from_record(record) if record is not None else _DocState.empty()
        if given is None:
            if record is None and deleted:
                raise NotFound(doc_id)
            if record is not None and not record.deleted:
                raise ConflictError(doc_id=doc_id)
            parent = record.win if record is not None else None
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

    # -- replication (new_edits=false) --------------------------------------------------------

    def put_revisions(self, docs: Iterable[Mapping[str, Any]]) -> list[PutResult]:
        """Insert revisions made elsewhere, history included; returns the documents refused.

        Each document is checked before anything is written. One that is malformed (its id,
        revision or history) is left out and reported in CouchDB's per-document error form,
        the rest are stored: one bad document from a peer must not stall replication, and
        it must never reach the store, where a bad revision would break every later edit.
        """
        parsed = []
        refused: list[PutResult] = []
        for doc in docs:
            try:
                parsed.append(self._parse_foreign(doc))
            except InvalidDocument as error:
                refused.append(_error_result(doc.get("_id") if isinstance(doc, Mapping) else None,
                                             error))
        with self._write_lock:
            states: dict[str, _DocState] = {}
            for doc_id, path, deleted, text in parsed:
                state = states.get(doc_id)
                if state is None:
                    record = self._record(doc_id)
                    state = _DocState.from_record(record) if record else _DocState.empty()
                if revtree.merge_path(state.tree, path, deleted):
                    states[doc_id] = state
                    if path[0] in revtree.leaves(state.tree):
                        state.bodies[path[0]] = text
                    for rev in path[1:]:
                        state.bodies.pop(rev, None)
            if states:
                self._commit(states)
        return refused

    @staticmethod
    def _parse_foreign(doc: Mapping[str, Any]) -> tuple[str, list[str], bool, str]:
        if not isinstance(doc, Mapping):
            raise InvalidDocument(reason="a document must be a JSON object")
        doc_id = validate_id(doc.get("_id"))
        revisions = doc.get("_revisions")
        if revisions is not None and not isinstance(revisions, Mapping):
            raise InvalidDocument(reason="_revisions must be an object")
        try:
            path = revtree.path_from_revisions(doc.get("_rev"), revisions)  # type: ignore[arg-type]
        except ValueError as exc:
            raise InvalidDocument(reason=f"{doc_id}: {exc}") from None
        return doc_id, path, doc.get("_deleted") is True, body_text(doc)

    def revs_diff(self, requested: Mapping[str, Iterable[str]]) -> dict[str, dict[str, list[str]]]:
        answer: dict[str, dict[str, list[str]]] = {}
        for doc_id, revs in requested.items():
            record = self._record(doc_id)
            tree = _DocState.from_record(record).tree if record is not None else {}
            missing = revtree.missing_revs(tree, revs)
            if missing:
                entry = {"missing": missing}
                ancestors = revtree.possible_ancestors(tree, missing)
                if ancestors:
                    entry["possible_ancestors"] = ancestors
                answer[doc_id] = entry
        return answer

    def open_revs(
        self, doc_id: str, revs: list[str] | None, latest: bool = False
    ) -> list[dict[str, Any]]:
        """Answer ``GET /db/doc?open_revs=…``: each asked (or every leaf) revision with history."""
        record = self._record(doc_id)
        if record is None:
            if revs is None:
                raise NotFound(doc_id)
            return [{"missing": rev} for rev in revs]
        state = _DocState.from_record(record)
        wanted = revtree.leaves(state.tree) if revs is None else list(revs)
        answers: list[dict[str, Any]] = []
        seen: set[str] = set()
        for rev in wanted:
            targets = [rev]
            if latest and rev in state.tree and rev not in state.bodies:
                targets = [
                    leaf
                    for leaf in revtree.leaves(state.tree)
                    if rev in revtree.history(state.tree, leaf)
                ]
            for target in targets:
                if target in seen:
                    continue
                seen.add(target)
                if target not in state.bodies or target not in state.tree:
                    answers.append({"missing": target})
                    continue
                doc = _materialize(doc_id, target, state.bodies[target])
                if state.tree[target].deleted:
                    doc["_deleted"] = True
                doc["_revisions"] = revtree.revisions_field(state.tree, target)
                answers.append({"ok": doc})
        return answers

    # -- commit -------------------------------------------------------------------------------

    def _commit(self, states: Mapping[str, _DocState]) -> None:
        seq = self._seq
        records: dict[str, DocRecord] = {}
        for doc_id, state in states.items():
            seq += 1
            revtree.stem(state.tree, self.revs_limit)
            records[doc_id] = state.to_record(seq)
        previous = {doc_id: self._record(doc_id) for doc_id in records}
        self._docs.put_records(records)  # type: ignore[arg-type]
        for doc_id, record in records.items():
            self._index_record(doc_id, record, previous[doc_id])
        self._feed_indexes(records)
        self._notifier.notify(self._seq)

    def _feed_indexes(self, records: Mapping[str, DocRecord]) -> None:
        updates = []
        for doc_id, record in records.items():
            interested = self._feed.interested(doc_type(doc_id))
            if not interested:
                continue
            doc = None if record.deleted else _materialize(doc_id, record.win, record.body)
            updates.extend((index, doc_id, doc) for index in interested)
        self._feed.deliver(updates)

    # -- _local documents (never replicated, not in the changes feed) -------------------------

    def get_local(self, local_id: str) -> dict[str, Any] | None:
        record = self._local.record(local_id)
        if record is None:
            return None
        doc: dict[str, Any] = {"_id": f"_local/{local_id}", "_rev": record["rev"]}
        doc.update(record["body"])
        return doc

    def put_local(self, local_id: str, body: Mapping[str, Any]) -> str:
        if not isinstance(local_id, str) or not local_id or len(local_id) > MAX_ID_LENGTH:
            raise InvalidDocument(reason="local document id must be a non-empty string")
        _require_utf8(local_id, "_id")
        text = body_text(body)
        with self._write_lock:
            record = self._local.record(local_id)
            number = int(record["rev"].split("-")[1]) + 1 if record else 1
            rev = f"0-{number}"
            self._local.put_records({local_id: {"rev": rev, "body": json.loads(text)}})
            return rev

    def delete_local(self, local_id: str) -> None:
        with self._write_lock:
            if self._local.record(local_id) is not None:
                self._local.put_records({local_id: None})


def _error_result(doc_id: object, error: StoreError) -> PutResult:
    kind = {ConflictError: "conflict", NotFound: "not_found"}.get(type(error), "bad_request")
    result = PutResult(error=kind, reason=str(error))
    if isinstance(doc_id, str):
        result["id"] = doc_id
    return result
