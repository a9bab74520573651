"""通讯录: every member, searchable as you type by name, pinyin, initials, ID or department."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Input

from store.members import Member, delete_member

from ..plain_text import cell
from ..roster_import import import_with_progress
from ..widgets.common.fields_dialog import Field, FieldsDialog
from ..widgets.common.fit_columns import FittedTable
from ..widgets.directory.member_form import MemberForm
from .base import PaletteCommand
from .undoable import Undoable, UndoableScreen

COLUMNS = ("name", "member_id", "department", "role", "phone", "email")


class MemberTable(FittedTable):
    GIVE_WAY = ("email", "phone")  # contact details give way to who the member is


class DirectoryScreen(UndoableScreen):
    title_key = "nav.directory"
    BINDINGS = [
        Binding("ctrl+n", "new_member", "directory.new_member"),
        Binding("ctrl+e", "edit_member", "directory.edit_member"),
        Binding("ctrl+f", "focus_search", "common.search"),
        Binding("ctrl+o", "import_roster", "directory.import"),
        Binding("ctrl+d", "delete_member", "directory.delete_member"),
    ]

    def compose_body(self) -> ComposeResult:
        yield Input(placeholder=self.t("directory.search_hint"), id="member-search",
                    classes="search-box")
        table = MemberTable(id="member-table", cursor_type="row", zebra_stripes=True)
        for column in COLUMNS:
            table.add_column(self.t(f"members.field.{column}"), key=column)
        yield table
        self.fill_after_mount(self.refill)

    def on_mount(self) -> None:
        self._unsubscribe = self.ctx.store.subscribe(lambda _seq: self.app.call_later(self.refill))

    def on_unmount(self) -> None:
        self._unsubscribe()

    @property
    def query_text(self) -> str:
        return self.query_one("#member-search", Input).value

    @on(Input.Changed, "#member-search")
    def refill(self) -> None:
        table = self.query_one("#member-table", DataTable)
        kept = self.selected_member()
        table.show_rows([(member.doc_id, [cell(getattr(member, column)) for column in COLUMNS])
                         for member in self.ctx.directory.search(self.query_text)])
        if kept is not None and kept.doc_id in table.rows:  # a change elsewhere moves no cursor
            table.move_cursor(row=table.get_row_index(kept.doc_id))

    def selected_member(self) -> Member | None:
        table = self.query_one("#member-table", DataTable)
        if table.row_count == 0:
            return None
        row_key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return self.ctx.directory.by_id(str(row_key.value).split(":", 1)[1])

    def action_new_member(self) -> None:
        self.app.push_screen(MemberForm(), self._after_form)

    def action_edit_member(self) -> None:
        member = self.selected_member()
        if member is not None:
            self.app.push_screen(MemberForm(member), self._after_form)

    def action_delete_member(self) -> None:
        member = self.selected_member()
        if member is None:
            return
        t = self.t
        self.confirm_then(
            t("directory.ask_delete", name=member.name, member_id=member.member_id,
              department=member.department or "—"),
            [Undoable(t("directory.delete_member"), (member.doc_id,),
                      lambda: delete_member(self.ctx.store, member),
                      t("directory.deleted", name=member.name))],
            t("directory.delete_keeps"))

    def after_undoable(self) -> None:
        self.refill()

    @on(DataTable.RowSelected, "#member-table")
    def edit_selected(self) -> None:
        self.action_edit_member()

    def action_focus_search(self) -> None:
        self.query_one("#member-search", Input).focus()

    def _after_form(self, saved: str | None) -> None:
        if saved:
            self.notify(self.t("common.saved"))
            self.refill()
            self.cursor_to(self.query_one("#member-table", DataTable), saved)

    def action_import_roster(self) -> None:
        def start(values: dict[str, str]) -> None:
            self.call_after_refresh(import_with_progress, self.app,
                                    Path(values["path"]).expanduser(), self)

        self.app.push_screen(FieldsDialog(self.t("directory.import"),
                                          [Field("path", self.t("directory.import_path"))], start))

    def palette_commands(self) -> list[PaletteCommand]:
        return [("directory.new_member", "directory.new_member_help", self.action_new_member),
                ("directory.import", "directory.import_help", self.action_import_roster),
                ("directory.delete_member", "directory.delete_help", self.action_delete_member)]
