"""One date of a series, this and following, monthly rules, skipping clashing dates, and merges."""

from __future__ import annotations

import io
import tempfile
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from store import DocumentStore
from store.booking import Booking, Recurrence
from store.booking_calendar import BookingCalendar
from store.booking_desk import create_booking
from store.booking_recurrence import occurrence_dates
from store.booking_rules import SeriesClash
from store.booking_series import SeriesDesk, following_rule
from store.rooms import Room, save_room
from tests.store.merging import sync
from tui.cli import main

NOW = datetime(2026, 11, 25, 9, 30)
SERIES = "booking:" + "5" * 32


def weekly(store: DocumentStore, count: int = 6) -> SeriesDesk:
    """周例会 every Monday 14:00–15:00 in room r1 from 2026-11-30, ``count`` times."""
    save_room(store, Room("room:r1", "第一会议室", 20))
    save_room(store, Room("room:r2", "第二会议室", 20))
    create_booking(store, Booking(SERIES, "room:r1", "2026-11-30T14:00", "2026-11-30T15:00",
                                  "周例会", recurrence=Recurrence("weekly", count=count)), NOW)
    return SeriesDesk(store)


def days(calendar: BookingCalendar, booking_id: str = SERIES) -> list[str]:
    return [f"{occ.start:%m-%d %H:%M} {occ.booking.room_id}"
            for occ in calendar.occurrences_of(booking_id)]


def test_cancel_this_date_only_keeps_the_others(store: DocumentStore) -> None:
    desk = weekly(store)
    desk.cancel_date(SERIES, date(2026, 12, 7))
    assert days(BookingCalendar.from_store(store)) == [
        "11-30 14:00 room:r1", "12-14 14:00 room:r1", "12-21 14:00 room:r1",
        "12-28 14:00 room:r1", "01-04 14:00 room:r1"]
    assert store.get(SERIES)["status"] != "cancelled"


def test_two_nodes_cancelling_different_dates_offline_both_stay_cancelled(
        make_store: Callable[[str], DocumentStore]) -> None:
    a, b = make_store("a"), make_store("b")
    weekly(a)
    sync(a, b)
    SeriesDesk(a).cancel_date(SERIES, date(2026, 12, 7))
    SeriesDesk(b).cancel_date(SERIES, date(2026, 12, 21))
    sync(a, b)
    for node in (a, b):
        assert [line[:5] for line in days(BookingCalendar.from_store(node))] == [
            "11-30", "12-14", "12-28", "01-04"]
        assert not node.conflicted_ids()


def test_moving_one_date_moves_only_that_date(store: DocumentStore) -> None:
    desk = weekly(store)
    series = desk.view.bookings[SERIES]
    moved = Booking(SERIES, "room:r2", "2026-12-08T10:00", "2026-12-08T11:00", "周例会（改期）")
    desk.move_date(SERIES, date(2026, 12, 7), moved, NOW)
    calendar = BookingCalendar.from_store(store)
    assert days(calendar)[1] == "12-08 10:00 room:r2"
    assert calendar.day(date(2026, 12, 7)) == []
    assert [occ.booking.title for occ in calendar.day(date(2026, 12, 8))] == ["周例会（改期）"]
    assert calendar.bookings[SERIES] == series


def test_moving_a_date_onto_a_taken_slot_is_refused(store: DocumentStore) -> None:
    desk = weekly(store)
    create_booking(store, Booking("", "room:r2", "2026-12-08T10:30", "2026-12-08T11:30", "别人"),
                   NOW)
    desk = SeriesDesk(store)
    with pytest.raises(Exception) as caught:
        desk.move_date(SERIES, date(2026, 12, 7), Booking(
            SERIES, "room:r2", "2026-12-08T10:00", "2026-12-08T11:00", "周例会"), NOW)
    assert getattr(caught.value, "key", "") == "bookings.error.overlap"


def test_cancel_this_and_following_ends_the_series_before(store: DocumentStore) -> None:
    desk = weekly(store)
    desk.cancel_following(SERIES, date(2026, 12, 14))
    assert [line[:5] for line in days(BookingCalendar.from_store(store))] == ["11-30", "12-07"]
    rule = store.get(SERIES)["recurrence"]
    assert rule["until"] == "2026-12-13" and rule["count"] is None


def test_edit_this_and_following_books_the_rest_as_a_new_series(store: DocumentStore) -> None:
    desk = weekly(store)
    series = desk.view.bookings[SERIES]
    rule = following_rule(series, date(2026, 12, 14))
    assert rule is not None and rule.count == 4
    rest = Booking("booking:" + "6" * 32, "room:r1", "2026-12-14T16:00", "2026-12-14T17:00",
                   "周例会", recurrence=rule)
    desk.edit_following(SERIES, date(2026, 12, 14), rest, NOW)
    calendar = BookingCalendar.from_store(store)
    assert [line[:5] for line in days(calendar)] == ["11-30", "12-07"]
    assert days(calendar, rest.booking_id) == [
        "12-14 16:00 room:r1", "12-21 16:00 room:r1", "12-28 16:00 room:r1",
        "01-04 16:00 room:r1"]


def test_monthly_by_date_skips_months_without_that_day() -> None:
    rule = Recurrence("monthly", count=4)
    assert occurrence_dates(date(2027, 1, 31), rule) == [
        date(2027, 1, 31), date(2027, 3, 31), date(2027, 5, 31), date(2027, 7, 31)]


