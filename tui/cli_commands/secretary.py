"""``mishu`` with no subcommand: the secretary's full TUI on this node's store."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from ..app import MishuApp
from ..context import AppContext
from ..node_setup import describe, plan_node

if TYPE_CHECKING:
    from ..cli import CliContext


def run_secretary(cli: CliContext, args: argparse.Namespace) -> int:
    with cli.open_store() as store:
        ctx = AppContext(settings=cli.settings, store=store, i18n=cli.i18n)
        plan = plan_node(store, cli.settings)
        ctx.sync_status = lambda: describe(plan, ctx.i18n)
        ctx.sync_peers = lambda: plan.node.peer_statuses if plan.node else []
        try:
            MishuApp(ctx, plan.node).run()
        finally:
            ctx.close()
    return 0
