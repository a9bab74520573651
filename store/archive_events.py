"""What happens to an archive file after registration, as immutable ``archive_event:`` facts.

Filing, loans and returns, approval requests and decisions, copies and destruction are each
one document that never changes, so events written on two offline nodes simply add up after a
merge. A fact that can only happen once has a deterministic id — the filing and destruction of
a record, the return of a loan, the decision on a request — so two nodes recording it twice
meet as one document (a conflict the inbox shows), never as two facts.

Confidential records need an approval before a loan, a copy or showing their attachments, and
every record needs one before destruction: a *request* (who, for what, why) and a *decision*
(approver, role, yes/no, why). A loan, copy or destruction names the request it used, which
spends it; a viewing approval lasts until the end of the day it was given. The record's
state (:class:`ArchiveState`) is derived from its events by :func:`derive_state`; the rule
functions below check that state and return the event to write (:func:`save_event`).
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from .archive import (DESTROYED, FILED, ON_LOAN, REGISTERED, ArchiveRecord, format_time, refuse)
from .doc_codec import DocumentRecord, LocalDate, LocalTime
from .docstore import DocumentStore
from .errors import ConflictError

ARCHIVE_EVENT = "archive_event"
FILE, LEND, RETURN, REQUEST, DECISION, COPY, DESTROY = (
    "file", "lend", "return", "request", "decision", "copy", "destroy")
LOAN, VIEW = "loan", "view"
PURPOSES = (LOAN, VIEW, COPY, DESTROY)
APPROVER_ROLES = ("主席", "副主席", "秘书长")
PENDING, APPROVED, REJECTED, USED = "pending", "approved", "rejected", "used"


@dataclass(frozen=True)
class ArchiveEvent(DocumentRecord):
    ID_FIELD = "event_id"

    event_id: str
    archive_id: str
    kind: str
    at: LocalTime
    person: str = ""  # borrower, requester, copier, destroyer, or the approver of a decision
    role: str = ""  # the approver's role
    purpose: str = ""  # of a request: loan, view, copy, destroy
    approved: bool = False
    reason: str = ""
    due: LocalDate = ""  # of a loan: YYYY-MM-DD, due back by the end of that day
    ref: str = ""  # decision → its request; return → its loan; lend/copy/destroy → approval used
    copies: int = 0
    node: str = ""


def _key(doc_id: str) -> str:
    return doc_id.split(":", 1)[1]


def new_event_id() -> str:
    return f"{ARCHIVE_EVENT}:{uuid.uuid4().hex}"


def once_id(subject_id: str, kind: str) -> str:
    """The id of a fact that can happen once to ``subject_id`` (a record, loan or request)."""
    return f"{ARCHIVE_EVENT}:{_key(subject_id)}-{kind}"


@dataclass(frozen=True)
class Loan:
    lend: ArchiveEvent
    returned: ArchiveEvent | None = None

    @property
    def open(self) -> bool:
        return self.returned is None

    def overdue(self, today: date) -> bool:
        return self.open and self.lend.due < today.isoformat()


@dataclass(frozen=True)
class Approval:
    request: ArchiveEvent
    decision: ArchiveEvent | None = None
    used_by: str = ""  # the event that spent it

    @property
    def status(self) -> str:
        if self.decision is None:
            return PENDING
        if not self.decision.approved:
            return REJECTED
        return USED if self.used_by else APPROVED


@dataclass(frozen=True)
class ArchiveState:
    events: tuple[ArchiveEvent, ...] = ()  # oldest first
    filed: ArchiveEvent | None = None
    loans: tuple[Loan, ...] = ()
    approvals: tuple[Approval, ...] = ()
    destroyed: ArchiveEvent | None = None

    @property
    def open_loans(self) -> list[Loan]:
        return [loan for loan in self.loans if loan.open]

    @property
    def status(self) -> str:
        if self.destroyed is not None:
            return DESTROYED
        if self.open_loans:
            return ON_LOAN
        return FILED if self.filed is not None else REGISTERED

    def usable_approval(self, person: str, purpose: str, today: date) -> Approval | None:
        for approval in reversed(self.approvals):
            if (approval.status == APPROVED and approval.request.purpose == purpose
                    and approval.request.person == person
                    and (purpose != VIEW or approval.decision is not None
                         and approval.decision.at[:10] == today.isoformat())):
                return approval
        return None

    def approval(self, request_id: str) -> Approval | None:
        return next((a for a in self.approvals if a.request.event_id == request_id), None)


def derive_state(events: Iterable[ArchiveEvent]) -> ArchiveState:
    ordered = tuple(sorted(events, key=lambda e: (e.at, e.event_id)))
    by_kind: dict[str, list[ArchiveEvent]] = {}
    for event in ordered:
        by_kind.setdefault(event.kind, []).append(event)
    returns = {e.ref: e for e in by_kind.get(RETURN, [])}
    decisions = {e.ref: e for e in by_kind.get(DECISION, [])}
    spent = {e.ref: e.event_id for kind in (LEND, COPY, DESTROY)
             for e in by_kind.get(kind, []) if e.ref}
    return ArchiveState(
        events=ordered,
        filed=next(iter(by_kind.get(FILE, [])), None),
        loans=tuple(Loan(e, returns.get(e.event_id)) for e in by_kind.get(LEND, [])),
        approvals=tuple(Approval(e, decisions.get(e.event_id), spent.get(e.event_id, ""))
                        for e in by_kind.get(REQUEST, [])),
        destroyed=next(iter(by_kind.get(DESTROY, [])), None),
    )


# -- rules: each checks the state and returns the event to write ------------------------------


def _alive(record: ArchiveRecord, state: ArchiveState) -> None:
    if state.destroyed is not None:
        raise refuse("destroyed", "{number} has been destroyed", number=record.number)


def _person(person: str) -> str:
    if not person.strip():
        raise refuse("person_required", "Say who this is for")
    return person.strip()


def _approval_for(record: ArchiveRecord, state: ArchiveState, person: str, purpose: str,
                  today: date) -> str:
    """The request id a confidential act spends, or the refusal naming what is missing."""
    approval = state.usable_approval(person, purpose, today)
    if approval is None:
        raise refuse(f"approval_required_{purpose}",
                     "{number} is confidential: {person} needs an approval first",
                     number=record.number, person=person)
    return approval.request.event_id


def file_event(record: ArchiveRecord, state: ArchiveState, now: datetime, node: str = ""
               ) -> ArchiveEvent:
    _alive(record, state)
    if state.filed is not None:
        raise refuse("already_filed", "{number} was filed on {at}", number=record.number,
                     at=state.filed.at.replace("T", " "))
    return ArchiveEvent(once_id(record.archive_id, FILE), record.archive_id, FILE,
                        format_time(now), node=node)


def lend_event(record: ArchiveRecord, state: ArchiveState, borrower: str, due: str,
               now: datetime, node: str = "") -> ArchiveEvent:
    _alive(record, state)
    borrower = _person(borrower)
    if state.open_loans:
        raise refuse("on_loan", "{number} is already lent to {person}", number=record.number,
                     person=state.open_loans[0].lend.person)
    try:
        due_day = date.fromisoformat(due)
    except ValueError:
        raise refuse("bad_due", "The due date is written YYYY-MM-DD") from None
    if due_day < now.date():
        raise refuse("due_in_past", "The due date must not be in the past")
    ref = (_approval_for(record, state, borrower, LOAN, now.date())
           if record.confidential else "")
    return ArchiveEvent(new_event_id(), record.archive_id, LEND, format_time(now),
                        person=borrower, due=due, ref=ref, node=node)


def return_event(loan: Loan, now: datetime, node: str = "") -> ArchiveEvent:
    if not loan.open:
        raise refuse("not_on_loan", "This loan was already returned")
    return ArchiveEvent(once_id(loan.lend.event_id, RETURN), loan.lend.archive_id, RETURN,
                        format_time(now), person=loan.lend.person, ref=loan.lend.event_id,
                        node=node)


def request_event(record: ArchiveRecord, state: ArchiveState, person: str, purpose: str,
                  reason: str, now: datetime, node: str = "") -> ArchiveEvent:
    _alive(record, state)
    if purpose not in PURPOSES:
        raise refuse("bad_purpose", "Unknown purpose {purpose}", purpose=purpose)
    if not reason.strip():
        raise refuse("reason_required", "Give a reason")
    return ArchiveEvent(new_event_id(), record.archive_id, REQUEST, format_time(now),
                        person=_person(person), purpose=purpose, reason=reason.strip(), node=node)


def decision_event(approval: Approval, approver: str, role: str, approved: bool, reason: str,
                   now: datetime, approver_roles: Collection[str] = APPROVER_ROLES,
                   node: str = "") -> ArchiveEvent:
    approver = _person(approver)
    if approval.decision is not None:
        raise refuse("already_decided", "This request was already decided")
    if role not in approver_roles:
        raise refuse("not_an_approver", "A {role} cannot approve archive requests", role=role)
    if approver == approval.request.person:
        raise refuse("self_approval", "Nobody approves their own request")
    return ArchiveEvent(once_id(approval.request.event_id, DECISION), approval.request.archive_id,
                        DECISION, format_time(now), person=approver, role=role,
                        approved=approved, reason=reason.strip(), ref=approval.request.event_id,
                        node=node)


def copy_event(record: ArchiveRecord, state: ArchiveState, person: str, copies: int,
               reason: str, now: datetime, node: str = "") -> ArchiveEvent:
    _alive(record, state)
    person = _person(person)
    if copies < 1:
        raise refuse("bad_copies", "Make at least one copy")
    ref = _approval_for(record, state, person, COPY, now.date()) if record.confidential else ""
    return ArchiveEvent(new_event_id(), record.archive_id, COPY, format_time(now), person=person,
                        copies=copies, reason=reason.strip(), ref=ref, node=node)


def destroy_event(record: ArchiveRecord, state: ArchiveState, person: str, reason: str,
                  now: datetime, node: str = "") -> ArchiveEvent:
    """Destruction (销毁) needs an approval for every record, and only once retention ends."""
    _alive(record, state)
    person = _person(person)
    if not record.retention_expired(now.date()):
        raise refuse("retention_running", "{number} must be kept until {until}",
                     number=record.number,
                     until=str(record.retention_ends() or "∞"))
    if state.open_loans:
        raise refuse("on_loan", "{number} is already lent to {person}", number=record.number,
                     person=state.open_loans[0].lend.person)
    ref = _approval_for(record, state, person, DESTROY, now.date())
    return ArchiveEvent(once_id(record.archive_id, DESTROY), record.archive_id, DESTROY,
                        format_time(now), person=person, reason=reason.strip(), ref=ref, node=node)


def check_view(record: ArchiveRecord, state: ArchiveState, person: str, today: date) -> None:
    """Refuses to show a confidential record's attachments without today's approval."""
    if record.confidential:
        _approval_for(record, state, _person(person), VIEW, today)


def save_event(store: DocumentStore, event: ArchiveEvent) -> ArchiveEvent:
    try:
        store.put(event.to_doc())
    except ConflictError:
        raise refuse("already_recorded", "This was already recorded (perhaps on another node)"
                     ) from None
    return event
