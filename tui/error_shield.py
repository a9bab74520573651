"""Keep the UI alive when a handler fails.

Textual stops a widget's message loop after an unhandled exception (and a failing App loop
ends the app). Screens and dialogs that mix in :class:`ErrorShield` hand such exceptions to
``app.report_error`` instead, which logs the traceback and shows a readable notification, so
the secretary can carry on. Apps mix in :class:`ActionShield` too, for key bindings and
palette commands (they run through ``App.run_action``).

What no shield catches (a widget's own handler, a worker, a timer) still ends the app, as
Textual intends: a widget whose message loop died cannot be trusted. Apps mix in
:class:`CrashGuard` so that such an end is logged with its traceback, leaves return code 1 and
says so on the terminal in a short line per language instead of a traceback.
"""

from __future__ import annotations

import logging

from textual.message import Message
from textual.worker import WorkerFailed

from .i18n import in_both_languages
from .logging_setup import log_path

log = logging.getLogger(__name__)


class ErrorShield:
    async def _on_message(self, message: Message) -> None:
        try:
            await super()._on_message(message)  # type: ignore[misc]
        except Exception as error:
            report = getattr(self.app, "report_error", None)  # type: ignore[attr-defined]
            if report is None:
                raise
            report(error)


class ActionShield:
    """For apps: a failing action (key binding, palette command) is reported, not fatal."""

    async def run_action(self, action: str, default_namespace: object = None,
                         namespaces: object = None) -> bool:
        try:
            return await super().run_action(  # type: ignore[misc,no-any-return]
                action, default_namespace, namespaces)
        except Exception as error:
            self.report_error(error)  # type: ignore[attr-defined]
            return True


class CrashGuard:
    """For apps: an unhandled exception is logged and told briefly; the app still ends (code 1).

    ``App._handle_exception`` is where Textual sends every such exception (widgets, workers,
    timers); it is private, so textual is pinned in pyproject.toml and tests/tui/test_crash_log.py
    fails if an upgrade moves it.
    """

    def _handle_exception(self, error: Exception) -> None:
        # a failed worker's own traceback is on the error it wraps
        cause = error.error if isinstance(error, WorkerFailed) else error
        log.critical("the app stopped on an unhandled error", exc_info=cause)
        super()._handle_exception(error)  # type: ignore[misc]
        where = log_path(self.ctx.settings.data_dir)  # type: ignore[attr-defined]
        self._exit_renderables[:] = [  # type: ignore[attr-defined]
            in_both_languages("error.crashed", kind=type(cause).__name__, log=where)]
