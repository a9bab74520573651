"""Meeting minutes (会议纪要): the text a secretary writes, and the resolutions it decides.

Minutes are one document per meeting, ``minutes:{meeting key}``, so two secretaries editing the
same minutes offline produce a conflict on that one document, shown side by side in the
conflict view, rather than two documents of which one silently wins.

The text is structured by its template (基本信息, 议题, 议定事项); each decision line, written
``- 事项；责任人：张三（2026001）；截止日期：2026-12-02``, becomes a resolution on the tracking
board when the minutes are saved. Resolution ids are the meeting key and the line's number, so
saving twice updates rather than duplicates, and a status already reached (done) is kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime

from .doc_codec import DocumentRecord
from .docstore import DocumentStore
from .errors import ValidationError
from .meetings import (MINUTES_DRAFT, MINUTES_FINAL, RESOLUTION, Meeting, Resolution,
                       format_time, meeting_key, save_resolution, set_minutes_status)
from .members import MemberDirectory
from .people import resolve_person

MINUTES = "minutes"
_ITEM = re.compile(r"^\s*(?:[-*•]|\d+[.、)）])\s*(.+)$")
_PARTS = re.compile(r"[；;|]")


def minutes_doc_id(meeting_id: str) -> str:
    return f"{MINUTES}:{meeting_key(meeting_id)}"


def decision_resolution_id(meeting_id: str, number: int) -> str:
    return f"{RESOLUTION}:minutes-{meeting_key(meeting_id)}-{number}"


@dataclass(frozen=True)
class Minutes(DocumentRecord):
    ID_FIELD = "minutes_id"

    minutes_id: str
    meeting_id: str
    text: str
    saved_at: str = ""
    saved_on: str = ""  # node where it was last saved


@dataclass(frozen=True)
class DecisionLabels:
    """How a decision line names its owner and deadline in one language (责任人, 截止日期)."""

    owner: str
    deadline: str


@dataclass(frozen=True)
class Decision:
    text: str
    owner: str  # as typed: an ID, "name（ID）" or a unique name
    deadline: str


def _field(part: str, labels: Iterable[str]) -> str | None:
    for label in labels:
        for colon in ("：", ":"):
            if part.startswith(label + colon):
                return part[len(label) + 1:].strip()
    return None


def parse_decisions(text: str, labels: Iterable[DecisionLabels]) -> list[Decision]:
    """Every list line that names both an owner and a deadline, in order."""
    labels = list(labels)
    owners = [label.owner for label in labels]
    deadlines = [label.deadline for label in labels]
    found = []
    for line in text.splitlines():
        item = _ITEM.match(line)
        if item is None:
            continue
        parts = [part.strip() for part in _PARTS.split(item.group(1))]
        owner = next((v for v in (_field(p, owners) for p in parts) if v is not None), None)
        deadline = next((v for v in (_field(p, deadlines) for p in parts) if v is not None), None)
        if owner is None or deadline is None:
            continue
        what = "；".join(p for p in parts if _field(p, owners + deadlines) is None)
        found.append(Decision(what, owner, deadline))
    return found


def load_minutes(store: DocumentStore, meeting_id: str) -> Minutes | None:
    doc = store.get_or_none(minutes_doc_id(meeting_id))
    return Minutes.from_doc(doc) if doc is not None else None


def _resolutions(store: DocumentStore, directory: MemberDirectory, meeting: Meeting,
                 decisions: list[Decision]) -> list[Resolution]:
    """The resolutions the decisions make, every one checked before anything is written."""
    made = []
    for number, decision in enumerate(decisions, start=1):
        if not decision.text:
            raise ValidationError("minutes.error.no_text", "Decision {number} has no text",
                                  number=number)
        owner = resolve_person(directory, decision.owner)
        if not owner:
            raise ValidationError("minutes.error.no_owner", "Decision {number} needs an owner",
                                  number=number)
        try:
            deadline = date.fromisoformat(decision.deadline).isoformat()
        except ValueError:
            raise ValidationError("minutes.error.bad_deadline",
                                  "Decision {number}: the deadline is written YYYY-MM-DD",
                                  number=number) from None
        resolution_id = decision_resolution_id(meeting.meeting_id, number)
        doc = store.get_or_none(resolution_id)
        current = Resolution.from_doc(doc) if doc is not None else Resolution(
            resolution_id, meeting.meeting_id, "", "", "")
        made.append(replace(current, text=decision.text, owner=owner, deadline=deadline))
    return made


@dataclass(frozen=True)
class SavedMinutes:
    minutes: Minutes
    meeting: Meeting
    resolutions: list[Resolution]


def save_minutes(store: DocumentStore, directory: MemberDirectory, meeting: Meeting, text: str,
                 labels: Iterable[DecisionLabels], now: datetime, *, node: str = "",
                 final: bool = False) -> SavedMinutes:
    """Save the minutes as a draft (or final); their decisions go to the resolution board.

    A decision naming no member or a bad date refuses the whole save, nothing written, so the
    text in the editor is never half-applied.
    """
    resolutions = _resolutions(store, directory, meeting, parse_decisions(text, labels))
    minutes = Minutes(minutes_doc_id(meeting.meeting_id), meeting.meeting_id, text,
                      format_time(now), node)
    store.put_latest(minutes.to_doc())
    for resolution in resolutions:
        save_resolution(store, resolution)
    status = MINUTES_FINAL if final or meeting.minutes_status == MINUTES_FINAL else MINUTES_DRAFT
    if status != meeting.minutes_status:
        meeting = set_minutes_status(store, meeting, status, now)
    return SavedMinutes(minutes, meeting, resolutions)
