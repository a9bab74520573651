"""``mishu kiosk signin``: the sign-in terminal by the meeting-room door.

A member scans their badge (or types their ID, or a name in pinyin or Chinese and picks
themselves from a list) and sees at a glance whether they are signed in. The answers only ever
show the member's own name and department. Sign-ins are written as ``signin:`` facts (see
:mod:`store.meetings`), so two kiosks at two doors merge without conflicts.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from textual.app import ComposeResult

from store.booking_calendar import BookingCalendar
from store.errors import ValidationError
from store.meeting_booking import room_name
from store.meetings import Meeting, meeting_doc_id, meeting_now_or_next
from store.meetings_attendance import AttendanceIndex, late_after, sign_in
from store.members import Member
from sync.kiosk_selectors import signin_selector
from tui.context import AppContext
from tui.plain_text import clip

from .base import EXIT, KioskApp, run_kiosk
from .member_chooser import MemberChooser, pick_list, who
from .scanner import Scan
from .widgets.meeting_picker import MeetingPicker
from .widgets.pin_dialog import AdminAction

if TYPE_CHECKING:
    from tui.cli import CliContext

SWITCH = "switch_meeting"
SCHEDULE_CHECK_SECONDS = 30.0


class SigninKiosk(KioskApp):
    IDLE_KEY = "kiosk.signin_idle"
    TITLE_KEY = "kiosk.title_signin"

    def __init__(self, ctx: AppContext, meeting_id: str | None = None) -> None:
        super().__init__(ctx)
        self.fixed_meeting = meeting_doc_id(meeting_id) if meeting_id else None
        # bound to the store, so a member signed in at two doors shows the earlier time
        self.attendance = ctx.index(AttendanceIndex)
        self.meeting: Meeting | None = None
        self.walk_in_offer: tuple[Member, str] | None = None
        self.chooser = MemberChooser(self)

    # -- layout and live figures ------------------------------------------------------------

    def compose_kiosk(self) -> ComposeResult:
        yield from super().compose_kiosk()
        yield pick_list()

    def kiosk_ready(self) -> None:
        self.ctx.directory  # noqa: B018 - built now, not on the first scan
        self.follow_store(self.refresh_header)
        super().kiosk_ready()
        self.choose_meeting()
        self.set_interval(SCHEDULE_CHECK_SECONDS, self.guarded(self._follow_schedule))

    def _follow_schedule(self) -> None:
        """Without ``--meeting``, move on to the next meeting when one ends (between people)."""
        if self.fixed_meeting is None and not self.showing_personal_data:
            self.choose_meeting()

    def choose_meeting(self) -> None:
        if self.fixed_meeting is not None:
            self.meeting = self.attendance.meeting(self.fixed_meeting)
        else:
            self.meeting = meeting_now_or_next(self.attendance.meetings.values(), self.ctx.clock())
        self.refresh_header()

    def refresh_header(self) -> None:
        t = self.ctx.i18n
        if self.meeting is None:
            self.set_header(t("kiosk.no_meeting"))
            return
        self.meeting = self.attendance.meeting(self.meeting.meeting_id) or self.meeting
        signed, expected = self.attendance.count(self.meeting.meeting_id)
        self.set_header(t("kiosk.header", title=clip(self.meeting.title),
                          start=self.meeting.start[11:16], end=self.meeting.end[11:16],
                          room=room_name(self.ctx.index(BookingCalendar), self.meeting.room_id),
                          signed=signed, expected=expected))

    # -- answering --------------------------------------------------------------------------

    def answer_scan(self, scan: Scan) -> None:
        t = self.ctx.i18n
        self._drop_offers()
        if self.meeting is None:
            self.show_refused(t("kiosk.no_meeting"))
            return
        found = self.chooser.answer(scan)
        if found is not None:
            self.sign(*found)

    def sign(self, member: Member, method: str, walk_in: bool = False) -> None:
        t = self.ctx.i18n
        assert self.meeting is not None
        outcome = sign_in(self.ctx.store, self.attendance, self.meeting, member.member_id,
                          now=self.ctx.clock(), node=self.ctx.settings.node_name,
                          method=method, walk_in=walk_in, door=self.ctx.settings.kiosk_name)
        person = who(member)
        if outcome.kind == "ok" and outcome.signin is not None:
            late = outcome.signin.time > late_after(self.meeting,
                                                    self.ctx.settings.meetings.late_grace_minutes)
            note = t("kiosk.late") if late else ""
            note = t("kiosk.walk_in") if outcome.signin.walk_in else note
            self.show_ok(t("kiosk.signed_in"), f"{person} · {outcome.signin.clock} {note}".strip())
        elif outcome.kind == "already" and outcome.signin is not None:
            earlier = outcome.signin
            if earlier.door:
                self.show_notice(t("kiosk.already_at", time=earlier.clock, door=earlier.door), person)
            else:
                self.show_notice(t("kiosk.already", time=earlier.clock), person)
        else:
            self.walk_in_offer = (member, method)
            self.show_refused(t("kiosk.not_on_roster"), person)
            self.set_hint(t("kiosk.walk_in_offer"))
        self.refresh_header()

    def _drop_offers(self) -> None:
        self.walk_in_offer = None
        self.chooser.drop()
        self.set_hint(self.ctx.i18n("kiosk.hint"))

    def confirm(self) -> None:
        if self.walk_in_offer is not None:
            member, method = self.walk_in_offer
            self._drop_offers()
            self.sign(member, method, walk_in=True)
        elif self.chooser.offering:
            member = self.chooser.take_choice()
            self._drop_offers()
            if member is not None:
                self.sign(member, "name")

    def navigate(self, delta: int) -> None:
        self.chooser.navigate(delta)

    def cancel(self) -> None:
        self._drop_offers()
        self.show_idle()
        self.showing_personal_data = False

    def forget_personal_state(self) -> None:
        self._drop_offers()
        if self.fixed_meeting is None:
            self.choose_meeting()

    # -- admin ------------------------------------------------------------------------------

    def admin_actions(self) -> list[AdminAction]:
        return [(EXIT, "kiosk.admin_exit"), (SWITCH, "kiosk.admin_switch"),
                ("cancel", "common.cancel")]

    def run_admin_action(self, action: str) -> None:
        if action == SWITCH:
            self.push_screen(MeetingPicker(self.attendance.meeting_list()), self.switch_to)
        else:
            super().run_admin_action(action)

    def switch_to(self, meeting_id: str | None) -> None:
        if meeting_id is not None:
            self.fixed_meeting = meeting_id
            self.reset_to_idle()
            self.choose_meeting()


def run_signin_kiosk(cli: CliContext, args: argparse.Namespace) -> int:
    def make(ctx: AppContext) -> SigninKiosk:
        if args.meeting and not ctx.store.exists(meeting_doc_id(args.meeting)):
            raise ValidationError("meetings.error.no_meeting", "No meeting {meeting_id}",
                                  meeting_id=args.meeting)
        return SigninKiosk(ctx, args.meeting)

    fixed = [meeting_doc_id(args.meeting)] if args.meeting else []
    return run_kiosk(cli, make, lambda ctx: lambda: signin_selector(
        ctx.store, ctx.clock().date(), fixed))
