"""Host the sync node in a Textual app's own event loop (secretary app and kiosks alike).

Textual calls ``on_mount``/``on_unmount`` of every class in the MRO, so mixing this in is all
an app needs. A node that cannot start (the port is taken, say) does not stop the app: the
secretary keeps working offline and is told why.
"""

from __future__ import annotations

import logging

from sync.hosting import SyncNode

log = logging.getLogger(__name__)


class NodeHost:
    sync_node: SyncNode | None = None

    async def on_mount(self) -> None:
        if self.sync_node is None:
            return
        try:
            await self.sync_node.start()
        except OSError as error:
            log.exception("the sync node could not start")
            self.sync_node = None
            self.notify(self.ctx.i18n("sync.start_failed", reason=str(error)),  # type: ignore[attr-defined]
                        severity="warning", timeout=15)

    async def on_unmount(self) -> None:
        if self.sync_node is not None:
            await self.sync_node.stop()
