"""材料收集: each department's 工作总结 by Friday, who has sent it and who is still missing.

The upper table lists the collections, soonest deadline first, with how many departments have
handed in; the lower one the selected collection's departments, one row per submission and a
red "missing" row for each department without one. n opens a collection, s records a
submission (text, a file, or both), r shows the reminder text naming who is missing (to copy
into a group chat), e and w export everything as a zip or as one combined .docx. Delete takes
back the submission under the cursor, or removes the collection when its table has the focus;
both ask first and Ctrl+Z undoes them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from store.archive_blobs import BlobStore, content_type_of
from store.material_collection import (
    CollectionIndex,
    DepartmentStatus,
    MaterialCollection,
    Submission,
    new_collection,
    refuse,
    save_collection,
    split_departments,
    submit,
    withdraw,
)

from ...plain_text import cell, plain, printable
from ...screens.undoable import UNDO, Undoable, Undoing
from ..common.fields_dialog import ChoiceField, Field, FieldsDialog
from ..common.progress_dialog import ProgressDialog
from .pane import DeskPane
from .reminder_dialog import collection_reminder

if TYPE_CHECKING:
    pass

# What a department may send: documents, spreadsheets, slides, PDFs, pictures, plain text.
ACCEPTED = ("application/pdf", "image/", "text/plain", "application/msword",
            "application/vnd.openxmlformats-officedocument.", "application/vnd.ms-",
            "application/vnd.oasis.opendocument.")


DEPARTMENT_LENGTH = 40  # longer "departments" (a peer's megabyte) are not offered as defaults


class CollectionsPane(Undoing, DeskPane):
    tab_key = "collections.tab"
    pane_id = "collections"
    BINDINGS = [UNDO,
                Binding("n", "new", "collections.key.new"),
                Binding("s", "submit", "collections.key.submit"),
                Binding("r", "reminder", "collections.key.reminder"),
                Binding("e", "export_zip", "collections.key.export_zip"),
                Binding("w", "export_docx", "collections.key.export_docx"),
                Binding("delete", "remove", "collections.key.remove")]

    @property
    def index(self) -> CollectionIndex:
        return self.ctx.index(CollectionIndex)

    def compose(self) -> ComposeResult:
        lists: DataTable[Text] = DataTable(id="collections-list", cursor_type="row")
        for key in ("title", "deadline", "handed_in", "missing"):
            lists.add_column(self.t(f"collections.col.{key}"))
        yield lists
        yield Static(id="collections-missing")
        items: DataTable[Text] = DataTable(id="collections-items", cursor_type="row")
        for key in ("department", "submitted", "content"):
            items.add_column(self.t(f"collections.col.{key}"))
        yield items

    def on_mount(self) -> None:
        self._unsubscribe = self.ctx.store.subscribe(lambda _seq: self.app.call_later(self.refill))
        self.refill()

    def on_unmount(self) -> None:
        self._unsubscribe()

    def after_undoable(self) -> None:
        self.refill()

    # -- showing -------------------------------------------------------------------------------

    def refill(self) -> None:
        lists = self.query_one("#collections-list", DataTable)
        kept = _cursor_key(lists)
        lists.clear()
        now = self.ctx.clock().isoformat(timespec="minutes")
        for collection in self.index.collections():
            missing = self.index.missing(collection)
            asked = len(collection.departments)
            overdue = bool(missing) and collection.deadline < now
            lists.add_row(cell(collection.title), cell(collection.deadline.replace("T", " ")),
                          cell(f"{asked - len(missing)}/{asked}"),
                          cell(str(len(missing)), "bold red" if overdue else ""),
                          key=collection.collection_id)
        if kept in lists.rows:
            lists.move_cursor(row=lists.get_row_index(kept))
        self.fill_items()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "collections-list":
            self.fill_items()

    def fill_items(self) -> None:
        items = self.query_one("#collections-items", DataTable)
        kept = _cursor_key(items)
        items.clear()
        collection = self.selected_collection()
        line = self.query_one("#collections-missing", Static)
        if collection is None:
            line.update(self.t("collections.none"))
            return
        missing = self.index.missing(collection)
        line.update(plain(self.t("collections.missing_line", count=len(missing),
                                 departments="、".join(missing)) if missing
                          else self.t("collections.all_in")))
        for status in self.index.statuses(collection):
            self._department_rows(items, status, collection.deadline)
        if kept in items.rows:
            items.move_cursor(row=items.get_row_index(kept))

    def _department_rows(self, items: DataTable[Text], status: DepartmentStatus,
                         deadline: str) -> None:
        if status.missing:
            items.add_row(cell(status.department, "bold red"),
                          cell(self.t("collections.missing"), "bold red"), cell(""),
                          key=f"missing:{status.department}")
            return
        for item in status.submissions:
            when = item.submitted_at.replace("T", " ")
            late = item.submitted_at > deadline
            items.add_row(cell(status.department),
                          cell(self.t("collections.late", time=when) if late else when,
                               "yellow" if late else ""),
                          cell(self._content(item)), key=item.item_id)

    def _content(self, item: Submission) -> str:
        names = "、".join(attachment.name for attachment in item.attachments)
        text = item.text.splitlines()[0] if item.text else ""
        return " · ".join(part for part in (names, text) if part)

    def selected_collection(self) -> MaterialCollection | None:
        key = _cursor_key(self.query_one("#collections-list", DataTable))
        return None if key is None else self.index.get(key)

    def chosen_collection(self) -> MaterialCollection | None:
        """The collection under the cursor, or a hint to start one when there is none."""
        collection = self.selected_collection()
        if collection is None:
            self.notify(self.t("collections.none"))
        return collection

    def selected_submission(self) -> Submission | None:
        collection = self.selected_collection()
        key = _cursor_key(self.query_one("#collections-items", DataTable))
        if collection is None or key is None:
            return None
        return next((item for item in self.index.submissions(collection.collection_id)
                     if item.item_id == key), None)

    # -- actions -------------------------------------------------------------------------------

    def _saved(self, saved: bool | None) -> None:
        if saved:
            self.notify(self.t("common.saved"))
            self.refill()

    def action_new(self) -> None:
        ctx = self.ctx
        known = sorted({m.department for m in ctx.directory.all()
                        if 0 < len(m.department) <= DEPARTMENT_LENGTH
                        and printable(m.department, newlines=False) == m.department})
        fields = [Field("title", self.t("collections.field.title")),
                  Field("deadline", self.t("collections.field.deadline")),
                  Field("departments", self.t("collections.field.departments"),
                        "、".join(known))]

        def save(values: dict[str, str]) -> None:
            save_collection(ctx.store, new_collection(
                values["title"], values["deadline"], split_departments(values["departments"]),
                ctx.clock()))

        self.app.push_screen(FieldsDialog(self.t("collections.new"), fields, save,
                                          self.t("collections.new_note")), self._saved)

    def action_submit(self) -> None:
        collection = self.chosen_collection()
        if collection is None:
            return
        ctx = self.ctx
        missing = self.index.missing(collection)
        ordered = [*missing, *(d for d in collection.departments if d not in missing)]
        fields = [ChoiceField("department", self.t("collections.field.department"),
                              choices=tuple((d, d) for d in ordered)),
                  Field("text", self.t("collections.field.text")),
                  Field("path", self.t("collections.field.path"))]

        def save(values: dict[str, str]) -> None:
            attachments = ()
            if values["path"]:
                source = Path(values["path"]).expanduser()
                if not content_type_of(source).startswith(ACCEPTED):
                    raise refuse("file_type", "{name} is not a document, PDF, picture or "
                                 "text file.", name=source.name)
                limit = ctx.settings.archive.attachment_max_mb * 1024 * 1024
                attachments = (BlobStore.for_store(ctx.store).import_file(source, limit),)
            submit(ctx.store, collection, values["department"], values["text"], attachments,
                   ctx.clock(), ctx.settings.node_name)

        self.app.push_screen(FieldsDialog(self.t("collections.submit_title",
                                                 title=collection.title), fields, save,
                                          self.t("collections.submit_note")), self._saved)

    def action_reminder(self) -> None:
        collection = self.chosen_collection()
        if collection is None:
            return
        self.app.push_screen(collection_reminder(self.t, collection,
                                                 self.index.missing(collection)))

    def action_export_zip(self) -> None:
        self._export("zip")

    def action_export_docx(self) -> None:
        self._export("docx")

    def _export(self, suffix: str) -> None:
        """Ask where, then write in a thread behind a progress bar: a department's scans can
        run to megabytes, and the screen stays responsive meanwhile. The writers are imported
        here: they bring python-docx (14 MB), which the app need not hold until an export."""
        collection = self.chosen_collection()
        if collection is None:
            return
        from store.material_collection_export import export_docx, export_zip, safe_name

        write: Callable[..., int] = export_zip if suffix == "zip" else export_docx
        ctx = self.ctx
        default = ctx.store.data_dir / f"{safe_name(collection.title)}.{suffix}"
        fields = [Field("path", self.t("collections.field.export_path"), str(default))]
        chosen: list[Path] = []

        def check(values: dict[str, str]) -> None:
            path = Path(values["path"]).expanduser()
            if path.exists():  # an export never overwrites: the dialog stays open to rename
                raise refuse("exists", "{path} exists already: choose another name.",
                             path=str(path))
            if not path.parent.is_dir():
                raise refuse("no_folder", "There is no folder {path}.", path=str(path.parent))
            chosen.append(path)

        def exported(lacking: int) -> None:
            self.notify(self.t("collections.exported", path=str(chosen[-1])))
            if lacking:
                self.notify(self.t("collections.export_lacking", count=lacking),
                            severity="warning")

        def run(saved: bool | None) -> None:
            if saved and chosen:
                statuses = self.index.statuses(collection)
                blobs = BlobStore.for_store(ctx.store)
                self.app.push_screen(ProgressDialog(
                    self.t(f"collections.export_{suffix}"),
                    lambda progress: write(chosen[-1], collection, statuses, blobs, ctx.i18n,
                                           progress), exported))

        self.app.push_screen(FieldsDialog(self.t(f"collections.export_{suffix}"), fields,
                                          check), run)

    def action_remove(self) -> None:
        items = self.query_one("#collections-items", DataTable)
        item = self.selected_submission() if items.has_focus else None
        if item is not None:
            self._withdraw(item)
            return
        collection = self.selected_collection()
        if collection is None:
            return
        ctx = self.ctx
        done = self.t("collections.removed", title=collection.title)
        self.confirm_then(self.t("collections.confirm_remove", title=collection.title),
                          [Undoable(self.t("collections.remove_collection"),
                                    (collection.collection_id,),
                                    lambda: ctx.store.delete(
                                        collection.collection_id,
                                        ctx.store.get(collection.collection_id)["_rev"]),
                                    done)],
                          items=[f"{s.department} {s.submitted_at.replace('T', ' ')}"
                                 for s in self.index.submissions(collection.collection_id)])

    def _withdraw(self, item: Submission) -> None:
        ctx = self.ctx
        what = f"{item.department} {item.submitted_at.replace('T', ' ')}"
        self.confirm_then(self.t("collections.confirm_withdraw", what=what),
                          [Undoable(self.t("collections.withdraw"), (item.withdrawal_id,),
                                    lambda: withdraw(ctx.store, item, ctx.clock()),
                                    self.t("collections.withdrawn", what=what))],
                          self._content(item))


def _cursor_key(table: DataTable[Any]) -> str | None:
    if table.row_count == 0:
        return None
    return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
