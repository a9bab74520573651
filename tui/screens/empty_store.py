"""First start: an empty store offers demo data or a roster import instead of a blank screen."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static

from store.demo import fill_demo

from ..plain_text import plain
from ..roster_import import import_with_progress
from ..widgets.common.progress_dialog import ProgressDialog
from .base import Dialog


class EmptyStoreScreen(Dialog[None]):
    DEFAULT_CLASSES = "form-dialog"

    def compose(self) -> ComposeResult:
        t = self.ctx.i18n
        with Vertical():
            yield Static(t("app.empty_store"), classes="dialog-title")
            yield Label(t("directory.import_path"))
            yield Input(placeholder="members.csv / members.xlsx", id="roster-path")
            yield Static("", id="roster-error", classes="field-error")
            with Horizontal(classes="buttons"):
                yield Button(t("app.load_demo"), id="demo", variant="primary")
                yield Button(t("app.import_roster"), id="import")
                yield Button(t("app.not_now"), id="later")

    @on(Button.Pressed, "#later")
    def later(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#demo")
    def load_demo(self) -> None:
        ctx = self.ctx
        self.dismiss(None)
        self.app.push_screen(ProgressDialog(
            ctx.i18n("app.loading_demo"),
            lambda progress: fill_demo(ctx.store, today=ctx.clock().date(), progress=progress),
            lambda summary: self.app.notify(ctx.i18n("app.demo_loaded",
                                                     members=summary.members))))

    @on(Input.Submitted, "#roster-path")
    @on(Button.Pressed, "#import")
    def import_file(self) -> None:
        field = self.query_one("#roster-path", Input)
        typed = field.value.strip()
        path = Path(typed).expanduser()
        if not typed or not path.is_file():  # said here, where one letter can be corrected
            field.add_class("-invalid")
            self.query_one("#roster-error", Static).update(
                plain(self.ctx.i18n("roster.error.not_found", path=typed or "—")))
            field.focus()
            return
        self.dismiss(None)
        import_with_progress(self.app, path)
