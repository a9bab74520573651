"""One document in full, and every step of its flow from here.

Each action asks for its few values (a comment, the signer, the recipients) and hands them to
a rule of :mod:`store.documents`, which refuses with a translated reason (the draft is with the
reviewers, the signer's role may not sign). Nothing is overwritten: every action adds a fact.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from store.archive_blobs import BlobStore
from store.archive_index import ArchiveIndex
from store.archive import propose_number
from store.document_templates import DocTemplate, fill, load_templates
from store.documents import (RETURN, SIGNOFF, Actor, Content, DocumentState,
                             acknowledge, comment, distribute, return_for_changes, save_draft,
                             save_event, settle, sign_off)
from store.documents_index import DocumentIndex
from store.documents_issue import chinese_date, issue
from store.errors import StoreError, ValidationError

from ...screens.base import Dialog
from ..common.fields_dialog import ChoiceField, Field, FieldsDialog, MemberField, Submit
from ..common.follows_store import FollowsStore
from .content_editor import ContentEditor, split_list
from .describe import describe

ACTIONS = (("e", "edit"), ("c", "comment"), ("r", "return"), ("o", "signoff"), ("x", "settle"),
           ("i", "issue"), ("b", "distribute"), ("a", "acknowledge"))


class DocumentDetail(FollowsStore, Dialog[None]):
    DEFAULT_CLASSES = "form-dialog documents-dialog documents-detail"
    CSS_PATH = "../../styles/documents.tcss"  # also when opened from the dashboard
    BINDINGS = [Binding("escape", "close", "common.close"),
                *(Binding(key, name, f"documents.action.{name}") for key, name in ACTIONS)]

    def __init__(self, doc_key: str) -> None:
        super().__init__()
        self.doc_key = doc_key

    @property
    def index(self) -> DocumentIndex:
        return self.ctx.index(DocumentIndex)

    @property
    def state(self) -> DocumentState:
        return self.index.state(self.doc_key)

    def actor(self, person: str = "") -> Actor:
        return Actor(self.ctx.clock(), person or self.ctx.settings.node_name,
                     self.ctx.settings.node_name)

    def compose(self) -> ComposeResult:
        t = self.ctx.i18n
        with Vertical():
            with VerticalScroll():
                yield Static("", id="documents-detail")
            yield Static(" · ".join(f"{key} {t(f'documents.action.{name}')}"
                                    for key, name in ACTIONS), id="documents-keys")

    def on_mount(self) -> None:
        self.follow_store()
        self.call_after_refresh(self.redraw)

    def redraw(self) -> None:
        if self.is_mounted:
            self.query_one("#documents-detail", Static).update(
                describe(self.ctx.i18n, self.state, self.ctx.clock()))

    def action_close(self) -> None:
        self.dismiss(None)

    def _ask(self, title_key: str, fields: list[Field], save: Submit, note: str = "") -> None:
        self.app.push_screen(FieldsDialog(self.ctx.i18n(title_key, title=self.state.title),
                                          fields, save, note))

    def _by(self, name: str = "person") -> Field:
        return Field(name, self.ctx.i18n("documents.field.person"), self.ctx.settings.node_name)

    # -- drafting -------------------------------------------------------------------------------

    def starting_content(self) -> Content:
        """The latest saved text, or the request's template filled from the request."""
        state = self.state
        if state.latest is not None:
            return state.latest.content
        request = state.request
        templates = {template.template_id: template for template in load_templates(self.ctx.store)}
        template = templates.get(request.template if request else "") or DocTemplate("", "", "")
        now = self.ctx.clock()
        values = {"org": self.ctx.settings.archive.org, "year": str(now.year),
                  "date": chinese_date(now.date()), "title": request.what if request else ""}
        if request is not None:
            values.update(department=request.department, what=request.what,
                          due=request.due or "—", meeting=request.meeting or "{meeting}")
        return Content(fill(template.title, values), fill(template.recipients, values),
                       fill(template.body, values), template.attachments,
                       fill(template.signatory, values), values["date"], template.cc)

    def action_edit(self) -> None:
        t = self.ctx.i18n
        content = self.starting_content()
        fields = [Field("title", t("documents.field.title"), content.title),
                  Field("recipients", t("documents.field.recipients"), content.recipients),
                  Field("attachments", t("documents.field.attachments"),
                        "，".join(content.attachments)),
                  Field("signatory", t("documents.field.signatory"), content.signatory),
                  Field("date", t("documents.field.date"), content.date),
                  Field("cc", t("documents.field.cc"), "，".join(content.cc))]

        def save(values: dict[str, str], body: str, submit: bool) -> None:
            typed = Content(values["title"], values["recipients"], body,
                            split_list(values["attachments"]), values["signatory"],
                            values["date"], split_list(values["cc"]))
            save_event(self.ctx.store, save_draft(self.state, self.actor(), typed, submit))
            self.notify(t("documents.submitted" if submit else "documents.saved"))

        self.app.push_screen(ContentEditor(t("documents.edit_title", title=self.state.title),
                                           fields, content.body, save, can_submit=True))

    # -- review ---------------------------------------------------------------------------------

    def action_comment(self) -> None:
        def save(values: dict[str, str]) -> None:
            save_event(self.ctx.store, comment(self.state, self.actor(values["person"]),
                                               values["text"]))

        self._ask("documents.comment_title", [self._by(), Field(
            "text", self.ctx.i18n("documents.field.comment"))], save)

    def action_return(self) -> None:
        def save(values: dict[str, str]) -> None:
            save_event(self.ctx.store, return_for_changes(
                self.state, self.actor(values["person"]), values["text"]))

        self._ask("documents.return_title", [self._by(), Field(
            "text", self.ctx.i18n("documents.field.changes"))], save)

    def action_signoff(self) -> None:
        roles = self.ctx.settings.documents.signoff_roles

        def save(values: dict[str, str]) -> None:
            member = self.ctx.directory.by_id(values["signer"])
            if member is None:
                raise ValidationError("documents.error.pick_signer", "Pick the signer from "
                                      "the directory")
            save_event(self.ctx.store, sign_off(self.state, self.actor(member.name),
                                                member.role, roles))

        self._ask("documents.signoff_title", [MemberField(
            "signer", self.ctx.i18n("documents.field.signer"))], save,
            self.ctx.i18n("documents.signoff_note", roles="、".join(roles)))

    def action_settle(self) -> None:
        t = self.ctx.i18n

        def save(values: dict[str, str]) -> None:
            save_event(self.ctx.store, settle(self.state, self.actor(values["person"]),
                                              values["outcome"]))

        self._ask("documents.settle_title", [ChoiceField(
            "outcome", t("documents.field.outcome"), SIGNOFF,
            ((t("documents.keep_signoff"), SIGNOFF), (t("documents.keep_return"), RETURN))),
            self._by()], save)

    # -- issue and distribution -----------------------------------------------------------------

    def action_issue(self) -> None:
        settings = self.ctx.settings
        category = settings.documents.category
        archive = self.ctx.index(ArchiveIndex)
        scheme = settings.archive.scheme()
        year = self.ctx.clock().year

        def save(_values: dict[str, str]) -> None:
            issue(self.ctx.store, self.state, self.actor(), scheme,
                                   settings.archive.categories,
                                   archive.taken_seqs(category, year),
                                   BlobStore.for_store(self.ctx.store), category)

        try:
            _seq, number = propose_number(scheme, category, year,
                                          archive.taken_seqs(category, year))
        except StoreError as error:
            self.notify(self.ctx.i18n.error(error), severity="error")
            return
        self._ask("documents.issue_title", [], save,
                  self.ctx.i18n("documents.issue_note", number=number))

    def action_distribute(self) -> None:
        def save(values: dict[str, str]) -> None:
            save_event(self.ctx.store, distribute(self.state, self.actor(),
                                                  split_list(values["recipients"])))

        self._ask("documents.distribute_title", [Field(
            "recipients", self.ctx.i18n("documents.field.distribute_to"))], save)

    def action_acknowledge(self) -> None:
        outstanding = self.state.outstanding
        if not outstanding:
            self.notify(self.ctx.i18n("documents.none_outstanding"))
            return

        def save(values: dict[str, str]) -> None:
            save_event(self.ctx.store, acknowledge(self.state, self.actor(),
                                                   values["recipient"]))

        self._ask("documents.acknowledge_title", [ChoiceField(
            "recipient", self.ctx.i18n("documents.field.recipient"), outstanding[0],
            tuple((name, name) for name in outstanding))], save)

