"""The template library (公文模板中心): pick a template to edit it, or add a new one.

A built-in template's first edit stores it as a document of its own that replicates; the
others keep their built-in text. Saving over a template asks first, naming it, and Ctrl+Z
takes the last save back (a built-in returns to its shipped text).
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from store.document_templates import (DocTemplate, check_template, load_templates,
                                     save_template)

from ...plain_text import cell, plain
from ...screens.base import Dialog
from ...screens.undoable import UNDO, Undoable, Undoing
from ..common.fields_dialog import Field
from .content_editor import ContentEditor, split_list


class TemplateLibrary(Undoing, Dialog[None]):
    DEFAULT_CLASSES = "form-dialog documents-dialog template-library"
    CSS_PATH = "../../styles/documents.tcss"  # also when opened from the dashboard
    BINDINGS = [UNDO, Binding("escape", "close", "common.close"),
                Binding("n", "new", "documents.new_template")]

    def compose(self) -> ComposeResult:
        t = self.ctx.i18n
        with Vertical():
            yield Static(plain(t("documents.templates_title")), classes="dialog-title")
            yield OptionList(id="template-list")
            yield Static(plain(t("documents.templates_keys")), id="documents-keys")

    def on_mount(self) -> None:
        self.reload()

    def reload(self) -> None:
        english = self.ctx.i18n.language == "en"
        options = self.query_one("#template-list", OptionList)
        options.clear_options()
        options.add_options(
            Option(cell(f"{template.name_en if english and template.name_en else template.name}"
                        f" · {template.title}", width=60), id=template.template_id)
            for template in load_templates(self.ctx.store))
        options.highlighted = 0

    @on(OptionList.OptionSelected, "#template-list")
    def edit_selected(self, event: OptionList.OptionSelected) -> None:
        chosen = next((template for template in load_templates(self.ctx.store)
                       if template.template_id == event.option.id), None)
        if chosen is not None:
            self.edit(chosen)

    def action_new(self) -> None:
        self.edit(DocTemplate(DocTemplate.new_id(), "", ""))

    def action_close(self) -> None:
        self.dismiss(None)

    def edit(self, template: DocTemplate) -> None:
        t = self.ctx.i18n
        fields = [Field("name", t("documents.field.template_name"), template.name),
                  Field("name_en", t("documents.field.template_name_en"), template.name_en),
                  Field("title", t("documents.field.title"), template.title),
                  Field("recipients", t("documents.field.recipients"), template.recipients),
                  Field("attachments", t("documents.field.attachments"),
                        "，".join(template.attachments)),
                  Field("signatory", t("documents.field.signatory"), template.signatory),
                  Field("cc", t("documents.field.cc"), "，".join(template.cc))]

        typed: list[DocTemplate] = []

        def save(values: dict[str, str], body: str, _submit: bool) -> None:
            typed.append(check_template(DocTemplate(
                template.template_id, values["name"], values["name_en"], values["title"],
                values["recipients"], body, split_list(values["attachments"]),
                values["signatory"], split_list(values["cc"]))))

        def done(saved: bool | None) -> None:
            if not saved or not typed:
                return
            new = typed[-1]
            action = Undoable(t("documents.template_save", name=new.name), (new.template_id,),
                              lambda: save_template(self.ctx.store, new),
                              t("documents.template_saved", name=new.name))
            if template.name:  # an existing template: its text is replaced
                self.confirm_then(t("documents.ask_template", name=template.name), [action])
            else:
                self.run_undoable(action)

        title = (t("documents.template_edit", name=template.name) if template.name
                 else t("documents.new_template"))
        self.app.push_screen(ContentEditor(title, fields, template.body, save), done)

    def after_undoable(self) -> None:
        self.reload()
