"""A CouchDB hub (an ordinary Apache CouchDB 3): this node pulls from it and pushes to it.

Beyond one LAN there is no home-made server: nodes on several campuses each replicate with one
CouchDB database over HTTPS, with CouchDB's own user and password, and so reach each other
through it. A :class:`HubLink` runs the two directions side by side, each continuous and each
backing off on its own while the hub fails, and reports them to the status bar and the peer
panel as one line.

The hub is trusted no more than a peer: what is pulled from it goes through the same store
validation, the same CA-signed membership and revocation ledger and the same hash check of
every scan as anything a node sends; and since anyone with the hub's password can write there,
a cluster node signs what it pushes and admits from the hub only what a node in good standing
signed (:mod:`sync.hub_trust`). Its ``blob:`` documents (the scans, see
:mod:`sync.hub_blobs`) are never pulled as documents.

A kiosk carries only what it reads through a hub as on the LAN: its pull sends its selector
(:mod:`sync.kiosk_selectors`) as CouchDB 2+'s ``_changes?filter=_selector``, and its push sends
the hub only what the hub lacks, which is what the kiosk wrote itself (what it pulled is there
already and ``_revs_diff`` leaves it out).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import replace

import aiohttp
from yarl import URL

from store import DocumentStore

from .blob_fetch import BlobFetcher, BlobSource
from .couch_client import CouchDatabase
from .hub_blobs import HubBlobUploader, hub_blobs, is_blob_doc
from .hub_settings import HubSettings
from .hub_trust import HubTrust
from .pull import PeerStatus, PullReplicator
from .push import PushReplicator
from .selector import Selector


def hub_database(hub: HubSettings, session: aiohttp.ClientSession) -> CouchDatabase:
    """The hub's database through ``session``: its URL split into the server and the path."""
    url = URL(hub.url)
    head, _, name = url.raw_path.rstrip("/").rpartition("/")
    root = str(url.with_path(head or "/", encoded=True)).rstrip("/")
    return CouchDatabase(session, root, f"/{name}")


class HubLink:
    """Pull from and push to one hub until stopped, through one authenticated session."""

    def __init__(self, store: DocumentStore, hub: HubSettings, blobs: BlobFetcher,
                 longpoll_seconds: float = 30.0,
                 selector: Callable[[], Selector] | None = None,
                 trust: HubTrust | None = None) -> None:
        connector = aiohttp.TCPConnector(ssl=hub.ssl_context(), limit=8)
        self.session = aiohttp.ClientSession(connector=connector, headers={
            "Authorization": aiohttp.encode_basic_auth(hub.user, hub.password, "utf-8")})
        self.url = hub.url
        pull_db = hub_database(hub, self.session)
        self.blob_source: BlobSource = hub_blobs(pull_db)
        self.uploader = HubBlobUploader(store, hub_database(hub, self.session))
        self.pull = PullReplicator(store, pull_db.root, self.session, db_path=pull_db.path,
                                   longpoll_seconds=longpoll_seconds, blobs=blobs,
                                   identity=hub.url, skip_id=is_blob_doc,
                                   blob_source=self.blob_source, selector=selector,
                                   admit=trust.admit if trust else None)
        self.push = PushReplicator(store, hub_database(hub, self.session), identity=hub.url,
                                   scans=self.uploader, wait_seconds=longpoll_seconds,
                                   sign=trust.sign if trust else None)

    @property
    def status(self) -> PeerStatus:
        """Both directions as one line: failing if either fails, its error first."""
        pull, push = self.pull.status, self.push.status
        worst = push if push.state == "failing" and pull.state != "failing" else pull
        seen = [t for t in (pull.last_seen, push.last_seen) if t is not None]
        return replace(worst, url=self.url, node_id=self.url, kind="hub",
                       last_seen=min(seen) if len(seen) == 2 else None,
                       docs_pulled=pull.docs_pulled, docs_pushed=push.docs_pushed,
                       lag_seq=pull.lag_seq + push.lag_seq)

    async def run(self, stop: asyncio.Event) -> None:
        try:
            await asyncio.gather(self.pull.run(stop), self.push.run(stop))
        finally:
            await self.session.close()
