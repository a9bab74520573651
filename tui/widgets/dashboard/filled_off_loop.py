"""Dashboard tables whose first fill may have to build views over years of history.

A view (the booking calendar, the supply index, …) is built on first use. Over 200 000
documents that takes most of a second, and built inside a fill on the event loop it froze the
app's first screen for that long. So the first fill runs once in a worker thread, with the
store and its views held still (:meth:`AppContext.read_still`), and what it read is shown on
the loop when it is done: reading it again there (as at first) cost the loop as much again.
Later fills (on a change in the store) read on the loop: the views are built and current, and
a worker's read could be older than the change that asked for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import work
from textual.worker import Worker, WorkerState

if TYPE_CHECKING:
    from ...context import AppContext

GROUP = "dashboard-views"


class FilledOffLoop:
    """Mixed into a widget: :meth:`show` draws what :meth:`read_views` read."""

    loaded = False  # filled at least once (tests and benchmarks wait for it)
    _views_ready = False

    def read_views(self, ctx: AppContext) -> Any:
        raise NotImplementedError

    def show(self, read: Any) -> None:
        raise NotImplementedError

    def reload(self) -> None:
        """Fill now if the views are built; else the worker building them fills after."""
        if self._views_ready:
            self._show(self.read_views(self.app.ctx))  # type: ignore[attr-defined]

    def _show(self, read: Any) -> None:
        self.show(read)
        self.loaded = True

    def build_views_then_fill(self) -> None:  # from on_mount
        self._views_ready = False
        self._build_views()

    @work(thread=True, exit_on_error=False, group=GROUP)
    def _build_views(self) -> Any:
        ctx: AppContext = self.app.ctx  # type: ignore[attr-defined]
        return ctx.read_still(lambda: self.read_views(ctx))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The views are built (a handler by name: ``@on`` is not seen on a plain mixin). A
        failed build is tried again on the loop, where the shield reports the error."""
        if event.worker.group != GROUP or event.state not in (WorkerState.SUCCESS,
                                                              WorkerState.ERROR):
            return
        event.stop()
        self._views_ready = True
        if event.state is WorkerState.SUCCESS:  # laid out first: the columns fit its width
            self.call_after_refresh(self._show, event.worker.result)
        else:
            self.call_after_refresh(self.reload)
