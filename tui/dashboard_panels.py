"""What the dashboard shows, panel by panel, each line computed from an area's derived view."""

from __future__ import annotations

from typing import TYPE_CHECKING

from store.booking import CONFIRMED, BookingCalendar

from .widgets.dashboard.panel import PanelLine, PanelSpec

if TYPE_CHECKING:
    from .context import AppContext


def todays_bookings(ctx: AppContext) -> list[PanelLine]:
    calendar = ctx.index(BookingCalendar)
    now = ctx.clock()
    lines = []
    for occurrence in sorted(calendar.day(now.date()), key=lambda o: o.start):
        booking = occurrence.booking
        if not booking.active:
            continue
        room = calendar.rooms.get(booking.room_id)
        status = ctx.i18n("dashboard.confirmed" if booking.status == CONFIRMED
                          else "dashboard.requested")
        lines.append(PanelLine((f"{occurrence.start:%H:%M}–{occurrence.end:%H:%M}",
                                room.name if room else booking.room_id, booking.title, status),
                               urgent=booking.status != CONFIRMED))
    return lines


def pending_confirmations(ctx: AppContext) -> list[PanelLine]:
    calendar = ctx.index(BookingCalendar)
    hours = ctx.settings.booking.confirm_within_hours
    lines = []
    for request in calendar.pending(ctx.clock(), hours):
        room = calendar.rooms.get(request.booking.room_id)
        age = ctx.i18n("dashboard.hours", hours=f"{request.age.total_seconds() / 3600:.1f}")
        lines.append(PanelLine((request.booking.title, room.name if room else "",
                                request.booking.start.replace("T", " "), age),
                               urgent=request.overdue))
    return lines


PANELS: tuple[PanelSpec, ...] = (
    PanelSpec("panel-today", "dashboard.today", ("dashboard.col.time", "dashboard.col.room",
              "dashboard.col.title", "dashboard.col.status"), todays_bookings),
    PanelSpec("panel-pending", "dashboard.pending", ("dashboard.col.title", "dashboard.col.room",
              "dashboard.col.when", "dashboard.col.age"), pending_confirmations),
)
