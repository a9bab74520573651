"""Real sync nodes on 127.0.0.1 ephemeral ports, for benchmarks that need a small network."""

from __future__ import annotations

from store import DocumentStore
from sync.hosting import NodeSettings, SyncNode


async def start_loopback_nodes(stores: list[DocumentStore], longpoll_seconds: float = 10.0
                               ) -> list[SyncNode]:
    """One started node per store, no discovery; callers choose who pulls from whom."""
    nodes = [SyncNode(store, NodeSettings(listen_host="127.0.0.1", listen_port=0,
                                          discovery=False, longpoll_seconds=longpoll_seconds))
             for store in stores]
    for node in nodes:
        await node.start()
    return nodes
