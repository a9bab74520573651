"""Keep the UI alive when a handler fails.

Textual stops a widget's message loop after an unhandled exception (and a failing App loop
ends the app). Screens and dialogs that mix in :class:`ErrorShield` hand such exceptions to
``app.report_error`` instead, which logs the traceback and shows a readable notification, so
the secretary can carry on. Key bindings are shielded separately in ``MishuApp.run_action``.
"""

from __future__ import annotations

from textual.message import Message


class ErrorShield:
    async def _on_message(self, message: Message) -> None:
        try:
            await super()._on_message(message)  # type: ignore[misc]
        except Exception as error:
            report = getattr(self.app, "report_error", None)  # type: ignore[attr-defined]
            if report is None:
                raise
            report(error)

