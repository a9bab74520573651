"""Editing a repeating booking as every calendar does: this date, this and following, or all.

- *This date only* writes one :class:`SeriesException` document (cancelled or moved), so
  offline nodes changing different dates merge without a conflict.
- *This and following* ends the series the day before (an ``until``) and, for an edit, books
  the rest as a new series from that date; the new one is written first, so a crash in between
  leaves a visible double booking rather than lost dates.
- *The whole series* is the ordinary edit of the series document (:class:`BookingDesk`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import StrEnum

from .booking import Booking, Recurrence, format_time, parse_time
from .booking_desk import BookingDesk, Saved
from .booking_exceptions import SeriesException
from .booking_recurrence import Occurrence, generated_dates
from .errors import ValidationError


class Scope(StrEnum):
    THIS = "this"
    FOLLOWING = "following"
    ALL = "all"


def ending_before(rule: Recurrence, day: date) -> Recurrence:
    """The rule cut so its last date is before ``day`` (RFC 5545 forbids COUNT with UNTIL)."""
    return Recurrence(rule.freq, until=(day - timedelta(days=1)).isoformat(), count=None,
                      exceptions=tuple(skip for skip in rule.exceptions if skip < day.isoformat()))


def following_rule(series: Booking, day: date) -> Recurrence | None:
    """The rule of the rest of ``series`` from ``day`` on: a count keeps counting down."""
    rule = series.recurrence
    if rule is None:
        return None
    count = rule.count
    if count is not None:
        before = [d for d in generated_dates(parse_time(series.start).date(), rule) if d < day]
        count = max(1, count - len(before))
    return Recurrence(rule.freq, until=rule.until, count=count,
                      exceptions=tuple(skip for skip in rule.exceptions if skip >= day.isoformat()))


def rest_of(series: Booking, day: date) -> Booking:
    """The rest of ``series`` from ``day`` on, as a new series (a fresh id) to edit."""
    start, end = parse_time(series.start), parse_time(series.end)
    return replace(series, booking_id=Booking.new_id(),
                   start=format_time(datetime.combine(day, start.time())),
                   end=format_time(datetime.combine(day, end.time())),
                   recurrence=following_rule(series, day))


def alone(occurrence: Occurrence) -> Booking:
    """One date of a series as a booking of its own, to edit that date only."""
    return replace(occurrence.booking, start=format_time(occurrence.start),
                   end=format_time(occurrence.end), recurrence=None)


def dates_from(desk: BookingDesk, series_id: str, day: date) -> list[date]:
    """Original dates of the series' meetings on or after ``day`` (what a cut removes)."""
    return [occ.recurrence_id for occ in desk.view.occurrences_of(series_id)
            if occ.recurrence_id is not None and occ.recurrence_id >= day]


@dataclass
class SeriesDesk(BookingDesk):
    """A :class:`BookingDesk` that also edits one date or the rest of a series."""

    def _series(self, series_id: str) -> Booking:
        series, _rev = self.current(series_id)
        if series.recurrence is None:
            raise ValidationError("bookings.error.not_series", "This booking does not repeat")
        return series

    def _write_exception(self, change: SeriesException) -> str:
        existing = self.store.get_or_none(change.doc_id)
        doc = change.to_doc()
        if existing is not None:
            doc["_rev"] = existing["_rev"]
        return self._write(doc)

    def cancel_date(self, series_id: str, day: date) -> str:
        self._series(series_id)
        return self._write_exception(SeriesException(series_id, day.isoformat(), cancelled=True))

    def move_date(self, series_id: str, day: date, edited: Booking, now: datetime) -> Saved:
        """Give one date its own room, time or title; checked like a booking of its own."""
        series = self._series(series_id)
        alone = replace(series, room_id=edited.room_id, start=edited.start, end=edited.end,
                        title=edited.title.strip(), attendees=edited.attendees, recurrence=None)
        check = self._check(alone, now)
        change = SeriesException(
            series_id, day.isoformat(), room=alone.room_id, start=alone.start, end=alone.end,
            title=alone.title if alone.title != series.title else "")
        return Saved(series_id, self._write_exception(change), check.short_notice)

    def cancel_following(self, series_id: str, day: date) -> str:
        series, rev = self.current(series_id)
        if series.recurrence is None or day <= parse_time(series.start).date():
            return self.cancel(series_id)
        return self._put(replace(series, recurrence=ending_before(series.recurrence, day)), rev)

    def edit_following(self, series_id: str, day: date, edited: Booking, now: datetime) -> Saved:
        """End the series before ``day`` and book ``edited`` (a new id) as the rest."""
        series = self._series(series_id)
        if day <= parse_time(series.start).date():
            return self.update(replace(edited, booking_id=series_id), now)
        assert series.recurrence is not None
        rest = replace(edited, booking_id=edited.booking_id if edited.booking_id != series_id
                       else Booking.new_id(), title=edited.title.strip(), status=series.status,
                       created_at=format_time(now), created_on=self.node_name,
                       confirmed_at=series.confirmed_at)
        check = self._check(rest, now, ignore=series_id)
        rest_rev = self._put(rest, None)
        _series, rev = self.current(series_id)
        self._put(replace(series, recurrence=ending_before(series.recurrence, day)), rev)
        return Saved(rest.booking_id, rest_rev, check.short_notice)

