"""Assemble this machine's sync node from its settings and its cluster membership.

A node that never joined a cluster is standalone: it listens on no LAN port (only on the
optional loopback listener) and says so in the status bar. A cluster node serves mutual TLS
with its cluster certificate, announces itself by zeroconf with its cluster id, refuses
peers whose revocation the CA signed in both directions, and replicates with every peer it
finds. At start it publishes its own certificate as its membership record and writes back any
verified record a peer deleted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from store import DocumentStore
from sync.admin_listener import admin_password, basic_auth_middleware, parse_loopback
from sync.cluster_node import cluster_node
from sync.hosting import NodeSettings, SyncNode
from sync.http_api import make_app
from sync.pki import load_cluster

Selector = Callable[[], dict[str, Any]]  # a kiosk's Mango selector, worked out at each pass

if TYPE_CHECKING:
    from .context import AppContext
    from .i18n import Translator
    from .settings import Settings


@dataclass(frozen=True)
class NodePlan:
    node: SyncNode | None
    cluster_id: str | None
    local_address: str | None


def plan_node(store: DocumentStore, settings: Settings, listen_local: str | None = None,
              selector: Selector | None = None) -> NodePlan:
    """``selector`` makes the node a kiosk's: it pulls only what the selector picks."""
    local = listen_local if listen_local is not None else settings.sync.listen_local or None
    local_apps = []
    if local:
        host, port = parse_loopback(local)
        password = admin_password(settings.data_dir)
        local_apps.append((make_app(store, middlewares=[basic_auth_middleware(password)]), host, port))
    cluster = load_cluster(settings.data_dir)
    if cluster is None:
        node = SyncNode(store, NodeSettings(lan=False), local_apps=local_apps) if local_apps else None
        return NodePlan(node, None, local)
    node_settings = NodeSettings(
        listen_host=settings.sync.listen_host, listen_port=settings.sync.listen_port,
        static_peers=tuple(settings.sync.static_peers), discovery=settings.sync.discovery,
        selector=selector, hubs=settings.sync.hubs)
    node, _ledger = cluster_node(store, cluster, node_settings, local_apps)
    return NodePlan(node, cluster.cluster_id, local)


def describe(plan: NodePlan, t: Translator) -> str:
    """One line for the status bar."""
    if plan.node is None or plan.cluster_id is None:
        return t("sync.standalone")
    statuses = plan.node.peer_statuses
    healthy = sum(1 for status in statuses if status.state in ("idle", "syncing"))
    return t("sync.peers", healthy=healthy, total=len(statuses), cluster=plan.cluster_id[:8])


def attach_node(ctx: AppContext, listen_local: str | None = None,
                selector: Selector | None = None) -> SyncNode | None:
    """Plan this machine's node for ``ctx`` and let its status bar and dashboard see it."""
    plan = plan_node(ctx.store, ctx.settings, listen_local, selector)
    ctx.sync_status = lambda: describe(plan, ctx.i18n)
    ctx.sync_peers = lambda: plan.node.peer_statuses if plan.node else []
    ctx.sync_scans_missing = lambda: plan.node.scans_missing if plan.node else 0
    return plan.node
