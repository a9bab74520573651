"""Dashboard tables whose first fill may have to build views over years of history.

A view (the booking calendar, the supply index, …) is built on first use. Over 200 000
documents that takes most of a second, and built inside a fill on the event loop it froze the
app's first screen for that long. So the first fill runs once in a worker thread, with the
store and its views held still (:meth:`AppContext.read_still`), only to build what the fill
reads; the table is then filled on the loop from views that are ready.
Later fills (on a change in the store) run on the loop as before: the views are current.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import work
from textual.worker import Worker, WorkerState

if TYPE_CHECKING:
    from ...context import AppContext

GROUP = "dashboard-views"


class FilledOffLoop:
    """Mixed into a widget: :meth:`read_views` is what :meth:`fill` reads."""

    loaded = False  # filled at least once (tests and benchmarks wait for it)
    _views_ready = False

    def read_views(self, ctx: AppContext) -> Any:
        raise NotImplementedError

    def fill(self) -> None:
        raise NotImplementedError

    def reload(self) -> None:
        """Fill now if the views are built; else the worker building them fills after."""
        if self._views_ready:
            self.fill()
            self.loaded = True

    def build_views_then_fill(self) -> None:  # from on_mount
        self._views_ready = False
        self._build_views()

    @work(thread=True, exit_on_error=False, group=GROUP)
    def _build_views(self) -> None:
        ctx: AppContext = self.app.ctx  # type: ignore[attr-defined]
        ctx.read_still(lambda: self.read_views(ctx))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The views are built (a handler by name: ``@on`` is not seen on a plain mixin). A
        failed build is tried again on the loop, where the shield reports the error."""
        if event.worker.group == GROUP and event.state in (WorkerState.SUCCESS,
                                                           WorkerState.ERROR):
            event.stop()
            self._views_ready = True
            self.call_after_refresh(self.reload)  # laid out first: the columns fit its width
