"""``mishu cluster init|invite|join|status|revoke|export-ca|import-ca``: the cluster of nodes."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import io
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import qrcode
from aiohttp import web

from sync.pairing import Bundle, create_invite, default_address, join_cluster, make_join_app, JOINED
from sync.ca_backup import export_ca, import_ca
from sync.pki import Cluster, ClusterError, init_cluster, load_cluster, write_private
from sync.revocation import open_ledger, register_node, revoke

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
        register_node(store, cluster.node_cert)
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
        bundle = create_invite(cluster, address)
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
        ledger = open_ledger(store, cluster)
        for node in ledger.nodes():
            state = t("cluster.revoked") if node.revoked else t("cluster.active")
            name = clip(node.name, 24)
            print(f"  {name:<24} {node.serial[:16]:<16} {node.issued_at:<17} {state}",
                  file=cli.out)
    if ledger.rejected:
        print(t("cluster.status_ignored", count=ledger.rejected), file=cli.out)
    if cluster.holds_ca_key:
        print(t("cluster.status_founder"), file=cli.out)
    return 0


def _confirm(cli: CliContext, question: str, assume_yes: bool) -> bool:
    """Ask on the terminal; ``--yes`` answers for scripts. Anything but yes means no."""
    if assume_yes:
        return True
    print(f"{question} [y/N] ", end="", file=cli.err, flush=True)
    return sys.stdin.readline().strip().lower() in ("y", "yes", "是")


def _require_founder(cli: CliContext) -> Cluster:
    cluster = _require_cluster(cli)
    if not cluster.holds_ca_key:
        raise ClusterError(reason=cli.i18n("cluster.not_founder"))
    return cluster


def cluster_revoke(cli: CliContext, args: argparse.Namespace) -> int:
    t = cli.i18n
    cluster = _require_founder(cli)
    with cli.open_store() as store:
        ledger = open_ledger(store, cluster)
        node = ledger.find(args.node)
        if node.revoked:
            print(t("cluster.already_revoked", name=node.name), file=cli.out)
            _hub_password_advice(cli, node.name)
            return 0
        if not _confirm(cli, t("cluster.revoke_confirm", name=node.name,
                               serial=node.serial[:16]), args.yes):
            print(t("cluster.not_changed"), file=cli.err)
            return 1
        revoke(store, cluster, node)
    print(t("cluster.revoke_done", name=node.name), file=cli.out)
    _hub_password_advice(cli, node.name)
    return 0


def _hub_password_advice(cli: CliContext, name: str) -> None:
    """The nodes refuse what a revoked node writes to a hub (sync.hub_trust), but it still
    knows the hub's password and can read the hub, or fill it, until that password changes."""
    hubs = cli.settings.sync.hubs
    if hubs:
        separator = cli.i18n("meetings.name_separator")
        print(cli.i18n("cluster.revoke_hub", name=name,
                       hubs=separator.join(hub.url for hub in hubs)), file=cli.out)


PASSPHRASE_VARIABLE = "MISHU_CA_PASSPHRASE"


def _passphrase(cli: CliContext, twice: bool) -> str:
    """From ``MISHU_CA_PASSPHRASE`` (scripts, tests) or asked without echo."""
    given = os.environ.get(PASSPHRASE_VARIABLE)
    if given is not None:
        return given
    try:
        passphrase = getpass.getpass(cli.i18n("cluster.passphrase_prompt"))
        if twice and getpass.getpass(cli.i18n("cluster.passphrase_again")) != passphrase:
            raise ClusterError(reason=cli.i18n("cluster.passphrase_mismatch"))
    except EOFError:  # no terminal and nothing on stdin
        raise ClusterError(reason=cli.i18n("cluster.passphrase_missing",
                                           variable=PASSPHRASE_VARIABLE)) from None
    return passphrase


def cluster_export_ca(cli: CliContext, args: argparse.Namespace) -> int:
    t = cli.i18n
    cluster = _require_founder(cli)
    target: Path = args.file
    if target.exists() and not _confirm(cli, t("cluster.export_overwrite", file=str(target)),
                                        args.yes):
        print(t("cluster.not_changed"), file=cli.err)
        return 1
    data = export_ca(cluster, _passphrase(cli, twice=True))
    try:
        write_private(target, data)
    except OSError as error:
        raise ClusterError(reason=t("cluster.file_failed", file=str(target),
                                    reason=error.strerror or str(error))) from None
    print(t("cluster.export_done", file=str(target)), file=cli.out)
    return 0


def cluster_import_ca(cli: CliContext, args: argparse.Namespace) -> int:
    cluster = _require_cluster(cli)
    data = args.file.read_bytes()  # a missing file is named by the CLI's error handling
    import_ca(cluster, data, _passphrase(cli, twice=False))
    print(cli.i18n("cluster.import_done", name=cluster.node_name), file=cli.out)
    return 0
