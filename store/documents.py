"""Official documents (公文) from request to receipt, as immutable ``docevent:`` facts.

A document is a key (``doc_key``) and the events written about it: the request (a department
asks for something by a date), draft saves, submissions for review, comments, returns with
changes, the sign-off (签发), the settling of a clash, the issue, distributions and receipts.
Nothing is ever edited, so review comments written on two offline nodes both survive the merge.
Facts that can happen once have deterministic ids (the request, the issue, one recipient's
receipt). Every event carries ``n``, one more than the highest it saw on this document, so the
order on one node is exact even within a minute and concurrent events order deterministically.

The state (:class:`DocumentState`) is derived by :func:`derive_state`; a sign-off on one node
and a return on another of the same submission is a *clash*, kept as it is until a person
settles it. The rule functions check the state and return the event to write.
"""

from __future__ import annotations

import difflib
import hashlib
import uuid
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from .doc_codec import LocalDate, LocalTime, record_from_doc, record_to_doc, text_tuple
from .docstore import DocumentStore
from .errors import ConflictError, ValidationError
from .workdays import add_working_days, add_working_time

DOCEVENT = "docevent"
REQUEST, DRAFT, SUBMIT, COMMENT, RETURN, SIGNOFF, SETTLE, ISSUE, DISTRIBUTE, ACK = (
    "request", "draft", "submit", "comment", "return", "signoff", "settle", "issue",
    "distribute", "ack")
REQUESTED, DRAFTING, REVIEW, RETURNED, CLASH, SIGNED, ISSUED, DISTRIBUTED, COMPLETED = (
    "requested", "drafting", "review", "returned", "clash", "signed", "issued", "distributed",
    "completed")
STAGES = (REQUESTED, DRAFTING, REVIEW, RETURNED, CLASH, SIGNED, ISSUED, DISTRIBUTED, COMPLETED)
DRAFT_DAYS = 3  # first draft within 3 working days of the request
REVIEW_SPAN = timedelta(hours=24)  # feedback or sign-off within 24 working hours
TIME_FORMAT = "%Y-%m-%dT%H:%M"


def refuse(key: str, english: str, **params: Any) -> ValidationError:
    return ValidationError(f"documents.error.{key}", english, **params)


def parse_time(text: str) -> datetime:
    return datetime.strptime(text, TIME_FORMAT)


def format_time(moment: datetime) -> str:
    return moment.strftime(TIME_FORMAT)


@dataclass(frozen=True)
class Content:
    """A draft's text in the parts of a 公文; what a submission is reviewed on."""

    title: str = ""
    recipients: str = ""  # 主送
    body: str = ""
    attachments: tuple[str, ...] = ()
    signatory: str = ""  # 落款
    date: str = ""  # 成文日期, as written (2026年10月9日)
    cc: tuple[str, ...] = ()  # 抄送

    def as_text(self) -> str:
        """The plain text a reviewer compares between rounds, part by part."""
        lines = [self.title, "", self.recipients, *self.body.splitlines(), ""]
        lines += [f"附件：{name}" for name in self.attachments]
        lines += [self.signatory, self.date]
        if self.cc:
            lines.append("抄送：" + "，".join(self.cc))
        return "\n".join(lines)


@dataclass(frozen=True)
class DocEvent:
    event_id: str
    doc_key: str
    kind: str
    at: LocalTime
    n: int = 0  # causal order on this document, see the module docstring
    person: str = ""  # who acted (member id or name)
    role: str = ""  # the signer's role
    node: str = ""
    department: str = ""  # of a request: who asks
    what: str = ""  # of a request: what is needed
    due: LocalDate = ""  # of a request: wanted by
    owner: str = ""  # of a request: who drafts
    template: str = ""
    meeting: str = ""
    title: str = ""
    recipients: str = ""
    body: str = ""
    attachments: tuple[str, ...] = ()
    signatory: str = ""
    date: str = ""
    cc: tuple[str, ...] = ()
    comment: str = ""
    ref: str = ""  # comment/return/signoff/settle → the submission; ack → the recipient
    outcome: str = ""  # of a settle: signoff or return
    number: str = ""  # of an issue
    archive_id: str = ""
    distributed_to: tuple[str, ...] = ()

    def to_doc(self) -> dict[str, Any]:
        """Only the fields this kind of event uses: a store holds tens of thousands of these,
        and each empty field would be stored, replicated and checked on every read."""
        doc = record_to_doc(self.event_id, self, skip="event_id")
        return {key: value for key, value in doc.items()
                if key in _ALWAYS or value not in ("", [], 0)}

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> DocEvent:
        return record_from_doc(cls, {
            **doc, "event_id": doc["_id"], "attachments": text_tuple(doc, "attachments"),
            "cc": text_tuple(doc, "cc"), "distributed_to": text_tuple(doc, "distributed_to")})

    @property
    def content(self) -> Content:
        return Content(self.title, self.recipients, self.body, self.attachments,
                       self.signatory, self.date, self.cc)

    @property
    def moment(self) -> datetime:
        return parse_time(self.at)


