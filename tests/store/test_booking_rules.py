"""Booking rules as pure functions: overlap, recurrence expansion, and the refusals."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from store.booking import FREQ_DAYS, Booking, Recurrence, overlaps
from store.booking_calendar import BookingCalendar
from store.booking_recurrence import occurrence_dates, occurrences
from store.booking_rules import SeriesClash, check_booking, parse_slot, short_notice
from store.errors import ValidationError
from store.rooms import Room

NOW = datetime(2026, 11, 25, 9, 30)
ROOM = Room("room:r1", "第一会议室", capacity=20, equipment=("投影仪",))

moments = st.integers(min_value=0, max_value=2_000).map(lambda m: NOW + timedelta(minutes=m))


@st.composite
def intervals(draw: st.DrawFn) -> tuple[datetime, datetime]:
    start = draw(moments)
    return start, start + timedelta(minutes=draw(st.integers(min_value=1, max_value=600)))


@given(intervals(), intervals())
def test_overlap_is_symmetric(a: tuple[datetime, datetime], b: tuple[datetime, datetime]) -> None:
    assert overlaps(*a, *b) == overlaps(*b, *a)


@given(intervals(), st.integers(min_value=1, max_value=600))
def test_adjacent_intervals_do_not_overlap(a: tuple[datetime, datetime], minutes: int) -> None:
    after = (a[1], a[1] + timedelta(minutes=minutes))
    before = (a[0] - timedelta(minutes=minutes), a[0])
    assert not overlaps(*a, *after)
    assert not overlaps(*a, *before)


@given(intervals(), st.data())
def test_a_contained_interval_overlaps(outer: tuple[datetime, datetime], data: st.DataObject) -> None:
    length = int((outer[1] - outer[0]).total_seconds() // 60)
    offset = data.draw(st.integers(min_value=0, max_value=length - 1))
    inner_len = data.draw(st.integers(min_value=1, max_value=length - offset))
    inner_start = outer[0] + timedelta(minutes=offset)
    inner = (inner_start, inner_start + timedelta(minutes=inner_len))
    assert overlaps(*outer, *inner) and overlaps(*inner, *outer)
    assert overlaps(*outer, *outer)


@given(intervals(), intervals())
def test_overlap_agrees_with_shared_minutes(a: tuple[datetime, datetime], b: tuple[datetime, datetime]) -> None:
    shared = min(a[1], b[1]) - max(a[0], b[0])
    assert overlaps(*a, *b) == (shared > timedelta(0))


first_days = st.dates(min_value=date(2026, 1, 1), max_value=date(2027, 12, 31))
freqs = st.sampled_from(sorted(FREQ_DAYS))


@given(first_days, freqs, st.integers(min_value=1, max_value=60), st.data())
def test_count_counts_generated_dates_and_exceptions_are_removed(
    first: date, freq: str, count: int, data: st.DataObject
) -> None:
    generated = occurrence_dates(first, Recurrence(freq, count=count))
    assert len(generated) == count
    skipped = data.draw(st.sets(st.sampled_from(generated), max_size=count))
    kept = occurrence_dates(first, Recurrence(freq, count=count,
                                              exceptions=tuple(d.isoformat() for d in skipped)))
    assert len(kept) == count - len(skipped)
    assert set(kept) == set(generated) - skipped
    step = FREQ_DAYS[freq]
    assert all((day - first).days % step == 0 for day in kept)
    if freq != "daily":
        assert {day.weekday() for day in kept} <= {first.weekday()}


@given(first_days, freqs, st.integers(min_value=0, max_value=300))
def test_until_is_respected_and_inclusive(first: date, freq: str, days: int) -> None:
    until = first + timedelta(days=days)
    dates = occurrence_dates(first, Recurrence(freq, until=until.isoformat()))
    step = FREQ_DAYS[freq]
    assert dates == [first + timedelta(days=step * k) for k in range(days // step + 1)]
    assert dates[0] == first and dates[-1] <= until
    assert dates[-1] + timedelta(days=step) > until


@given(first_days, freqs, st.integers(min_value=1, max_value=30), st.integers(min_value=0, max_value=200))
def test_until_and_count_together_stop_at_the_earlier(first: date, freq: str, count: int, days: int) -> None:
    until = first + timedelta(days=days)
    both = occurrence_dates(first, Recurrence(freq, until=until.isoformat(), count=count))
    only_count = occurrence_dates(first, Recurrence(freq, count=count))
    assert both == [day for day in only_count if day <= until]


def test_occurrences_keep_time_of_day_and_length() -> None:
    booking = Booking("booking:x", "room:r1", "2026-11-25T14:00", "2026-11-25T15:30", "例会",
                      recurrence=Recurrence("weekly", count=3, exceptions=("2026-12-02",)))
    occs = occurrences(booking)
    assert [o.start.isoformat() for o in occs] == ["2026-11-25T14:00:00", "2026-12-09T14:00:00"]
    assert all(o.end - o.start == timedelta(minutes=90) for o in occs)


def booking(start: str = "2026-11-26T14:00", end: str = "2026-11-26T15:00", **fields: object) -> Booking:
    values: dict[str, object] = {"title": "部长例会", "attendees": 10, **fields}
    return Booking("booking:new", "room:r1", start, end, **values)  # type: ignore[arg-type]


def refusal_key(new: Booking, others: list = [], room: Room | None = ROOM) -> str:  # noqa: B006
    with pytest.raises(ValidationError) as caught:
        check_booking(new, room, others, NOW)
    return caught.value.key


def test_refusals_name_their_rule() -> None:
    assert refusal_key(booking(end="2026-11-26T13:00")) == "bookings.error.end_before_start"
    assert refusal_key(booking(end="2026-11-26T14:00")) == "bookings.error.end_before_start"
    assert refusal_key(booking(attendees=21)) == "bookings.error.over_capacity"
    assert refusal_key(booking(start="2026-11-26T07:00")) == "bookings.error.outside_hours"
    assert refusal_key(booking(end="2026-11-26T22:30")) == "bookings.error.outside_hours"
    assert refusal_key(booking(title=" ")) == "bookings.error.title_required"
    assert refusal_key(booking(), room=None) == "bookings.error.no_room"
    assert refusal_key(booking(recurrence=Recurrence("weekly"))) == "bookings.error.recurrence_end"
    assert refusal_key(booking(recurrence=Recurrence("hourly", count=2))) == "bookings.error.bad_recurrence"


def test_overlap_refusal_names_the_clashing_booking() -> None:
    existing = booking(start="2026-11-26T14:30", end="2026-11-26T16:00", title="宣传部会议")
    existing = Booking(**{**existing.__dict__, "booking_id": "booking:old"})
    with pytest.raises(ValidationError) as caught:
        check_booking(booking(), ROOM, occurrences(existing), NOW)
    assert caught.value.key == "bookings.error.overlap"
    assert "宣传部会议" in str(caught.value) and "14:30" in str(caught.value)
    assert caught.value.params["title"] == "宣传部会议"


def test_adjacent_and_cancelled_bookings_do_not_block() -> None:
    before = Booking("booking:old", "room:r1", "2026-11-26T13:00", "2026-11-26T14:00", "早会")
    cancelled = Booking("booking:gone", "room:r1", "2026-11-26T14:00", "2026-11-26T15:00", "取消",
                        status="cancelled")
    other_room = Booking("booking:far", "room:r2", "2026-11-26T14:00", "2026-11-26T15:00", "别处")
    others = [*occurrences(before), *occurrences(cancelled), *occurrences(other_room)]
    assert not check_booking(booking(), ROOM, others, NOW).short_notice


def test_a_series_with_some_clashing_dates_names_them_so_they_can_be_skipped() -> None:
    later = Booking("booking:old", "room:r1", "2026-12-10T14:30", "2026-12-10T15:00", "年终总结")
    weekly = booking(recurrence=Recurrence("weekly", count=4))
    with pytest.raises(SeriesClash) as caught:
        check_booking(weekly, ROOM, occurrences(later), NOW)
    assert caught.value.days == ("2026-12-10",)
    assert caught.value.key == "bookings.error.series_clash"
    skipping = booking(recurrence=Recurrence("weekly", count=4, exceptions=("2026-12-10",)))
    check_booking(skipping, ROOM, occurrences(later), NOW)


def test_a_class_short_notice_is_flagged_not_refused() -> None:
    soon = booking(start="2026-11-26T08:00", end="2026-11-26T09:00", meeting_class="A")
    assert check_booking(soon, ROOM, [], NOW).short_notice
    later = booking(start="2026-11-27T14:00", end="2026-11-27T15:00", meeting_class="A")
    assert not check_booking(later, ROOM, [], NOW).short_notice
    assert not check_booking(booking(meeting_class="B"), ROOM, [], NOW).short_notice
    assert short_notice(Booking(**{**soon.__dict__, "created_at": "2026-11-25T09:30"}), 24)


def test_parse_slot() -> None:
    assert parse_slot("2026-11-26", "9:00", "10:30") == ("2026-11-26T09:00", "2026-11-26T10:30")
    with pytest.raises(ValidationError):
        parse_slot("26/11", "9", "10")


def _brute_force_pairs(bookings: dict[str, Booking]) -> set[tuple[str, str]]:
    pairs = set()
    for a in bookings.values():
        for b in bookings.values():
            if a.booking_id < b.booking_id and a.room_id == b.room_id and a.active and b.active:
                if any(overlaps(x.start, x.end, y.start, y.end)
                       for x in occurrences(a) for y in occurrences(b)):
                    pairs.add((a.booking_id, b.booking_id))
    return pairs


edits = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=7),  # which booking
        st.booleans(),  # False: delete it
        st.sampled_from(["room:r1", "room:r2"]),
        st.integers(min_value=0, max_value=9),  # day offset
        st.integers(min_value=8, max_value=19),  # start hour
        st.integers(min_value=1, max_value=3),  # hours long
        st.sampled_from(["requested", "confirmed", "cancelled"]),
        st.sampled_from([None, "daily", "weekly"]),
    ),
    max_size=25,
)


@given(edits)
def test_calendar_clashes_and_days_match_a_brute_force_scan(steps: list[tuple]) -> None:  # type: ignore[type-arg]
    calendar = BookingCalendar()
    live: dict[str, Booking] = {}
    for number, alive, room, offset, hour, length, status, freq in steps:
        booking_id = f"booking:{number}"
        if not alive:
            calendar.update(booking_id, None)
            live.pop(booking_id, None)
            continue
        start = datetime(2026, 11, 23, hour) + timedelta(days=offset)
        booking = Booking(booking_id, room, start.isoformat()[:16],
                          (start + timedelta(hours=length)).isoformat()[:16], f"会议{number}",
                          status=status, recurrence=Recurrence(freq, count=3) if freq else None)
        calendar.update(booking_id, {**booking.to_doc(), "_rev": "1-x"})
        live[booking_id] = booking
    found = {(c.first.booking.booking_id, c.second.booking.booking_id) for c in calendar.clashes()}
    assert found == _brute_force_pairs(live)
    assert len(calendar.attention_items()) == len(found)
    for offset in range(16):
        day = date(2026, 11, 23) + timedelta(days=offset)
        expected = sorted((o.start, o.booking.booking_id) for b in live.values()
                          for o in occurrences(b) if o.day == day)
        assert sorted((o.start, o.booking.booking_id) for o in calendar.day(day)) == expected
