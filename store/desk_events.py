"""What the service desk did to a request, leave or expense, as immutable ``desk_event:`` facts.

Accepting a request, finishing or declining it, approving or rejecting a leave or an expense at
one of its stages, paying it: each is one document that never changes, with a fresh id, so two
nodes acting offline both keep what they did and the merge is the union. Each act decides one
*stage* of its subject (a request's outcome, an expense's 初审); the effective decision of a
stage is its earliest event, and two events of one stage that disagree (done here, declined
there) are a clash the needs-attention inbox lists until someone *settles* it: a settle event
names the event whose outcome stands.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .doc_codec import DocumentRecord, LocalTime
from .docstore import DocumentStore
from .errors import ConflictError, ValidationError

DESK_EVENT = "desk_event"
SETTLE = "settle"


def refuse(key: str, english: str, **params: Any) -> ValidationError:
    return ValidationError(f"desk.error.{key}", english, **params)


@dataclass(frozen=True)
class DeskEvent(DocumentRecord):
    ID_FIELD = "event_id"

    event_id: str
    subject: str  # the request, leave or expense it is about
    stage: str  # what it decides: "accept", "outcome", "leave", "first", "finance", "paid"
    step: str  # the outcome at that stage: "accept", "done", "decline", "approve", "reject", "pay", "settle"
    at: LocalTime
    person: str = ""  # who acted (member id, or a name where no member is meant)
    role: str = ""  # the approver's role as the directory wrote it
    reason: str = ""
    ref: str = ""  # of a settle: the event whose outcome stands; of a 物资 acceptance: its record
    node: str = ""


def new_event(subject: str, stage: str, step: str, at: datetime, **fields: str) -> DeskEvent:
    """A fact with a fresh id: the same act on two nodes stays two facts, never a conflict."""
    return DeskEvent(f"{DESK_EVENT}:{uuid.uuid4().hex}", subject, stage, step,
                     at.isoformat(timespec="minutes"), **fields)


@dataclass(frozen=True)
class StageDecision:
    """One stage of a subject: the event that stands, and every event that decided it."""

    events: tuple[DeskEvent, ...]  # oldest first, settle events excluded
    settled_by: DeskEvent | None = None

    @property
    def standing(self) -> DeskEvent:
        if self.settled_by is not None:
            chosen = next((e for e in self.events if e.event_id == self.settled_by.ref), None)
            if chosen is not None:
                return chosen
        return self.events[0]

    @property
    def clash(self) -> bool:
        """Two nodes decided this stage differently and nobody has settled it yet."""
        return self.settled_by is None and len({e.step for e in self.events}) > 1


def decide_stages(events: Iterable[DeskEvent]) -> dict[str, StageDecision]:
    """Each stage of one subject with the decision that stands."""
    ordered = sorted(events, key=lambda e: (e.at, e.event_id))
    by_stage: dict[str, list[DeskEvent]] = {}
    settles: dict[str, DeskEvent] = {}
    for event in ordered:
        if event.step == SETTLE:
            settles[event.stage] = event  # the latest settle of a stage is the one that counts
        else:
            by_stage.setdefault(event.stage, []).append(event)
    return {stage: StageDecision(tuple(found), settles.get(stage))
            for stage, found in by_stage.items()}


def settle_event(chosen: DeskEvent, person: str, now: datetime, node: str = "") -> DeskEvent:
    """The clash of ``chosen``'s stage settled: its outcome stands, the others are overruled."""
    return new_event(chosen.subject, chosen.stage, SETTLE, now, person=person,
                     ref=chosen.event_id, node=node)


def save_event(store: DocumentStore, event: DeskEvent) -> DeskEvent:
    try:
        store.put(event.to_doc())
    except ConflictError:
        raise refuse("already_recorded", "This was already recorded") from None
    return event
