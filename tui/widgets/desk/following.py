"""A desk pane that redraws itself when the store changes (a kiosk's answer replicating in,
a score entered on another machine), once per replicated batch."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from .pane import DeskPane

if TYPE_CHECKING:
    pass


class FollowingPane(DeskPane):
    def __init__(self) -> None:
        super().__init__()
        self._unsubscribe: Callable[[], None] | None = None
        self._redraw_pending = False

    def on_mount(self) -> None:
        self._unsubscribe = self.ctx.store.subscribe(self._store_changed)
        self.call_after_refresh(self.reload)

    def on_unmount(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()

    def _store_changed(self, _seq: int) -> None:
        if not self._redraw_pending:
            self._redraw_pending = True
            self.app.call_later(self._redraw)

    def _redraw(self) -> None:
        self._redraw_pending = False
        if self.is_attached:
            self.reload()

    def reload(self) -> None:
        """Fill the pane from the store."""
        raise NotImplementedError
