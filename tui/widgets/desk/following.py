"""A desk pane that redraws itself when the store changes (a kiosk's answer replicating in,
a score entered on another machine), once per replicated batch (:class:`FollowsStore`).

A pane fills itself when its tab is first shown, not when the desk opens: the desk opens on
the requests board, and the evaluation's worker reading a large union's term of sign-ins on a
hidden tab would take the processor from the board's first paint.
"""

from __future__ import annotations

from ..common.follows_store import FollowsStore
from .pane import DeskPane


class FollowingPane(FollowsStore, DeskPane):
    _filled = False  # shown once, and filled since

    def on_mount(self) -> None:
        self.follow_store()

    def on_show(self) -> None:
        if not self._filled:
            self._filled = True
            self.reload()

    def redraw(self) -> None:
        if self.is_attached and self._filled:
            self.reload()

    def reload(self) -> None:
        """Fill the pane from the store."""
        raise NotImplementedError
