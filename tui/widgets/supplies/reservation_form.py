"""The fields of the reserve dialog, and the reservation they describe.

The slot and the repeat rule are read with the room booking form's own parsers
(:func:`~store.booking_rules.parse_slot`, :class:`~store.booking.Recurrence`), so a reservation is
typed, and refused, as a booking is.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from store.booking import FREQS, Recurrence
from store.booking_rules import parse_slot, whole_number
from store.reservations import Reservation

from ..common.fields_dialog import ChoiceField, Field, MemberField

Translate = Callable[..., str]
ONCE = "none"


def reservation_fields(t: Translate, today: date) -> list[Field]:
    def field(name: str, value: str = "") -> Field:
        return Field(name, t(f"reservations.field.{name}"), value)

    repeats = tuple((t(f"bookings.repeat.{freq}"), freq) for freq in (ONCE, *FREQS))
    return [MemberField("member", t("reservations.field.member")),
            field("date", (today + timedelta(days=1)).isoformat()),
            field("start", "09:00"), field("end", "12:00"),
            ChoiceField("repeat", t("reservations.field.repeat"), ONCE, repeats),
            field("count"), field("note")]


def entered_reservation(values: dict[str, str], asset_id: str, member_id: str,
                        t: Translate) -> Reservation:
    """What the dialog describes; a repeat needs a count (the rule's own check says so)."""
    start, end = parse_slot(values["date"], values["start"], values["end"])
    freq = values["repeat"]
    recurrence = None if freq == ONCE else Recurrence(
        freq, count=whole_number(values["count"], t("reservations.field.count")))
    return Reservation("", asset_id, member_id, start, end, note=values["note"],
                       recurrence=recurrence)
