"""What the dashboard shows, panel by panel, each line computed from an area's derived view."""

from __future__ import annotations

import time
from datetime import date
from typing import TYPE_CHECKING

from store.archive_index import ArchiveIndex
from store.booking import CONFIRMED
from store.booking_calendar import BookingCalendar
from store.documents_index import DocumentIndex
from store.desk_requests import open_by_age
from store.material_collection import CollectionIndex
from store.meeting_booking import owner_of
from store.meetings import ResolutionBoard, minutes_state
from store.meetings_attendance import AttendanceIndex
from store.reservation_pickup import Pickup, with_pickup
from store.reservations import ReservationBook
from store.supplies_index import SupplyIndex

from .widgets.dashboard.panel import PanelLine, PanelSpec
from .widgets.desk.handoffs import open_request_states

if TYPE_CHECKING:
    from .context import AppContext


def todays_bookings(ctx: AppContext) -> list[PanelLine]:
    calendar = ctx.index(BookingCalendar)
    attendance = ctx.index(AttendanceIndex)
    now = ctx.clock()
    today = now.date().isoformat()
    lines, listed = [], set()
    for meeting in attendance.meeting_list():
        if meeting.day != today:
            continue
        listed.add(meeting.meeting_id)
        signed, expected = attendance.count(meeting.meeting_id)
        room = calendar.rooms.get(meeting.room_id)
        lines.append(PanelLine((f"{meeting.start[11:16]}–{meeting.end[11:16]}",
                                room.name if room else "", meeting.title,
                                ctx.i18n("dashboard.signed_in", signed=signed, expected=expected))))
    for occurrence in sorted(calendar.day(now.date()), key=lambda o: o.start):
        booking = occurrence.booking
        if not booking.active or owner_of(booking.booking_id) in listed:
            continue  # a meeting's own booking: the meeting's line says more
        room = calendar.rooms.get(booking.room_id)
        status = ctx.i18n("dashboard.confirmed" if booking.status == CONFIRMED
                          else "dashboard.requested")
        lines.append(PanelLine((f"{occurrence.start:%H:%M}–{occurrence.end:%H:%M}",
                                room.name if room else booking.room_id, booking.title, status),
                               urgent=booking.status != CONFIRMED))
    lines.extend(todays_reservations(ctx))
    return sorted(lines, key=lambda line: line.cells)  # ties broken by room and title, not hash order


def todays_reservations(ctx: AppContext) -> list[PanelLine]:
    """Assets reserved today, with whether they were collected (one waiting is urgent)."""
    now, supplies = ctx.clock(), ctx.index(SupplyIndex)
    lines = []
    for reserved in with_pickup(ctx.index(ReservationBook).days(now.date(), 1), supplies, now,
                                ctx.settings.supplies.reservation_collect_minutes):
        occurrence, asset = reserved.occurrence, supplies.assets.get(reserved.asset_id)
        member = ctx.directory.by_id(reserved.member_id)
        lines.append(PanelLine((f"{occurrence.start:%H:%M}–{occurrence.end:%H:%M}",
                                f"{asset.tag} {asset.name}" if asset else reserved.asset_id,
                                ctx.i18n("reservations.dashboard_line",
                                         who=member.name if member else reserved.member_id),
                                ctx.i18n(f"reservations.state.{reserved.state}")),
                               urgent=reserved.state is Pickup.WAITING))
    return lines


def pending_confirmations(ctx: AppContext) -> list[PanelLine]:
    calendar = ctx.index(BookingCalendar)
    hours = ctx.settings.booking.confirm_within_hours
    lines = []
    requests = sorted(calendar.pending(ctx.clock(), hours),
                      key=lambda r: (-r.age, r.booking.start, r.booking.booking_id))
    for request in requests:
        room = calendar.rooms.get(request.booking.room_id)
        age = ctx.i18n("dashboard.hours", hours=f"{request.age.total_seconds() / 3600:.1f}")
        lines.append(PanelLine((request.booking.title, room.name if room else "",
                                request.booking.start[5:16].replace("T", " "), age),
                               urgent=request.overdue))
    return lines


