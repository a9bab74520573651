"""Pull replication from one peer into the local store, following CouchDB's protocol.

One pass: read the peer's changes since the last checkpoint (``style=all_docs``), ask the local
store which revisions it lacks (``revs_diff``), fetch them with their history (``_bulk_get``,
or per-document ``open_revs`` GETs when the peer has no ``_bulk_get``), insert them with
``new_edits=false``, then record a checkpoint in ``_local`` on *both* sides. Archive records
bring their attachments: the blobs they name and this node lacks join the node's one list of
missing blobs (:class:`~sync.blob_fetch.BlobFetcher`, shared by every peer's replicator) and are
asked of this peer right after the batch; what it cannot give yet is asked again of every peer. Checkpoints keep
a short session history so that when one side lost its checkpoint (a restored backup) the
replication resumes from the last point both agree on instead of starting over.

A kiosk pulls only what it reads: given a ``selector`` (a Mango selector, recomputed before each
pass, see :mod:`sync.kiosk_selectors`) it reads ``POST _changes?filter=_selector`` as from a
CouchDB 2+ server, and, as CouchDB does, the selector is part of the replication id, so a
filtered replication keeps its own checkpoints and a changed selector starts its own from the
beginning. A pass ends when the selector changes (a meeting opened), so the next one follows it.

Every node pulls from every peer; that is all replication there is ("pull from all peers
gives push for free"). Failures back off exponentially with jitter; :class:`PeerStatus` tells
the UI how each peer is doing.
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

from .blob_fetch import BlobFetcher

log = logging.getLogger(__name__)

HISTORY_LENGTH = 10


@dataclass(frozen=True)
class PeerStatus:
    url: str
    node_id: str = ""
    state: str = "starting"  # starting, syncing, idle, failing, stopped
    last_seen: float | None = None
    docs_pulled: int = 0
    lag_seq: int = 0
    last_error: str = ""


class PeerError(Exception):
    """The peer answered something the protocol does not allow."""


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
    status: PeerStatus = field(init=False)
    requests: int = field(default=0, init=False)
    _bulk_get: bool = field(default=True, init=False)
    _peer_cert: bytes | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        self.peer_url = self.peer_url.rstrip("/")
        self.status = PeerStatus(self.peer_url)
        self._fetcher = self.blobs or BlobFetcher(self.store)

    # -- status ---------------------------------------------------------------------------------

    def _set(self, **changes: Any) -> None:
        self.status = replace(self.status, **changes)
        if self.on_status is not None:
            self.on_status(self.status)

    # -- HTTP -----------------------------------------------------------------------------------

    async def _request(self, method: str, path: str, *, params: dict[str, str] | None = None,
                       body: Any = None, timeout: float = 60.0, ok: tuple[int, ...] = (200, 201)
                       ) -> tuple[int, Any]:
        self.requests += 1
        data = None if body is None else json.dumps(body, ensure_ascii=False).encode()
        headers = {"Accept": "application/json", "Content-Type": "application/json"}
        async with self.session.request(method, f"{self.peer_url}{path}", params=params,
                                        data=data, headers=headers,
                                        timeout=aiohttp.ClientTimeout(total=timeout)) as response:
            payload = await response.read()
            if response.status not in ok:
                return response.status, None
            try:
                return response.status, json.loads(payload)
            except ValueError as exc:
                raise PeerError(f"{method} {path}: invalid JSON from peer") from exc

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

    async def _read_checkpoints(self, rep_id: str) -> Any:
        local = self.store.get_local(rep_id) or {}
        status, remote = await self._request("GET", f"/mishu/_local/{rep_id}", ok=(200,))
        return _common_since(local, remote if status == 200 else {})

    async def _write_checkpoint(self, rep_id: str, session_id: str, since: Any,
                                history: list[dict[str, Any]]) -> list[dict[str, Any]]:
        entry = {"session_id": session_id, "recorded_seq": since}
        history = [entry, *[h for h in history if h.get("session_id") != session_id]]
        body = {"session_id": session_id, "source_last_seq": since,
                "history": history[:HISTORY_LENGTH]}
        self.store.put_local(rep_id, body)
        await self._request("PUT", f"/mishu/_local/{rep_id}", body=body, ok=(200, 201))
        return body["history"]

    # -- one pass -------------------------------------------------------------------------------

    async def replicate(self, continuous: bool = False, stop: asyncio.Event | None = None) -> int:
        """Pull until caught up (or, if ``continuous``, until ``stop`` is set); docs written."""
        if self.refuse_peer is not None:
            self._peer_cert = await self._read_peer_certificate()
            self._check_peer()
        status, root = await self._request("GET", "/", ok=(200,))
        if status != 200 or not isinstance(root, dict) or not isinstance(root.get("uuid"), str):
            raise PeerError("the peer did not identify itself")
        self._set(node_id=root["uuid"], last_seen=time.time())
        selector = self.selector() if self.selector is not None else None
        rep_id = self.replication_id(root["uuid"], selector)
        await self._fetcher.sweep()  # records pulled before a restart may still lack blobs
        await self._fetcher.fetch_from(self.session, self.peer_url)
        since, history = await self._read_checkpoints(rep_id)
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
                status, page = await self._request("GET", "/mishu/_changes", params=feed,
                                                   timeout=self.longpoll_seconds + 30, ok=(200,))
            else:
                feed["filter"] = "_selector"
                status, page = await self._request("POST", "/mishu/_changes", params=feed,
                                                   body={"selector": selector},
                                                   timeout=self.longpoll_seconds + 30, ok=(200,))
            if status != 200 or not isinstance(page, dict) or not isinstance(page.get("results"), list):
                raise PeerError(f"_changes answered {status}")
            rows = page["results"]
            self._set(last_seen=time.time(), state="syncing" if rows else "idle")
            if rows:
                written += await self._apply(rows)
                since = page.get("last_seq", since)
                history = await self._write_checkpoint(rep_id, session_id, since, history)
                self._set(docs_pulled=self.status.docs_pulled + len(rows),
                          lag_seq=_pending(page))
                continue
            since = page.get("last_seq", since)
            caught_up = True
            if not continuous or (stop is not None and stop.is_set()):
                return written
            if self.selector is not None and self.selector() != selector:
                return written  # run() starts the next pass, with the new selector

    async def _apply(self, rows: list[Any]) -> int:
        wanted: dict[str, list[str]] = {}
        for row in rows:
            if not isinstance(row, dict) or not isinstance(row.get("id"), str):
                raise PeerError("malformed change row")
            revs = [c.get("rev") for c in row.get("changes", []) if isinstance(c, dict)]
            wanted[row["id"]] = [rev for rev in revs if isinstance(rev, str)]
        missing = self.store.revs_diff(wanted)
        if not missing:
            return 0
        docs = await self._fetch(missing)
        valid = [doc for doc in docs if isinstance(doc, dict) and "_rev" in doc]
        if valid:
            for refused in await asyncio.to_thread(self.store.put_revisions, valid):
                log.warning("%s sent a document this node refuses: %s", self.peer_url, refused)
            new = self._fetcher.want_for(valid)
            await self._fetcher.fetch_from(self.session, self.peer_url, new)
        return len(valid)

    async def _fetch(self, missing: dict[str, dict[str, list[str]]]) -> list[dict[str, Any]]:
        if self._bulk_get:
            request = {"docs": [{"id": doc_id, "rev": rev} for doc_id, entry in missing.items()
                                for rev in entry["missing"]]}
            status, answer = await self._request("POST", "/mishu/_bulk_get", body=request,
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
            status, answer = await self._request(
                "GET", f"/mishu/{quote(doc_id, safe='')}", ok=(200,),
                params={"revs": "true", "latest": "true", "open_revs": json.dumps(entry["missing"])})
            if status == 200 and isinstance(answer, list):
                docs.extend(item["ok"] for item in answer if isinstance(item, dict) and "ok" in item)
        return docs

    # -- forever --------------------------------------------------------------------------------

    async def run(self, stop: asyncio.Event, max_backoff: float = 60.0) -> None:
        """Replicate continuously until ``stop`` is set, backing off while the peer fails."""
        failures = 0
        while not stop.is_set():
            try:
                self._set(state="syncing")
                await self.replicate(continuous=True, stop=stop)
                failures = 0
            except (aiohttp.ClientError, asyncio.TimeoutError, OSError, PeerError) as exc:
                failures += 1
                self._set(state="failing", last_error=f"{type(exc).__name__}: {exc}"[:200])
                delay = min(max_backoff, 0.5 * 2 ** min(failures, 10)) * self.rng.uniform(0.5, 1.0)
                try:
                    await asyncio.wait_for(stop.wait(), delay)
                except asyncio.TimeoutError:
                    pass
        self._set(state="stopped")


def _common_since(local: dict[str, Any], remote: dict[str, Any]) -> tuple[Any, list[dict[str, Any]]]:
    """Where to resume: the latest session both checkpoints remember (CouchDB's rule)."""
    local_history = [h for h in local.get("history", []) if isinstance(h, dict)]
    if local.get("session_id") and local.get("session_id") == remote.get("session_id"):
        return local.get("source_last_seq", 0), local_history
    remote_sessions = {h.get("session_id"): h.get("recorded_seq")
                       for h in remote.get("history", []) if isinstance(h, dict)}
    for entry in local_history:
        if entry.get("session_id") in remote_sessions:
            return entry.get("recorded_seq", 0), local_history
    return 0, local_history


def _pending(page: dict[str, Any]) -> int:
    pending = page.get("pending", 0)
    return pending if isinstance(pending, int) else 0
