"""The "needs attention" inbox: invariants that two offline nodes broke between them.

A merge never drops a fact; when two nodes each booked the same room, lent the same asset or
issued the same archive number, both documents survive replication and the clash is listed
here with both sides, for a person to resolve. Each area's derived view finds its own clashes;
the dashboard gathers every :class:`AttentionSource`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class AttentionItem:
    kind: str  # "double_booking", "double_loan", "negative_stock", "duplicate_number", "conflict"
    key: str  # stable identity of this clash, e.g. "double_booking:booking:a|booking:b"
    doc_ids: tuple[str, ...]  # every document involved, one per side
    message_key: str  # i18n key of the one-line description
    params: Mapping[str, str] = field(default_factory=dict)


class AttentionSource(Protocol):
    def attention_items(self) -> list[AttentionItem]: ...