def test_monthly_by_weekday_keeps_the_first_monday_and_the_last_friday() -> None:
    first_monday = occurrence_dates(date(2026, 12, 7), Recurrence("monthly_weekday", count=3))
    assert first_monday == [date(2026, 12, 7), date(2027, 1, 4), date(2027, 2, 1)]
    last_friday = occurrence_dates(date(2027, 1, 29), Recurrence("monthly_weekday", count=3))
    assert last_friday == [date(2027, 1, 29), date(2027, 2, 26), date(2027, 3, 26)]


def test_a_clash_offers_to_skip_the_clashing_dates(store: DocumentStore) -> None:
    save_room(store, Room("room:r1", "第一会议室", 20))
    create_booking(store, Booking("", "room:r1", "2026-12-14T14:30", "2026-12-14T15:30", "年终"),
                   NOW)
    series = Booking(SERIES, "room:r1", "2026-11-30T14:00", "2026-11-30T15:00", "周例会",
                     recurrence=Recurrence("weekly", count=4))
    with pytest.raises(SeriesClash) as caught:
        create_booking(store, series, NOW)
    assert caught.value.days == ("2026-12-14",)
    assert "2026-12-14" in str(caught.value)
    assert store.get_or_none(SERIES) is None
    skipping = Recurrence("weekly", count=4, exceptions=caught.value.days)
    create_booking(store, Booking(SERIES, "room:r1", "2026-11-30T14:00", "2026-11-30T15:00",
                                  "周例会", recurrence=skipping), NOW)
    assert [line[:5] for line in days(BookingCalendar.from_store(store))] == [
        "11-30", "12-07", "12-21"]


def test_ics_has_exdate_for_cancelled_and_recurrence_id_for_moved_dates(
        store: DocumentStore, tmp_path: Path) -> None:
    desk = weekly(store)
    desk.cancel_date(SERIES, date(2026, 12, 7))
    desk.move_date(SERIES, date(2026, 12, 14), Booking(
        SERIES, "room:r2", "2026-12-15T09:00", "2026-12-15T10:00", "周例会"), NOW)
    store.close()
    target = tmp_path / "out.ics"
    code = main(["--data", str(tmp_path / "data"), "--lang", "en", "export", "bookings", "--ics",
                 str(target)], out=io.StringIO(), err=io.StringIO())
    assert code == 0
    events = Calendar.from_ical(target.read_bytes()).walk("VEVENT")
    master = [event for event in events if "RECURRENCE-ID" not in event]
    moved = [event for event in events if "RECURRENCE-ID" in event]
    assert len(master) == 1 and len(moved) == 1
    exdates = [value.dt for prop in (master[0].get("EXDATE"),)
               for value in (prop if isinstance(prop, list) else [prop])[0].dts]
    assert exdates == [datetime(2026, 12, 7, 14, 0)]
    assert moved[0]["UID"] == master[0]["UID"]
    assert moved[0].decoded("RECURRENCE-ID") == datetime(2026, 12, 14, 14, 0)
    assert moved[0].decoded("DTSTART") == datetime(2026, 12, 15, 9, 0)
    assert "第二会议室" in str(moved[0]["LOCATION"])


def test_ics_monthly_by_weekday_reads_back_as_byday() -> None:
    from tui.cli_commands.bookings import booking_event
    from tui.i18n import Translator

    calendar = BookingCalendar()
    event = booking_event(Booking(SERIES, "room:r1", "2026-12-07T14:00", "2026-12-07T15:00", "月会",
                                  recurrence=Recurrence("monthly_weekday", count=3)), calendar, NOW,
                          Translator("en"))
    rule = Calendar.from_ical(event.to_ical()).decoded("RRULE")
    assert rule["FREQ"] == ["MONTHLY"] and rule["BYDAY"] == ["1MO"]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, 2), st.integers(0, 5), st.booleans()), max_size=8))
def test_any_offline_date_edits_on_three_nodes_merge_to_the_same_calendar(
        edits: list[tuple[int, int, bool]]) -> None:
    """Cancels and moves of single dates on three apart nodes: every node ends up the same,
    and every date cancelled (and not moved later on the same node) stays cancelled."""
    with tempfile.TemporaryDirectory() as work:
        nodes = [DocumentStore.open(Path(work) / f"n{i}") for i in range(3)]
        try:
            weekly(nodes[0])
            for other in nodes[1:]:
                sync(nodes[0], other)
            cancelled_last: dict[int, dict[int, bool]] = {}
            for node, week, cancel in edits:
                day = date(2026, 11, 30) + timedelta(weeks=week)
                desk = SeriesDesk(nodes[node])
                if cancel:
                    desk.cancel_date(SERIES, day)
                else:
                    desk.move_date(SERIES, day, Booking(
                        SERIES, "room:r2", f"{day}T09:00", f"{day}T10:00", "周例会"), NOW)
                cancelled_last.setdefault(week, {})[node] = cancel
            for a, b in ((0, 1), (1, 2), (0, 2), (0, 1)):
                sync(nodes[a], nodes[b])
            shown = [days(BookingCalendar.from_store(node)) for node in nodes]
            assert shown[0] == shown[1] == shown[2]
            kept = {line[:5] for line in shown[0]}
            for week, by_node in cancelled_last.items():
                if all(by_node.values()):  # every node that touched the date cancelled it
                    assert (date(2026, 11, 30) + timedelta(weeks=week)).strftime("%m-%d") not in kept
        finally:
            for node in nodes:
                node.close()
