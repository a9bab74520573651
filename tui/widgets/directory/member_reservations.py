"""Under the member list: the selected member's asset reservations, newest first, with whether
each was collected or released.

The pickup state needs the supply room's loans; a large supply index is first built in a
worker thread (as the supplies screen does), so opening the directory never stalls on it.
"""

from __future__ import annotations

from textual import on, work
from textual.widgets import Static
from textual.worker import Worker, WorkerState

from store.reservation_pickup import with_pickup
from store.reservations import ReservationBook
from store.supplies_index import SupplyIndex

from ...plain_text import plain
from ..supplies.reservation_table import history_lines

LINES = 5


class MemberReservations(Static):
    DEFAULT_CSS = """
    MemberReservations {
        height: auto;
        max-height: 7;
        padding: 0 1;
        border-top: solid $primary;
    }
    """

    def __init__(self, **kwargs: str) -> None:
        super().__init__("", **kwargs)
        self.member_id = ""

    def show_member(self, member_id: str) -> None:
        self.member_id = member_id
        ctx = self.app.ctx  # type: ignore[attr-defined]
        t = ctx.i18n
        book = ctx.index(ReservationBook)
        dates = book.of_member(member_id)[:LINES] if member_id else []
        self.display = bool(dates)
        if not dates:
            return
        if not ctx.has_index(SupplyIndex):
            self.update(t("supplies.loading"))
            self._build_supplies()
            return
        supplies = ctx.index(SupplyIndex)
        dated = with_pickup(dates, supplies, ctx.clock(),
                            ctx.settings.supplies.reservation_collect_minutes)
        self.update(plain("\n".join([t("reservations.history_title"),
                                     *history_lines(t, dated, supplies.assets)])))

    @work(thread=True, exclusive=True, group="member-reservations")
    def _build_supplies(self) -> None:
        self.app.ctx.index(SupplyIndex)  # type: ignore[attr-defined]

    @on(Worker.StateChanged)
    def _supplies_built(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "member-reservations" and event.state is WorkerState.SUCCESS:
            self.show_member(self.member_id)
