"""Ask for one line of text: the reason for a manual sign-in or a leave of absence."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Static

from ...plain_text import plain
from ...screens.base import Dialog


class ReasonDialog(Dialog[str | None]):
    """Dismisses with the non-empty reason, or ``None`` when cancelled."""

    DEFAULT_CLASSES = "form-dialog"
    BINDINGS = [("escape", "cancel", "common.cancel")]

    def __init__(self, title: str) -> None:
        super().__init__()
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(plain(self.title_text), classes="dialog-title")
            yield Static(self.ctx.i18n("meetings.reason"))
            yield Input(id="reason")

    @on(Input.Submitted, "#reason")
    def submit(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.dismiss(event.value.strip())
        else:
            self.notify(self.ctx.i18n("meetings.error.reason_required"), severity="error")

    def action_cancel(self) -> None:
        self.dismiss(None)
