"""找空会议室: a date, a time span, how many people and what equipment → the rooms free then."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, DataTable, Input, Label, Static

from store.booking_calendar import BookingCalendar
from store.booking_rules import parse_slot, whole_number
from store.errors import StoreError

from ...plain_text import cell, plain
from ...screens.base import Dialog
from ..common.fields_dialog import label_and_hint

FIELDS = ("date", "start", "end", "attendees", "equipment")


@dataclass(frozen=True)
class RoomChoice:
    room_id: str
    start: str
    end: str
    attendees: int


class FindRoomDialog(Dialog[RoomChoice | None]):
    """Dismisses with the chosen room and slot (the screen then opens the booking form)."""

    DEFAULT_CLASSES = "form-dialog find-room"
    BINDINGS = [("escape", "cancel", "common.cancel")]

    def __init__(self, day: str, start: str, end: str) -> None:
        super().__init__()
        self.initial = {"date": day, "start": start, "end": end, "attendees": "1",
                        "equipment": ""}
        self.slot: tuple[str, str, int] | None = None

    def compose(self) -> ComposeResult:
        t = self.ctx.i18n
        with Vertical():
            yield Static(t("bookings.find.title"), classes="dialog-title")
            with Horizontal(classes="find-fields"):
                for name in FIELDS:
                    with Vertical():  # a fifth of 80 columns: the hint goes in the field
                        label, hint = label_and_hint(t(f"bookings.field.{name}"))
                        yield Label(label)
                        yield Input(value=self.initial[name], placeholder=hint,
                                    id=f"find-{name}")
            yield Static("", id="find-summary")
            table: DataTable[Text] = DataTable(id="free-rooms", cursor_type="row")
            for column in ("room", "capacity", "equipment", "location"):
                table.add_column(t(f"bookings.field.{column}"), key=column)
            yield table
            with Horizontal(classes="buttons"):
                yield Button(t("bookings.find.search"), id="search", variant="primary")
                yield Button(t("bookings.find.book"), id="book")
                yield Button(t("common.cancel"), id="cancel")

    def _value(self, name: str) -> str:
        return self.query_one(f"#find-{name}", Input).value.strip()

    @on(Input.Submitted)
    @on(Button.Pressed, "#search")
    def search(self) -> None:
        t = self.ctx.i18n
        table = self.query_one("#free-rooms", DataTable)
        table.clear()
        try:
            start, end = parse_slot(self._value("date"), self._value("start"), self._value("end"))
            people = whole_number(self._value("attendees"), t("bookings.field.attendees")) or 1
        except StoreError as error:
            self.query_one("#find-summary", Static).update(plain(t.error(error)))
            self.notify(t.error(error), severity="error")
            return
        equipment = self._value("equipment").replace("，", ",").split(",")
        rooms = self.ctx.index(BookingCalendar).free_rooms(start, end, people, equipment,
                                                           now=self.ctx.clock())
        for room in rooms:
            table.add_row(cell(room.name), cell(room.capacity), cell("、".join(room.equipment)),
                          cell(room.location), key=room.room_id)
        self.slot = (start, end, people)
        self.query_one("#find-summary", Static).update(plain(
            t("bookings.find.result", count=len(rooms)) if rooms else t("bookings.find.none")))
        if rooms:
            table.focus()

    @on(DataTable.RowSelected, "#free-rooms")
    @on(Button.Pressed, "#book")
    def book(self) -> None:
        table = self.query_one("#free-rooms", DataTable)
        if self.slot is None or table.row_count == 0:
            return
        room_id = str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
        start, end, people = self.slot
        self.dismiss(RoomChoice(room_id, start, end, people))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
