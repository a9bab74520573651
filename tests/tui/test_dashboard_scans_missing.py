"""The sync panel says how many scans no peer has delivered yet, in both languages."""

from __future__ import annotations

from collections.abc import Callable

from tui.context import AppContext
from tui.dashboard_panels import sync_peers


def test_scans_still_missing_are_reported_in_the_peer_panel(
        make_ctx: Callable[..., AppContext]) -> None:
    for language, text in (("zh", "仍缺扫描件：3 份"), ("en", "Scans still missing: 3")):
        ctx = make_ctx(language=language)
        assert sync_peers(ctx) == []
        ctx.sync_scans_missing = lambda: 3
        [line] = sync_peers(ctx)
        assert text in line.cells[0] and line.urgent
