"""Side-by-side versions of a conflicted document: keep one, or merge field by field.

Rows are fields (those that differ come first and are marked), columns are versions. Enter on
a cell takes that version's value for the field into the merged column; "keep version N"
takes a whole version. Saving writes the choice on the winning branch and closes the others.
"""

from __future__ import annotations

import json
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, DataTable, Static

from store.conflicts import Version, conflict_versions, differing_fields, resolve_conflict
from store.errors import StoreError

from ...plain_text import cell, plain
from ...screens.base import Dialog

MISSING_VALUE = "—"


def _show(value: Any) -> Text:
    if value is None:
        return cell(MISSING_VALUE)
    return cell(value if isinstance(value, str) else json.dumps(value, ensure_ascii=False))


class ConflictDialog(Dialog[bool]):
    """Dismisses with True when the conflict was resolved."""

    DEFAULT_CLASSES = "form-dialog conflict-dialog"
    BINDINGS = [("escape", "cancel", "common.cancel")]

    def __init__(self, doc_id: str) -> None:
        super().__init__()
        self.doc_id = doc_id
        self.versions: list[Version] = []
        self.merged: dict[str, Any] = {}

    @property
    def t(self):  # type: ignore[no-untyped-def]
        return self.app.ctx.i18n  # type: ignore[attr-defined]

    def compose(self) -> ComposeResult:
        self.versions = conflict_versions(self.app.ctx.store, self.doc_id)  # type: ignore[attr-defined]
        self.merged = dict(self.versions[0].fields)
        with Vertical():
            yield Static(plain(self.t("conflict.title", doc_id=self.doc_id)),
                         classes="dialog-title")
            yield Static(self.t("conflict.help"))
            table: DataTable[Text] = DataTable(id="conflict-table", cursor_type="cell")
            yield table
            with Horizontal(classes="buttons"):
                for number, _version in enumerate(self.versions, start=1):
                    yield Button(self.t("conflict.keep", number=number), id=f"keep-{number}")
                yield Button(self.t("conflict.save_merged"), id="save-merged", variant="primary")
                yield Button(self.t("common.cancel"), id="cancel")

    def on_mount(self) -> None:
        table = self.query_one("#conflict-table", DataTable)
        table.add_column(self.t("conflict.field"), key="field")
        for number, version in enumerate(self.versions, start=1):
            label = self.t("conflict.version_winner" if version.winner else "conflict.version",
                           number=number, rev=version.rev.split("-")[0])
            table.add_column(plain(label), key=f"v{number}")
        table.add_column(self.t("conflict.merged"), key="merged")
        self._fill()

    def _fields(self) -> list[str]:
        differing = differing_fields(self.versions)
        names = [name for v in self.versions for name in v.fields]
        same = [name for name in dict.fromkeys(names) if name not in differing]
        return differing + same

    def _fill(self) -> None:
        table = self.query_one("#conflict-table", DataTable)
        table.clear()
        differing = set(differing_fields(self.versions))
        for name in self._fields():
            marker = "≠ " if name in differing else "  "
            cells = [_show(v.fields.get(name)) for v in self.versions]
            table.add_row(cell(marker + name), *cells, _show(self.merged.get(name)), key=name)

    @on(DataTable.CellSelected, "#conflict-table")
    def take_cell(self, event: DataTable.CellSelected) -> None:
        column = str(event.cell_key.column_key.value)
        if not column.startswith("v"):
            return
        version = self.versions[int(column[1:]) - 1]
        name = str(event.cell_key.row_key.value)
        if name in version.fields:
            self.merged[name] = version.fields[name]
        else:
            self.merged.pop(name, None)
        self._fill()

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        button = event.button.id or ""
        if button == "cancel":
            self.dismiss(False)
        elif button == "save-merged":
            self._resolve(self.merged)
        elif button.startswith("keep-"):
            self._resolve(dict(self.versions[int(button[5:]) - 1].fields))

    def _resolve(self, chosen: dict[str, Any]) -> None:
        try:
            resolve_conflict(self.app.ctx.store, self.doc_id, chosen)  # type: ignore[attr-defined]
        except StoreError as error:
            self.notify(self.t.error(error), severity="error")
            return
        self.notify(self.t("conflict.resolved", doc_id=self.doc_id))
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)
