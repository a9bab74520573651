"""``mishu`` with no subcommand: the secretary's full TUI on this node's store.

The app's modules (Textual, the screens, the sync node: ~40 MB) are imported once the store is
open, not with this module. Opening a large store peaks while it reads the journal and then
frees that working memory; modules imported after it reuse it, where imported before they add
to the process's peak (1M documents: 757 MB at first paint imported first, 729 MB imported
after, issue #21).
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from ..context import AppContext

if TYPE_CHECKING:
    from ..cli import CliContext


def run_secretary(cli: CliContext, args: argparse.Namespace) -> int:
    with cli.open_store() as store:
        from ..app import MishuApp
        from ..node_setup import attach_node

        ctx = AppContext(settings=cli.settings, store=store, i18n=cli.i18n)
        app = MishuApp(ctx, attach_node(ctx))
        try:
            app.run()
        finally:
            ctx.close()
    return app.return_code or 0
