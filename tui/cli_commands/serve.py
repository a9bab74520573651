"""``mishu serve``: a headless node (no screen) until SIGTERM or Ctrl+C."""

from __future__ import annotations

import argparse
import asyncio
from typing import TYPE_CHECKING

from sync.hosting import serve_until_signalled

from ..node_setup import plan_node

if TYPE_CHECKING:
    from ..cli import CliContext


def serve(cli: CliContext, args: argparse.Namespace) -> int:
    t = cli.i18n
    with cli.open_store() as store:
        plan = plan_node(store, cli.settings, args.listen_local)
        if plan.node is None:
            print(t("sync.nothing_to_serve"), file=cli.err)
            return 1
        if plan.cluster_id:
            print(t("sync.serving", port=cli.settings.sync.listen_port, cluster=plan.cluster_id),
                  file=cli.out, flush=True)
        if plan.local_address:
            print(t("sync.serving_local", address=plan.local_address,
                    secret=cli.settings.data_dir / "local-admin.secret"), file=cli.out, flush=True)
        asyncio.run(serve_until_signalled(plan.node))
    print(t("sync.stopped"), file=cli.out)
    return 0
