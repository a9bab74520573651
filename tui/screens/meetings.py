"""会议: meetings, live attendance as sign-ins arrive (from any kiosk), minutes and resolutions.

The attendance view is an :class:`~store.meetings_attendance.AttendanceIndex` bound to the
store (so sign-ins merged from two kiosks show the earlier time); the screen redraws on every
committed change, local or replicated.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Static

from store.booking_calendar import BookingCalendar
from store.meeting_booking import cancel_meeting, room_name
from store.meeting_lookup import short_code
from store.meeting_replies import ATTEND, ANSWERS, Reply, check_reply, record_reply
from store.meetings import (DONE, IN_PROGRESS, MINUTES_STATUSES, OPEN, Meeting, Resolution,
                            ResolutionBoard, format_time, minutes_state, record_absence,
                            save_resolution, set_minutes_status, set_resolution_status)
from store.meetings_attendance import AttendanceIndex, manual_window_refusal, sign_in
from store.meetings_export import attendance_records

from ..cli_commands.meetings import localised_rows, write_attendance
from ..widgets.common.confirm_dialog import Choice, ConfirmDialog
from ..plain_text import plain
from ..widgets.common.fields_dialog import ChoiceField, Field, FieldsDialog, MemberField
from ..widgets.common.progress_dialog import ProgressDialog
from ..widgets.meetings.attendance_table import AttendanceTable
from ..widgets.meetings.meeting_form import MeetingForm
from ..widgets.meetings.meeting_list import MeetingList
from ..widgets.meetings.minutes_editor import MinutesEditor
from ..widgets.meetings.notice_dialog import NoticeDialog
from ..widgets.meetings.reason_dialog import ReasonDialog
from ..widgets.meetings.resolution_table import ResolutionTable
from .base import PaletteCommand
from .undoable import Undoable, UndoableScreen

NEXT_STATUS = {OPEN: IN_PROGRESS, IN_PROGRESS: DONE, DONE: OPEN}


class MeetingsScreen(UndoableScreen):
    title_key = "nav.meetings"
    CSS_PATH = "../styles/meetings.tcss"
    # The key bar shows what is done during a meeting; the rest is in the palette.
    BINDINGS = [
        Binding("ctrl+n", "new_meeting", "meetings.new"),
        Binding("ctrl+e", "edit_meeting", "meetings.edit", show=False),
        Binding("m", "manual_signin", "meetings.manual_signin"),
        Binding("l", "record_leave", "meetings.record_leave"),
        Binding("r", "new_resolution", "meetings.new_resolution", show=False),
        Binding("u", "advance_resolution", "meetings.advance_resolution", show=False),
        Binding("b", "toggle_board", "meetings.toggle_board", show=False),
        Binding("d", "advance_minutes", "meetings.advance_minutes", show=False),
        Binding("w", "write_minutes", "meetings.write_minutes"),
        Binding("t", "notice", "meetings.notice", show=False),
        Binding("y", "record_reply", "meetings.reply", show=False),
        Binding("c", "cancel_meeting", "meetings.cancel_meeting", show=False),
        Binding("x", "export_attendance", "meetings.export", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._unsubscribe: Callable[[], None] | None = None
        self.meeting_id: str | None = None
        self.board_all = False
        self._redraw_pending = False

    @property
    def attendance(self) -> AttendanceIndex:
        return self.ctx.index(AttendanceIndex)

    @property
    def board(self) -> ResolutionBoard:
        return self.ctx.index(ResolutionBoard)

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="meetings"):
            yield MeetingList(id="meeting-list")
            with Vertical(id="meeting-detail"):
                yield Static("", id="attendance-summary")
                yield AttendanceTable(id="attendance-table")
                yield Static("", id="board-title")
                yield ResolutionTable(id="resolution-table")
        self.fill_after_mount(self.refresh_all)

    def on_mount(self) -> None:
        self._unsubscribe = self.ctx.store.subscribe(self._store_changed)

    def _store_changed(self, _seq: int) -> None:
        # a replication batch commits many documents: redraw once for all of them
        if not self._redraw_pending:
            self._redraw_pending = True
            self.app.call_later(self.refresh_all)

    def on_unmount(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()

    # -- drawing ----------------------------------------------------------------------------

    def refresh_all(self) -> None:
        self._redraw_pending = False
        if not self.is_mounted:
            return
        rules = self.ctx.settings.meetings
        now = self.ctx.clock()
        meetings = self.query_one(MeetingList)
        meetings.reload(self.attendance, now, rules)
        if self.meeting_id is None or self.attendance.meeting(self.meeting_id) is None:
            self.meeting_id = meetings.selected_id()
        elif meetings.selected_id() != self.meeting_id:
            meetings.select(self.meeting_id)
        self.refresh_detail()

    def refresh_detail(self) -> None:
        t = self.t
        rules = self.ctx.settings.meetings
        now = self.ctx.clock()
        meeting = self.current_meeting()
        table = self.query_one(AttendanceTable)
        if meeting is None:
            table.reload([])
            self.query_one("#attendance-summary", Static).update(plain(t("meetings.none")))
        else:
            rows = self.attendance.rows(meeting.meeting_id, rules.late_grace_minutes, now)
            table.reload(attendance_records(rows, self.ctx.directory))
            self.query_one("#attendance-summary", Static).update(self.summary_text(meeting))
        board = self.board.all(None if self.board_all or meeting is None else meeting.meeting_id)
        self.query_one("#board-title", Static).update(plain(
            t("meetings.board_all" if self.board_all else "meetings.board_meeting",
              count=len(board), overdue=sum(1 for r in board if r.is_overdue(now)))))
        self.query_one(ResolutionTable).reload(board, now, self.ctx.directory, self.attendance)

    def summary_text(self, meeting: Meeting) -> Text:
        t = self.t
        rules = self.ctx.settings.meetings
        now = self.ctx.clock()
        s = self.attendance.summary(meeting.meeting_id, rules.late_grace_minutes, now)
        state = minutes_state(meeting, now, rules.minutes_draft_hours, rules.minutes_final_hours)
        absent = [r for r in attendance_records(
            self.attendance.rows(meeting.meeting_id, rules.late_grace_minutes, now),
            self.ctx.directory) if r.status.value == "absent"]
        minutes = plain(t("meetings.minutes_line",
                          status=t(f"meetings.minutes.{meeting.minutes_status}"),
                          draft=state.draft_due.replace("T", " "),
                          final=state.final_due.replace("T", " ")))
        if state.overdue:
            minutes.append(f"  {t('meetings.overdue')}", style="b red")
        lines = [
            Text.assemble(plain(meeting.title, style="b"), plain(
                f"  {meeting.start.replace('T', ' ')}–{meeting.end[11:16]}  "
                f"{t('meetings.class_label', cls=meeting.meeting_class)}")),
            plain(t("meetings.summary" if s.started else "meetings.summary_not_started",
                    present=s.present, late=s.late, absent=s.absent, excused=s.excused,
                    walk_in=s.walk_in, signed=s.signed_in, expected=s.expected,
                    rate=f"{s.rate:.0%}")),
            minutes,
        ]
        if meeting.room_id:
            room = room_name(self.ctx.index(BookingCalendar), meeting.room_id)
            lines.insert(1, plain(t("meetings.room_line", room=room)))
        lines.append(plain(t("meetings.code_line", code=short_code(meeting))))
        if absent:
            lines.append(plain(t("meetings.absentees",
                                 names=t("meetings.name_separator").join(
                                     r.name for r in absent[:20]))))
        return Text("\n").join(lines)

    def current_meeting(self) -> Meeting | None:
        return self.attendance.meeting(self.meeting_id) if self.meeting_id else None

    @on(DataTable.RowHighlighted, "#meeting-list")
    def meeting_highlighted(self, event: DataTable.RowHighlighted) -> None:
        chosen = str(event.row_key.value) if event.row_key is not None else None
        if chosen != self.meeting_id:
            self.meeting_id = chosen
            self.refresh_detail()

    # -- actions ----------------------------------------------------------------------------

    def action_new_meeting(self) -> None:
        start = self.ctx.clock().replace(minute=0) + timedelta(hours=1)
        draft = Meeting(Meeting.new_id(), "", format_time(start),
                        format_time(start + timedelta(hours=1)))
        self.app.push_screen(MeetingForm(draft), self._after_meeting_form)

    def action_edit_meeting(self) -> None:
        meeting = self.current_meeting()
        if meeting is not None:
            self.app.push_screen(MeetingForm(meeting), self._after_meeting_form)

    def _after_meeting_form(self, saved: str | None) -> None:
        if saved:
            self.meeting_id = saved
            self.notify(self.t("common.saved"))
            self.refresh_all()

    def action_manual_signin(self) -> None:
        meeting, record = self.current_meeting(), self.query_one(AttendanceTable).selected()
        if meeting is None or record is None:
            return

        window = self.ctx.settings.meetings.manual_signin_opens_minutes
        refusal = manual_window_refusal(meeting, self.ctx.clock(), window)

        def done(reason: str | None, override: bool = False) -> None:
            if reason is None:
                return
            outcome = sign_in(self.ctx.store, self.attendance, meeting, record.member_id,
                              now=self.ctx.clock(), node=self.ctx.settings.node_name,
                              method="manual", walk_in=True, reason=reason, override=override,
                              window_minutes=window)
            if outcome.kind == "already" and outcome.signin is not None:
                self.notify(self.t("meetings.already", name=record.name,
                                   time=outcome.signin.clock), severity="warning")
            else:
                self.notify(self.t("meetings.signed_in", name=record.name))

        if refusal is None:
            self.app.push_screen(
                ReasonDialog(self.t("meetings.manual_signin_for", name=record.name)), done)
            return

        def chosen(key: str | None) -> None:
            if key is not None:
                self.app.push_screen(
                    ReasonDialog(self.t("meetings.override_for", name=record.name)),
                    lambda reason: done(reason, override=True))

        self.app.push_screen(ConfirmDialog(
            self.ctx.i18n.error(refusal), [Choice("override", self.t("meetings.override"))],
            self.t("meetings.override_detail", name=record.name)), chosen)

    def action_record_leave(self) -> None:
        meeting, record = self.current_meeting(), self.query_one(AttendanceTable).selected()
        if meeting is None or record is None:
            return

        def done(reason: str | None) -> None:
            if reason is not None:
                record_absence(self.ctx.store, meeting.meeting_id, record.member_id, reason,
                               self.ctx.clock())
                self.notify(self.t("common.saved"))

        self.app.push_screen(ReasonDialog(self.t("meetings.leave_for", name=record.name)), done)

    def action_new_resolution(self) -> None:
        meeting = self.current_meeting()
        if meeting is None:
            return
        deadline = (self.ctx.clock() + timedelta(days=7)).date().isoformat()

        def save(values: dict[str, str]) -> None:
            owner = values["owner"]
            save_resolution(self.ctx.store, Resolution(
                Resolution.new_id(), meeting.meeting_id, values["resolution"], owner,
                values["deadline"]))

        fields = [Field("resolution", self.t("meetings.column.resolution")),
                  MemberField("owner", self.t("meetings.column.owner")),
                  Field("deadline", self.t("meetings.column.deadline"), deadline)]
        self.app.push_screen(FieldsDialog(self.t("meetings.new_resolution"), fields, save),
                             lambda saved: self.notify(self.t("common.saved")) if saved else None)

    def action_advance_resolution(self) -> None:
        resolution = self.query_one(ResolutionTable).selected()
        if resolution is None:
            return
        # a status a peer made up starts the cycle over
        t, status = self.t, NEXT_STATUS.get(resolution.status, OPEN)
        what = dict(text=resolution.text, old=t(f"meetings.resolution_status.{resolution.status}"),
                    new=t(f"meetings.resolution_status.{status}"))
        self.confirm_then(t("meetings.ask_resolution", **what), [Undoable(
            t("meetings.advance_resolution"), (resolution.resolution_id,),
            lambda: set_resolution_status(self.ctx.store, resolution, status, self.ctx.clock()),
            t("meetings.resolution_set", **what))])

    def action_toggle_board(self) -> None:
        self.board_all = not self.board_all
        self.refresh_detail()

    def action_advance_minutes(self) -> None:
        meeting = self.current_meeting()
        if meeting is None:
            return
        position = MINUTES_STATUSES.index(meeting.minutes_status)
        status = MINUTES_STATUSES[(position + 1) % len(MINUTES_STATUSES)]
        t = self.t
        what = dict(title=meeting.title, old=t(f"meetings.minutes.{meeting.minutes_status}"),
                    new=t(f"meetings.minutes.{status}"))
        self.confirm_then(t("meetings.ask_minutes", **what), [Undoable(
            t("meetings.advance_minutes"), (meeting.meeting_id,),
            lambda: set_minutes_status(self.ctx.store, meeting, status, self.ctx.clock()),
            t("meetings.minutes_set", **what))])

    def after_undoable(self) -> None:
        self.refresh_all()

    def action_write_minutes(self) -> None:
        meeting = self.current_meeting()
        if meeting is not None:
            self.app.push_screen(MinutesEditor(meeting))

    def action_cancel_meeting(self) -> None:
        """Cancel (asking first, naming the room freed) or restore the meeting and its booking;
        Ctrl+Z undoes either."""
        meeting = self.current_meeting()
        if meeting is None:
            return
        restore = meeting.cancelled
        calendar = self.ctx.index(BookingCalendar)
        room = room_name(calendar, meeting.room_id) if meeting.room_id else "—"
        key = "meetings.restore_ask" if restore else "meetings.cancel_ask"
        done = "meetings.restored" if restore else "meetings.cancelled_note"
        touched = tuple(doc_id for doc_id in (meeting.meeting_id, meeting.booking_id) if doc_id)
        self.confirm_then(self.t(key, title=meeting.title, room=room), [Undoable(
            self.t("meetings.cancel_meeting"), touched,
            lambda: cancel_meeting(self.ctx.store, calendar, meeting, self.ctx.clock(),
                                   cancelled=not restore),
            self.t(done, title=meeting.title))])

    def action_notice(self) -> None:
        meeting = self.current_meeting()
        if meeting is not None:
            self.app.push_screen(NoticeDialog(meeting))

    def action_record_reply(self) -> None:
        """An attendee's reply to the notice (picked by name); replacing an earlier reply asks
        first, and Ctrl+Z takes the last reply back."""
        meeting, record = self.current_meeting(), self.query_one(AttendanceTable).selected()
        if meeting is None:
            return
        t = self.t
        checked: list[Reply] = []

        def save(values: dict[str, str]) -> None:
            checked.append(check_reply(meeting, values["member"], values["answer"],
                                       values["reason"], self.ctx.clock()))

        def saved(ok: bool | None) -> None:
            if ok and checked:
                self.record_reply(meeting, checked[-1])

        fields = [MemberField("member", t("meetings.reply_member"),
                              record.member_id if record is not None else ""),
                  ChoiceField("answer", t("meetings.reply_answer"), ATTEND,
                              tuple((t(f"meetings.reply_{answer}"), answer) for answer in ANSWERS)),
                  Field("reason", t("meetings.reply_reason"))]
        self.app.push_screen(FieldsDialog(t("meetings.reply_for", title=meeting.title), fields,
                                          save), saved)

    def record_reply(self, meeting: Meeting, reply: Reply) -> None:
        t = self.t
        member = self.ctx.directory.by_id(reply.member_id)
        name = member.name if member is not None else reply.member_id
        answer = t(f"meetings.reply_{reply.answer}")
        if reply.reason:
            answer = f"{answer}（{reply.reason}）"
        action = Undoable(t("meetings.reply"), (reply.doc_id,),
                          lambda: record_reply(self.ctx.store, reply),
                          t("meetings.reply_saved", name=name, answer=answer))
        earlier = self.attendance.replies(meeting.meeting_id).get(reply.member_id)
        if earlier is None:
            self.run_undoable(action)
        else:
            self.confirm_then(t("meetings.reply_ask", name=name, new=answer,
                                old=t(f"meetings.reply_{earlier.answer}")), [action])

    def action_export_attendance(self) -> None:
        meeting = self.current_meeting()
        if meeting is None:
            return
        path = Path(self.ctx.settings.data_dir) / f"attendance-{meeting.key}.xlsx"
        self.app.push_screen(ProgressDialog(
            self.t("meetings.exporting", title=meeting.title),
            lambda _progress: self.export(meeting, path),
            lambda count: self.notify(self.t("meetings.exported", count=count, path=path))))

    def export(self, meeting: Meeting, path: Path) -> int:
        rows = self.attendance.rows(meeting.meeting_id, self.ctx.settings.meetings.late_grace_minutes)
        records = attendance_records(rows, self.ctx.directory)
        write_attendance(path, "xlsx", meeting.title, localised_rows(self.ctx.i18n, records))
        return len(records)

    def palette_commands(self) -> list[PaletteCommand]:
        return [
            ("meetings.new", "meetings.new_help", self.action_new_meeting),
            ("meetings.edit", "meetings.edit_help", self.action_edit_meeting),
            ("meetings.manual_signin", "meetings.manual_signin_help", self.action_manual_signin),
            ("meetings.record_leave", "meetings.record_leave_help", self.action_record_leave),
            ("meetings.new_resolution", "meetings.new_resolution_help", self.action_new_resolution),
            ("meetings.toggle_board", "meetings.toggle_board_help", self.action_toggle_board),
            ("meetings.advance_minutes", "meetings.advance_minutes_help",
             self.action_advance_minutes),
            ("meetings.write_minutes", "meetings.write_minutes_help", self.action_write_minutes),
            ("meetings.notice", "meetings.notice_help", self.action_notice),
            ("meetings.reply", "meetings.reply_help", self.action_record_reply),
            ("meetings.cancel_meeting", "meetings.cancel_meeting_help", self.action_cancel_meeting),
            ("meetings.export", "meetings.export_help", self.action_export_attendance),
        ]
