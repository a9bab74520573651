"""Pull replication from one peer into the local store, following CouchDB's protocol.

One pass: read the peer's changes since the last checkpoint (``style=all_docs``), ask the local
store which revisions it lacks (``revs_diff``), fetch them with their history (``_bulk_get``,
or per-document ``open_revs`` GETs when the peer has no ``_bulk_get``), insert them with
``new_edits=false``, then record a checkpoint in ``_local`` on *both* sides. Archive records
bring their attachments: the blobs they name and this node lacks join the node's one list of
missing blobs (:class:`~sync.blob_fetch.BlobFetcher`, shared by every peer's replicator) and are
asked of this peer right after the batch; what it cannot give yet is asked again of every
peer. Checkpoints and backoff are shared with the push replicator (:mod:`sync.couch_client`).

A kiosk pulls only what it reads: given a ``selector`` (a Mango selector, recomputed before each
pass, see :mod:`sync.kiosk_selectors`) it reads ``POST _changes?filter=_selector`` as from a
CouchDB 2+ server, and, as CouchDB does, the selector is part of the replication id, so a
filtered replication keeps its own checkpoints and a changed selector starts its own from the
beginning. A pass ends when the selector changes (a meeting opened), so the next one follows it.

Between nodes, every node pulls from every peer; that is all replication there is ("pull from
all peers gives push for free"). A CouchDB hub pulls from nobody, so nodes also push to it
(:mod:`sync.push`) and pull from it here, its ``blob:`` documents left out and its scans read
as attachments. :class:`PeerStatus` tells the UI how each peer and hub is doing.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import random
import ssl
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import quote

import aiohttp
from yarl import URL

from store import DocumentStore

from .blob_fetch import BlobFetcher, BlobSource, peer_blobs
from .couch_client import CouchDatabase, PeerError, run_continuously

log = logging.getLogger(__name__)

__all__ = ["PeerError", "PeerStatus", "PullReplicator"]


@dataclass(frozen=True)
class PeerStatus:
    url: str
    node_id: str = ""
    state: str = "starting"  # starting, syncing, idle, failing, stopped
    last_seen: float | None = None
    docs_pulled: int = 0
    docs_pushed: int = 0
    lag_seq: int = 0
    last_error: str = ""
    problem: str = ""  # an i18n key naming a failure the user can fix ("hub_unauthorized")
    kind: str = "peer"  # "peer" (a mishu node) or "hub" (a CouchDB the node pushes to as well)


@dataclass
class PullReplicator:
    store: DocumentStore
    peer_url: str
    session: aiohttp.ClientSession
    batch_size: int = 200
    longpoll_seconds: float = 30.0
    on_status: Callable[[PeerStatus], None] | None = None
    refuse_peer: Callable[[bytes | None], bool] | None = None  # e.g. a revoked certificate
    ssl_context: ssl.SSLContext | None = None  # to read the peer's certificate for refuse_peer
    rng: random.Random = field(default_factory=random.Random)
    blobs: BlobFetcher | None = None  # the node's one list of missing blobs; own one if None
    selector: Callable[[], dict[str, Any]] | None = None  # a kiosk's documents; None: all
    db_path: str = "/mishu"  # the database under ``peer_url`` (a hub's may be named otherwise)
    identity: str | None = None  # names the source in the replication id; else its uuid
    skip_id: Callable[[str], bool] | None = None  # ids never pulled (a hub's ``blob:`` docs)
    blob_source: BlobSource | None = None  # where its scans come from; else /_mishu/blob
    admit: Callable[[list[dict[str, Any]]], list[dict[str, Any]]] | None = None  # a hub's
    # revisions that a node in good standing signed (sync.hub_trust); None: all
    status: PeerStatus = field(init=False)
    _bulk_get: bool = field(default=True, init=False)
    _peer_cert: bytes | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        self.peer_url = self.peer_url.rstrip("/")
        self.status = PeerStatus(self.peer_url)
        self._fetcher = self.blobs or BlobFetcher(self.store)
        self._db = CouchDatabase(self.session, self.peer_url, self.db_path)
        self._source = self.blob_source or peer_blobs(self.session, self.peer_url)

    @property
    def blob_source_in_use(self) -> BlobSource:
        return self._source

    @property
    def requests(self) -> int:
        return self._db.requests

    # -- status ---------------------------------------------------------------------------------

    def _set(self, **changes: Any) -> None:
        self.status = replace(self.status, **changes)
        if self.on_status is not None:
            self.on_status(self.status)

    # -- HTTP -----------------------------------------------------------------------------------

    async def _read_peer_certificate(self) -> bytes | None:
        """The certificate the peer presents, from a handshake of our own (aiohttp hides it)."""
        url = URL(self.peer_url)
        if url.scheme != "https" or self.ssl_context is None:
            return None
        _reader, writer = await asyncio.wait_for(
            asyncio.open_connection(url.host, url.port, ssl=self.ssl_context), 30)
        try:
            ssl_object = writer.get_extra_info("ssl_object")
            return ssl_object.getpeercert(binary_form=True) if ssl_object else None
        finally:
            writer.close()

    def _check_peer(self) -> None:
        """Re-evaluated before every batch: a revocation replicated mid-pass takes effect."""
        if self.refuse_peer is not None and self.refuse_peer(self._peer_cert):
            raise PeerError("the peer's certificate has been revoked")

    # -- checkpoints ----------------------------------------------------------------------------

    def replication_id(self, peer_uuid: str, selector: dict[str, Any] | None = None) -> str:
        key = f"{self.store.node_id}|{peer_uuid}|mishu-pull-v1"
        if selector is not None:
            key += "|_selector|" + json.dumps(selector, sort_keys=True, ensure_ascii=False)
        return hashlib.md5(key.encode()).hexdigest()

    # -- one pass -------------------------------------------------------------------------------

    async def replicate(self, continuous: bool = False, stop: asyncio.Event | None = None) -> int:
        """Pull until caught up (or, if ``continuous``, until ``stop`` is set); docs written."""
        if self.refuse_peer is not None:
            self._peer_cert = await self._read_peer_certificate()
            self._check_peer()
        source = await self._identify()
        self._set(node_id=source, last_seen=time.time(), problem="")
        selector = self.selector() if self.selector is not None else None
        rep_id = self.replication_id(source, selector)
        await self._fetcher.sweep()  # records pulled before a restart may still lack blobs
        await self._fetcher.fetch_from(self._source)
        since, history = await self._db.read_checkpoint(self.store, rep_id)
        session_id = uuid.uuid4().hex
        written = 0
        caught_up = False
        while True:
            self._check_peer()
            feed = {"since": json.dumps(since) if not isinstance(since, str) else since,
                    "style": "all_docs", "limit": str(self.batch_size)}
            if continuous and caught_up:
                feed.update(feed="longpoll", timeout=str(int(self.longpoll_seconds * 1000)),
                            heartbeat="10000")
            if selector is None:
                status, page = await self._db.request("GET", "/_changes", params=feed,
                                                   timeout=self.longpoll_seconds + 30, ok=(200,))
            else:
                feed["filter"] = "_selector"
                status, page = await self._db.request("POST", "/_changes", params=feed,
                                                   body={"selector": selector},
                                                   timeout=self.longpoll_seconds + 30, ok=(200,))
            if status != 200 or not isinstance(page, dict) or not isinstance(page.get("results"), list):
                raise PeerError(f"_changes answered {status}")
            rows = page["results"]
            self._set(last_seen=time.time(), state="syncing" if rows else "idle")
            if rows:
                written += await self._apply(rows)
                since = page.get("last_seq", since)
                history = await self._db.write_checkpoint(self.store, rep_id, session_id, since,
                                                          history)
                self._set(docs_pulled=self.status.docs_pulled + len(rows),
                          lag_seq=_pending(page))
                continue
            since = page.get("last_seq", since)
            caught_up = True
            if not continuous or (stop is not None and stop.is_set()):
                return written
            if self.selector is not None and self.selector() != selector:
                return written  # run() starts the next pass, with the new selector

    async def _identify(self) -> str:
        """Who the source is: a mishu node by its uuid; a hub by the name it was given."""
        if self.identity is not None:
            status, _info = await self._db.request("GET", "", ok=(200,))
            if status != 200:
                raise PeerError(f"the database {self._db.url} answered {status}")
            return self.identity
        status, root = await self._db.request("GET", "/", ok=(200,), on_server=True)
        if status != 200 or not isinstance(root, dict) or not isinstance(root.get("uuid"), str):
            raise PeerError("the peer did not identify itself")
        return root["uuid"]

    async def _apply(self, rows: list[Any]) -> int:
        wanted: dict[str, list[str]] = {}
        for row in rows:
            if not isinstance(row, dict) or not isinstance(row.get("id"), str):
                raise PeerError("malformed change row")
            if self.skip_id is not None and self.skip_id(row["id"]):
                continue
            revs = [c.get("rev") for c in row.get("changes", []) if isinstance(c, dict)]
            wanted[row["id"]] = [rev for rev in revs if isinstance(rev, str)]
        missing = self.store.revs_diff(wanted)
        if not missing:
            return 0
        docs = await self._fetch(missing)
        valid = [doc for doc in docs if isinstance(doc, dict) and "_rev" in doc]
        if valid and self.admit is not None:
            valid = await asyncio.to_thread(self.admit, valid)
        if valid:
            for refused in await asyncio.to_thread(self.store.put_revisions, valid):
                log.warning("%s sent a document this node refuses: %s", self.peer_url, refused)
            new = self._fetcher.want_for(valid)
            await self._fetcher.fetch_from(self._source, new)
        return len(valid)

    async def _fetch(self, missing: dict[str, dict[str, list[str]]]) -> list[dict[str, Any]]:
        if self._bulk_get:
            request = {"docs": [{"id": doc_id, "rev": rev} for doc_id, entry in missing.items()
                                for rev in entry["missing"]]}
            status, answer = await self._db.request("POST", "/_bulk_get", body=request,
                                                 params={"revs": "true", "latest": "true"},
                                                 ok=(200,))
            if status == 200 and isinstance(answer, dict):
                return [item["ok"] for result in answer.get("results", [])
                        for item in result.get("docs", []) if isinstance(item, dict) and "ok" in item]
            if status in (400, 404, 405, 501):
                log.info("%s has no _bulk_get; fetching documents one by one", self.peer_url)
                self._bulk_get = False
            else:
                raise PeerError(f"_bulk_get answered {status}")
        docs = []
        for doc_id, entry in missing.items():
            status, answer = await self._db.request(
                "GET", f"/{quote(doc_id, safe='')}", ok=(200,),
                params={"revs": "true", "latest": "true", "open_revs": json.dumps(entry["missing"])})
            if status == 200 and isinstance(answer, list):
                docs.extend(item["ok"] for item in answer if isinstance(item, dict) and "ok" in item)
        return docs

    # -- forever --------------------------------------------------------------------------------

    async def run(self, stop: asyncio.Event, max_backoff: float = 60.0) -> None:
        """Replicate continuously until ``stop`` is set, backing off while the peer fails."""
        await run_continuously(lambda: self.replicate(continuous=True, stop=stop), stop,
                               self._set, self.rng, max_backoff)


def _pending(page: dict[str, Any]) -> int:
    pending = page.get("pending", 0)
    return pending if isinstance(pending, int) else 0
