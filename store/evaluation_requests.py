"""Department requests as the evaluation needs them: who handled one, when it was due, when
it was done.

A request counts for the member who accepted it; it is on time when its outcome was "done" by
the promised time (a declined request is answered but not done). A request of a kind without a
promise, or not yet accepted, counts for nobody.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .desk_requests import DONE, RequestState


@dataclass(frozen=True)
class RequestOutcome:
    member_id: str  # who accepted (handled) the request
    due: str  # LocalTime: the promised time
    done_at: str = ""  # LocalTime, empty while open

    @property
    def on_time(self) -> bool:
        return bool(self.done_at) and self.done_at <= self.due


def request_outcomes(states: Iterable[RequestState]) -> list[RequestOutcome]:
    """The outcome of every accepted request with a promise, for its handler."""
    outcomes = []
    for state in states:
        accepted, outcome = state.accepted, state.outcome
        if accepted is None or state.promised_by is None:
            continue
        done_at = outcome.at if outcome is not None and outcome.step == DONE else ""
        outcomes.append(RequestOutcome(accepted.person,
                                       state.promised_by.isoformat(timespec="minutes"), done_at))
    return outcomes
