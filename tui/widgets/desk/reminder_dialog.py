"""A reminder to paste into a group chat: shown selectable, and copied with one key.

The text names every department still missing from a collection, its title and deadline; the
secretary sends it where the departments read (a WeChat or DingTalk group), so mishu only has
to make it easy to take away.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static, TextArea

from store.material_collection import MaterialCollection

from ...plain_text import PLAIN_LENGTH, plain, printable
from ...screens.base import Dialog


class ReminderDialog(Dialog[None]):
    DEFAULT_CLASSES = "form-dialog reminder-dialog"
    BINDINGS = [("escape", "close", "common.close"), ("ctrl+y", "copy", "collections.copy")]

    def __init__(self, title: str, text: str) -> None:
        super().__init__()
        self.title_text = title
        self.text = printable(text)[:PLAIN_LENGTH]

    def compose(self) -> ComposeResult:
        t = self.ctx.i18n
        with Vertical():
            yield Static(plain(self.title_text), classes="dialog-title")
            yield TextArea(self.text, id="reminder-text", read_only=True, soft_wrap=True)
            with Horizontal(classes="buttons"):
                yield Button(t("collections.copy"), id="copy", variant="primary")
                yield Button(t("common.close"), id="close")

    @on(Button.Pressed, "#copy")
    def action_copy(self) -> None:
        self.app.copy_to_clipboard(self.text)
        self.notify(self.ctx.i18n("collections.copied"))

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        self.dismiss(None)


def collection_reminder(t: Callable[..., str], collection: MaterialCollection,
                        missing: Sequence[str]) -> ReminderDialog:
    """The reminder for ``collection`` naming the ``missing`` departments (the desk's tab and
    the needs-attention inbox both open it)."""
    text = (t("collections.reminder_text", title=collection.title,
              deadline=collection.deadline.replace("T", " "), departments="、".join(missing))
            if missing else t("collections.all_in"))
    return ReminderDialog(t("collections.reminder"), text)