_ALWAYS = frozenset({"_id", "doc_key", "kind", "at", "n"})


def new_doc_key() -> str:
    return uuid.uuid4().hex


def new_event_id() -> str:
    return f"{DOCEVENT}:{uuid.uuid4().hex}"


def once_id(doc_key: str, kind: str, subject: str = "") -> str:
    """The id of a fact that can happen once (per ``subject``: one receipt per recipient)."""
    tail = f"-{hashlib.sha1(subject.encode()).hexdigest()[:16]}" if subject else ""
    return f"{DOCEVENT}:{doc_key}-{kind}{tail}"


@dataclass(frozen=True)
class Promise:
    """A promised response: what it is, when it started, when due, when kept (or not yet)."""

    kind: str  # "draft" or "review"
    start: datetime
    due: datetime
    met_at: datetime | None

    def overdue(self, now: datetime) -> bool:
        return self.met_at is None and now > self.due

    def due_today(self, now: datetime) -> bool:
        return self.met_at is None and self.due.date() == now.date() and now <= self.due

    @property
    def on_time(self) -> bool:
        return self.met_at is not None and self.met_at <= self.due


@dataclass(frozen=True)
class Round:
    """One submission and what the reviewers said about it."""

    submit: DocEvent
    comments: tuple[DocEvent, ...] = ()
    returns: tuple[DocEvent, ...] = ()
    signoffs: tuple[DocEvent, ...] = ()
    settled: DocEvent | None = None

    @property
    def clash(self) -> bool:
        return bool(self.returns and self.signoffs and self.settled is None)

    @property
    def outcome(self) -> str:
        """signoff, return, clash, or "" while it waits for review."""
        if self.settled is not None:
            return self.settled.outcome
        if self.clash:
            return CLASH
        return SIGNOFF if self.signoffs else RETURN if self.returns else ""


@dataclass(frozen=True)
class DocumentState:
    doc_key: str
    events: tuple[DocEvent, ...] = ()  # in causal order
    request: DocEvent | None = None
    rounds: tuple[Round, ...] = ()
    latest: DocEvent | None = None  # the latest draft save or submission
    issue: DocEvent | None = None
    recipients: tuple[str, ...] = ()  # distributed to, in order
    acks: dict[str, DocEvent] = field(default_factory=dict)  # recipient → receipt

    @property
    def next_n(self) -> int:
        return max((event.n for event in self.events), default=0) + 1

    @property
    def stage(self) -> str:
        if self.issue is not None:
            if not self.recipients:
                return ISSUED
            return COMPLETED if not self.outstanding else DISTRIBUTED
        if self.rounds:
            last = self.rounds[-1]
            if self.latest is not None and self.latest.kind == DRAFT and self.latest.n > last.submit.n:
                return DRAFTING
            return {"": REVIEW, RETURN: RETURNED, CLASH: CLASH, SIGNOFF: SIGNED}[last.outcome]
        return DRAFTING if self.latest is not None else REQUESTED

    @property
    def title(self) -> str:
        if self.issue is not None:
            return self.issue.title
        if self.latest is not None and self.latest.title:
            return self.latest.title
        return self.request.what if self.request is not None else ""

    @property
    def owner(self) -> str:
        return self.request.owner if self.request is not None else ""

    @property
    def department(self) -> str:
        return self.request.department if self.request is not None else ""

    @property
    def outstanding(self) -> list[str]:
        """Recipients who have not acknowledged receipt yet."""
        return [r for r in self.recipients if r not in self.acks]

    @property
    def comments(self) -> list[DocEvent]:
        return [e for e in self.events if e.kind == COMMENT]

    def promises(self) -> list[Promise]:
        """The 3-working-day draft promise and one 24-working-hour review per submission."""
        found = []
        if self.request is not None:
            start = self.request.moment
            first = self.rounds[0].submit.moment if self.rounds else None
            found.append(Promise(DRAFT, start, add_working_days(start, DRAFT_DAYS), first))
        for round_ in self.rounds:
            start = round_.submit.moment
            answers = [e.moment for e in (*round_.comments, *round_.returns, *round_.signoffs)]
            found.append(Promise("review", start, add_working_time(start, REVIEW_SPAN),
                                 min(answers, default=None)))
        return found

    def open_promise(self) -> Promise | None:
        """The promise the document waits on now, if any."""
        if self.stage not in (REQUESTED, DRAFTING, REVIEW):
            return None
        return next((p for p in self.promises() if p.met_at is None), None)

    def diff(self, round_index: int) -> list[str]:
        """What changed from the previous submission to round ``round_index`` (unified diff)."""
        if not 0 < round_index < len(self.rounds):
            return []
        before = self.rounds[round_index - 1].submit.content.as_text().splitlines()
        after = self.rounds[round_index].submit.content.as_text().splitlines()
        return list(difflib.unified_diff(before, after, f"第{round_index}稿",
                                         f"第{round_index + 1}稿", lineterm="", n=1))


