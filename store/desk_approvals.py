"""Leave (请假) and expense (报销登记) approvals, decided stage by stage by configured roles.

A leave from a meeting or a duty is decided once; approved, a leave from a meeting is
recorded as the meeting's absence (:func:`store.meetings.record_absence`), which attendance
counts as excused, and a clash settled as rejected takes that absence back
(:func:`follow_leave`). An expense passes 秘书处初审, then 财务部, then is paid. Amounts are whole
cents (``int``), read from what was typed with :class:`~decimal.Decimal`, never a float.
Receipts are archive-style attachments: the bytes sit once in the blob store, the expense
names them by sha256. Each decision is a :mod:`store.desk_events` fact naming its stage, so two
approvers deciding the same stage differently on two offline nodes meet as one clash.
Who may decide a stage is a list of role names from config matched against the deciding
member's directory role (:mod:`store.desk_roles`); nobody decides their own application.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from .archive import Attachment
from .desk_events import DeskEvent, StageDecision, new_event, refuse
from .desk_roles import matching_role
from .doc_codec import DocumentRecord, LocalTime, record_from_doc, record_to_doc
from .docstore import DocumentStore
from .meetings import absence_id, record_absence
from .members import Member

LEAVE, EXPENSE = "desk_leave", "desk_expense"
LEAVE_STAGE, FIRST, FINANCE, PAID = "leave", "first", "finance", "paid"
EXPENSE_STAGES = (FIRST, FINANCE, PAID)
APPROVE, REJECT, PAY = "approve", "reject", "pay"
PENDING, APPROVED, REJECTED = "pending", "approved", "rejected"
# An expense's status: waiting for 初审, for 财务部, for the payment; paid; rejected
TO_FIRST, TO_FINANCE, TO_PAY, PAID_STATUS = "to_first", "to_finance", "to_pay", "paid"
_CENT = Decimal("0.01")
_MOST = Decimal(100_000_000)  # no union expense reaches 一亿; beyond it is a typo


def cents_from_text(text: str) -> int:
    """``"128.5"`` → ``12850``; more than two decimals, a sign or letters are refused."""
    try:
        amount = Decimal(text.strip().replace(",", "").replace("，", "").lstrip("¥￥"))
    except InvalidOperation:
        amount = Decimal("NaN")
    if (not amount.is_finite() or not 0 < amount < _MOST
            or amount != amount.quantize(_CENT)):
        raise refuse("bad_amount", "{text} is not an amount like 128.50", text=text)
    return int((amount * 100).to_integral_value(ROUND_HALF_UP))


def amount_text(cents: int) -> str:
    return f"{Decimal(cents) / 100:.2f}"


def term_of(day: date) -> str:
    """The academic term a day falls in: August–January the first, February–July the second."""
    if day.month >= 8:
        return f"{day.year}-{day.year + 1}-1"
    if day.month == 1:
        return f"{day.year - 1}-{day.year}-1"
    return f"{day.year - 1}-{day.year}-2"


@dataclass(frozen=True)
class LeaveRequest(DocumentRecord):
    ID_FIELD = "leave_id"

    leave_id: str
    member_id: str
    reason: str
    meeting_id: str = ""  # a leave from a meeting becomes its excused absence
    duty: str = ""  # or from a duty (值班), named in words
    filed_at: LocalTime = ""
    node: str = ""


@dataclass(frozen=True)
class Expense:
    expense_id: str
    member_id: str
    department: str
    amount_cents: int
    purpose: str
    receipts: tuple[Attachment, ...] = ()
    filed_at: LocalTime = ""
    node: str = ""

    @property
    def term(self) -> str:
        return term_of(date.fromisoformat(self.filed_at[:10]))

    def to_doc(self) -> dict[str, Any]:
        doc = record_to_doc(self.expense_id, self, skip="expense_id")
        doc["receipts"] = [vars(receipt) for receipt in self.receipts]
        return doc

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Expense:
        receipts = doc.get("receipts") or []
        if not isinstance(receipts, list) or not all(isinstance(r, dict) for r in receipts):
            receipts = []
        return record_from_doc(cls, {**doc, "expense_id": doc["_id"], "receipts": tuple(
            Attachment(str(r.get("name", "")), str(r.get("sha256", "")), int(r.get("size") or 0),
                       str(r.get("content_type", ""))) for r in receipts)})


@dataclass(frozen=True)
class ApprovalRoles:
    """Role names, from config, allowed to decide each stage."""

    leave: tuple[str, ...]
    first: tuple[str, ...]
    finance: tuple[str, ...]

    def for_stage(self, stage: str) -> tuple[str, ...]:
        return {LEAVE_STAGE: self.leave, FIRST: self.first}.get(stage, self.finance)


def stage_status(stages: Mapping[str, StageDecision], order: Sequence[str]) -> tuple[str, str]:
    """(the stage waiting for a decision or the last one decided, pending/approved/rejected)."""
    for stage in order:
        decision = stages.get(stage)
        if decision is None:
            return stage, PENDING
        if decision.standing.step == REJECT:
            return stage, REJECTED
    return order[-1], APPROVED


def expense_status(stages: Mapping[str, StageDecision]) -> str:
    stage, status = stage_status(stages, EXPENSE_STAGES)
    if status == REJECTED:
        return REJECTED
    if status == APPROVED:
        return PAID_STATUS
    return {FIRST: TO_FIRST, FINANCE: TO_FINANCE}.get(stage, TO_PAY)


def file_leave(store: DocumentStore, leave: LeaveRequest, now: datetime) -> LeaveRequest:
    if not leave.member_id.strip():
        raise refuse("member_required", "Say who asks for leave")
    if not leave.reason.strip():
        raise refuse("reason_required", "Give a reason")
    if not leave.meeting_id and not leave.duty.strip():
        raise refuse("leave_from_required", "Say which meeting or duty the leave is from")
    leave = replace(leave, leave_id=leave.leave_id or f"{LEAVE}:{uuid.uuid4().hex}",
                    reason=leave.reason.strip(), duty=leave.duty.strip(),
                    filed_at=now.isoformat(timespec="minutes"))
    store.put(leave.to_doc())
    return leave


def file_expense(store: DocumentStore, expense: Expense, now: datetime) -> Expense:
    if not expense.member_id.strip():
        raise refuse("member_required", "Say who paid")
    if not expense.department.strip():
        raise refuse("department_required", "Say which department asks")
    if not expense.purpose.strip():
        raise refuse("purpose_required", "Say what the money was for")
    if expense.amount_cents <= 0:
        raise refuse("bad_amount", "{text} is not an amount like 128.50",
                     text=str(expense.amount_cents))
    expense = replace(expense, expense_id=expense.expense_id or f"{EXPENSE}:{uuid.uuid4().hex}",
                      purpose=expense.purpose.strip(), department=expense.department.strip(),
                      filed_at=now.isoformat(timespec="minutes"))
    store.put(expense.to_doc())
    return expense


def decision_event(subject: str, applicant: str, stages: Mapping[str, StageDecision],
                   order: Sequence[str], approver: Member | None, approved: bool, reason: str,
                   roles: ApprovalRoles, now: datetime, node: str = "") -> DeskEvent:
    """The next stage's decision by ``approver``, if their role allows it."""
    stage, status = stage_status(stages, order)
    if status != PENDING:
        raise refuse("already_decided", "This was already decided")
    if approver is None:
        raise refuse("approver_unknown", "The approver is not in the directory")
    if approver.member_id == applicant:
        raise refuse("self_approval", "Nobody approves their own application")
    role = matching_role(approver.role, roles.for_stage(stage))
    if not role:
        raise refuse("not_an_approver", "{name} ({role}) may not decide this step",
                     name=approver.name, role=approver.role or "—")
    if not approved and not reason.strip():
        raise refuse("reason_required", "Give a reason")
    step = PAY if stage == PAID else APPROVE if approved else REJECT
    return new_event(subject, stage, step, now, person=approver.member_id, role=approver.role,
                     reason=reason.strip(), node=node)


