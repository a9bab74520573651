"""``mishu bundle export|import``: the store and its scans on a USB stick, where there is no
network. The format, encryption and checks are :mod:`sync.bundle`'s; this only talks."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from sync.bundle import export_bundle, import_bundle, since_for

from .cluster import _confirm, _require_cluster

if TYPE_CHECKING:
    from ..cli import CliContext


def bundle_export(cli: CliContext, args: argparse.Namespace) -> int:
    t = cli.i18n
    cluster = _require_cluster(cli)
    if args.file.exists() and not _confirm(cli, t("bundle.overwrite", file=str(args.file)),
                                           args.yes):
        print(t("cluster.not_changed"), file=cli.err)
        return 1
    with cli.open_store() as store:
        since = since_for(store, args.for_node) if args.for_node else 0
        if args.for_node and since == 0:
            print(t("bundle.for_unknown", node=args.for_node), file=cli.err)
        summary = export_bundle(store, cluster, args.file, since)
    print(t("bundle.exported", file=str(args.file), documents=summary.documents,
            revisions=summary.revisions, blobs=summary.blobs), file=cli.out)
    return 0


def bundle_import(cli: CliContext, args: argparse.Namespace) -> int:
    cluster = _require_cluster(cli)
    with cli.open_store() as store:
        summary = import_bundle(store, cluster, args.file)
    print(cli.i18n("bundle.imported", node=summary.node_name, new=summary.new,
                   known=summary.known, conflicts=summary.conflicts, blobs=summary.blobs),
          file=cli.out)
    return 0