def _order(event: DocEvent) -> tuple[int, str, str]:
    return event.n, event.at, event.event_id


def derive_state(doc_key: str, events: Iterable[DocEvent]) -> DocumentState:
    ordered = tuple(sorted(events, key=_order))
    by_kind: dict[str, list[DocEvent]] = {}
    for event in ordered:
        by_kind.setdefault(event.kind, []).append(event)

    def about(kind: str, submit: DocEvent) -> tuple[DocEvent, ...]:
        return tuple(e for e in by_kind.get(kind, []) if e.ref == submit.event_id)

    settles = [e for e in by_kind.get(SETTLE, []) if e.outcome in (SIGNOFF, RETURN)]
    rounds = tuple(Round(submit, about(COMMENT, submit), about(RETURN, submit),
                         about(SIGNOFF, submit),
                         next((e for e in settles if e.ref == submit.event_id), None))
                   for submit in by_kind.get(SUBMIT, []))
    texts = [e for e in ordered if e.kind in (DRAFT, SUBMIT)]
    recipients = dict.fromkeys(r for e in by_kind.get(DISTRIBUTE, []) for r in e.distributed_to)
    return DocumentState(
        doc_key, ordered, next(iter(by_kind.get(REQUEST, [])), None), rounds,
        texts[-1] if texts else None, next(iter(by_kind.get(ISSUE, [])), None),
        tuple(recipients), {e.ref: e for e in by_kind.get(ACK, []) if e.ref in recipients})


def save_event(store: DocumentStore, event: DocEvent) -> DocEvent:
    """Write one fact; a once-only fact already recorded here is refused, not doubled."""
    try:
        store.put(event.to_doc())
    except ConflictError:
        raise refuse("recorded", "This was recorded already") from None
    return event


# -- rules: each checks the state and returns the event to write ------------------------------


@dataclass(frozen=True)
class Actor:
    at: datetime
    person: str
    node: str = ""


def make_event(state: DocumentState, kind: str, actor: Actor, event_id: str = "",
           **values: Any) -> DocEvent:
    return DocEvent(event_id or new_event_id(), state.doc_key, kind, format_time(actor.at),
                    state.next_n, actor.person, node=actor.node, **values)


def request(actor: Actor, department: str, what: str, due: str, owner: str = "",
            template: str = "", meeting: str = "") -> DocEvent:
    """A department asks for a document; the 3-working-day draft clock starts now."""
    if not department.strip() or not what.strip():
        raise refuse("request_incomplete", "A request names the department and what it needs")
    if due:
        try:
            datetime.strptime(due, "%Y-%m-%d")
        except ValueError:
            raise refuse("bad_date", "Dates are written YYYY-MM-DD") from None
    key = new_doc_key()
    return DocEvent(once_id(key, REQUEST), key, REQUEST, format_time(actor.at), 1, actor.person,
                    node=actor.node, department=department.strip(), what=what.strip(), due=due,
                    owner=owner.strip(), template=template, meeting=meeting.strip())


