"""The editor for a document's parts: one-line fields above, the body in a ``TextArea``.

Drafts and templates share it: a draft has title, 主送, 附件, 落款, 成文日期 and 抄送 around
its body; a template has its names too. Ctrl+S saves; where ``can_submit``, Ctrl+T saves and
submits for review in one step. A refusal (no title, the draft is with the reviewers) is
shown in the dialog and nothing typed is lost.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Label, Static, TextArea

from store.errors import StoreError

from ...plain_text import plain
from ...screens.base import FormDialog
from ..common.fields_dialog import Field

# values of the one-line fields, the body, whether to submit
Save = Callable[[dict[str, str], str, bool], None]


def split_list(text: str) -> tuple[str, ...]:
    """Attachments or 抄送 as typed: separated by commas (either width) or 、."""
    for separator in "，、;；":
        text = text.replace(separator, ",")
    return tuple(part.strip() for part in text.split(",") if part.strip())


class ContentEditor(FormDialog[bool]):
    DEFAULT_CLASSES = "form-dialog documents-dialog content-editor"
    CSS_PATH = "../../styles/documents.tcss"  # also when opened from the dashboard
    BINDINGS = [Binding("ctrl+t", "submit", "documents.submit")]

    def __init__(self, title: str, fields: Sequence[Field], body: str, save: Save,
                 can_submit: bool = False) -> None:
        super().__init__()
        self.title_text = title
        self.fields = list(fields)
        self.body = body
        self.save = save
        self.can_submit = can_submit

    def compose(self) -> ComposeResult:
        t = self.ctx.i18n
        with Vertical():
            yield Static(plain(self.title_text), classes="dialog-title")
            with VerticalScroll(id="editor-fields"):
                for field in self.fields:
                    with Horizontal(classes="form-row"):
                        yield Label(plain(field.label))
                        yield Input(value=field.value, id=f"field-{field.name}")
            yield TextArea(self.body, id="editor-body", soft_wrap=True)
            with Horizontal(classes="buttons"):
                yield Button(t("common.save_keys"), id="save", variant="primary")
                if self.can_submit:
                    yield Button(t("documents.submit_keys"), id="submit", variant="success")
                yield Button(t("common.cancel"), id="cancel")

    @on(Button.Pressed, "#submit")
    def _submit_pressed(self) -> None:
        self.action_submit()

    def values(self) -> dict[str, str]:
        return {field.name: self.query_one(f"#field-{field.name}", Input).value.strip()
                for field in self.fields}

    def _store(self, submit: bool) -> None:
        try:
            self.save(self.values(), self.query_one("#editor-body", TextArea).text, submit)
        except StoreError as error:
            self.notify(self.ctx.i18n.error(error), severity="error")
            return
        self.dismiss(True)

    def action_save(self) -> None:
        self._store(False)

    def action_submit(self) -> None:
        if self.can_submit:
            self._store(True)

    def action_cancel(self) -> None:
        self.dismiss(False)
