"""审批: leave (请假) and expense (报销登记) applications and their decisions, stage by stage.

l files a leave from a meeting or a duty, e an expense with its receipts (files attached to
the blob store); y approves the next stage as the approver picked from the directory (their
role must be one configured for it; the last expense stage is the payment), r rejects with a
reason after asking, Ctrl+Z takes that back; o writes the finance workbook (XLSX).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from rich.text import Text
from textual.binding import Binding

from store.archive_blobs import BlobStore
from store.desk_approvals import (
    EXPENSE_STAGES,
    LEAVE_STAGE,
    REJECT,
    REJECTED,
    Expense,
    LeaveRequest,
    amount_text,
    cents_from_text,
    decision_event,
    expense_status,
    file_expense,
    file_leave,
    follow_leave,
)
from store.desk_events import DeskEvent, save_event
from store.desk_index import LeaveState
from store.meetings import absence_id
from store.meetings_attendance import AttendanceIndex
from store.table_export import write_table

from ...plain_text import cell
from ...screens.undoable import Undoable
from ..common.fields_dialog import ChoiceField, Field, FieldsDialog, MemberField
from .expense_sheet import expense_sheet
from .table_pane import TablePane


class ApprovalsPane(TablePane):
    tab_key = "desk.approvals.tab"
    pane_id = "approvals"
    columns = ("desk.approvals.col.type", "desk.approvals.col.status",
               "desk.approvals.col.applicant", "desk.approvals.col.amount",
               "desk.approvals.col.what", "desk.approvals.col.filed")
    BINDINGS = [*TablePane.BINDINGS,
                Binding("l", "new_leave", "desk.approvals.new_leave"),
                Binding("e", "new_expense", "desk.approvals.new_expense"),
                Binding("y", "approve", "desk.approvals.approve"),
                Binding("r", "reject", "desk.approvals.reject"),
                Binding("o", "export", "desk.approvals.export")]

    def person_name(self, member_id: str) -> str:
        member = self.ctx.directory.by_id(member_id)
        return member.name if member else member_id

    def expense_statuses(self) -> list[tuple[Expense, str]]:
        return [(expense, expense_status(self.index.stages(expense.expense_id)))
                for expense in self.index.expenses.values()]

    def rows(self) -> list[tuple[str, Callable[[], tuple[Text, ...]]]]:
        """Leaves and expenses, newest first."""
        found: list[tuple[str, str, Callable[[], tuple[Text, ...]]]] = []
        for state in self.index.leave_states():
            found.append((state.leave.filed_at, state.leave.leave_id,
                          partial(self._leave_cells, state)))
        for expense, status in self.expense_statuses():
            found.append((expense.filed_at, expense.expense_id,
                          partial(self._expense_cells, expense, status)))
        return [(key, cells) for _at, key, cells in sorted(found, key=lambda f: f[:2],
                                                           reverse=True)]

    def _leave_cells(self, state: LeaveState) -> tuple[Text, ...]:
        leave = state.leave
        meeting = (self.ctx.index(AttendanceIndex).meeting(leave.meeting_id)
                   if leave.meeting_id else None)
        what = meeting.title if meeting else leave.duty or leave.meeting_id
        return (cell(self.t("desk.approvals.leave")),
                self._status_cell(state.status, leave.leave_id),
                cell(self.person_name(leave.member_id)), cell(""),
                cell(f"{what} · {leave.reason}"), cell(leave.filed_at.replace("T", " ")))

    def _status_cell(self, status: str, subject: str) -> Text:
        """The status, and for a rejection who gave it and why (the applicant will ask)."""
        text = self.t(f"desk.approvals.status.{status}")
        if status != REJECTED:
            return cell(text)
        rejection = next((d.standing for d in self.index.stages(subject).values()
                          if d.standing.step == REJECT), None)
        if rejection is not None:
            text = f"{text} · {self.person_name(rejection.person)} · {rejection.reason}"
        return cell(text, "red")

    def _expense_cells(self, expense: Expense, status: str) -> tuple[Text, ...]:
        return (cell(self.t("desk.approvals.expense")),
                self._status_cell(status, expense.expense_id),
                cell(self.person_name(expense.member_id)), cell(amount_text(expense.amount_cents)),
                cell(f"{expense.department} · {expense.purpose}"),
                cell(expense.filed_at.replace("T", " ")))

    def _saved(self, saved: bool | None) -> None:
        if saved:
            self.notify(self.t("common.saved"))
            self.refill()

    def action_new_leave(self) -> None:
        ctx = self.ctx
        meetings = sorted(ctx.index(AttendanceIndex).meeting_list(), key=lambda m: m.start,
                          reverse=True)
        choices = (("—", ""), *((f"{m.start[:16].replace('T', ' ')} {m.title}", m.meeting_id)
                                for m in meetings if not m.cancelled))
        fields = [MemberField("member", self.t("desk.approvals.field.member")),
                  ChoiceField("meeting", self.t("desk.approvals.field.meeting"), choices=choices),
                  Field("duty", self.t("desk.approvals.field.duty")),
                  Field("reason", self.t("desk.approvals.field.reason"))]

        def save(values: dict[str, str]) -> None:
            file_leave(ctx.store, LeaveRequest("", values["member"], values["reason"],
                                               values["meeting"], values["duty"],
                                               node=ctx.settings.node_name), ctx.clock())

        self.app.push_screen(FieldsDialog(self.t("desk.approvals.new_leave"), fields, save),
                             self._saved)

    def action_new_expense(self) -> None:
        ctx = self.ctx
        fields = [MemberField("member", self.t("desk.approvals.field.member")),
                  Field("department", self.t("desk.approvals.field.department")),
                  Field("amount", self.t("desk.approvals.field.amount")),
                  Field("purpose", self.t("desk.approvals.field.purpose")),
                  Field("receipts", self.t("desk.approvals.field.receipts"))]

        def save(values: dict[str, str]) -> None:
            cents = cents_from_text(values["amount"])
            blobs = BlobStore.for_store(ctx.store)
            limit = ctx.settings.desk.receipt_max_mb * 1024 * 1024
            receipts = tuple(blobs.add_file(Path(path.strip()).expanduser(), limit)
                             for path in values["receipts"].split(";") if path.strip())
            member = ctx.directory.by_id(values["member"])
            department = values["department"] or (member.department if member else "")
            file_expense(ctx.store, Expense("", values["member"], department, cents,
                                            values["purpose"], receipts,
                                            node=ctx.settings.node_name), ctx.clock())

        self.app.push_screen(FieldsDialog(self.t("desk.approvals.new_expense"), fields, save,
                                          self.t("desk.approvals.receipts_note")), self._saved)

    def _decide(self, values: dict[str, str], approved: bool) -> DeskEvent:
        """The decision on the selected application, checked but not yet written."""
        ctx = self.ctx
        key = self.selected_key() or ""
        leave = self.index.leaves.get(key)
        expense = self.index.expenses.get(key)
        applicant = leave.member_id if leave else expense.member_id if expense else ""
        order = (LEAVE_STAGE,) if leave else EXPENSE_STAGES
        return decision_event(key, applicant, self.index.stages(key), order,
                              ctx.directory.by_id(values["approver"]), approved,
                              values.get("reason", ""), ctx.settings.desk.roles, ctx.clock(),
                              ctx.settings.node_name)

    def _record(self, event: DeskEvent) -> None:
        ctx = self.ctx
        save_event(ctx.store, event)
        leave = self.index.leaves.get(event.subject)
        if leave is not None:
            follow_leave(ctx.store, leave, self.index.stages(leave.leave_id)[LEAVE_STAGE],
                         ctx.clock())

    def _touched(self, event: DeskEvent) -> tuple[str, ...]:
        """What recording ``event`` may write: the decision, and a leave's meeting absence."""
        leave = self.index.leaves.get(event.subject)
        return (event.event_id, *((absence_id(leave.meeting_id, leave.member_id),)
                                  if leave and leave.meeting_id else ()))

    def action_approve(self) -> None:
        """Approving writes at once (nothing is lost by it); Ctrl+Z takes it back."""
        if self.selected_key() is None:
            return
        chosen: list[DeskEvent] = []

        def record(saved: bool | None) -> None:
            if saved and chosen:
                event, what = chosen[-1], self.index.subject_title(chosen[-1].subject)
                self.run_undoable(Undoable(self.t("desk.approvals.approve"),
                                           self._touched(event), lambda: self._record(event),
                                           self.t("desk.approvals.approved", what=what)))

        self.app.push_screen(FieldsDialog(
            self.t("desk.approvals.approve"),
            [MemberField("approver", self.t("desk.approvals.field.approver"))],
            lambda values: chosen.append(self._decide(values, True))), record)

    def action_reject(self) -> None:
        """Who and why first; then the confirmation naming the application, and Ctrl+Z after."""
        key = self.selected_key()
        if key is None:
            return
        chosen: list[DeskEvent] = []

        def confirm(saved: bool | None) -> None:
            if not saved or not chosen:
                return
            event, what = chosen[-1], self.index.subject_title(key)
            self.confirm_then(self.t("desk.approvals.confirm_reject", what=what),
                              [Undoable(self.t("desk.approvals.reject"), self._touched(event),
                                        lambda: self._record(event),
                                        self.t("desk.approvals.rejected", what=what))],
                              event.reason)

        self.app.push_screen(FieldsDialog(
            self.t("desk.approvals.reject"),
            [MemberField("approver", self.t("desk.approvals.field.approver")),
             Field("reason", self.t("desk.approvals.field.reason"))],
            lambda values: chosen.append(self._decide(values, False))), confirm)

    def action_export(self) -> None:
        ctx = self.ctx

        def save(values: dict[str, str]) -> None:
            path = Path(values["path"] or "expenses.xlsx").expanduser()
            write_table(path, expense_sheet(self.expense_statuses(), ctx.directory, self.t),
                        "xlsx", self.t("desk.approvals.sheet.title"))
            self.notify(self.t("desk.approvals.exported", path=str(path)))

        self.app.push_screen(FieldsDialog(self.t("desk.approvals.export"),
                                          [Field("path", self.t("desk.approvals.field.path"),
                                                 "expenses.xlsx")], save))
