"""Find the other nodes of this cluster on the LAN with zeroconf (mDNS/DNS-SD).

Each node announces ``<node id>._mishu._tcp.local.`` with TXT records ``node`` (its id),
``cluster`` (a hash naming its cluster) and ``proto`` (protocol version), and browses for the
others. Nodes of another cluster or another protocol version are ignored before any connection
is made. Discovery only reports peers coming and going; what to do with them is the node's
business.
"""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import Callable
from dataclasses import dataclass

import ifaddr
from zeroconf import IPVersion, ServiceStateChange, Zeroconf
from zeroconf.asyncio import AsyncServiceBrowser, AsyncServiceInfo, AsyncZeroconf

log = logging.getLogger(__name__)

SERVICE_TYPE = "_mishu._tcp.local."
PROTOCOL_VERSION = "1"


@dataclass(frozen=True)
class Announcement:
    node_id: str
    cluster: str
    port: int
    scheme: str = "https"


@dataclass(frozen=True)
class PeerEvent:
    node_id: str
    url: str
    added: bool


def _properties(info: AsyncServiceInfo) -> dict[str, str]:
    return {key.decode(errors="replace"): (value or b"").decode(errors="replace")
            for key, value in (info.properties or {}).items()}


class Discovery:
    """Announce this node and report peers of the same cluster and protocol."""

    def __init__(self, me: Announcement, on_event: Callable[[PeerEvent], None],
                 interfaces: list[str] | None = None) -> None:
        self.me = me
        self.on_event = on_event
        self.interfaces = interfaces
        self.peers: dict[str, str] = {}  # service name → node id
        self._zeroconf: AsyncZeroconf | None = None
        self._browser: AsyncServiceBrowser | None = None
        self._info: AsyncServiceInfo | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    async def start(self) -> None:
        kwargs = {"interfaces": self.interfaces} if self.interfaces else {}
        self._zeroconf = AsyncZeroconf(ip_version=IPVersion.V4Only, **kwargs)  # type: ignore[arg-type]
        addresses = [socket.inet_aton(address) for address in self._local_addresses()]
        self._info = AsyncServiceInfo(
            SERVICE_TYPE, f"{self.me.node_id}.{SERVICE_TYPE}", port=self.me.port,
            addresses=addresses or None,
            properties={"node": self.me.node_id, "cluster": self.me.cluster,
                        "proto": PROTOCOL_VERSION, "scheme": self.me.scheme},
        )
        await self._zeroconf.async_register_service(self._info)
        self._browser = AsyncServiceBrowser(self._zeroconf.zeroconf, SERVICE_TYPE,
                                           handlers=[self._on_change])

    def _local_addresses(self) -> list[str]:
        """IPv4 addresses peers can reach us at: the chosen interfaces, else every non-loopback."""
        if self.interfaces:
            return [address for address in self.interfaces if not address.startswith("127.")]
        return [str(ip.ip) for adapter in ifaddr.get_adapters() for ip in adapter.ips
                if isinstance(ip.ip, str) and not ip.ip.startswith("127.")]

    async def stop(self) -> None:
        if self._browser is not None:
            await self._browser.async_cancel()
        if self._zeroconf is not None:
            if self._info is not None:
                await self._zeroconf.async_unregister_service(self._info)
            await self._zeroconf.async_close()
        for task in list(self._tasks):
            task.cancel()

    def _on_change(self, zeroconf: Zeroconf, service_type: str, name: str,
                   state_change: ServiceStateChange) -> None:
        if state_change is ServiceStateChange.Removed:
            node_id = self.peers.pop(name, None)
            if node_id is not None:
                self.on_event(PeerEvent(node_id, "", added=False))
            return
        task = asyncio.ensure_future(self._resolve(zeroconf, service_type, name))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _resolve(self, zeroconf: Zeroconf, service_type: str, name: str) -> None:
        info = AsyncServiceInfo(service_type, name)
        if not await info.async_request(zeroconf, 3000):
            return
        props = _properties(info)
        node_id = props.get("node", "")
        if node_id == self.me.node_id or not node_id:
            return
        if props.get("cluster") != self.me.cluster or props.get("proto") != PROTOCOL_VERSION:
            log.info("ignoring %s: another cluster or protocol version", name)
            return
        addresses = info.parsed_addresses(IPVersion.V4Only)
        if not addresses or info.port is None:
            return
        scheme = props.get("scheme", "https")
        self.peers[name] = node_id
        self.on_event(PeerEvent(node_id, f"{scheme}://{addresses[0]}:{info.port}", added=True))
