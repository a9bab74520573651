"""Create or edit a meeting; the roster is built from departments, roles and picked IDs, and
the room is picked from the rooms list and booked with the meeting (refused if it clashes)."""

from __future__ import annotations

from dataclasses import replace

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Input, Label, Select, Static

from store.booking_calendar import BookingCalendar
from store.errors import StoreError
from store.meeting_booking import book_meeting
from store.meetings import Meeting, roster_from

from ...plain_text import plain
from ...screens.base import FormDialog
from ..common.choice_select import choice_select
from ..common.member_picker import MemberPicker

PEOPLE = ("members", "minute_taker")  # picked with the member picker
FIELDS = ("title", "date", "start", "end", "class", "room", "departments", "roles", "members",
          "minute_taker", "agenda")


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.replace("，", ",").replace("、", ",").split(",")
            if part.strip()]


class MeetingForm(FormDialog[str | None]):
    """Dismisses with the saved meeting's id, or ``None`` when cancelled."""

    DEFAULT_CLASSES = "form-dialog long-form"

    def __init__(self, meeting: Meeting) -> None:
        super().__init__()
        self.meeting = meeting

    def _initial(self) -> dict[str, str]:
        m = self.meeting
        return {"title": m.title, "date": m.start[:10], "start": m.start[11:16],
                "end": m.end[11:16], "class": m.meeting_class, "room": m.room_id,
                "departments": "", "roles": "", "members": ", ".join(m.roster),
                "minute_taker": m.minute_taker, "agenda": m.agenda}

    def compose(self) -> ComposeResult:
        t = self.ctx.i18n
        values = self._initial()
        with Vertical():
            yield Static(t("meetings.edit" if self.meeting.title else "meetings.new"),
                         classes="dialog-title")
            with VerticalScroll(classes="form-body"):
                for name in FIELDS:
                    yield Label(t(f"meetings.field.{name}"))
                    if name == "room":
                        yield self._room_select(values[name])
                    elif name in PEOPLE:
                        yield MemberPicker(
                            self.meeting.roster if name == "members" else values[name],
                            multiple=name == "members", id=f"field-{name}")
                    else:
                        yield Input(value=values[name], id=f"field-{name}")
            yield Static("", id="form-error", classes="field-error")
            yield from self.compose_buttons()

    def on_mount(self) -> None:
        self.query_one("#field-title", Input).focus()

    def _room_select(self, room_id: str) -> Select[str]:
        """Rooms from the rooms list only: a meeting books the room it names."""
        rooms = self.ctx.index(BookingCalendar).room_list()
        options = [(f"{room.name} ({room.capacity})", room.room_id) for room in rooms]
        return choice_select(options, room_id, prompt=self.ctx.i18n("meetings.no_room"),
                             allow_blank=True, id="field-room")

    def value(self, name: str) -> str:
        if name == "room":
            chosen = self.query_one("#field-room", Select).value
            return chosen if isinstance(chosen, str) else ""
        return self.query_one(f"#field-{name}", Input).value.strip()

    def action_save(self) -> None:
        day = self.value("date")
        try:
            members = self.query_one("#field-members", MemberPicker).values()
            minute_taker = self.query_one("#field-minute_taker", MemberPicker).value()
            roster = roster_from(self.ctx.directory, _split(self.value("departments")),
                                 _split(self.value("roles")), members)
            meeting = replace(
                self.meeting, title=self.value("title"), start=f"{day}T{self.value('start')}",
                end=f"{day}T{self.value('end')}", meeting_class=self.value("class").upper(),
                room_id=self.value("room"), roster=roster, minute_taker=minute_taker,
                agenda=self.value("agenda"))
            meeting = book_meeting(
                self.ctx.store, self.ctx.index(BookingCalendar), meeting, self.ctx.clock(),
                node_name=self.ctx.settings.node_name,
                notice_hours=self.ctx.settings.booking.a_class_notice_hours)
        except StoreError as error:
            message = self.ctx.i18n.error(error)
            self.query_one("#form-error", Static).update(plain(message))
            self.notify(message, severity="error")
            return
        self.dismiss(meeting.meeting_id)

    def action_cancel(self) -> None:
        self.dismiss(None)