def follow_leave(store: DocumentStore, leave: LeaveRequest, decision: StageDecision,
                 now: datetime) -> None:
    """The meeting's absence follows the leave's standing decision, whichever node made it.

    Approved, the leave is the meeting's excused absence. Rejected, the member stays absent:
    an absence that an approval of this leave wrote (on another node, before a settle chose
    the rejection) is removed; one recorded when nobody had approved it is left alone."""
    if not leave.meeting_id:
        return
    if decision.standing.step == APPROVE:
        record_absence(store, leave.meeting_id, leave.member_id, leave.reason, now)
    elif any(event.step == APPROVE for event in decision.events):
        excused = store.get_or_none(absence_id(leave.meeting_id, leave.member_id))
        if excused is not None:
            store.delete(excused["_id"], excused["_rev"])


@dataclass(frozen=True)
class TermTotal:
    department: str
    term: str
    cents: int
    count: int


def totals(expenses: Iterable[tuple[Expense, str]]) -> list[TermTotal]:
    """Approved amounts (past 财务部, paid or not) per department and term.

    ``expenses`` pairs each expense with its :func:`expense_status`."""
    sums: dict[tuple[str, str], list[int]] = {}
    for expense, status in expenses:
        if status in (TO_PAY, PAID_STATUS):
            sums.setdefault((expense.department, expense.term), []).append(expense.amount_cents)
    return [TermTotal(department, term, sum(found), len(found))
            for (department, term), found in sorted(sums.items())]

