"""``mishu cluster init|invite|join|status|revoke``: create and grow the cluster of nodes."""

from __future__ import annotations

import argparse
import asyncio
import io
import time
from typing import TYPE_CHECKING

import qrcode
from aiohttp import web

from sync.pairing import Bundle, create_invite, default_address, join_cluster, make_join_app, JOINED
from sync.pki import ClusterError, init_cluster, load_cluster
from sync.revocation import known_nodes, register_node, revoke

from ..plain_text import clip

if TYPE_CHECKING:
    from ..cli import CliContext


def _require_cluster(cli: CliContext):  # type: ignore[no-untyped-def]
    cluster = load_cluster(cli.settings.data_dir)
    if cluster is None:
        raise ClusterError(reason=cli.i18n("cluster.not_member"))
    return cluster


def cluster_init(cli: CliContext, args: argparse.Namespace) -> int:
    with cli.open_store() as store:
        cluster = init_cluster(cli.settings.data_dir, cli.settings.node_name)
        register_node(store, cluster.node_cert, cluster.node_name)
    print(cli.i18n("cluster.created", cluster=cluster.cluster_id, name=cluster.node_name),
          file=cli.out)
    return 0


def qr_text(data: str) -> str:
    code = qrcode.QRCode(border=1)
    code.add_data(data)
    out = io.StringIO()
    code.print_ascii(out=out, invert=True)
    return out.getvalue()


async def _wait_for_join(app: web.Application, context, host: str, port: int,  # type: ignore[no-untyped-def]
                         expires: float) -> list[str]:
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, host, port, ssl_context=context).start()
    try:
        while not app[JOINED] and time.time() < expires:
            await asyncio.sleep(0.2)
    finally:
        await runner.cleanup()
    return list(app[JOINED])


def cluster_invite(cli: CliContext, args: argparse.Namespace) -> int:
    t = cli.i18n
    cluster = _require_cluster(cli)
    address = args.address or default_address(cli.settings.sync.listen_port + 1)
    port = int(address.rpartition(":")[2])
    with cli.open_store() as store:
        bundle = create_invite(store, cluster, address)
        print(t("cluster.invite_intro", minutes=10), file=cli.out)
        print(bundle.encode(), file=cli.out)
        print(qr_text(bundle.encode()), file=cli.out, flush=True)
        print(t("cluster.invite_waiting", address=address), file=cli.out, flush=True)
        try:
            joined = asyncio.run(_wait_for_join(make_join_app(store, cluster),
                                                cluster.server_context(require_client_cert=False),
                                                "0.0.0.0", port, bundle.expires))
        except KeyboardInterrupt:
            joined = []
    if not joined:
        print(t("cluster.invite_expired"), file=cli.err)
        return 1
    print(t("cluster.joined", name=joined[0]), file=cli.out)
    return 0


def cluster_join(cli: CliContext, args: argparse.Namespace) -> int:
    if load_cluster(cli.settings.data_dir) is not None:
        raise ClusterError(reason=cli.i18n("cluster.already_member"))
    bundle = Bundle.decode(args.bundle)
    if time.time() > bundle.expires:
        raise ClusterError(reason=cli.i18n("cluster.bundle_expired"))
    cluster = asyncio.run(join_cluster(cli.settings.data_dir, bundle, cli.settings.node_name))
    print(cli.i18n("cluster.join_done", cluster=cluster.cluster_id), file=cli.out)
    return 0


def cluster_status(cli: CliContext, args: argparse.Namespace) -> int:
    t = cli.i18n
    cluster = _require_cluster(cli)
    print(t("cluster.status_header", cluster=cluster.cluster_id, name=cluster.node_name),
          file=cli.out)
    with cli.open_store() as store:
        for node in known_nodes(store):
            state = t("cluster.revoked") if node.revoked else t("cluster.active")
            name = clip(node.name, 24)
            print(f"  {name:<24} {node.serial[:16]:<16} {node.issued_at:<17} {state}",
                  file=cli.out)
    return 0


def cluster_revoke(cli: CliContext, args: argparse.Namespace) -> int:
    _require_cluster(cli)
    with cli.open_store() as store:
        node = revoke(store, args.node)
    print(cli.i18n("cluster.revoke_done", name=node.name), file=cli.out)
    return 0
