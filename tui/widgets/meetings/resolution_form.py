"""Record a resolution (决议) of a meeting: what, who owns it, by when."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Input, Label, Static

from store.errors import StoreError, ValidationError
from store.meetings import Resolution, save_resolution

from ...screens.base import Dialog

FIELDS = ("resolution", "owner", "deadline")


class ResolutionForm(Dialog[str | None]):
    """Dismisses with the saved resolution's id, or ``None`` when cancelled."""

    DEFAULT_CLASSES = "form-dialog"
    BINDINGS = [("escape", "cancel", "common.cancel"), ("ctrl+s", "save", "common.save")]

    def __init__(self, meeting_id: str, deadline: str) -> None:
        super().__init__()
        self.meeting_id = meeting_id
        self.deadline = deadline

    def compose(self) -> ComposeResult:
        t = self.ctx.i18n
        with VerticalScroll():
            yield Static(t("meetings.new_resolution"), classes="dialog-title")
            for name in FIELDS:
                yield Label(t(f"meetings.column.{name}"))
                yield Input(value=self.deadline if name == "deadline" else "", id=f"field-{name}")
            with Horizontal(classes="buttons"):
                yield Button(t("common.save"), id="save", variant="primary")
                yield Button(t("common.cancel"), id="cancel")

    def value(self, name: str) -> str:
        return self.query_one(f"#field-{name}", Input).value.strip()

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        owner = self.value("owner")
        resolution = Resolution(Resolution.new_id(), self.meeting_id, self.value("resolution"),
                                owner, self.value("deadline"))
        try:
            if owner and self.ctx.directory.by_id(owner) is None:
                raise ValidationError("meetings.error.unknown_member", "No member with ID {member_id}",
                                      member_id=owner)
            save_resolution(self.ctx.store, resolution)
        except StoreError as error:
            self.notify(self.ctx.i18n.error(error), severity="error")
            return
        self.dismiss(resolution.resolution_id)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
