"""``mishu`` with no subcommand: the secretary's full TUI on this node's store."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from ..app import MishuApp
from ..context import AppContext
from ..node_setup import attach_node

if TYPE_CHECKING:
    from ..cli import CliContext


def run_secretary(cli: CliContext, args: argparse.Namespace) -> int:
    with cli.open_store() as store:
        ctx = AppContext(settings=cli.settings, store=store, i18n=cli.i18n)
        app = MishuApp(ctx, attach_node(ctx))
        try:
            app.run()
        finally:
            ctx.close()
    return app.return_code or 0
