"""Scans on a CouchDB hub: each one an attachment ``data`` on a document ``blob:{sha256}``.

A hub serves no ``/_mishu/blob`` path, and a node that only ever meets the hub must still get
every scan, so the pushing node stores each scan its records name as a CouchDB attachment,
streamed from disk (a 50 MB scan costs no more memory than a small one). A node reading it
back streams it through :class:`~sync.blob_fetch.BlobFetcher`, which hashes while it writes
and keeps nothing that does not match its address: the hub is trusted no more than a peer.

Two nodes uploading the same scan at once both create ``blob:{sha256}``; the second gets 409,
which means the scan is there. The ``blob:`` documents are the hub's own business: nodes never
pull them into their stores (:func:`is_blob_doc`). A scan a record names but this node lacks
itself is remembered and uploaded once it arrives; each push session starts by asking the hub
which of the scans this node's records name it lacks, so nothing owed is lost to a restart.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote

import aiohttp

from store import DocumentStore
from store.archive_blobs import BlobStore, attachments_of

from .blob_fetch import BlobSource
from .couch_client import CouchDatabase, PeerError

log = logging.getLogger(__name__)

PREFIX = "blob:"
ATTACHMENT = "data"
CHECK_BATCH = 500  # addresses asked of the hub per _all_docs request


def is_blob_doc(doc_id: str) -> bool:
    return doc_id.startswith(PREFIX)


def attachment_path(sha256: str) -> str:
    return f"/{quote(PREFIX + sha256, safe='')}/{ATTACHMENT}"


def hub_blobs(hub: CouchDatabase) -> BlobSource:
    return BlobSource(hub.session, lambda sha256: f"{hub.url}{attachment_path(sha256)}", hub.url)


class HubBlobUploader:
    """Sends the scans that pushed records name to one hub, once each."""

    def __init__(self, store: DocumentStore, hub: CouchDatabase) -> None:
        self._store = store
        self._blobs = BlobStore.for_store(store)
        self._hub = hub
        self._sent: set[str] = set()  # known to be on the hub
        self._owed: set[str] = set()  # named by pushed records, not on this disk (yet)

    @property
    def owed(self) -> int:
        return len(self._owed)

    async def upload_for(self, docs: Iterable[dict[str, Any]]) -> None:
        """Every scan the archive records among ``docs`` name, before the records go up."""
        await self._upload({a.sha256 for a in attachments_of(docs)})

    async def reconcile(self) -> None:
        """Once per push session: every scan this node's records name that the hub lacks,
        asked in a few ``_all_docs`` requests. Covers scans owed before a restart and a hub
        restored from an older backup."""
        named = await asyncio.to_thread(
            lambda: sorted({a.sha256 for a in attachments_of(self._store.iter_docs("archive"))}))
        for start in range(0, len(named), CHECK_BATCH):
            batch = named[start:start + CHECK_BATCH]
            status, answer = await self._hub.request(
                "POST", "/_all_docs", body={"keys": [PREFIX + sha256 for sha256 in batch]},
                ok=(200,))
            if status != 200 or not isinstance(answer, dict):
                raise PeerError(f"_all_docs answered {status}")
            present = {row["id"][len(PREFIX):] for row in answer.get("rows", [])
                       if isinstance(row, dict) and "error" not in row
                       and isinstance(row.get("id"), str)
                       and not (row.get("value") or {}).get("deleted")}
            self._sent.update(present)
            await self._upload(set(batch) - present)

    async def settle(self) -> None:
        """Scans owed from earlier batches that have arrived on this disk since."""
        if self._owed:
            await self._upload(set(self._owed))

    async def _upload(self, addresses: set[str]) -> None:
        for sha256 in sorted(addresses - self._sent):
            intact = await asyncio.to_thread(self._blobs.verify, sha256)
            if not intact:  # absent, or damaged here: the fetcher repairs it, then we send
                self._owed.add(sha256)
                continue
            if await self._put(sha256):
                self._sent.add(sha256)
                self._owed.discard(sha256)

    async def _put(self, sha256: str) -> bool:
        path = attachment_path(sha256)
        status, _ = await self._hub.request("HEAD", path, ok=(200,))
        if status == 200:
            return True
        self._hub.requests += 1
        with self._blobs.path(sha256).open("rb") as reader:
            async with self._hub.session.put(
                    f"{self._hub.url}{path}", data=reader,
                    headers={"Content-Type": "application/octet-stream"},
                    timeout=aiohttp.ClientTimeout(total=None, sock_read=120)) as response:
                await response.read()
                if response.status in (200, 201, 202, 409):  # 409: another node was quicker
                    return True
        raise PeerError(f"uploading scan {sha256[:12]}… answered {response.status}")
