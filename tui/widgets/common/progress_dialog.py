"""A long task (import, export, label sheets) runs in a thread behind a progress bar.

The task receives ``progress(done, total)`` to move the bar; without calls the bar pulses. When
it finishes the dialog closes and ``done`` gets the result; a refusal (:class:`StoreError`) is
shown as a readable notification, and anything unexpected goes to the app's error handler,
which logs the traceback. Either way the screen underneath is usable again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import ProgressBar, Static

from store.errors import StoreError

from ...plain_text import plain
from ...screens.base import Dialog

ResultT = TypeVar("ResultT")
Progress = Callable[[int, int], None]


class ProgressDialog(Dialog[None], Generic[ResultT]):
    DEFAULT_CLASSES = "form-dialog"

    def __init__(self, title: str, task: Callable[[Progress], ResultT],
                 done: Callable[[ResultT], None]) -> None:
        super().__init__()
        self.title_text = title
        self.job = task
        self.done = done

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(plain(self.title_text), classes="dialog-title")
            yield ProgressBar(id="task-progress", show_eta=False)

    def on_mount(self) -> None:
        # the bar sits inside a container that is mounted just after the screen itself
        self.call_after_refresh(lambda: self._run(self.query_one("#task-progress", ProgressBar)))

    @work(thread=True, exit_on_error=False)
    def _run(self, bar: ProgressBar) -> None:
        def progress(done: int, total: int) -> None:
            self.app.call_from_thread(bar.update, progress=done, total=total)

        try:
            result = self.job(progress)
        except StoreError as error:
            self.app.call_from_thread(self._failed, error)
            return
        except Exception as error:  # noqa: BLE001 - handed to the app's logging error handler
            self.app.call_from_thread(self._crashed, error)
            return
        self.app.call_from_thread(self._finished, result)

    def _finished(self, result: ResultT) -> None:
        self.dismiss(None)
        self.done(result)

    def _failed(self, error: StoreError) -> None:
        self.dismiss(None)
        self.notify(self.ctx.i18n.error(error), severity="error", timeout=10)

    def _crashed(self, error: Exception) -> None:
        self.dismiss(None)
        self.app.report_error(error)  # type: ignore[attr-defined]
