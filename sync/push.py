"""Push replication from the local store into a CouchDB database, as CouchDB's replicator does.

Between mishu nodes every node pulls from every peer, so nothing needs pushing; a CouchDB hub
pulls from nobody, so a node pushes to it. One pass: read the checkpoint both sides keep in
``_local``, read this store's changes since (``style=all_docs``), ask the hub which revisions
it lacks (``_revs_diff``), send them with their history (``_bulk_docs`` with
``new_edits:false``, so conflicts stay conflicts), then write the checkpoint on both sides.
Before a batch's archive records go up, the scans they name go up too (see
:mod:`sync.hub_blobs`), so whoever pulls a record from the hub can fetch its scan at once.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import random
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from typing import Any

from store import DocumentStore

from .couch_client import CouchDatabase, PeerError, run_continuously
from .hub_blobs import HubBlobUploader
from .pull import PeerStatus

log = logging.getLogger(__name__)


@dataclass
class PushReplicator:
    store: DocumentStore
    target: CouchDatabase
    identity: str  # names the target in the replication id (the hub's configured URL)
    batch_size: int = 200
    wait_seconds: float = 30.0  # idle: how long one wait for local changes lasts
    scans: HubBlobUploader | None = None  # sends the scans a batch's records name, first
    sign: Callable[[list[dict[str, Any]]], list[dict[str, Any]]] | None = None  # a cluster
    # node's signature on each revision (sync.hub_trust), so the others know who vouches for it
    on_status: Callable[[PeerStatus], None] | None = None
    rng: random.Random = field(default_factory=random.Random)
    status: PeerStatus = field(init=False)

    def __post_init__(self) -> None:
        self.status = PeerStatus(self.target.url, node_id=self.identity, kind="hub")

    def _set(self, **changes: Any) -> None:
        self.status = replace(self.status, **changes)
        if self.on_status is not None:
            self.on_status(self.status)

    def replication_id(self) -> str:
        key = f"{self.store.node_id}|{self.identity}|mishu-push-v1"
        return hashlib.md5(key.encode()).hexdigest()

    async def replicate(self, continuous: bool = False, stop: asyncio.Event | None = None) -> int:
        """Push until the target has everything (or, if ``continuous``, until ``stop``)."""
        status, _info = await self.target.request("GET", "", ok=(200,))
        if status != 200:
            raise PeerError(f"the database {self.target.url} answered {status}")
        self._set(last_seen=time.time(), problem="")
        rep_id = self.replication_id()
        since, history = await self.target.read_checkpoint(self.store, rep_id)
        since = since if isinstance(since, int) and not isinstance(since, bool) else 0
        if self.scans is not None:
            await self.scans.reconcile()
        session_id = uuid.uuid4().hex
        written = 0
        while True:
            rows, last = await asyncio.to_thread(self.store.changes, since, self.batch_size,
                                                 "all_docs")
            if rows:
                self._set(state="syncing")
                written += await self._send(rows)
                since = last
                history = await self.target.write_checkpoint(self.store, rep_id, session_id,
                                                             since, history)
                self._set(last_seen=time.time(), lag_seq=max(0, self.store.update_seq - since))
                continue
            since = last
            if self.scans is not None:
                await self.scans.settle()  # scans owed by earlier batches that arrived since
            self._set(state="idle", lag_seq=0)
            if not continuous or (stop is not None and stop.is_set()):
                return written
            await _first_of(self.store.wait_for_changes(since, self.wait_seconds), stop)

    async def _send(self, rows: list[Any]) -> int:
        wanted = {row["id"]: [change["rev"] for change in row["changes"]] for row in rows}
        status, missing = await self.target.request("POST", "/_revs_diff", body=wanted, ok=(200,))
        if status != 200 or not isinstance(missing, dict):
            raise PeerError(f"_revs_diff answered {status}")
        docs = await asyncio.to_thread(self._revisions, missing)
        if not docs:
            return 0
        if self.sign is not None:
            docs = await asyncio.to_thread(self.sign, docs)
        if self.scans is not None:
            await self.scans.upload_for(docs)
        status, refused = await self.target.request(
            "POST", "/_bulk_docs", body={"docs": docs, "new_edits": False}, ok=(200, 201),
            timeout=300)
        if status not in (200, 201):
            raise PeerError(f"_bulk_docs answered {status}")
        # as CouchDB's replicator does: a document the hub refuses (a validation function
        # there) is logged and skipped, so one document cannot stall all the others
        for entry in refused if isinstance(refused, list) else []:
            if isinstance(entry, dict) and "error" in entry:
                log.warning("%s refused %s: %s", self.target.url, str(entry.get("id"))[:80],
                            str(entry.get("reason"))[:120])
        self._set(docs_pushed=self.status.docs_pushed + len(docs))
        return len(docs)

    def _revisions(self, missing: dict[str, Any]) -> list[dict[str, Any]]:
        """The revisions the target lacks, each with its history, as ``_bulk_docs`` takes them."""
        docs = []
        for doc_id, entry in missing.items():
            revs = entry.get("missing") if isinstance(entry, dict) else None
            if isinstance(revs, list):
                docs.extend(answer["ok"] for answer in self.store.open_revs(doc_id, revs)
                            if "ok" in answer)
        return docs

    async def run(self, stop: asyncio.Event, max_backoff: float = 60.0) -> None:
        """Push continuously until ``stop`` is set, backing off while the target fails."""
        await run_continuously(lambda: self.replicate(continuous=True, stop=stop), stop,
                               self._set, self.rng, max_backoff)


async def _first_of(waiting: Awaitable[bool], stop: asyncio.Event | None) -> None:
    tasks = [asyncio.ensure_future(waiting)]
    if stop is not None:
        tasks.append(asyncio.ensure_future(stop.wait()))
    try:
        await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in tasks:
            task.cancel()
