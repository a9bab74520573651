"""A small form: a title, an optional line of context, labelled fields, Save and Cancel.

Most of what a secretary records is a handful of short values (receive 20 packs, lend a
projector to 2026001 for 7 days, approve a loan as 秘书长). The caller gives the fields (a
:class:`ChoiceField` is offered as a Select) and a ``save`` callback that applies the rules and
writes; a refusal (:class:`StoreError`) is shown in the dialog and the dialog stays open with
what was typed, so nothing has to be typed twice.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Input, Label, Select, Static

from store.errors import StoreError, ValidationError

from ...plain_text import cell, plain
from ...screens.base import FormDialog
from .choice_select import choice_select
from .member_picker import MemberPicker

Submit = Callable[[dict[str, str]], None]

# "购置日期（YYYY-MM-DD）", "Unit (pack, box…)": a name and, in brackets, how to write it
_HINTED_LABEL = re.compile(r"^(?P<name>.+?)\s*[（(](?P<hint>[^（）()]+)[）)]$")


def label_and_hint(label: str) -> tuple[str, str]:
    """A field's name for the label column and its bracketed hint for the empty field.

    The label column holds eight Chinese characters; ``单位（包、支、盒…）`` wrapped there as
    ``单位（包、支、盒`` over ``…）``, so the hint moves into the field as its placeholder.
    """
    match = _HINTED_LABEL.match(label)
    return (match["name"], match["hint"]) if match else (label, "")


def whole_number(text: str, low: int = 0) -> int:
    """A typed count or amount, at least ``low``; a readable refusal otherwise."""
    if not text.strip().lstrip("-").isdigit() or int(text) < low:
        raise ValidationError("error.number", "{text} is not a whole number of at least "
                              "{low}.", text=text, low=low)
    return int(text)


@dataclass(frozen=True)
class Field:
    name: str
    label: str  # already translated
    value: str = ""


@dataclass(frozen=True)
class ChoiceField(Field):
    choices: tuple[tuple[str, str], ...] = ()  # (label, value)


@dataclass(frozen=True)
class MemberField(Field):
    """A person, picked with the :class:`MemberPicker`; ``guest_ok`` where outsiders are meant."""

    guest_ok: bool = False


class FieldsDialog(FormDialog[bool]):
    """Dismisses with ``True`` once ``save`` accepted the values, ``False`` when cancelled."""

    DEFAULT_CLASSES = "form-dialog fields-dialog"

    def __init__(self, title: str, fields: Sequence[Field], save: Submit, note: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.fields = list(fields)
        self.save = save
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(plain(self.title_text), classes="dialog-title")
            if self.note:
                yield Static(plain(self.note), id="form-note")
            with VerticalScroll(id="form-fields"):
                for field in self.fields:
                    with Horizontal(classes="form-row"):
                        typed = not isinstance(field, (ChoiceField, MemberField))
                        name, hint = label_and_hint(field.label) if typed else (field.label, "")
                        yield Label(plain(name))
                        if isinstance(field, ChoiceField):
                            choices = [(cell(label), value) for label, value in field.choices]
                            yield choice_select(choices, field.value or next(
                                (value for _, value in choices), ""),
                                allow_blank=False, id=f"field-{field.name}")
                        elif isinstance(field, MemberField):
                            yield MemberPicker(field.value, guest_ok=field.guest_ok,
                                               id=f"field-{field.name}")
                        else:
                            yield Input(value=field.value, placeholder=hint,
                                        id=f"field-{field.name}")
            yield from self.compose_buttons()

    def values(self) -> dict[str, str]:
        found = {}
        for field in self.fields:
            widget = self.query_one(f"#field-{field.name}")
            if isinstance(widget, Select):
                found[field.name] = "" if widget.is_blank() else str(widget.value)
            elif isinstance(widget, MemberPicker):
                found[field.name] = widget.value()
            else:
                assert isinstance(widget, Input)
                found[field.name] = widget.value.strip()
        return found

    def action_save(self) -> None:
        try:
            self.save(self.values())
        except StoreError as error:
            self.notify(self.ctx.i18n.error(error), severity="error")
            return
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)
