"""Department requests as the evaluation needs them: who handled one, when it was due, when
it was done.

Requests are their own area (issue 22 item 1, built in parallel); this is the one place the
evaluation reads them, so it still works, counting no requests, where that area is absent.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from .docstore import DocumentStore

REQUESTS_MODULE = "store.requests"
PROVIDER = "evaluation_outcomes"  # (store) -> list[RequestOutcome], offered by the requests area


@dataclass(frozen=True)
class RequestOutcome:
    member_id: str  # who accepted (handled) the request
    due: str  # LocalTime: the promised time
    done_at: str = ""  # LocalTime, empty while open

    @property
    def on_time(self) -> bool:
        return bool(self.done_at) and self.done_at <= self.due


def request_outcomes(store: DocumentStore) -> list[RequestOutcome]:
    """The requests area's outcomes, or none while that area is not installed."""
    try:
        module = importlib.import_module(REQUESTS_MODULE)
    except ModuleNotFoundError as missing:
        if missing.name != REQUESTS_MODULE:
            raise  # the area is there but broken: say so, do not count zero requests
        return []
    provider: Callable[[DocumentStore], list[RequestOutcome]] | None = getattr(
        module, PROVIDER, None)
    return provider(store) if provider is not None else []
