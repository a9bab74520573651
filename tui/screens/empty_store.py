"""First start: an empty store offers demo data or a roster import instead of a blank screen."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, ProgressBar, Static

from store.demo import fill_demo
from store.errors import StoreError
from store.roster import import_roster

from .base import Dialog


class EmptyStoreScreen(Dialog[None]):
    DEFAULT_CLASSES = "form-dialog"

    def compose(self) -> ComposeResult:
        t = self.app.ctx.i18n  # type: ignore[attr-defined]
        with Vertical():
            yield Static(t("app.empty_store"), classes="dialog-title")
            yield Label(t("directory.import_path"))
            yield Input(placeholder="members.csv / members.xlsx", id="roster-path")
            bar = ProgressBar(id="demo-progress", show_eta=False)
            bar.display = False
            yield bar
            with Horizontal(classes="buttons"):
                yield Button(t("app.load_demo"), id="demo", variant="primary")
                yield Button(t("app.import_roster"), id="import")
                yield Button(t("app.not_now"), id="later")

    @on(Button.Pressed, "#later")
    def later(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#demo")
    def load_demo(self) -> None:
        self.query_one("#demo", Button).disabled = True
        self.query_one("#demo-progress", ProgressBar).display = True
        self._fill_demo()

    @work(thread=True, exit_on_error=False)
    def _fill_demo(self) -> None:
        ctx = self.app.ctx  # type: ignore[attr-defined]
        bar = self.query_one("#demo-progress", ProgressBar)

        def progress(done: int, total: int) -> None:
            self.app.call_from_thread(bar.update, progress=done, total=total)

        summary = fill_demo(ctx.store, today=ctx.clock().date(), progress=progress)
        self.app.call_from_thread(self._done, ctx.i18n("app.demo_loaded", members=summary.members))

    @on(Button.Pressed, "#import")
    def import_file(self) -> None:
        from pathlib import Path

        ctx = self.app.ctx  # type: ignore[attr-defined]
        path = Path(self.query_one("#roster-path", Input).value.strip()).expanduser()
        try:
            report = import_roster(ctx.store, path)
        except StoreError as error:
            self.notify(ctx.i18n.error(error), severity="error")
            return
        if report.problems:
            first = report.problems[0]
            self.notify(
                ctx.i18n("directory.import_refused", count=len(report.problems), line=first.line,
                         problem=ctx.i18n(first.key) if ctx.i18n.has(first.key) else first.english),
                severity="error",
                timeout=10,
            )
            return
        self._done(ctx.i18n("directory.imported", created=report.created, updated=report.updated))

    def _done(self, message: str) -> None:
        self.notify(message)
        self.dismiss(None)