def due_and_overdue(ctx: AppContext) -> list[PanelLine]:
    """Minutes not yet final, resolutions past their deadline and documents' promises and
    receipts: the secretariat's deadlines."""
    now = ctx.clock()
    rules = ctx.settings.meetings
    lines = []
    for meeting in ctx.index(AttendanceIndex).meeting_list():
        if meeting.end > now.isoformat(timespec="minutes") or meeting.minutes_status == "final":
            continue
        state = minutes_state(meeting, now, rules.minutes_draft_hours, rules.minutes_final_hours)
        key = "dashboard.minutes_final" if meeting.minutes_status == "draft" else "dashboard.minutes_draft"
        due = state.final_due if meeting.minutes_status == "draft" else state.draft_due
        lines.append(PanelLine((ctx.i18n(key), meeting.title, due.replace("T", " ")),
                               urgent=state.overdue))
    directory = ctx.directory
    for resolution in ctx.index(ResolutionBoard).overdue(now):
        owner = directory.by_id(resolution.owner)
        lines.append(PanelLine((ctx.i18n("dashboard.resolution_overdue"), resolution.text,
                                f"{resolution.deadline} · {owner.name if owner else resolution.owner}"),
                               urgent=True))
    return lines + document_deadlines(ctx)


def overdue_loans(ctx: AppContext) -> list[PanelLine]:
    """Assets and archive files past their due date, longest overdue first."""
    supplies = ctx.index(SupplyIndex)
    now = ctx.clock()
    late: list[tuple[int, PanelLine]] = []
    for loan in supplies.overdue(now):
        asset = supplies.assets.get(loan.asset_id)
        holder = ctx.directory.by_id(loan.member_id)
        days = loan.overdue_days(now)
        late.append((days, PanelLine((f"{asset.tag} {asset.name}" if asset else loan.asset_id,
                                      holder.name if holder else loan.member_id,
                                      ctx.i18n("dashboard.days", days=days)), urgent=True)))
    for overdue in ctx.index(ArchiveIndex).overdue_loans(now.date()):
        days = (now.date() - date.fromisoformat(overdue.loan.lend.due)).days
        late.append((days, PanelLine((f"{overdue.record.number} {overdue.record.title}",
                                      overdue.loan.lend.person,
                                      ctx.i18n("dashboard.days", days=days)), urgent=True)))
    return [line for _days, line in sorted(late, key=lambda pair: (-pair[0], pair[1].cells))]


def destruction_due(ctx: AppContext) -> list[PanelLine]:
    """Archive records whose retention period has ended (销毁到期): to destroy, with approval."""
    today = ctx.clock().date()
    return [PanelLine((record.number, record.title, str(record.retention_ends() or "")))
            for record in ctx.index(ArchiveIndex).destruction_due(today)]


def low_stock(ctx: AppContext) -> list[PanelLine]:
    return [PanelLine((row.item.name, f"{row.stock} {row.item.unit}", str(row.item.reorder_level)),
                      urgent=row.stock <= 0)
            for row in sorted(ctx.index(SupplyIndex).low_stock(), key=lambda r: r.stock)]


def document_deadlines(ctx: AppContext) -> list[PanelLine]:
    """Drafts and reviews overdue or due today, then every receipt still outstanding (with
    when the document was issued): part of the secretariat's deadlines panel."""
    index = ctx.index(DocumentIndex)
    now = ctx.clock()
    lines = [PanelLine((ctx.i18n(f"documents.due_{promise.kind}"), state.title,
                        promise.due.strftime("%Y-%m-%d %H:%M")), urgent=promise.overdue(now))
             for state, promise in index.waiting(now)]
    lines += [PanelLine((ctx.i18n("documents.unacknowledged", recipient=recipient), state.title,
                         state.issue.at.replace("T", " ") if state.issue else ""))
              for state, recipient in index.unacknowledged()]
    return lines


