"""The kiosk's discreet sync line: peers reachable, or since when its data may be behind."""

from __future__ import annotations

from datetime import timedelta

from textual.widgets import Static

from ..sync_freshness import freshness, remember_sync

REFRESH_SECONDS = 1.0


class SyncLine(Static):
    """Refreshes itself from ``app.ctx`` (peer states, clock, store); holds no state of its own."""

    def on_mount(self) -> None:
        self.refresh_line()
        self.set_interval(REFRESH_SECONDS, self.refresh_line)

    def refresh_line(self) -> None:
        ctx = self.app.ctx  # type: ignore[attr-defined]
        peers, now = ctx.sync_peers(), ctx.clock()
        last = remember_sync(ctx.store, peers, now)
        state = freshness(peers, last, now,
                          timedelta(minutes=ctx.settings.kiosk.stale_after_minutes))
        self.set_class(state.key == "kiosk.sync_stale", "-stale")
        self.update(ctx.i18n(state.key, reachable=state.reachable, peers=state.peers,
                             time=state.as_of))
