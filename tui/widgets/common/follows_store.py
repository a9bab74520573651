"""For a screen or dialog that shows derived views: redraw when the store changes.

A replication batch commits many documents at once; the redraw is asked for once per batch
(on the next turn of the event loop), not once per document, and stops when the widget is
unmounted. The class calls :meth:`FollowsStore.follow_store` in ``on_mount`` and provides
``redraw``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class FollowsStore:
    _unsubscribe: Callable[[], None] | None = None
    _redraw_pending = False

    def follow_store(self) -> None:
        self._unsubscribe = self.ctx.store.subscribe(self._store_changed)  # type: ignore[attr-defined]

    def on_unmount(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    def _store_changed(self, _seq: int) -> None:
        if not self._redraw_pending:
            self._redraw_pending = True
            self.app.call_later(self._redraw_batch)  # type: ignore[attr-defined]

    def _redraw_batch(self) -> None:
        self._redraw_pending = False
        self.redraw()

    def redraw(self) -> Any:
        raise NotImplementedError
