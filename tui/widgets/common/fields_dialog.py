"""A small form: a title, labelled one-line fields, Save and Cancel.

Most of what a secretary records is a handful of short fields (receive 20 packs, lend a
projector to 2026001 for 7 days). The caller gives the fields and a ``save`` callback that
applies the rules and writes; a refusal (:class:`StoreError`) is shown in the dialog and the
dialog stays open with what was typed, so nothing has to be typed twice.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Input, Label, Static

from store.errors import StoreError

from ...screens.base import Dialog


@dataclass(frozen=True)
class Field:
    name: str
    label: str  # already translated
    value: str = ""


class FieldsDialog(Dialog[bool]):
    """Dismisses with ``True`` once ``save`` accepted the values, ``False`` when cancelled."""

    DEFAULT_CLASSES = "form-dialog"
    BINDINGS = [("escape", "cancel", "common.cancel"), ("ctrl+s", "save", "common.save")]

    def __init__(self, title: str, fields: Sequence[Field],
                 save: Callable[[dict[str, str]], None]) -> None:
        super().__init__()
        self.title_text = title
        self.fields = list(fields)
        self.save = save

    def compose(self) -> ComposeResult:
        t = self.ctx.i18n
        with VerticalScroll():
            yield Static(self.title_text, classes="dialog-title")
            for field in self.fields:
                yield Label(field.label)
                yield Input(value=field.value, id=f"field-{field.name}")
            with Horizontal(classes="buttons"):
                yield Button(t("common.save"), id="save", variant="primary")
                yield Button(t("common.cancel"), id="cancel")

    def on_mount(self) -> None:
        self.call_after_refresh(lambda: self.query(Input).first().focus())

    def values(self) -> dict[str, str]:
        return {field.name: self.query_one(f"#field-{field.name}", Input).value.strip()
                for field in self.fields}

    @on(Input.Submitted)
    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        try:
            self.save(self.values())
        except StoreError as error:
            self.notify(self.ctx.i18n.error(error), severity="error")
            return
        self.dismiss(True)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)
