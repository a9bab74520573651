"""Invite a machine into the cluster from the secretary app: bundle text, QR code, waiting.

The join endpoint runs in the app's own event loop for as long as the dialog is open, so the
admin can pair a laptop or a kiosk without leaving the TUI (or stopping it to free the store).
"""

from __future__ import annotations

import asyncio
import time

from aiohttp import web
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from store.errors import StoreError
from sync.pairing import JOINED, create_invite, default_address, make_join_app
from sync.pki import load_cluster

from ...cli_commands.cluster import qr_text
from ...plain_text import plain
from ...screens.base import Dialog


class InviteDialog(Dialog[bool]):
    DEFAULT_CLASSES = "form-dialog invite-dialog"
    BINDINGS = [("escape", "close", "common.close")]

    def __init__(self, address: str | None = None) -> None:
        super().__init__()
        self.address = address
        self._runner: web.AppRunner | None = None

    def compose(self) -> ComposeResult:
        t = self.ctx.i18n
        with Vertical():
            yield Static(t("cluster.invite_title"), classes="dialog-title")
            yield Static("", id="invite-bundle")
            yield Static("", id="invite-qr")
            yield Static("", id="invite-state")
            with Horizontal(classes="buttons"):
                yield Button(t("common.close"), id="close")

    async def on_mount(self) -> None:
        t = self.ctx.i18n
        cluster = load_cluster(self.ctx.settings.data_dir)
        if cluster is None:
            self._state(t("cluster.not_member"))
            return
        address = self.address or default_address(self.ctx.settings.sync.listen_port + 1)
        try:
            bundle = create_invite(self.ctx.store, cluster, address)
        except StoreError as error:
            self._state(t.error(error))
            return
        app = make_join_app(self.ctx.store, cluster)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        try:
            await web.TCPSite(self._runner, "0.0.0.0", int(address.rpartition(":")[2]),
                              ssl_context=cluster.server_context(require_client_cert=False)).start()
        except OSError as error:
            self._state(t("sync.start_failed", reason=str(error)))
            return
        self.query_one("#invite-bundle", Static).update(plain(bundle.encode()))
        self.query_one("#invite-qr", Static).update(plain(qr_text(bundle.encode())))
        self._state(t("cluster.invite_waiting", address=address))
        self.run_worker(self._wait(app, bundle.expires), exclusive=True)

    async def _wait(self, app: web.Application, expires: float) -> None:
        while not app[JOINED] and time.time() < expires:
            await asyncio.sleep(0.5)
        t = self.ctx.i18n
        message = t("cluster.joined", name=app[JOINED][0]) if app[JOINED] else t("cluster.invite_expired")
        self._state(message)
        await self._stop()

    def _state(self, text: str) -> None:
        self.query_one("#invite-state", Static).update(plain(text))

    async def _stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @on(Button.Pressed, "#close")
    async def action_close(self) -> None:
        await self._stop()
        self.dismiss(True)
