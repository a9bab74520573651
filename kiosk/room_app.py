"""``mishu kiosk room ROOM``: the small screen at a meeting room's door.

It shows today's bookings of the room, which one holds it now and until when it is free. The
booker or an attendee of the booking checks in with their badge (or ID, or name) from
``[kiosk] room_checkin_minutes`` before the start until as long after it; a booking nobody
claimed by then is released, shown as free and bookable again. The kiosk writes only
``roomcheckin:`` facts and its ``roomdoor:`` record; the release itself is derived on every
node (:mod:`store.room_checkin`), so it happens on time even while this kiosk is offline.
"""

from __future__ import annotations

import argparse
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.widgets import Static

from store.booking_calendar import BookingCalendar
from store.errors import ValidationError
from store.meeting_booking import owner_of
from store.meetings_attendance import AttendanceIndex
from store.members import Member
from store.room_board import BoardEntry, RoomBoard, SlotState, room_board
from store.room_checkin import MAX_WINDOW_MINUTES, RoomCheckIn, put_up_door, record_checkin
from store.rooms import Room
from sync.kiosk_selectors import room_door_selector
from tui.context import AppContext
from tui.plain_text import clip, plain

from .base import EXIT, KioskApp, run_kiosk
from .member_chooser import MemberChooser, pick_list, who
from .scanner import Scan
from .widgets.pin_dialog import AdminAction

if TYPE_CHECKING:
    from tui.cli import CliContext

REFRESH_SECONDS = 10.0  # releases happen by the clock alone: look again now and then


def _clock(moment: datetime) -> str:
    return f"{moment:%H:%M}"


