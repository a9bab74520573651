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
import os
import ssl
import stat
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import aiohttp
from yarl import URL

from store import DocumentStore
from store.errors import StoreError

from .blob_fetch import BlobFetcher, BlobSource
from .couch_client import CouchDatabase
from .hub_blobs import HubBlobUploader, hub_blobs, is_blob_doc
from .hub_trust import HubTrust
from .pull import PeerStatus, PullReplicator
from .push import PushReplicator
from .selector import Selector


class HubConfigError(StoreError):
    key = "hub.config_error"
    english = "Hub {url}: {reason}"


class HubPasswordFileOpen(StoreError):
    key = "hub.password_file_open"
    english = ("The hub password file {path} can be read by others (mode {mode}); "
               "run `chmod 600 {path}` and start again.")


class HubPasswordFileMissing(StoreError):
    key = "hub.password_file_missing"
    english = "The hub password file {path} cannot be read ({reason})."


@dataclass(frozen=True)
class HubSettings:
    """One ``[[sync.hubs]]`` entry, with its password already read from its file."""

    url: str  # the database, e.g. https://couch.example.edu:6984/mishu
    user: str
    password: str = field(repr=False)
    ca_file: str = ""  # a CA certificate (PEM) to trust for the hub; empty: the system's

    def database(self, session: aiohttp.ClientSession) -> CouchDatabase:
        url = URL(self.url)
        head, _, name = url.raw_path.rstrip("/").rpartition("/")
        root = str(url.with_path(head or "/", encoded=True)).rstrip("/")
        return CouchDatabase(session, root, f"/{name}")

    def ssl_context(self) -> ssl.SSLContext | bool:
        if URL(self.url).scheme != "https":
            return False
        return ssl.create_default_context(cafile=self.ca_file or None)


def read_password_file(path: Path, posix: bool = os.name == "posix") -> str:
    """The password in ``path`` (first line), refused when others may read the file."""
    try:
        mode = path.stat().st_mode
        if posix and mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise HubPasswordFileOpen(path=str(path), mode=oct(stat.S_IMODE(mode)))
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise HubPasswordFileMissing(path=str(path), reason=type(exc).__name__) from None
    return text.splitlines()[0].strip() if text.strip() else ""


def hub_settings(url: str, user: str, password_file: Path, ca_file: str = "") -> HubSettings:
    """Checked once at the edge: an https or http URL naming a database, and a private secret."""
    parsed = URL(url)
    if parsed.scheme not in ("http", "https") or not parsed.host or parsed.path in ("", "/"):
        raise HubConfigError(url=url, reason="url must be http(s)://host:port/database")
    if not user:
        raise HubConfigError(url=url, reason="user is empty")
    if ca_file and not Path(ca_file).is_file():
        raise HubConfigError(url=url, reason=f"ca_file {ca_file} is not a file")
    return HubSettings(url.rstrip("/"), user, read_password_file(password_file), ca_file)


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
        pull_db = hub.database(self.session)
        self.blob_source: BlobSource = hub_blobs(pull_db)
        self.uploader = HubBlobUploader(store, hub.database(self.session))
        self.pull = PullReplicator(store, pull_db.root, self.session, db_path=pull_db.path,
                                   longpoll_seconds=longpoll_seconds, blobs=blobs,
                                   identity=hub.url, skip_id=is_blob_doc,
                                   blob_source=self.blob_source, selector=selector,
                                   admit=trust.admit if trust else None)
        self.push = PushReplicator(store, hub.database(self.session), identity=hub.url,
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
