"""Records whose document codec is the shared ``DocumentRecord`` keep the stored shape they had
when each wrote its own: documents already on disk and on other nodes load unchanged, and a
record written now is the same bytes an older node would write (same keys, same order)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from store.archive_events import ArchiveEvent
from store.document_templates import DocTemplate, load_templates, save_template
from store.docstore import DocumentStore
from store.errors import InvalidDocument
from store.records import dumps
from store.rooms import Room, save_room

# As the hand-written to_doc methods wrote them, key for key and in that order.
OLD_ROOM = ('{"_id":"room:hall","name":"报告厅","capacity":120,"equipment":["投影","话筒"],'
            '"location":"学生活动中心三楼","open_from":"08:00","open_until":"21:30"}')
OLD_EVENT = ('{"_id":"archive_event:5f2a","archive_id":"archive:2026-WS-001","kind":"lend",'
             '"at":"2026-11-25T14:00","person":"2026001","role":"","purpose":"loan",'
             '"approved":false,"reason":"查阅","due":"2026-12-02","ref":"archive_event:41aa",'
             '"copies":0,"node":"laptop-1"}')
OLD_TEMPLATE = ('{"_id":"doctemplate:notice","name":"通知","name_en":"Notice",'
                '"title":"关于{what}的通知","recipients":"各部门：","body":"特此通知。",'
                '"attachments":["日程安排"],"signatory":"{org}","cc":["校团委"]}')


def _load(text: str) -> dict[str, Any]:
    return json.loads(text)


@pytest.mark.parametrize(("record_type", "stored"), [
    (Room, OLD_ROOM), (ArchiveEvent, OLD_EVENT), (DocTemplate, OLD_TEMPLATE)])
def test_an_old_document_loads_and_is_written_back_byte_for_byte(
        record_type: type, stored: str) -> None:
    record = record_type.from_doc(_load(stored))
    assert dumps(record.to_doc()) == stored


def test_an_old_room_loads_with_its_fields() -> None:
    room = Room.from_doc(_load(OLD_ROOM))
    assert room == Room("room:hall", "报告厅", 120, ("投影", "话筒"), "学生活动中心三楼",
                        "08:00", "21:30")


def test_a_room_from_before_opening_hours_takes_the_defaults() -> None:
    room = Room.from_doc({"_id": "room:small", "name": "小会议室", "capacity": 8,
                          "equipment": ["白板"]})
    assert (room.location, room.open_from, room.open_until) == ("", "08:00", "22:00")
    assert room.equipment == ("白板",)


def test_a_room_whose_equipment_is_not_a_list_of_text_is_refused() -> None:
    with pytest.raises(InvalidDocument):
        Room.from_doc({**_load(OLD_ROOM), "equipment": "投影"})


def test_an_old_archive_event_loads_with_its_fields() -> None:
    event = ArchiveEvent.from_doc(_load(OLD_EVENT))
    assert (event.event_id, event.kind, event.due, event.approved) == (
        "archive_event:5f2a", "lend", "2026-12-02", False)


def test_rooms_and_templates_round_trip_through_a_store(store: DocumentStore) -> None:
    room = Room.from_doc(_load(OLD_ROOM))
    save_room(store, room)
    assert Room.from_doc(store.get(room.room_id)) == room
    template = DocTemplate.from_doc(_load(OLD_TEMPLATE))
    save_template(store, template)
    assert template in load_templates(store)


def test_records_read_from_different_documents_share_their_text() -> None:
    """Thousands of records name the same person, node and time: one string each in memory."""
    first, second = ArchiveEvent.from_doc(_load(OLD_EVENT)), ArchiveEvent.from_doc(_load(OLD_EVENT))
    for field in ("person", "node", "at", "purpose"):
        assert getattr(first, field) is getattr(second, field)
