"""Which text a record takes as a time, date or time of day: exactly what ``strptime`` takes
(within the years records may hold), however quickly :func:`store.doc_codec.is_time` decides."""

from __future__ import annotations

from datetime import datetime

from hypothesis import given
from hypothesis import strategies as st

from store.doc_codec import CLOCK_FORMAT, DATE_FORMAT, TIME_FORMAT, YEARS, is_time

FORMATS = st.sampled_from([TIME_FORMAT, DATE_FORMAT, CLOCK_FORMAT])


def strptime_says(text: str, time_format: str) -> bool:
    try:
        return datetime.strptime(text, time_format).year in YEARS
    except ValueError:
        return False


@given(year=st.integers(0, 9999), month=st.integers(0, 13), day=st.integers(0, 32),
       hour=st.integers(0, 25), minute=st.integers(0, 61), time_format=FORMATS)
def test_padded_text_is_a_time_exactly_when_strptime_reads_one(
        year: int, month: int, day: int, hour: int, minute: int, time_format: str) -> None:
    text = {TIME_FORMAT: f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}",
            DATE_FORMAT: f"{year:04d}-{month:02d}-{day:02d}",
            CLOCK_FORMAT: f"{hour:02d}:{minute:02d}"}[time_format]
    assert is_time(text, time_format) == strptime_says(text, time_format)


@given(text=st.text(alphabet="0123456789０١-T: \n", max_size=18), time_format=FORMATS)
def test_any_other_text_is_a_time_exactly_when_strptime_reads_one(
        text: str, time_format: str) -> None:
    assert is_time(text, time_format) == strptime_says(text, time_format)


def test_unpadded_and_foreign_digits_are_still_read_as_strptime_reads_them() -> None:
    assert is_time("2026-1-5T9:05", TIME_FORMAT) and is_time("9:05", CLOCK_FORMAT)
    assert is_time("２０２６-11-25", DATE_FORMAT) == strptime_says("２０２６-11-25", DATE_FORMAT)
    assert not is_time("2026-02-29", DATE_FORMAT) and is_time("2028-02-29", DATE_FORMAT)
    assert not is_time("0999-12-31", DATE_FORMAT) and not is_time(20261125, DATE_FORMAT)
