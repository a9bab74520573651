"""需求: what the departments asked of the secretariat, open ones overdue first, with actions.

n files a request (a 场地 request names the room and hours and becomes a booking request),
a accepts it, d marks it done (a 场地 request's booking is confirmed), x declines it with a
reason and Delete withdraws it; both of those ask first and Ctrl+Z takes them back.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import partial

from rich.text import Text
from textual.binding import Binding

from store.booking_calendar import BookingCalendar
from store.booking_desk import BookingDesk
from store.docstore import doc_type
from store.reservations import RESERVATION
from store.desk_events import DeskEvent, save_event
from store.desk_handoff import withdraw_request
from store.desk_requests import (
    SUPPLIES,
    VENUE,
    DeskRequest,
    RequestState,
    Venue,
    accept_event,
    decline_event,
    done_event,
    file_request,
    open_by_age,
)

from ...plain_text import cell
from ...screens.undoable import Undoable
from ..common.fields_dialog import ChoiceField, Field, FieldsDialog
from .handoffs import answered_request_states, open_request_states, request_states
from .paging import Row
from .supply_handoff import reservation_desk, supply_handoff_dialog
from .table_pane import TablePane

CLOSED_SHOWN = 200  # answered requests below the open ones, newest first: a board, not an archive


def _short(moment: datetime | None) -> str:
    return "—" if moment is None else f"{moment:%m-%d %H:%M}"


class RequestsPane(TablePane):
    tab_key = "desk.requests.tab"
    pane_id = "requests"
    # what to act on first stays in view at 80 columns: the long title comes late
    columns = ("desk.requests.col.kind", "desk.requests.col.status", "desk.requests.col.promised",
               "desk.requests.col.department", "desk.requests.col.title", "desk.requests.col.filed")
    BINDINGS = [*TablePane.BINDINGS,
                Binding("n", "new_request", "desk.requests.new"),
                Binding("a", "accept", "desk.requests.accept"),
                Binding("d", "done", "desk.requests.done"),
                Binding("x", "decline", "desk.requests.decline"),
                Binding("delete", "withdraw", "desk.requests.withdraw", show=False)]

    @property
    def bookings(self) -> BookingDesk:
        ctx = self.ctx
        return BookingDesk(ctx.store, ctx.index(BookingCalendar),
                           ctx.settings.booking.a_class_notice_hours, ctx.settings.node_name)

    def states(self) -> list[RequestState]:
        return request_states(self.ctx)

    def rows(self) -> list[Row]:
        now = self.ctx.clock()
        opened = open_request_states(self.ctx)
        shown = (open_by_age(opened, now)
                 + answered_request_states(self.ctx, opened)[:CLOSED_SHOWN])
        return [(state.request.request_id, partial(self._cells, state, now)) for state in shown]

    def _cells(self, state: RequestState, now: datetime) -> tuple[Text, ...]:
        request = state.request
        status = self.t(f"desk.requests.status.{state.status}")
        acted = state.outcome or state.accepted
        if acted is not None:
            status = f"{status} · {acted.person}" + (f" · {acted.reason}" if acted.reason else "")
        overdue = state.overdue(now)
        if overdue:
            status = f"{status} · {self.t('desk.requests.overdue')}"
        return (cell(request.kind), cell(status, "bold red" if overdue else "", width=24),
                cell(_short(state.promised_by)), cell(request.department), cell(request.title),
                cell(_short(state.filed)))

    def selected_state(self) -> RequestState | None:
        key = self.selected_key()
        return next((s for s in self.states() if s.request.request_id == key), None)

    def open_state(self) -> RequestState | None:
        """The selected request if it still waits for an answer; else say so, before any typing."""
        state = self.selected_state()
        if state is not None and not state.open:
            self.notify(self.t("desk.error.already_answered", title=state.request.title),
                        severity="warning")
            return None
        return state

    def action_new_request(self) -> None:
        ctx = self.ctx
        kinds = tuple((kind, kind) for kind in ctx.settings.desk.promise_spans)
        rooms = (("—", ""), *((room.name, room.room_id)
                              for room in ctx.index(BookingCalendar).room_list()))
        fields = [ChoiceField("kind", self.t("desk.requests.field.kind"), choices=kinds),
                  Field("department", self.t("desk.requests.field.department")),
                  Field("title", self.t("desk.requests.field.title")),
                  Field("detail", self.t("desk.requests.field.detail")),
                  Field("needed_by", self.t("desk.requests.field.needed_by")),
                  ChoiceField("room", self.t("desk.requests.field.room"), choices=rooms),
                  Field("day", self.t("desk.requests.field.day")),
                  Field("start", self.t("desk.requests.field.start")),
                  Field("end", self.t("desk.requests.field.end"))]

        def save(values: dict[str, str]) -> None:
            venue = (Venue(values["room"], values["day"], values["start"], values["end"])
                     if values["kind"] == VENUE else None)
            file_request(ctx.store, DeskRequest("", values["kind"], values["department"],
                                                values["title"], values["detail"],
                                                values["needed_by"], node=ctx.settings.node_name),
                         ctx.settings.desk.promise_spans, ctx.clock(), venue, self.bookings)

        self.app.push_screen(FieldsDialog(self.t("desk.requests.new"), fields, save,
                                          self.t("desk.requests.venue_note")), self._saved)

    def _saved(self, saved: bool | None) -> None:
        if saved:
            self.notify(self.t("common.saved"))
            self.refill()

    def _ask_who(self, title: str, record: Callable[[RequestState, dict[str, str]], DeskEvent]
                 ) -> None:
        state = self.open_state()
        if state is None:
            return
        fields = [Field("who", self.t("desk.requests.field.who"))]
        self.app.push_screen(FieldsDialog(self.t(title, title=state.request.title), fields,
                                          lambda values: record(state, values)), self._saved)

    def action_accept(self) -> None:
        """A 物资 request is accepted by making its reservation, loan or take in the supply room."""
        ctx = self.ctx
        state = self.open_state()
        if state is not None and state.request.flow == SUPPLIES and state.accepted is None:
            self.app.push_screen(supply_handoff_dialog(ctx, state), self._saved)
            return
        self._ask_who("desk.requests.ask_accept", lambda state, values: save_event(
            ctx.store, accept_event(state, values["who"], ctx.clock(), ctx.settings.node_name)))

    def action_done(self) -> None:
        ctx = self.ctx
        self._ask_who("desk.requests.ask_done", lambda state, values: save_event(
            ctx.store, done_event(state, values["who"], ctx.clock(), ctx.settings.node_name,
                                  self.bookings)))

    def action_decline(self) -> None:
        """Who and why first; then the confirmation naming the request, and Ctrl+Z after."""
        ctx = self.ctx
        chosen: list[DeskEvent] = []

        def prepare(state: RequestState, values: dict[str, str]) -> DeskEvent:
            chosen.append(decline_event(state, values["who"], values["reason"], ctx.clock(),
                                        ctx.settings.node_name))
            return chosen[-1]

        def confirm(saved: bool | None) -> None:
            if not saved or not chosen:
                return
            event, title = chosen[-1], self.index.subject_title(chosen[-1].subject)
            self.confirm_then(self.t("desk.requests.confirm_decline", title=title),
                              [Undoable(self.t("desk.requests.decline"), (event.event_id,),
                                        lambda: save_event(ctx.store, event),
                                        self.t("desk.requests.declined", title=title))],
                              event.reason)

        state = self.open_state()
        if state is None:
            return
        self.app.push_screen(FieldsDialog(
            self.t("desk.requests.ask_decline", title=state.request.title),
            [Field("who", self.t("desk.requests.field.who")),
             Field("reason", self.t("desk.requests.field.reason"))],
            lambda values: prepare(state, values)), confirm)

    def action_withdraw(self) -> None:
        state = self.selected_state()
        if state is None:
            return
        request = state.request
        pending = state.handoff if doc_type(state.handoff) in ("booking", RESERVATION) else ""
        ids = (request.request_id, *((pending,) if pending else ()))
        self.confirm_then(
            self.t("desk.requests.confirm_withdraw", title=request.title,
                   department=request.department),
            [Undoable(self.t("desk.requests.withdraw"), ids,
                      lambda: withdraw_request(self.ctx.store, state, self.bookings,
                                               reservation_desk(self.ctx)),
                      self.t("desk.requests.withdrawn", title=request.title))],
            self.t("desk.requests.withdraw_detail") if pending else "")
