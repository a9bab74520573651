"""Keep the UI alive when a handler fails.

Textual stops a widget's message loop after an unhandled exception (and a failing App loop
ends the app). Screens and dialogs that mix in :class:`ErrorShield` hand such exceptions to
``app.report_error`` instead, which logs the traceback and shows a readable notification, so
the secretary can carry on. Apps mix in :class:`ActionShield` too, for key bindings and
palette commands (they run through ``App.run_action``).
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



class ActionShield:
    """For apps: a failing action (key binding, palette command) is reported, not fatal."""

    async def run_action(self, action: str, default_namespace: object = None) -> bool:
        try:
            return await super().run_action(action, default_namespace)  # type: ignore[misc,no-any-return]
        except Exception as error:
            self.report_error(error)  # type: ignore[attr-defined]
            return True
