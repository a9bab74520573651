"""Add or edit one member. Nothing is written until every field is valid."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Input, Label, Static

from store.errors import StoreError

from ...plain_text import plain
from ...screens.base import FormDialog
from store.members import Member, member_problems, normalise_member, save_member

FIELDS = ("name", "member_id", "department", "role", "phone", "email")


class MemberForm(FormDialog[str | None]):
    """Dismisses with the saved member's doc id, or ``None`` when cancelled."""

    DEFAULT_CLASSES = "form-dialog long-form"

    def __init__(self, member: Member | None = None) -> None:
        super().__init__()
        self.member = member

    def compose(self) -> ComposeResult:
        t = self.app.ctx.i18n  # type: ignore[attr-defined]
        title = t("directory.edit_member") if self.member else t("directory.new_member")
        with Vertical():
            yield Static(title, classes="dialog-title")
            with VerticalScroll(classes="form-body"):
                for name in FIELDS:
                    yield Label(t(f"members.field.{name}"))
                    value = getattr(self.member, name) if self.member else ""
                    field = Input(value=value, id=f"field-{name}")
                    if name == "member_id" and self.member is not None:
                        field.disabled = True  # the ID is the document's identity
                    yield field
            yield Static("", id="form-error", classes="field-error")
            yield from self.compose_buttons()

    def _entered(self) -> Member:
        values = {name: self.query_one(f"#field-{name}", Input).value for name in FIELDS}
        token = self.member.qr_token if self.member else ""
        return normalise_member(Member(qr_token=token, **values))

    def action_save(self) -> None:
        t = self.app.ctx.i18n  # type: ignore[attr-defined]
        member = self._entered()
        for name in FIELDS:
            self.query_one(f"#field-{name}", Input).remove_class("-invalid")
        problems = member_problems(member)
        if problems:
            for problem in problems:
                self.query_one(f"#field-{problem.field}", Input).add_class("-invalid")
            message = "；".join(t(p.key) for p in problems) if t.language == "zh" else "; ".join(
                t(p.key) for p in problems
            )
            self.query_one("#form-error", Static).update(plain(message))
            self.notify(message, severity="error")
            return
        if self.member is None and self.app.ctx.directory.by_id(member.member_id):  # type: ignore[attr-defined]
            self.query_one("#field-member_id", Input).add_class("-invalid")
            self.notify(t("members.error.exists", member_id=member.member_id), severity="error")
            return
        try:
            save_member(self.app.ctx.store, member)  # type: ignore[attr-defined]
        except StoreError as error:
            self.notify(t.error(error), severity="error")
            return
        self.dismiss(member.doc_id)

    def action_cancel(self) -> None:
        self.dismiss(None)
