"""Register an archive record; the number it will get is shown as category and year change."""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.widgets import Input, Select, Static

from store.archive import CONFIDENTIALITY, INTERNAL, RETENTION_YEARS

from ...plain_text import plain
from ..common.fields_dialog import ChoiceField, Field, FieldsDialog, Submit

TEXT_FIELDS = ("title", "issuer", "date", "keywords", "cabinet", "shelf", "box")
Proposer = Callable[[str, str], str]
Translate = Callable[..., str]


class RegisterForm(FieldsDialog):
    """``propose(category, year)`` renders the next number, or ``""`` when the year is not one."""

    def __init__(self, title: str, fields: list[Field], submit: Submit,
                 propose: Proposer) -> None:
        super().__init__(title, fields, submit, note=" ")
        self.propose = propose

    def on_mount(self) -> None:
        self.show_proposal()

    @on(Select.Changed, "#field-category")
    @on(Input.Changed, "#field-year")
    def show_proposal(self) -> None:
        values = self.values()
        self.query_one("#form-note", Static).update(
            plain(self.propose(values["category"], values["year"])))


def register_fields(t: Translate, categories: list[str], year: int, today: str) -> list[Field]:
    levels = tuple((t(f"archive.confidentiality.{c}"), c) for c in CONFIDENTIALITY)
    retentions = tuple((t(f"archive.retention.{r}"), r) for r in RETENTION_YEARS)
    return [
        ChoiceField("category", t("archive.field.category"), categories[0],
                    tuple((c, c) for c in categories)),
        Field("year", t("archive.field.year"), str(year)),
        *(Field(name, t(f"archive.field.{name}"), today if name == "date" else "")
          for name in TEXT_FIELDS),
        ChoiceField("confidentiality", t("archive.field.confidentiality"), INTERNAL, levels),
        ChoiceField("retention", t("archive.field.retention"), "30y", retentions),
    ]