class RoomKiosk(KioskApp):
    IDLE_KEY = "roomkiosk.idle"
    TITLE_KEY = "kiosk.title_room"

    def __init__(self, ctx: AppContext, room: Room) -> None:
        super().__init__(ctx)
        self.room = room
        self.calendar = ctx.index(BookingCalendar)
        self.attendance = ctx.index(AttendanceIndex)
        self.chooser = MemberChooser(self)

    @property
    def early(self) -> timedelta:
        """How long before its start a booking may be checked in to: the door's window."""
        rule = self.calendar.checkins.rule(self.room.room_id)
        return rule.window if rule is not None else timedelta(
            minutes=self.ctx.settings.kiosk.room_checkin_minutes)

    def board(self) -> RoomBoard:
        return room_board(self.calendar, self.room.room_id, self.ctx.clock())

    # -- layout and the day's bookings ------------------------------------------------------

    def compose_kiosk(self) -> ComposeResult:
        yield from super().compose_kiosk()
        yield pick_list()
        yield Static("", id="room-today")

    def kiosk_ready(self) -> None:
        self.ctx.directory  # noqa: B018 - built now, not on the first scan
        put_up_door(self.ctx.store, self.room.room_id, self.ctx.settings.node_name,
                    self.ctx.clock(), self.ctx.settings.kiosk.room_checkin_minutes)
        self.follow_store(self.refresh_board)
        super().kiosk_ready()
        self.refresh_board()
        self.set_interval(REFRESH_SECONDS, self.guarded(self.refresh_board))

    def refresh_board(self) -> None:
        t = self.ctx.i18n
        board = self.board()
        now = board.now
        title = t("roomkiosk.header", room=clip(self.room.name), date=f"{now:%Y-%m-%d}",
                  time=_clock(now))
        self.set_header(f"{title}\n{self._now_line(board)}")
        lines = [self._entry_line(entry) for entry in board.entries]
        today = self.kiosk_screen.query_one("#room-today", Static)
        today.update(plain("\n".join([t("roomkiosk.today"), *lines] if lines
                                     else [t("roomkiosk.today_none")])))

    def _now_line(self, board: RoomBoard) -> str:
        t = self.ctx.i18n
        current = board.current
        if current is not None:
            occ = current.occurrence
            return t("roomkiosk.now_busy", title=clip(occ.booking.title), end=_clock(occ.end))
        until = board.free_until
        if until is None:
            return t("roomkiosk.free_all_day")
        upcoming = board.next
        assert upcoming is not None
        return t("roomkiosk.free_until", time=_clock(until),
                 title=clip(upcoming.occurrence.booking.title))

    def _entry_line(self, entry: BoardEntry) -> str:
        t = self.ctx.i18n
        occ = entry.occurrence
        if entry.state is SlotState.CHECKED_IN and entry.claimed is not None:
            state = t("roomkiosk.state.checked_in", time=entry.claimed.time[11:16])
        elif entry.state in (SlotState.AWAITING, SlotState.UPCOMING) and entry.deadline:
            state = t(f"roomkiosk.state.{entry.state}", deadline=_clock(entry.deadline),
                      opens=_clock(occ.start - self.early))
        elif entry.state is SlotState.RELEASED and entry.deadline is not None:
            state = t("roomkiosk.state.released", time=_clock(entry.deadline))
        else:
            state = t(f"roomkiosk.state.{entry.state}")
        return f"{_clock(occ.start)}–{_clock(occ.end)}  {clip(occ.booking.title, 30)}  · {state}"

    # -- checking in ------------------------------------------------------------------------

    def answer_scan(self, scan: Scan) -> None:
        self.chooser.drop()
        found = self.chooser.answer(scan)
        if found is not None:
            self.check_in(*found)

    def may_claim(self, member: Member, entry: BoardEntry) -> bool:
        """The booker, or someone on the roster of the meeting the booking is for."""
        booking = entry.occurrence.booking
        if member.member_id == booking.organiser:
            return True
        meeting_id = owner_of(booking.booking_id)
        meeting = self.attendance.meeting(meeting_id) if meeting_id else None
        return meeting is not None and member.member_id in meeting.roster

    def check_in(self, member: Member, method: str) -> None:
        t = self.ctx.i18n
        board = self.board()
        entry = board.open_for_checkin(self.early)
        person = who(member)
        if entry is None:
            self._nothing_to_claim(board, person)
        elif not self.may_claim(member, entry):
            self.show_refused(t("roomkiosk.not_yours"),
                              f"{person}\n{clip(entry.occurrence.booking.title)}")
        elif entry.claimed is not None:
            self.show_notice(t("roomkiosk.already", time=entry.claimed.time[11:16]),
                             clip(entry.occurrence.booking.title))
        else:
            now = self.ctx.clock()
            occ = entry.occurrence
            record_checkin(self.ctx.store, RoomCheckIn(
                occ.booking.booking_id, occ.day.isoformat(), member.member_id,
                now.isoformat(timespec="minutes"), self.ctx.settings.node_name, method,
                self.ctx.settings.kiosk_name))
            self.show_ok(t("roomkiosk.checked_in"),
                         f"{person} · {_clock(now)}\n{clip(occ.booking.title)}")
        self.refresh_board()

    def _nothing_to_claim(self, board: RoomBoard, person: str) -> None:
        t = self.ctx.i18n
        released = board.released_just_now()
        if released is not None and released.deadline is not None:
            self.show_refused(t("roomkiosk.released", time=_clock(released.deadline)),
                              t("roomkiosk.book_again"))
            return
        upcoming = board.next
        detail = person
        if upcoming is not None and upcoming.deadline is not None:
            detail = t("roomkiosk.opens_at", time=_clock(upcoming.occurrence.start - self.early),
                       title=clip(upcoming.occurrence.booking.title))
        self.show_notice(t("roomkiosk.nothing_now"), detail)  # too early is no error

    def confirm(self) -> None:
        if self.chooser.offering:
            member = self.chooser.take_choice()
            self.set_hint(self.ctx.i18n("kiosk.hint"))
            if member is not None:
                self.check_in(member, "name")

    def navigate(self, delta: int) -> None:
        self.chooser.navigate(delta)

    def cancel(self) -> None:
        self.forget_personal_state()
        self.show_idle()
        self.showing_personal_data = False

    def forget_personal_state(self) -> None:
        self.chooser.drop()
        self.refresh_board()

    def admin_actions(self) -> list[AdminAction]:
        return [(EXIT, "roomkiosk.admin_exit"), ("cancel", "common.cancel")]


def run_room_kiosk(cli: CliContext, args: argparse.Namespace) -> int:
    def make(ctx: AppContext) -> RoomKiosk:
        minutes = ctx.settings.kiosk.room_checkin_minutes
        if not 0 <= minutes <= MAX_WINDOW_MINUTES:
            raise ValidationError("roomkiosk.error.window",
                                  "kiosk.room_checkin_minutes must be 0 to {most}, not {minutes}",
                                  most=MAX_WINDOW_MINUTES, minutes=minutes)
        room = ctx.index(BookingCalendar).room_named(args.room)
        if room is None:
            raise ValidationError("bookings.error.unknown_room", "No room {room}", room=args.room)
        return RoomKiosk(ctx, room)

    return run_kiosk(cli, make, lambda _ctx: room_door_selector)
