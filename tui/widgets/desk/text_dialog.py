"""A titled page of read-only lines (a member's evaluation sheet, the 服务之星 proposal);
Escape closes it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from ...plain_text import plain
from ...screens.base import Dialog


class TextDialog(Dialog[None]):
    DEFAULT_CLASSES = "form-dialog desk-text-dialog"
    BINDINGS = [("escape", "close", "common.close")]

    def __init__(self, title: str, lines: list[str]) -> None:
        super().__init__()
        self.title_text = title
        self.lines = lines

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(plain(self.title_text), classes="dialog-title")
            with VerticalScroll():
                yield Static(plain("\n".join(self.lines)), id="desk-text")

    @property
    def text(self) -> str:
        return str(self.query_one("#desk-text", Static).content)

    def action_close(self) -> None:
        self.dismiss(None)
