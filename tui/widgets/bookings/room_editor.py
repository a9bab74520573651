"""Add or edit a room (name, capacity, equipment, location, bookable hours), and the calendar
export from the bookings screen.

A room is one small document; the form is the shared :class:`FieldsDialog`, and a refusal
(no name, capacity below one, hours not HH:MM or closing before opening) keeps what was typed.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from store.booking_calendar import BookingCalendar
from store.errors import ValidationError
from store.platform import open_private
from store.rooms import Room, save_room

from ...context import AppContext
from ..common.fields_dialog import Field, FieldsDialog, whole_number

ROOM_FIELDS = ("name", "capacity", "equipment", "location", "open_from", "open_until")


def _hours(open_from: str, open_until: str) -> tuple[str, str]:
    try:
        opening = datetime.strptime(open_from.strip(), "%H:%M")
        closing = datetime.strptime(open_until.strip(), "%H:%M")
    except ValueError:
        raise ValidationError("bookings.error.bad_time",
                              "Enter the date as YYYY-MM-DD and times as HH:MM") from None
    if closing <= opening:
        raise ValidationError("bookings.error.end_before_start",
                              "The meeting must end after it starts")
    return f"{opening:%H:%M}", f"{closing:%H:%M}"


def room_dialog(ctx: AppContext, room: Room | None) -> FieldsDialog:
    """The form for ``room`` (``None``: a new one)."""
    t = ctx.i18n
    current = room or Room(Room.new_id(), "", 10)
    values = {"name": current.name, "capacity": str(current.capacity),
              "equipment": "、".join(current.equipment), "location": current.location,
              "open_from": current.open_from, "open_until": current.open_until}

    def save(v: dict[str, str]) -> None:
        open_from, open_until = _hours(v["open_from"], v["open_until"])
        equipment = tuple(part.strip() for part in v["equipment"].replace("，", "、")
                          .replace(",", "、").split("、") if part.strip())
        save_room(ctx.store, Room(current.room_id, v["name"].strip(),
                                  whole_number(v["capacity"] or "0"), equipment,
                                  v["location"].strip(), open_from, open_until))

    fields = [Field(name, t(f"bookings.room_field.{name}"), values[name]) for name in ROOM_FIELDS]
    return FieldsDialog(t("bookings.room_title" if room else "bookings.new_room"), fields, save)


def export_calendar(ctx: AppContext) -> tuple[Path, int]:
    """Every active booking as ``bookings.ics`` in the data directory. The writer (and with it
    icalendar, ~25 ms at start) is imported only when a calendar is exported."""
    from ...cli_commands.bookings import bookings_ics, select_bookings

    calendar = ctx.index(BookingCalendar)
    chosen = select_bookings(calendar, None, None, None)
    data, skipped = bookings_ics(chosen, calendar, datetime.now(timezone.utc), ctx.i18n)
    path = Path(ctx.settings.data_dir) / "bookings.ics"
    with open_private(path) as out:
        out.write(data)
    return path, len(chosen) - len(skipped)