def _check_open(state: DocumentState) -> None:
    if state.request is None:
        raise refuse("no_document", "No such document")
    if state.issue is not None:
        raise refuse("already_issued", "This document is issued already")


def save_draft(state: DocumentState, actor: Actor, content: Content,
               submit: bool = False) -> DocEvent:
    """A saved version of the text; ``submit`` hands it in for review (the 24-hour clock)."""
    _check_open(state)
    if state.stage in (REVIEW, SIGNED, CLASH):
        raise refuse("not_editable", "The draft is with the reviewers; wait for a return")
    if submit and not content.title.strip():
        raise refuse("title_required", "A document needs a title")
    return make_event(state, SUBMIT if submit else DRAFT, actor, **_content_fields(content))


def _content_fields(content: Content) -> dict[str, Any]:
    return {"title": content.title.strip(), "recipients": content.recipients,
            "body": content.body, "attachments": content.attachments,
            "signatory": content.signatory, "date": content.date, "cc": content.cc}


def _under_review(state: DocumentState) -> Round:
    _check_open(state)
    if not state.rounds:
        raise refuse("not_submitted", "Nothing has been submitted for review yet")
    return state.rounds[-1]


def comment(state: DocumentState, actor: Actor, text: str) -> DocEvent:
    """A reviewer's remark on the current submission; it changes no stage."""
    if not text.strip():
        raise refuse("comment_empty", "Write the comment first")
    return make_event(state, COMMENT, actor, comment=text.strip(),
                  ref=_under_review(state).submit.event_id)


def return_for_changes(state: DocumentState, actor: Actor, text: str) -> DocEvent:
    if not text.strip():
        raise refuse("reason_required", "Say what should change")
    if state.stage != REVIEW:
        raise refuse("not_in_review", "Only a document in review can be returned")
    return make_event(state, RETURN, actor, comment=text.strip(),
                  ref=_under_review(state).submit.event_id)


def sign_off(state: DocumentState, actor: Actor, role: str,
             allowed_roles: Collection[str]) -> DocEvent:
    """签发, by a member whose directory role is one of ``allowed_roles``."""
    if role.strip() not in allowed_roles:
        raise refuse("not_signer", "Only {roles} may sign off; {person} is {role}",
                     roles="、".join(allowed_roles), person=actor.person, role=role or "—")
    if state.stage != REVIEW:
        raise refuse("not_in_review", "Only a document in review can be signed off")
    return make_event(state, SIGNOFF, actor, role=role.strip(),
                  ref=_under_review(state).submit.event_id)


def settle(state: DocumentState, actor: Actor, outcome: str) -> DocEvent:
    """Settle a clash: keep the sign-off or the return (one settling per submission)."""
    last = _under_review(state)
    if not last.clash:
        raise refuse("no_clash", "There is no clash to settle")
    if outcome not in (SIGNOFF, RETURN):
        raise refuse("bad_outcome", "Keep either the sign-off or the return")
    return make_event(state, SETTLE, actor, once_id(state.doc_key, SETTLE, last.submit.event_id),
                  outcome=outcome, ref=last.submit.event_id)


def distribute(state: DocumentState, actor: Actor, recipients: Iterable[str]) -> DocEvent:
    if state.issue is None:
        raise refuse("not_issued", "Issue the document before distributing it")
    names = tuple(dict.fromkeys(r.strip() for r in recipients if r.strip()))
    if not names:
        raise refuse("no_recipients", "Name at least one department or member")
    return make_event(state, DISTRIBUTE, actor, distributed_to=names)


def acknowledge(state: DocumentState, actor: Actor, recipient: str) -> DocEvent:
    """A recipient's receipt (recorded by the secretary or at a kiosk), once per recipient."""
    if recipient not in state.recipients:
        raise refuse("not_recipient", "{recipient} was not sent this document",
                     recipient=recipient)
    return make_event(state, ACK, actor, once_id(state.doc_key, ACK, recipient), ref=recipient)