def open_requests(ctx: AppContext) -> list[PanelLine]:
    """The desk's open work: collections still waiting for departments (late ones first),
    then departments' requests not yet answered, overdue first, oldest first within each."""
    now = ctx.clock()
    collections = sorted(ctx.index(CollectionIndex).open_collections(),
                         key=lambda c: not c.overdue(now))
    lines = [PanelLine((ctx.i18n("collections.tab"), "、".join(c.missing), c.collection.title,
                        ctx.i18n("desk.dashboard.deadline",
                                 deadline=c.collection.deadline.replace("T", " ")[5:])),
                       urgent=c.overdue(now))
             for c in collections]
    return lines + [PanelLine((state.request.kind, state.request.department, state.request.title,
                               ctx.i18n("desk.dashboard.age",
                                        hours=f"{state.age(now).total_seconds() / 3600:.1f}")),
                              urgent=state.overdue(now))
                    for state in open_by_age(open_request_states(ctx), now)]


def sync_peers(ctx: AppContext) -> list[PanelLine]:
    lines = []
    for peer in ctx.sync_peers():
        seen = ("—" if peer.last_seen is None
                else ctx.i18n("dashboard.seconds_ago", seconds=f"{time.time() - peer.last_seen:.0f}"))
        name = ctx.i18n("hub.label", url=_short(peer.url)) if peer.kind == "hub" else peer.url
        error = ctx.i18n(f"hub.problem.{peer.problem}") if peer.problem else peer.last_error[:40]
        lines.append(PanelLine((name, ctx.i18n(f"dashboard.peer_state.{peer.state}"), seen,
                                str(peer.lag_seq), error),
                               urgent=peer.state == "failing"))
    missing = ctx.sync_scans_missing()
    if missing:  # records whose scans no peer has delivered yet (or damaged here)
        lines.append(PanelLine((ctx.i18n("dashboard.scans_missing", count=missing), "", "", "", ""),
                               urgent=True))
    return lines


def _short(url: str) -> str:
    """A hub's URL without what every hub has (the scheme), so its name fits the column."""
    return url.split("://", 1)[-1]


PANELS: tuple[PanelSpec, ...] = (
    PanelSpec("panel-today", "dashboard.today", ("dashboard.col.time", "dashboard.col.room",
              "dashboard.col.title", "dashboard.col.status"), todays_bookings),
    PanelSpec("panel-pending", "dashboard.pending", ("dashboard.col.title", "dashboard.col.room",
              "dashboard.col.when", "dashboard.col.age"), pending_confirmations),
    PanelSpec("panel-due", "dashboard.due", ("dashboard.col.what", "dashboard.col.title",
              "dashboard.col.due"), due_and_overdue),
    PanelSpec("panel-loans", "dashboard.loans", ("dashboard.col.lent", "dashboard.col.holder",
              "dashboard.col.overdue"), overdue_loans),
    PanelSpec("panel-stock", "dashboard.low_stock", ("dashboard.col.item", "dashboard.col.stock",
              "dashboard.col.reorder"), low_stock),
    PanelSpec("panel-destruction", "dashboard.destruction", ("dashboard.col.number",
              "dashboard.col.title", "dashboard.col.retention_ended"), destruction_due),
    PanelSpec("panel-requests", "desk.dashboard.requests", ("desk.dashboard.col.kind",
              "desk.dashboard.col.department", "desk.dashboard.col.title",
              "desk.dashboard.col.age"), open_requests),
    PanelSpec("panel-sync", "dashboard.sync", ("dashboard.col.peer", "dashboard.col.state",
              "dashboard.col.seen", "dashboard.col.lag", "dashboard.col.error"), sync_peers),
)
