"""A desk pane that redraws itself when the store changes (a kiosk's answer replicating in,
a score entered on another machine), once per replicated batch (:class:`FollowsStore`)."""

from __future__ import annotations

from ..common.follows_store import FollowsStore
from .pane import DeskPane


class FollowingPane(FollowsStore, DeskPane):
    def on_mount(self) -> None:
        self.follow_store()
        self.call_after_refresh(self.reload)

    def redraw(self) -> None:
        if self.is_attached:
            self.reload()

    def reload(self) -> None:
        """Fill the pane from the store."""
        raise NotImplementedError
