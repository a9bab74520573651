"""One search box and four filters; any change asks for a new search at once."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Select

from store.archive import CONFIDENTIALITY, STATUSES
from store.archive_search import ArchiveQuery

from ...plain_text import cell


class ArchiveSearchBar(Horizontal):
    class Changed(Message):
        def __init__(self, query: ArchiveQuery) -> None:
            super().__init__()
            self.query = query

    def __init__(self, categories: list[str], years: list[int], **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.categories = categories
        self.years = years

    def compose(self) -> ComposeResult:
        t = self.app.ctx.i18n  # type: ignore[attr-defined]
        yield Input(placeholder=t("archive.search_placeholder"), id="archive-search")
        yield Select([(cell(c), c) for c in self.categories], prompt=t("archive.filter.category"),
                     id="filter-category")
        yield Select([(str(y), y) for y in self.years], prompt=t("archive.filter.year"),
                     id="filter-year")
        yield Select([(t(f"archive.confidentiality.{c}"), c) for c in CONFIDENTIALITY],
                     prompt=t("archive.filter.confidentiality"), id="filter-confidentiality")
        yield Select([(t(f"archive.status.{s}"), s) for s in STATUSES],
                     prompt=t("archive.filter.status"), id="filter-status")

    def _choice(self, name: str) -> object:
        choice = self.query_one(f"#filter-{name}", Select)
        return None if choice.is_blank() else choice.value

    def current(self) -> ArchiveQuery:
        year = self._choice("year")
        return ArchiveQuery(self.query_one("#archive-search", Input).value,
                            str(self._choice("category") or ""),
                            year if isinstance(year, int) else None,
                            str(self._choice("confidentiality") or ""),
                            str(self._choice("status") or ""))

    @on(Input.Changed, "#archive-search")
    @on(Select.Changed)
    def changed(self) -> None:
        self.post_message(self.Changed(self.current()))
