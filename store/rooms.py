"""Meeting rooms: what can be booked, how large, how equipped, and when it is open.

A room is one ``room:…`` document; its bookable hours (``open_from``–``open_until``) bound
every booking of it (see :mod:`store.booking_rules`).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .doc_codec import ClockTime, DocumentRecord, text_tuple
from .docstore import DocumentStore
from .errors import ValidationError

ROOM = "room"


@dataclass(frozen=True)
class Room(DocumentRecord):
    ID_FIELD = "room_id"

    room_id: str  # the document id, ``room:…``
    name: str
    capacity: int
    equipment: tuple[str, ...] = ()
    location: str = ""
    open_from: ClockTime = "08:00"
    open_until: ClockTime = "22:00"

    @staticmethod
    def new_id(slug: str | None = None) -> str:
        return f"{ROOM}:{slug or uuid.uuid4().hex}"

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Room:
        return super().from_doc({**doc, "equipment": text_tuple(doc, "equipment")})

    def has_equipment(self, wanted: Iterable[str]) -> bool:
        have = {item.casefold() for item in self.equipment}
        return all(item.strip().casefold() in have for item in wanted if item.strip())


def save_room(store: DocumentStore, room: Room) -> str:
    if not room.name.strip():
        raise ValidationError("bookings.error.room_name", "Give the room a name")
    if room.capacity < 1:
        raise ValidationError("bookings.error.room_capacity",
                              "A room holds at least one person")
    return store.put_latest(room.to_doc())
