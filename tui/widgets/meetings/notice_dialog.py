"""The meeting notice (会议通知): text to paste into a group chat, and a Word copy to send.

Built from the meeting as it stands (title, time, room, attendees, agenda), in the interface
language. The text is shown selectable; "Copy" puts it on the terminal's clipboard and "Export
Word" writes ``notice-{code}.docx`` beside the data.
"""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static, TextArea

from store.booking_calendar import BookingCalendar
from store.meeting_booking import room_name
from store.meeting_lookup import short_code
from store.meeting_replies import count_replies
from store.meetings import Meeting
from store.meetings_attendance import AttendanceIndex
from store.members import MemberDirectory
from store.minutes_export import write_text_docx

from ...i18n import Translator
from ...screens.base import Dialog

NAMES_SHOWN = 60  # a plenary's roster is long; the chat gets the first names and a count


def notice_text(t: Translator, meeting: Meeting, room: str, directory: MemberDirectory) -> str:
    names = [member.name if (member := directory.by_id(member_id)) else member_id
             for member_id in meeting.roster]
    attendees = "、".join(names[:NAMES_SHOWN])
    if len(names) > NAMES_SHOWN:
        attendees += t("notice.more", count=len(names))
    items = [item.strip() for item in meeting.agenda.replace(";", "；").split("；") if item.strip()]
    agenda = "\n".join(f"{number}. {item}" for number, item in enumerate(items, start=1))
    return t("notice.text", title=meeting.title,
             when=f"{meeting.start.replace('T', ' ')}–{meeting.end[11:16]}",
             room=room or t("notice.no_room"), attendees=attendees or "—",
             agenda=agenda or "—")


class NoticeDialog(Dialog[None]):
    DEFAULT_CLASSES = "form-dialog minutes-editor"
    CSS_PATH = "../../styles/minutes.tcss"
    BINDINGS = [("escape", "close", "common.close")]

    def __init__(self, meeting: Meeting) -> None:
        super().__init__()
        self.meeting = meeting

    @property
    def text(self) -> str:
        room = room_name(self.ctx.index(BookingCalendar), self.meeting.room_id)
        return notice_text(self.ctx.i18n, self.meeting, room, self.ctx.directory)

    def compose(self) -> ComposeResult:
        t = self.ctx.i18n
        with Vertical():
            yield Static(t("notice.title", title=self.meeting.title), classes="dialog-title",
                         markup=False)
            replies = count_replies(self.meeting,
                                    self.ctx.index(AttendanceIndex).replies(self.meeting.meeting_id))
            yield Static(t("notice.replies", attend=replies.attend, leave=replies.leave,
                           waiting=replies.waiting), id="notice-replies")
            yield TextArea(self.text, id="notice-text", read_only=True, soft_wrap=True)
            with Horizontal(classes="buttons"):
                yield Button(t("notice.copy"), id="copy", variant="primary")
                yield Button(t("minutes.export_docx"), id="docx")
                yield Button(t("common.close"), id="close")

    def export_path(self) -> Path:
        return Path(self.ctx.settings.data_dir) / f"notice-{short_code(self.meeting)}.docx"

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        text = self.query_one(TextArea).text
        if event.button.id == "copy":
            self.app.copy_to_clipboard(text)
            self.notify(self.ctx.i18n("notice.copied"))
        elif event.button.id == "docx":
            path = self.export_path()
            try:
                write_text_docx(path, text)
            except OSError as error:
                self.notify(self.ctx.i18n.error(error), severity="error")
                return
            self.notify(self.ctx.i18n("minutes.exported", path=str(path)))
        else:
            self.action_close()

    def action_close(self) -> None:
        self.dismiss(None)
