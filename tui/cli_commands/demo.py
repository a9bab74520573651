"""``mishu demo``: fill this node's store with the sample office."""

from __future__ import annotations

import argparse
from datetime import date
from typing import TYPE_CHECKING

from store.demo import fill_demo

if TYPE_CHECKING:
    from ..cli import CliContext


def fill_demo_office(cli: CliContext, args: argparse.Namespace) -> int:
    with cli.open_store() as store:
        summary = fill_demo(store, today=date.today())
    print(cli.i18n("app.demo_loaded", members=summary.members), file=cli.out)
    return 0
