"""One line at the bottom: which node this is, where its data lives, how sync is doing."""

from __future__ import annotations

from textual.widgets import Static

from ...plain_text import plain


class StatusBar(Static):
    DEFAULT_CLASSES = "status-bar"

    def on_mount(self) -> None:
        self.refresh_status()
        self.set_interval(2.0, self.refresh_status)

    def refresh_status(self) -> None:
        ctx = self.app.ctx  # type: ignore[attr-defined]
        t = ctx.i18n
        sync_text = ctx.sync_status() if ctx.sync_status else t("sync.standalone")
        self.update(plain(
            f" {ctx.settings.node_name}  │  {t('app.data', path=ctx.settings.data_dir)}  │  {sync_text}"
        ))
