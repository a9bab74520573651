"""A sync node: this store's replication API, discovery, and a pull replicator per peer.

The secretary TUI, the kiosks and ``mishu serve`` all host one :class:`SyncNode` in their own
event loop. Peers come from the static list in the settings and from discovery; each gets a
:class:`~sync.pull.PullReplicator` running until the peer disappears or the node stops. Each
CouchDB hub in the settings gets a :class:`~sync.hub.HubLink` (pull and push), listed among
the peers and asked for missing scans like them.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import ssl
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web
from yarl import URL

from store import DocumentStore
from store.platform import Kind, Platform

from .blob_fetch import BlobFetcher, BlobSource
from .connection_gate import ConnectionGate, ConnectionLimits
from .http_api import ApiLimits, make_app
from .hub import HubLink
from .hub_settings import HubSettings
from .hub_trust import HubTrust
from .mdns import Announcement, Discovery, PeerEvent
from .protocol_errors import handler_factory
from .pull import PeerStatus, PullReplicator

log = logging.getLogger(__name__)

# Longpolls are closed on shutdown; whatever handler is still running after this is cancelled,
# so the node stops within a couple of seconds even with peers connected.
SHUTDOWN_SECONDS = 0.5
ZEROCONF_GOODBYE_SECONDS = 1.0


@dataclass(frozen=True)
class NodeSettings:
    lan: bool = True  # False: a standalone node, serving only its local listener (if any)
    listen_host: str = "0.0.0.0"
    listen_port: int = 6984
    static_peers: tuple[str, ...] = ()
    discovery: bool = True
    cluster: str = "standalone"
    interfaces: tuple[str, ...] = ()
    longpoll_seconds: float = 30.0
    server_ssl: ssl.SSLContext | None = None
    client_ssl: ssl.SSLContext | None = None
    limits: ApiLimits = field(default_factory=ApiLimits)
    connections: ConnectionLimits = field(default_factory=ConnectionLimits)
    blob_sweep_seconds: float = 60.0  # how often stored records are checked for absent scans
    selector: Callable[[], dict[str, Any]] | None = None  # a kiosk's filter (sync.kiosk_selectors)
    hubs: tuple[HubSettings, ...] = ()  # CouchDB hubs this node pushes to and pulls from


@dataclass
class _Peer:
    replicator: PullReplicator
    task: asyncio.Task[None]


class SyncNode:
    def __init__(self, store: DocumentStore, settings: NodeSettings,
                 middlewares: Iterable[Any] = (),
                 local_apps: Iterable[tuple[web.Application, str, int]] = (),
                 refuse_peer: Callable[[bytes | None], bool] | None = None,
                 hub_trust: HubTrust | None = None) -> None:
        self.store = store
        self._hub_trust = hub_trust
        self.settings = settings
        self._middlewares = list(middlewares)
        self._local_apps = list(local_apps)
        self._refuse_peer = refuse_peer
        self._runners: list[web.AppRunner] = []
        self._listeners: list[tuple[asyncio.Server, ConnectionGate]] = []
        self._session: aiohttp.ClientSession | None = None
        self._discovery: Discovery | None = None
        self._peers: dict[str, _Peer] = {}
        self._hubs: list[tuple[HubLink, asyncio.Task[None]]] = []
        self._stop = asyncio.Event()
        self._blobs = BlobFetcher(store, sweep_seconds=settings.blob_sweep_seconds)
        self._blob_task: asyncio.Task[None] | None = None
        self.port = 0

    @property
    def peer_statuses(self) -> list[PeerStatus]:
        """Every peer's and every hub's replication, as the peer panel lists them."""
        return [*(peer.replicator.status for peer in self._peers.values()),
                *(link.status for link, _task in self._hubs)]

    @property
    def scans_missing(self) -> int:
        """Scans named by records here that no peer has delivered yet (or damaged here)."""
        return self._blobs.missing_count

    def _reachable_peers(self) -> list[BlobSource]:
        return [*(peer.replicator.blob_source_in_use for peer in self._peers.values()
                  if peer.replicator.status.state not in ("failing", "stopped")),
                *(link.blob_source for link, _task in self._hubs
                  if link.status.state not in ("failing", "stopped"))]

    def summary(self) -> str:
        statuses = self.peer_statuses
        ok = sum(1 for status in statuses if status.state in ("idle", "syncing"))
        return f"{ok}/{len(statuses)}"

    async def start(self) -> None:
        for extra_app, host, port in self._local_apps:
            await self._serve(extra_app, host, port, None)
        if not self.settings.lan:
            return
        app = make_app(self.store, self.settings.limits, self._middlewares)
        self.port = await self._serve(app, self.settings.listen_host, self.settings.listen_port,
                                      self.settings.server_ssl)
        connector = aiohttp.TCPConnector(ssl=self.settings.client_ssl or False, limit=32)
        self._session = aiohttp.ClientSession(connector=connector)
        self._blob_task = asyncio.create_task(
            self._blobs.run(self._reachable_peers, self._stop), name="blobs")
        for url in self.settings.static_peers:
            self.add_peer(url)
        for hub in self.settings.hubs:
            link = HubLink(self.store, hub, self._blobs, self.settings.longpoll_seconds,
                           self.settings.selector, self._hub_trust)
            self._hubs.append((link, asyncio.create_task(link.run(self._stop),
                                                         name=f"hub {hub.url}")))
            log.info("replicating with the hub %s", hub.url)
        if self.settings.discovery:
            scheme = "https" if self.settings.server_ssl else "http"
            self._discovery = Discovery(
                Announcement(self.store.node_id, self.settings.cluster, self.port, scheme),
                self._on_peer_event, list(self.settings.interfaces) or None)
            try:
                await self._discovery.start()
            except OSError as exc:
                log.warning("zeroconf discovery unavailable (%s); static peers only", exc)
                self._discovery = None

    async def _serve(self, app: web.Application, host: str, port: int,
                     context: ssl.SSLContext | None) -> int:
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=SHUTDOWN_SECONDS)
        await runner.setup()
        self._runners.append(runner)
        assert runner.server is not None
        limits = self.settings.connections
        gate = ConnectionGate(handler_factory(runner.server), context, limits, self._peer_hosts)
        # asyncio accepts up to ``backlog`` sockets in one go before the gate closes the
        # surplus, so a small backlog keeps the file descriptors in use near the cap
        server = await asyncio.get_running_loop().create_server(
            gate, host, port, backlog=max(16, limits.max_connections // 4))
        self._listeners.append((server, gate))
        return int(server.sockets[0].getsockname()[1])

    def _peer_hosts(self) -> set[str]:
        return {URL(url).host or "" for url in self._peers}

    def _on_peer_event(self, event: PeerEvent) -> None:
        if event.added:
            self.add_peer(event.url)
        else:
            for url, peer in list(self._peers.items()):
                if peer.replicator.status.node_id == event.node_id:
                    self.remove_peer(url)

    def add_peer(self, url: str) -> None:
        url = url.rstrip("/")
        if url in self._peers or self._session is None:
            return
        replicator = PullReplicator(self.store, url, self._session,
                                    longpoll_seconds=self.settings.longpoll_seconds,
                                    refuse_peer=self._refuse_peer,
                                    ssl_context=self.settings.client_ssl, blobs=self._blobs,
                                    selector=self.settings.selector)
        task = asyncio.create_task(replicator.run(self._stop), name=f"pull {url}")
        self._peers[url] = _Peer(replicator, task)
        log.info("replicating from %s", url)

    def remove_peer(self, url: str) -> None:
        peer = self._peers.pop(url.rstrip("/"), None)
        if peer is not None:
            peer.task.cancel()

    async def stop(self) -> None:
        self._stop.set()
        tasks = [*(peer.task for peer in self._peers.values()),
                 *(task for _link, task in self._hubs)]
        for task in tasks:
            task.cancel()
        if self._blob_task is not None:
            self._blob_task.cancel()
        await asyncio.gather(*tasks,
                             *([self._blob_task] if self._blob_task else []),
                             return_exceptions=True)
        self._peers.clear()
        self._hubs.clear()
        if self._discovery is not None:
            try:
                await asyncio.wait_for(self._discovery.stop(), ZEROCONF_GOODBYE_SECONDS)
            except TimeoutError:
                log.info("zeroconf goodbye not confirmed in time; stopping anyway")
        if self._session is not None:
            await self._session.close()
        for server, gate in self._listeners:
            server.close()
            gate.close()
        self._listeners.clear()
        for runner in self._runners:
            await runner.cleanup()
        self._runners.clear()


async def serve_until_signalled(node: SyncNode) -> None:
    """Run ``node`` until SIGTERM or SIGINT (or Ctrl+Break on Windows), then stop it cleanly."""
    stop = asyncio.Event()
    uninstall = _on_stop_request(asyncio.get_running_loop(), stop.set, node.store.platform)
    await node.start()
    try:
        await stop.wait()
    finally:
        uninstall()
        await node.stop()


def _on_stop_request(loop: asyncio.AbstractEventLoop, callback: Callable[[], None],
                     platform: Platform) -> Callable[[], None]:
    """Call ``callback`` in ``loop`` when asked to stop; returns how to put things back.

    Windows' default (proactor) loop has no ``add_signal_handler``: there the console control
    handler delivers Ctrl+C as SIGINT and Ctrl+Break as SIGBREAK to a plain ``signal.signal``
    handler (in place of asyncio's KeyboardInterrupt), which hands over to the loop.
    """
    windows = platform.kind is Kind.WINDOWS
    names = ("SIGINT", "SIGBREAK") if windows else ("SIGTERM", "SIGINT")
    previous = {getattr(signal, name): signal.getsignal(getattr(signal, name))
                for name in names if hasattr(signal, name)}
    for signum in previous:
        if windows:
            signal.signal(signum, lambda *_: loop.call_soon_threadsafe(callback))
        else:
            loop.add_signal_handler(signum, callback)

    def restore() -> None:
        for signum, handler in previous.items():
            if not windows:
                loop.remove_signal_handler(signum)
            signal.signal(signum, handler)

    return restore
