"""公文: requests, drafts in review, signed and issued documents, found as you type.

The list comes from the shared :class:`~store.documents_index.DocumentIndex`, fed by the
changes feed, so a comment or sign-off replicated from another node shows without a reload.
Ctrl+N records a department's request; Enter opens a document, where it is drafted from its
template, reviewed, signed off, issued into the archive and distributed (see
:class:`~tui.widgets.documents.detail_view.DocumentDetail`); Ctrl+T opens the template library.
"""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Input, Static
from textual.worker import Worker, WorkerState

from store.document_templates import load_templates
from store.documents import Actor, request, save_event
from store.documents_index import DocumentIndex, DocumentQuery

from ..plain_text import plain
from ..widgets.common.fields_dialog import ChoiceField, Field, FieldsDialog
from ..widgets.common.follows_store import FollowsStore
from ..widgets.documents.detail_view import DocumentDetail
from ..widgets.documents.result_table import DocumentTable
from ..widgets.documents.search_bar import DocumentSearchBar
from ..widgets.documents.template_library import TemplateLibrary
from .base import AreaScreen, PaletteCommand

RESULT_LIMIT = 200


class DocumentsScreen(FollowsStore, AreaScreen):
    title_key = "nav.documents"
    CSS_PATH = "../styles/documents.tcss"
    BINDINGS = [
        Binding("ctrl+n", "new_request", "documents.new_request"),
        Binding("ctrl+f", "focus_search", "documents.search"),
        Binding("ctrl+t", "templates", "documents.templates"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.query_now = DocumentQuery()

    @property
    def index(self) -> DocumentIndex:
        return self.ctx.index(DocumentIndex)

    def compose_body(self) -> ComposeResult:
        with Vertical(id="documents"):
            yield DocumentSearchBar([], id="documents-bar")
            yield Static("", id="documents-count")
            yield DocumentTable(id="documents-results")
        self.fill_after_mount(self.redraw)

    def on_mount(self) -> None:
        self.follow_store()
        self.query_one("#documents-search", Input).focus()

    @on(DocumentSearchBar.Changed)
    def search_changed(self, event: DocumentSearchBar.Changed) -> None:
        self.query_now = event.query
        self.redraw()

    def redraw(self) -> None:
        if not self.is_mounted:
            return
        if not (self.ctx.has_index(DocumentIndex) and self.index.search_ready):
            self.query_one("#documents-count", Static).update(self.t("documents.loading"))
            self._build_index()
            return
        keys, total = self.index.search(self.query_now, RESULT_LIMIT)
        self.query_one(DocumentTable).reload(keys, self.index, self.ctx.clock())
        self.query_one(DocumentSearchBar).set_owners(self.index.owners())
        self.query_one("#documents-count", Static).update(plain(self.t(
            "documents.count", shown=len(keys), total=total, documents=len(self.index))))

    @work(thread=True, exclusive=True, group="documents-index")
    def _build_index(self) -> None:
        """The first build reads every event; off the event loop on a big store."""
        index = self.ctx.index(DocumentIndex)
        self.ctx.store.without_writes(lambda: index.search_index)

    @on(Worker.StateChanged)
    def _index_built(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "documents-index" and event.state is WorkerState.SUCCESS:
            self.redraw()

    @on(Input.Submitted, "#documents-search")
    def to_results(self) -> None:
        self.query_one(DocumentTable).focus()

    @on(DataTable.RowSelected, "#documents-results")
    def open_document(self, event: DataTable.RowSelected) -> None:
        if event.row_key is not None and event.row_key.value is not None:
            self.app.push_screen(DocumentDetail(str(event.row_key.value)))

    def action_focus_search(self) -> None:
        self.query_one("#documents-search", Input).focus()

    def action_templates(self) -> None:
        self.app.push_screen(TemplateLibrary())

    def action_new_request(self) -> None:
        t = self.ctx.i18n
        english = t.language == "en"
        choices = tuple((template.name_en if english and template.name_en else template.name,
                         template.template_id) for template in load_templates(self.ctx.store))
        made: list[str] = []

        def save(values: dict[str, str]) -> None:
            actor = Actor(self.ctx.clock(), self.ctx.settings.node_name,
                          self.ctx.settings.node_name)
            made.append(save_event(self.ctx.store, request(
                actor, values["department"], values["what"], values["due"], values["owner"],
                values["template"], values["meeting"])).doc_key)

        def done(saved: bool | None) -> None:
            if saved and made:
                self.notify(t("documents.requested"))
                self.app.push_screen(DocumentDetail(made[0]))

        fields = [Field("department", t("documents.field.department")),
                  Field("what", t("documents.field.what")),
                  Field("due", t("documents.field.due")),
                  Field("owner", t("documents.field.owner"), self.ctx.settings.node_name),
                  ChoiceField("template", t("documents.field.template"), choices[0][1], choices),
                  Field("meeting", t("documents.field.meeting"))]
        self.app.push_screen(FieldsDialog(t("documents.new_request"), fields, save,
                                          t("documents.request_note")), done)

    def palette_commands(self) -> list[PaletteCommand]:
        return [
            ("documents.new_request", "documents.new_request_help", self.action_new_request),
            ("documents.search", "documents.search_help", self.action_focus_search),
            ("documents.templates", "documents.templates_help", self.action_templates),
        ]
