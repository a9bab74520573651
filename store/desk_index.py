"""The service desk's derived view: requests, leaves and expenses with the decisions on them.

Filings and :mod:`store.desk_events` facts come in from the changes feed; the state of each
subject is derived on demand from its events, so a fact replicated from another node changes
what the desk shows without any document being rewritten. A stage two nodes decided
differently is a needs-attention item (one per subject and stage) until it is settled.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .attention import AttentionItem
from .desk_approvals import (
    EXPENSE,
    LEAVE,
    LEAVE_STAGE,
    Expense,
    LeaveRequest,
    stage_status,
)
from .desk_events import DESK_EVENT, DeskEvent, StageDecision, decide_stages
from .desk_requests import (
    DESK_REQUEST,
    DeskRequest,
    Promise,
    RequestState,
    request_state,
)
from .docstore import doc_type
from .errors import InvalidDocument
from .kpi import RequestFact

log = logging.getLogger(__name__)
CLASH = "desk_clash"


@dataclass(frozen=True)
class LeaveState:
    leave: LeaveRequest
    stages: Mapping[str, StageDecision]

    @property
    def status(self) -> str:
        return stage_status(self.stages, (LEAVE_STAGE,))[1]


class DeskIndex:
    doc_types = (DESK_REQUEST, LEAVE, EXPENSE, DESK_EVENT)

    def __init__(self) -> None:
        self.requests: dict[str, DeskRequest] = {}
        self.leaves: dict[str, LeaveRequest] = {}
        self.expenses: dict[str, Expense] = {}
        self._events: dict[str, dict[str, DeskEvent]] = {}  # subject → event id → event
        self._subject_of: dict[str, str] = {}
        # the request states last derived, until a desk document changes (a board redraws on
        # every change in the store; deriving 20 000 states costs a tenth of a second), and the
        # open and answered ones among them (asking each of 20 000 whether it is open, another)
        self._states: tuple[Mapping[str, Promise], list[RequestState]] | None = None
        self._open: list[RequestState] | None = None
        self._answered: list[RequestState] | None = None

    def reset(self) -> None:
        for table in (self.requests, self.leaves, self.expenses, self._events, self._subject_of):
            table.clear()
        self._forget_states()

    def _forget_states(self) -> None:
        self._states = self._open = self._answered = None

    def update(self, doc_id: str, doc: dict[str, Any] | None) -> None:
        self._forget_states()
        kind = doc_type(doc_id)
        if kind == DESK_EVENT:
            self._update_event(doc_id, doc)
            return
        table: dict[str, Any] = {DESK_REQUEST: self.requests, LEAVE: self.leaves,
                                 EXPENSE: self.expenses}[kind]
        record = {DESK_REQUEST: DeskRequest, LEAVE: LeaveRequest, EXPENSE: Expense}[kind]
        table.pop(doc_id, None)
        if doc is not None and not doc.get("_deleted"):
            try:
                table[doc_id] = record.from_doc(doc)  # type: ignore[attr-defined]
            except (InvalidDocument, TypeError, ValueError):
                log.warning("desk document %s is unreadable; left out", doc_id)

    def _update_event(self, doc_id: str, doc: dict[str, Any] | None) -> None:
        old = self._subject_of.pop(doc_id, None)
        if old is not None:
            self._events.get(old, {}).pop(doc_id, None)
        if doc is None or doc.get("_deleted"):
            return
        try:
            event = DeskEvent.from_doc(doc)
        except (InvalidDocument, TypeError, ValueError):
            log.warning("desk event %s is unreadable; left out", doc_id)
            return
        self._events.setdefault(event.subject, {})[doc_id] = event
        self._subject_of[doc_id] = event.subject

    def stages(self, subject: str) -> dict[str, StageDecision]:
        return decide_stages(self._events.get(subject, {}).values())

    def request_states(self, promises: Mapping[str, Promise]) -> list[RequestState]:
        if self._states is not None and self._states[0] is promises:
            return self._states[1]
        self._forget_states()
        states = []
        for request in self.requests.values():
            try:
                states.append(request_state(request, promises, self.stages(request.request_id)))
            except ValueError:  # a filing time a peer garbled: nothing to measure it against
                log.warning("desk request %s has an unreadable time", request.request_id)
        self._states = (promises, states)
        return states

    def open_request_states(self, promises: Mapping[str, Promise]) -> list[RequestState]:
        """The requests still waiting for an answer (the board's and the dashboard's)."""
        states = self.request_states(promises)
        if self._open is None:
            self._open = [state for state in states if state.open]
        return self._open

    def answered_request_states(self, promises: Mapping[str, Promise]) -> list[RequestState]:
        """The answered requests, the most recently filed first."""
        states = self.request_states(promises)
        if self._answered is None:
            self._answered = sorted((state for state in states if not state.open),
                                    key=lambda state: state.request.filed_at, reverse=True)
        return self._answered

    def request_facts(self, promises: Mapping[str, Promise]) -> list[RequestFact]:
        return [state.fact() for state in self.request_states(promises)]

    def leave_states(self) -> list[LeaveState]:
        return [LeaveState(leave, self.stages(leave.leave_id)) for leave in self.leaves.values()]

    def subject_title(self, subject: str) -> str:
        if subject in self.requests:
            return self.requests[subject].title
        if subject in self.expenses:
            return self.expenses[subject].purpose
        leave = self.leaves.get(subject)
        return leave.reason if leave is not None else subject

    def attention_items(self) -> list[AttentionItem]:
        items = []
        for subject in sorted(self._events):
            for stage, decision in sorted(self.stages(subject).items()):
                if decision.clash:
                    items.append(AttentionItem(
                        CLASH, f"{CLASH}:{subject}:{stage}",
                        tuple(e.event_id for e in decision.events), "desk.attention.clash",
                        {"what": self.subject_title(subject),
                         "outcomes": " / ".join(sorted({e.step for e in decision.events}))}))
        return items
