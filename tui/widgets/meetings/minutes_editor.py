"""The minutes editor: a TextArea that starts from the structured template (会议纪要).

The template is filled from the meeting and its attendance (名称, 时间, 地点, 主持, 记录, 出席,
缺席) and leaves 议题 and 议定事项 to the secretary. Saving writes the minutes as a draft and
puts every decision line on the resolution board (:func:`store.minutes.save_minutes`);
"Final" saves and marks them final; both exports write beside the data.
"""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static, TextArea

from store.booking_calendar import BookingCalendar
from store.errors import StoreError
from store.meeting_booking import room_name
from store.meeting_lookup import short_code
from store.meetings import Meeting
from store.meetings_attendance import AttendanceIndex
from store.meetings_export import attendance_records
from store.minutes import DecisionLabels, load_minutes, save_minutes
from store.minutes_export import write_text_docx, write_minutes_markdown
from store.people import person_label

from ...i18n import LANGUAGES, Translator
from ...screens.base import Dialog

PRESENT = ("present", "late", "walk_in")


def decision_labels() -> list[DecisionLabels]:
    """The owner/deadline labels of every language, so minutes written in either parse."""
    return [DecisionLabels(t("minutes.label.owner"), t("minutes.label.deadline"))
            for t in (Translator(language) for language in LANGUAGES)]


class MinutesEditor(Dialog[bool]):
    """Dismisses with True when the minutes were saved at least once."""

    DEFAULT_CLASSES = "form-dialog minutes-editor"
    CSS_PATH = "../../styles/minutes.tcss"
    BINDINGS = [("escape", "close", "common.close"), ("ctrl+s", "save", "common.save")]

    def __init__(self, meeting: Meeting) -> None:
        super().__init__()
        self.meeting = meeting
        self.saved = False

    def template(self) -> str:
        t, ctx, m = self.ctx.i18n, self.ctx, self.meeting
        rows = ctx.index(AttendanceIndex).rows(m.meeting_id,
                                               ctx.settings.meetings.late_grace_minutes)
        records = attendance_records(rows, ctx.directory)
        present = "、".join(r.name for r in records if r.status.value in PRESENT)
        absent = "、".join(r.name + (f"（{t('meetings.status.excused')}）"
                                    if r.status.value == "excused" else "")
                          for r in records if r.status.value not in PRESENT)
        taker = person_label(ctx.directory, m.minute_taker, t("people.guest")) if m.minute_taker else ""
        return t("minutes.template", title=m.title, when=f"{m.start.replace('T', ' ')}–{m.end[11:16]}",
                 room=room_name(ctx.index(BookingCalendar), m.room_id), taker=taker,
                 present=present or "—", absent=absent or "—",
                 owner=t("minutes.label.owner"), deadline=t("minutes.label.deadline"))

    def compose(self) -> ComposeResult:
        t = self.ctx.i18n
        existing = load_minutes(self.ctx.store, self.meeting.meeting_id)
        with Vertical():
            yield Static(t("minutes.title", title=self.meeting.title), classes="dialog-title",
                         markup=False)
            yield TextArea(existing.text if existing else self.template(), id="minutes-text",
                           soft_wrap=True)
            yield Static("", id="form-error", classes="field-error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button(t("minutes.save_draft"), id="save", variant="primary")
                yield Button(t("minutes.save_final"), id="final")
                yield Button(t("minutes.export_docx"), id="docx")
                yield Button(t("minutes.export_md"), id="md")
                yield Button(t("common.close"), id="close")

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    @property
    def text(self) -> str:
        return self.query_one(TextArea).text

    def save(self, final: bool = False) -> bool:
        ctx = self.ctx
        try:
            saved = save_minutes(ctx.store, ctx.directory, self.meeting, self.text,
                                 decision_labels(), ctx.clock(), node=ctx.settings.node_name,
                                 final=final)
        except StoreError as error:
            message = ctx.i18n.error(error)
            self.query_one("#form-error", Static).update(message)
            self.notify(message, severity="error")
            return False
        self.meeting = saved.meeting
        self.saved = True
        self.query_one("#form-error", Static).update("")
        self.notify(ctx.i18n("minutes.saved", count=len(saved.resolutions),
                             status=ctx.i18n(f"meetings.minutes.{saved.meeting.minutes_status}")))
        return True

    def export_path(self, suffix: str) -> Path:
        return Path(self.ctx.settings.data_dir) / f"minutes-{short_code(self.meeting)}.{suffix}"

    def export(self, suffix: str) -> None:
        path = self.export_path(suffix)
        try:
            (write_text_docx if suffix == "docx" else write_minutes_markdown)(path, self.text)
        except OSError as error:
            self.notify(self.ctx.i18n.error(error), severity="error")
            return
        self.notify(self.ctx.i18n("minutes.exported", path=str(path)))

    def action_save(self) -> None:
        self.save()

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        button = event.button.id
        if button == "save":
            self.save()
        elif button == "final":
            self.save(final=True)
        elif button in ("docx", "md"):
            self.export(button)
        else:
            self.action_close()

    def action_close(self) -> None:
        self.dismiss(self.saved)
