"""The bookings area's handle on the store: one :class:`BookingDesk` built from the context."""

from __future__ import annotations

from typing import TYPE_CHECKING

from store.booking_calendar import BookingCalendar
from store.booking_series import SeriesDesk

if TYPE_CHECKING:
    from ...context import AppContext


def booking_desk(ctx: AppContext) -> SeriesDesk:
    """Edits checked against the shared calendar, stamped with this node's name."""
    return SeriesDesk(ctx.store, ctx.index(BookingCalendar),
                       notice_hours=ctx.settings.booking.a_class_notice_hours,
                       node_name=ctx.settings.node_name)


def hour_text(hour: int) -> str:
    return f"{hour:02d}:00"
