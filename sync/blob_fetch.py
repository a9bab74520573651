"""The one list of attachment blobs this node lacks, asked of every reachable peer until they come.

A record replicates as a document; its scans follow by content address from
``/_mishu/blob/{sha256}``. The peer a record came from may not have the bytes yet (it is still
downloading them itself), and once the record is here ``revs_diff`` counts it as present, so no
later batch from any peer brings the scan along. Hence one list per node, not per peer: every
pull replicator adds what its records name and tries its own peer at once, and
:meth:`BlobFetcher.run` keeps asking every reachable peer, with backoff per blob, while nothing
else happens. A copy found damaged on this disk is "missing" too (see
:meth:`store.archive_blobs.BlobStore.missing`), so the same loop repairs it.

Downloads are streamed to disk and hashed chunk by chunk, so memory stays flat whatever the size.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import aiohttp

from store import DocumentStore
from store.archive_blobs import (BLOB_PATH, CARRIERS, AttachmentCorrupt, BlobStore,
                                 attachments_of)

log = logging.getLogger(__name__)

CHUNK = 1 << 20


@dataclass(frozen=True)
class BlobSource:
    """Somewhere scans can be read by content address: a peer's ``/_mishu/blob/{sha256}``,
    or a hub's ``blob:{sha256}`` attachment, each through its own session (TLS, auth)."""

    session: aiohttp.ClientSession
    url_for: Callable[[str], str]
    name: str


def peer_blobs(session: aiohttp.ClientSession, peer_url: str) -> BlobSource:
    return BlobSource(session, lambda sha256: f"{peer_url}{BLOB_PATH}/{sha256}", peer_url)


@dataclass
class _Want:
    failures: int = 0
    next_try: float = 0.0


class BlobFetcher:
    def __init__(self, store: DocumentStore, rng: random.Random | None = None,
                 base_delay: float = 0.5, max_delay: float = 60.0,
                 sweep_seconds: float = 60.0) -> None:
        self._store = store
        self._blobs = BlobStore.for_store(store)
        self._rng = rng or random.Random()
        self._base_delay = base_delay
        self._max_delay = max_delay
        self._sweep_seconds = sweep_seconds
        self._wants: dict[str, _Want] = {}
        self._wake = asyncio.Event()
        self._last_sweep: float | None = None

    @property
    def missing_count(self) -> int:
        """Scans named by records here whose bytes are not (or not intact) on this disk yet."""
        return len(self._wants)

    def want(self, addresses: Iterable[str]) -> list[str]:
        """Add addresses to the list; the ones new to it, to try at once."""
        new = [sha256 for sha256 in addresses if sha256 not in self._wants]
        for sha256 in new:
            self._wants[sha256] = _Want()
        if new:
            self._wake.set()
        return new

    def want_for(self, docs: Iterable[dict[str, object]]) -> list[str]:
        """What the archive records among ``docs`` name and this node lacks."""
        return self.want(self._blobs.missing(attachments_of(docs)))

    async def sweep(self, force: bool = False) -> None:
        """Every stored record's scans that are absent or damaged here join the list: records
        pulled before a restart, or a copy found damaged on read since the last sweep."""
        now = time.monotonic()
        if not force and self._last_sweep is not None \
                and now - self._last_sweep < self._sweep_seconds:
            return
        self._last_sweep = now
        self.want(await asyncio.to_thread(
            lambda: self._blobs.missing(attachments_of(
                doc for kind in CARRIERS for doc in self._store.iter_docs(kind)))))

    async def fetch_from(self, source: BlobSource,
                         addresses: Iterable[str] | None = None) -> int:
        """Ask one peer for ``addresses`` (default: the whole list); how many arrived."""
        arrived = 0
        for sha256 in sorted(self._wants if addresses is None else addresses):
            if sha256 in self._wants and await self._fetch_one(source, sha256):
                arrived += 1
        return arrived

    async def run(self, peers: Callable[[], list[BlobSource]], stop: asyncio.Event) -> None:
        """Until ``stop``: ask every reachable peer for each blob that is due, backing off per
        blob when none has it; sleep until the next one is due or something new is wanted."""
        while not stop.is_set():
            await self.sweep()
            now = time.monotonic()
            for sha256, want in sorted(self._wants.items()):
                if want.next_try > now or sha256 not in self._wants or stop.is_set():
                    continue
                for source in peers():
                    if await self._fetch_one(source, sha256):
                        break
                else:
                    want.failures += 1
                    delay = min(self._max_delay, self._base_delay * 2 ** min(want.failures, 10))
                    want.next_try = time.monotonic() + delay * self._rng.uniform(0.5, 1.0)
            due = [want.next_try for want in self._wants.values()]
            wait = min([self._sweep_seconds, *(t - time.monotonic() for t in due)])
            self._wake.clear()
            await _first_of(stop, self._wake, max(wait, 0.05))

    async def _fetch_one(self, source: BlobSource, sha256: str) -> bool:
        writer = None
        try:
            async with source.session.get(source.url_for(sha256),
                                   timeout=aiohttp.ClientTimeout(total=None, sock_read=60)
                                   ) as response:
                if response.status != 200:
                    return False
                writer = self._blobs.incoming(sha256)
                async for chunk in response.content.iter_chunked(CHUNK):
                    writer.write(chunk)
            await asyncio.to_thread(writer.commit)
        except AttachmentCorrupt:
            log.warning("%s sent a damaged copy of attachment %s", source.name, sha256)
            return False
        except (aiohttp.ClientError, asyncio.TimeoutError, OSError) as exc:
            if writer is not None:
                writer.abort()
            log.info("attachment %s from %s failed: %s", sha256, source.name, exc)
            return False
        self._wants.pop(sha256, None)
        return True


async def _first_of(stop: asyncio.Event, wake: asyncio.Event, timeout: float) -> None:
    waiters = [asyncio.ensure_future(stop.wait()), asyncio.ensure_future(wake.wait())]
    try:
        await asyncio.wait(waiters, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()
