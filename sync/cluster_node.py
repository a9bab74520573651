"""A sync node of a cluster: mutual TLS from this machine's certificate, every peer checked
against the ledger of CA-signed membership and revocations, in both directions, peers'
``_local`` writes limited to replication checkpoints, and through a CouchDB hub only what a
node in good standing signed (:mod:`sync.hub_trust`).

The secretary app, the kiosks and ``mishu serve`` get their node here (through
``tui.node_setup``), and so do the tests and the chaos harness, so all run the same checks.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from aiohttp import web

from store import DocumentStore

from .hosting import NodeSettings, SyncNode
from .hub_trust import HubTrust
from .peer_guard import checkpoint_writes_only
from .pki import Cluster
from .revocation import TrustLedger, open_ledger, register_node, revocation_middleware


def cluster_node(store: DocumentStore, cluster: Cluster, settings: NodeSettings,
                 local_apps: Iterable[tuple[web.Application, str, int]] = ()
                 ) -> tuple[SyncNode, TrustLedger]:
    """The node and its ledger; this node's own certificate is published as its membership
    record, and any verified record a peer deleted is written back."""
    ledger = open_ledger(store, cluster)
    register_node(store, cluster.node_cert)
    ledger.republish(store)
    settings = replace(settings, cluster=cluster.cluster_id, server_ssl=cluster.server_context(),
                       client_ssl=cluster.client_context())
    node = SyncNode(store, settings,
                    middlewares=[revocation_middleware(ledger), checkpoint_writes_only],
                    local_apps=local_apps, refuse_peer=ledger.is_revoked,
                    hub_trust=HubTrust.for_cluster(cluster, ledger))
    return node, ledger
