"""Scores a department head enters by hand for a member's term: 工作态度 and 创新贡献.

Each entry is its own immutable ``evalscore:{uuid}`` document (author, time, value): a
correction is a new entry, never an overwrite, so two heads scoring on two machines at once
both keep their word, and the history says who scored what. The score that counts for a
member, term and dimension is the latest entry (by time, then id, so every node agrees).

Who may *see* an entry is decided in the UI (:func:`visible_to`): its author and the 主席团.
The documents themselves replicate like any other: this is a courtesy of the screens, not a
secret from whoever holds a node's disk, and the README says so.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .doc_codec import DocumentRecord, LocalTime
from .docstore import DocumentStore
from .errors import ValidationError
from .members import Member

EVALSCORE = "evalscore"
ATTITUDE, INNOVATION = "attitude", "innovation"
DIMENSIONS = (ATTITUDE, INNOVATION)
SCORE_RANGE = range(0, 101)


@dataclass(frozen=True)
class HandScore(DocumentRecord):
    ID_FIELD = "score_id"

    score_id: str
    term: str
    member_id: str
    dimension: str
    score: int
    author: str  # member id of the person who entered it
    at: LocalTime

    @staticmethod
    def new_id() -> str:
        return f"{EVALSCORE}:{uuid.uuid4().hex}"


@dataclass(frozen=True)
class Viewer:
    """Who looks at the evaluation: this machine's operator, and whether they are 主席团."""

    member_id: str
    presidium: bool


def viewer_for(member: Member | None, presidium_roles: Iterable[str]) -> Viewer:
    if member is None:
        return Viewer("", False)
    roles = set(presidium_roles)
    return Viewer(member.member_id, member.role in roles or member.department in roles)


def may_score(author: Member | None, member: Member, head_roles: Iterable[str],
              presidium: bool) -> bool:
    """A head scores their own department's members; the 主席团 score anyone."""
    if author is None:
        return False
    return presidium or (author.role in set(head_roles) and author.department == member.department
                         and bool(member.department))


def visible_to(score: HandScore, viewer: Viewer) -> bool:
    return viewer.presidium or (bool(viewer.member_id) and score.author == viewer.member_id)


def save_hand_score(store: DocumentStore, score: HandScore) -> HandScore:
    if score.dimension not in DIMENSIONS:
        raise ValidationError("evaluation.error.dimension", "Unknown evaluation dimension")
    if score.score not in SCORE_RANGE:
        raise ValidationError("evaluation.error.score", "A score is a whole number from 0 to 100")
    if not score.author:
        raise ValidationError("evaluation.error.no_author",
                              "Set [operator] member_id in config.toml to enter scores")
    store.put(score.to_doc())
    return score


class HandScoreIndex:
    """Every entry, kept current from the changes feed."""

    doc_types = (EVALSCORE,)

    def __init__(self) -> None:
        self._by_id: dict[str, HandScore] = {}

    def reset(self) -> None:
        self._by_id.clear()

    def update(self, doc_id: str, doc: dict[str, Any] | None) -> None:
        self._by_id.pop(doc_id, None)
        if doc is not None:
            self._by_id[doc_id] = HandScore.from_doc(doc)

    def current(self, term: str, viewer: Viewer) -> dict[tuple[str, str], HandScore]:
        """(member id, dimension) → the latest entry of ``term`` that ``viewer`` may see.

        A viewer who may not see the latest entry sees none (not an older one of their own
        that was since corrected by someone else)."""
        latest: dict[tuple[str, str], HandScore] = {}
        for score in self._by_id.values():
            if score.term != term:
                continue
            key = (score.member_id, score.dimension)
            held = latest.get(key)
            if held is None or (score.at, score.score_id) > (held.at, held.score_id):
                latest[key] = score
        return {key: score for key, score in latest.items() if visible_to(score, viewer)}

    def history(self, member_id: str, term: str, viewer: Viewer) -> list[HandScore]:
        return sorted((s for s in self._by_id.values()
                       if s.member_id == member_id and s.term == term and visible_to(s, viewer)),
                      key=lambda s: (s.at, s.score_id))
