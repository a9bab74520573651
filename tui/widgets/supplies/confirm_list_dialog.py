"""Ask before a stock-take writes or closes: the title names the action, the list shows every
line it will write, and nothing happens unless the person presses Confirm."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Static

from ...screens.base import Dialog


class ConfirmListDialog(Dialog[bool]):
    """Dismisses with ``True`` on Confirm, ``False`` on Cancel or Esc."""

    DEFAULT_CLASSES = "form-dialog confirm-list-dialog"
    BINDINGS = [("escape", "cancel", "common.cancel")]

    def __init__(self, title: str, lines: Sequence[Text], confirm: str) -> None:
        super().__init__()
        self.title_text = title
        self.lines = list(lines)
        self.confirm_label = confirm

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.title_text), classes="dialog-title")
            with VerticalScroll(id="confirm-lines"):
                for line in self.lines:
                    yield Static(line)
            with Horizontal(classes="buttons"):
                yield Button(self.confirm_label, id="confirm", variant="warning")
                yield Button(self.ctx.i18n("common.cancel"), id="cancel")

    def on_mount(self) -> None:
        self.query_one("#cancel", Button).focus()

    @on(Button.Pressed, "#confirm")
    def action_confirm(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)
