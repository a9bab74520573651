"""``mishu export bookings --ics``: the file parses back and keeps recurrence."""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from icalendar import Calendar

from store import DocumentStore
from store.booking import Booking, Recurrence
from store.booking_desk import create_booking
from store.rooms import Room, save_room
from tui.cli import main

NOW = datetime(2026, 11, 25, 9, 30)


def fill(store: DocumentStore) -> None:
    save_room(store, Room("room:r1", "第一会议室", 20, location="行政楼3楼"))
    save_room(store, Room("room:r2", "学生活动中心201", 60))
    create_booking(store, Booking("booking:" + "a" * 32, "room:r1", "2026-11-26T14:00",
                                  "2026-11-26T15:30", "部长例会", organiser="2026001",
                                  recurrence=Recurrence("weekly", count=6,
                                                        exceptions=("2026-12-10",))), NOW)
    create_booking(store, Booking("booking:" + "b" * 32, "room:r2", "2026-11-27T19:00",
                                  "2026-11-27T21:00", "晚会彩排", attendees=40,
                                  recurrence=Recurrence("biweekly", until="2027-01-08")), NOW)
    create_booking(store, Booking("", "room:r2", "2026-12-20T10:00", "2026-12-20T11:00",
                                  "外联部会议", meeting_class="A"), NOW)


def export(tmp_path: Path, *extra: str) -> tuple[int, Calendar, str]:
    out, err = io.StringIO(), io.StringIO()
    target = tmp_path / "bookings.ics"
    code = main(["--data", str(tmp_path / "data"), "--lang", "en", "export", "bookings",
                 "--ics", str(target), *extra], out=out, err=err)
    text = out.getvalue() + err.getvalue()
    return code, Calendar.from_ical(target.read_bytes()) if code == 0 else Calendar(), text


def events(calendar: Calendar) -> dict[str, object]:
    return {str(event["summary"]): event for event in calendar.walk("VEVENT")}


def test_ics_round_trips_rrule_and_exdate(tmp_path: Path) -> None:
    with DocumentStore.open(tmp_path / "data") as store:
        fill(store)
    code, calendar, text = export(tmp_path)
    assert code == 0, text
    assert "3 bookings" in text
    found = events(calendar)
    weekly = found["部长例会"]
    assert weekly.decoded("dtstart") == datetime(2026, 11, 26, 14, 0)
    assert weekly.decoded("dtend") == datetime(2026, 11, 26, 15, 30)
    assert str(weekly["location"]) == "第一会议室 行政楼3楼"
    rule = weekly["rrule"]
    assert rule["FREQ"] == ["WEEKLY"] and rule["COUNT"] == [6]
    exdates = [d.dt for d in weekly["exdate"].dts]
    assert exdates == [datetime(2026, 12, 10, 14, 0)]
    biweekly = found["晚会彩排"]
    assert biweekly["rrule"]["INTERVAL"] == [2]
    assert biweekly["rrule"]["UNTIL"][0].date() == date(2027, 1, 8)
    assert "rrule" not in found["外联部会议"]
    assert str(found["外联部会议"]["uid"]).endswith("@mishu")


def test_ics_filters_by_room_and_dates(tmp_path: Path) -> None:
    with DocumentStore.open(tmp_path / "data") as store:
        fill(store)
    code, calendar, _ = export(tmp_path, "--room", "学生活动中心201")
    assert code == 0 and sorted(events(calendar)) == ["外联部会议", "晚会彩排"]
    code, calendar, _ = export(tmp_path, "--from", "2026-12-15", "--to", "2026-12-31")
    assert code == 0 and sorted(events(calendar)) == ["外联部会议", "晚会彩排", "部长例会"]
    code, calendar, _ = export(tmp_path, "--from", "2027-01-01", "--room", "r1")
    assert code == 0 and sorted(events(calendar)) == []
    code, _, text = export(tmp_path, "--room", "nowhere")
    assert code == 1 and "nowhere" in text
    code, _, text = export(tmp_path, "--from", "tomorrow")
    assert code == 1 and "YYYY-MM-DD" in text


