"""Create or edit a meeting; the roster is built from departments, roles and picked IDs."""

from __future__ import annotations

from dataclasses import replace

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Input, Label, Static

from store.errors import StoreError
from store.meetings import Meeting, roster_from, save_meeting

from ...screens.base import FormDialog

FIELDS = ("title", "date", "start", "end", "class", "room", "departments", "roles", "members",
          "minute_taker")


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.replace("，", ",").replace("、", ",").split(",")
            if part.strip()]


class MeetingForm(FormDialog[str | None]):
    """Dismisses with the saved meeting's id, or ``None`` when cancelled."""

    DEFAULT_CLASSES = "form-dialog"

    def __init__(self, meeting: Meeting) -> None:
        super().__init__()
        self.meeting = meeting

    def _initial(self) -> dict[str, str]:
        m = self.meeting
        return {"title": m.title, "date": m.start[:10], "start": m.start[11:16],
                "end": m.end[11:16], "class": m.meeting_class, "room": m.room_id,
                "departments": "", "roles": "", "members": ", ".join(m.roster),
                "minute_taker": m.minute_taker}

    def compose(self) -> ComposeResult:
        t = self.ctx.i18n
        values = self._initial()
        with VerticalScroll():
            yield Static(t("meetings.edit" if self.meeting.title else "meetings.new"),
                         classes="dialog-title")
            for name in FIELDS:
                yield Label(t(f"meetings.field.{name}"))
                yield Input(value=values[name], id=f"field-{name}")
            yield Static("", id="form-error", classes="field-error")
            yield from self.compose_buttons()

    def value(self, name: str) -> str:
        return self.query_one(f"#field-{name}", Input).value.strip()

    def action_save(self) -> None:
        day = self.value("date")
        try:
            roster = roster_from(self.ctx.directory, _split(self.value("departments")),
                                 _split(self.value("roles")), _split(self.value("members")))
            meeting = replace(
                self.meeting, title=self.value("title"), start=f"{day}T{self.value('start')}",
                end=f"{day}T{self.value('end')}", meeting_class=self.value("class").upper(),
                room_id=self.value("room"), roster=roster, minute_taker=self.value("minute_taker"))
            save_meeting(self.ctx.store, meeting)
        except StoreError as error:
            message = self.ctx.i18n.error(error)
            self.query_one("#form-error", Static).update(message)
            self.notify(message, severity="error")
            return
        self.dismiss(meeting.meeting_id)

    def action_cancel(self) -> None:
        self.dismiss(None)
