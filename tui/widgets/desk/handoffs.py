"""Department requests as the desk, the dashboard and the KPI show them: met when their flow
met them.

The desk's index derives a request's state from the desk's own facts; a request handed to the
bookings, the supply room or the documents flow is also done once that flow fulfilled its
record (:mod:`store.desk_handoff`). The flows' views are asked for lazily, each only when an
open request was handed to it, so a desk with no handoffs builds none of them.
"""

from __future__ import annotations

import heapq
from typing import TYPE_CHECKING

from store.booking_calendar import BookingCalendar
from store.desk_handoff import with_handoffs
from store.desk_index import DeskIndex
from store.desk_requests import RequestState
from store.documents_index import DocumentIndex
from store.reservations import Reservation, ReservationBook
from store.supplies_index import SupplyIndex

if TYPE_CHECKING:
    from ...context import AppContext


class DeskFlows:
    """:class:`store.desk_handoff.Flows` over the app's shared views."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def bookings(self) -> BookingCalendar:
        return self.ctx.index(BookingCalendar)

    def reservations(self) -> dict[str, Reservation]:
        return self.ctx.index(ReservationBook).reservations

    def supplies(self) -> SupplyIndex:
        return self.ctx.index(SupplyIndex)

    def documents(self) -> DocumentIndex:
        return self.ctx.index(DocumentIndex)

    def name_of(self, person: str) -> str:
        member = self.ctx.directory.by_id(person)
        return member.name if member is not None else person


def request_states(ctx: AppContext) -> list[RequestState]:
    return with_handoffs(ctx.index(DeskIndex).request_states(ctx.settings.desk.promise_spans),
                         DeskFlows(ctx))


def open_request_states(ctx: AppContext) -> list[RequestState]:
    """The requests the index holds open, each handed-off one marked done once met (the open
    ones are few; the index keeps them, so the board and the dashboard skip the answered)."""
    return with_handoffs(ctx.index(DeskIndex).open_request_states(ctx.settings.desk.promise_spans),
                         DeskFlows(ctx))


def answered_request_states(ctx: AppContext, opened: list[RequestState]) -> list[RequestState]:
    """The answered requests, newest filed first: the index's, with those of ``opened`` a flow
    met merged in."""
    answered = ctx.index(DeskIndex).answered_request_states(ctx.settings.desk.promise_spans)
    met = sorted((state for state in opened if not state.open), key=_filed, reverse=True)
    if not met:
        return answered
    return list(heapq.merge(met, answered, key=_filed, reverse=True))


def _filed(state: RequestState) -> str:
    return state.request.filed_at