@pytest.fixture
def office_in_utc_plus_8(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_dtstamp_is_utc_and_event_times_float(tmp_path: Path, office_in_utc_plus_8: None) -> None:
    with DocumentStore.open(tmp_path / "data") as store:
        fill(store)  # booked at 09:30 office time, which is 01:30 UTC
    code, _, text = export(tmp_path)
    assert code == 0, text
    lines = (tmp_path / "bookings.ics").read_bytes().decode().splitlines()
    stamps = {line for line in lines if line.startswith("DTSTAMP")}
    assert stamps == {"DTSTAMP:20261125T013000Z"}
    for prefix in ("DTSTART", "DTEND", "EXDATE"):
        found = [line for line in lines if line.startswith(prefix)]
        assert found and all(":" in line and not line.endswith("Z") and "TZID" not in line
                             for line in found), found
    rules = [line for line in lines if line.startswith("RRULE") and "UNTIL" in line]
    assert rules and all("UNTIL=20270108T235959;" in line or line.endswith("UNTIL=20270108T235959")
                         for line in rules), rules


ODD_DOCUMENTS = {
    "room capacity lots": {"_id": "room:odd", "name": "奇怪的房间", "capacity": "lots"},
    "daily series from 9999-12-31": {
        "_id": "booking:" + "f" * 32, "room": "room:r1", "start": "9999-12-31T10:00",
        "end": "9999-12-31T11:00", "title": "far", "recurrence": {"freq": "daily", "count": 5}},
    "recurrence a string": {
        "_id": "booking:" + "e" * 32, "room": "room:r1", "start": "2026-12-01T10:00",
        "end": "2026-12-01T11:00", "title": "str", "recurrence": "weekly"},
    "exception not a date": {
        "_id": "booking:" + "d" * 32, "room": "room:r1", "start": "2026-12-01T10:00",
        "end": "2026-12-01T11:00", "title": "exdate", "status": "confirmed",
        "recurrence": {"freq": "weekly", "count": 3, "exceptions": ["someday"]}},
}


@pytest.mark.parametrize("odd", ODD_DOCUMENTS.values(), ids=list(ODD_DOCUMENTS))
def test_one_odd_document_is_named_and_the_rest_export(tmp_path: Path,
                                                       odd: dict[str, object]) -> None:
    with DocumentStore.open(tmp_path / "data") as store:
        fill(store)
        store.put(odd)  # as a careless peer wrote it
    out, err = io.StringIO(), io.StringIO()
    target = tmp_path / "bookings.ics"
    code = main(["--data", str(tmp_path / "data"), "--lang", "en", "export", "bookings",
                 "--ics", str(target)], out=out, err=err)
    assert code == 0, err.getvalue()
    assert f"Skipped {odd['_id']}: it could not be read" in err.getvalue()
    assert "3 bookings" in out.getvalue()
    assert sorted(events(Calendar.from_ical(target.read_bytes()))) == ["外联部会议", "晚会彩排",
                                                                      "部长例会"]


def test_the_skipped_document_is_named_in_chinese_too(tmp_path: Path) -> None:
    with DocumentStore.open(tmp_path / "data") as store:
        fill(store)
        store.put(ODD_DOCUMENTS["recurrence a string"])
    err = io.StringIO()
    code = main(["--data", str(tmp_path / "data"), "--lang", "zh", "export", "bookings",
                 "--ics", str(tmp_path / "b.ics")], out=io.StringIO(), err=err)
    assert code == 0 and f"已跳过 booking:{'e' * 32}：无法读取" in err.getvalue()


@pytest.mark.parametrize(("language", "expected"), [
    ("en", "organiser: 2026001; attendees: 1"), ("zh", "组织者：2026001；参会人数：1")])
def test_description_is_in_the_configured_language(tmp_path: Path, language: str,
                                                   expected: str) -> None:
    with DocumentStore.open(tmp_path / "data") as store:
        fill(store)
    config = tmp_path / "config.toml"
    config.write_text(f'[general]\nlanguage = "{language}"\n', encoding="utf-8")
    target = tmp_path / "b.ics"
    code = main(["--config", str(config), "--data", str(tmp_path / "data"), "export", "bookings",
                 "--ics", str(target)], out=io.StringIO(), err=io.StringIO())
    assert code == 0
    found = events(Calendar.from_ical(target.read_bytes()))
    assert str(found["部长例会"]["description"]) == expected
