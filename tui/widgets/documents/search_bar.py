"""The documents search: one box (Chinese, pinyin, initials, number) and stage and owner filters."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Select

from store.documents import STAGES
from store.documents_index import DocumentQuery

from ...plain_text import cell


class DocumentSearchBar(Horizontal):
    class Changed(Message):
        def __init__(self, query: DocumentQuery) -> None:
            super().__init__()
            self.query = query

    def __init__(self, owners: list[str], **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.owners = owners

    def compose(self) -> ComposeResult:
        t = self.app.ctx.i18n  # type: ignore[attr-defined]
        yield Input(placeholder=t("documents.search_placeholder"), id="documents-search")
        yield Select([(t(f"documents.stage.{s}"), s) for s in STAGES],
                     prompt=t("documents.filter.stage"), id="filter-stage")
        yield Select([(cell(o), o) for o in self.owners], prompt=t("documents.filter.owner"),
                     id="filter-owner")

    def set_owners(self, owners: list[str]) -> None:
        if owners != self.owners:
            self.owners = owners
            self.query_one("#filter-owner", Select).set_options([(cell(o), o) for o in owners])

    def current(self) -> DocumentQuery:
        stage = self.query_one("#filter-stage", Select)
        owner = self.query_one("#filter-owner", Select)
        return DocumentQuery(self.query_one("#documents-search", Input).value,
                             "" if stage.is_blank() else str(stage.value),
                             "" if owner.is_blank() else str(owner.value))

    @on(Input.Changed, "#documents-search")
    @on(Select.Changed)
    def changed(self) -> None:
        self.post_message(self.Changed(self.current()))
