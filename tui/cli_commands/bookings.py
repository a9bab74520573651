"""``mishu export bookings --ics FILE``: bookings as an iCalendar file calendar apps import.

Times are floating local times (no TZID), as the office has one wall clock: DTSTART, DTEND,
EXDATE and RRULE's UNTIL alike. DTSTAMP alone is UTC, as RFC 5545 requires: the booking's
creation time converted from this machine's zone. A recurring booking is one VEVENT with an
RRULE and its skipped or cancelled dates as EXDATE, so a calendar app shows the series as a
series; a date moved on its own is a VEVENT of the same UID with a RECURRENCE-ID naming the
date it replaces (RFC 5545 3.8.4.4). Cancelled bookings are left out; a document that cannot
be read (a peer's damaged room or booking) is left out and named on stderr, and the rest are
exported.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable
from dataclasses import replace
from datetime import date, datetime, time, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from icalendar import Calendar, Event, vRecur

from store.booking import (CONFIRMED, FREQ_DAYS, MONTHLY, MONTHLY_WEEKDAY, Booking, format_time,
                           parse_time)
from store.booking_calendar import UNREADABLE, BookingCalendar
from store.booking_recurrence import occurrences, week_of_month
from store.booking_rules import check_date
from store.errors import ValidationError
from store.platform import open_private

if TYPE_CHECKING:
    from ..cli import CliContext
    from ..i18n import Translator

PRODID = "-//mishu//secretariat bookings//ZH"
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def _recur(booking: Booking) -> vRecur | None:
    rule = booking.recurrence
    if rule is None:
        return None
    first = parse_time(booking.start).date()
    if rule.freq == MONTHLY:
        recur = vRecur(FREQ="MONTHLY", BYMONTHDAY=first.day)
    elif rule.freq == MONTHLY_WEEKDAY:
        recur = vRecur(FREQ="MONTHLY", BYDAY=f"{week_of_month(first)}{WEEKDAYS[first.weekday()]}")
    else:
        recur = vRecur(FREQ="DAILY" if rule.freq == "daily" else "WEEKLY")
    if FREQ_DAYS.get(rule.freq) == 14:
        recur["INTERVAL"] = 2
    if rule.count is not None:
        recur["COUNT"] = rule.count
    if rule.until is not None:
        # UNTIL takes the same (floating) form as DTSTART; the end of that day keeps it inclusive
        recur["UNTIL"] = datetime.combine(date.fromisoformat(rule.until), time(23, 59, 59))
    return recur


def _stamp(booking: Booking, now: datetime) -> datetime:
    """When the booking was made, in UTC; ``now`` (aware) when that is not known."""
    try:
        return parse_time(booking.created_at).astimezone(timezone.utc)
    except ValueError:
        return now.astimezone(timezone.utc)


def booking_event(booking: Booking, calendar: BookingCalendar, now: datetime, t: Translator
                  ) -> Event:
    """One VEVENT; its description is in the configured language, as people read it."""
    event = Event()
    event.add("uid", f"{booking.booking_id.split(':', 1)[1]}@mishu")
    event.add("dtstamp", _stamp(booking, now))
    event.add("dtstart", parse_time(booking.start))
    event.add("dtend", parse_time(booking.end))
    event.add("summary", booking.title)
    room = calendar.rooms.get(booking.room_id)
    if room is not None:
        event.add("location", " ".join(part for part in (room.name, room.location) if part))
    event.add("status", "CONFIRMED" if booking.status == CONFIRMED else "TENTATIVE")
    event.add("categories", [f"class-{booking.meeting_class}"])
    event.add("description", t("bookings.ics_description", organiser=booking.organiser,
                                attendees=booking.attendees))
    recur = _recur(booking)
    if recur is not None:
        event.add("rrule", recur)
        start = parse_time(booking.start)
        changes = calendar.exceptions.get(booking.booking_id, {})
        cancelled = {day for day, change in changes.items() if change.cancelled}
        skipped = cancelled | set(booking.recurrence.exceptions if booking.recurrence else ())
        for day in sorted(skipped):
            event.add("exdate", datetime.combine(date.fromisoformat(day), start.time()))
    return event


def moved_events(booking: Booking, calendar: BookingCalendar, now: datetime, t: Translator
                 ) -> list[Event]:
    """One VEVENT per date moved on its own, tied to the series by UID and RECURRENCE-ID."""
    changes = calendar.exceptions.get(booking.booking_id, {})
    events = []
    for occ in calendar.occurrences_of(booking.booking_id):
        if occ.recurrence_id is None or occ.recurrence_id.isoformat() not in changes:
            continue
        moved = booking_event(replace(occ.booking, start=format_time(occ.start),
                                      end=format_time(occ.end), recurrence=None), calendar, now, t)
        moved.add("recurrence-id", datetime.combine(occ.recurrence_id,
                                                    parse_time(booking.start).time()))
        events.append(moved)
    return events


def bookings_ics(bookings: Iterable[Booking], calendar: BookingCalendar, now: datetime,
                 t: Translator) -> tuple[bytes, dict[str, str]]:
    """The calendar file, and the bookings left out of it (id → why) because a field could
    not be turned into iCalendar (an exception date that is not a date, say)."""
    ical = Calendar()
    ical.add("prodid", PRODID)
    ical.add("version", "2.0")
    ical.add("calscale", "GREGORIAN")
    skipped: dict[str, str] = {}
    for booking in bookings:
        try:
            ical.add_component(booking_event(booking, calendar, now, t))
            for moved in moved_events(booking, calendar, now, t):
                ical.add_component(moved)
        except UNREADABLE as exc:
            skipped[booking.booking_id] = f"{type(exc).__name__}: {exc}"
    return ical.to_ical(), skipped


def select_bookings(calendar: BookingCalendar, room: str | None, first: date | None,
                    last: date | None) -> list[Booking]:
    """Active bookings of ``room`` (id or name) with an occurrence between the two dates."""
    chosen = []
    for booking in calendar.iter_bookings():
        if not booking.active:
            continue
        if room is not None:
            named = calendar.rooms.get(booking.room_id)
            if room not in (booking.room_id, booking.room_id.split(":", 1)[1],
                            named.name if named else None):
                continue
        if first is not None or last is not None:
            days = [occ.day for occ in occurrences(booking)]
            if not any((first is None or day >= first) and (last is None or day <= last)
                       for day in days):
                continue
        chosen.append(booking)
    return chosen


def export_bookings(cli: CliContext, args: argparse.Namespace) -> int:
    first = check_date(args.date_from) if args.date_from else None
    last = check_date(args.date_to) if args.date_to else None
    with cli.open_store() as store:
        calendar = BookingCalendar.from_store(store)
    if args.room is not None and calendar.room_named(args.room) is None:
        raise ValidationError("bookings.error.unknown_room", "No room {room}", room=args.room)
    chosen = select_bookings(calendar, args.room, first, last)
    path: Path = args.ics
    data, skipped = bookings_ics(chosen, calendar, datetime.now(timezone.utc), cli.i18n)
    with open_private(path) as out:
        out.write(data)
    for doc_id, reason in sorted({**calendar.unreadable, **skipped}.items()):
        print(cli.i18n("bookings.export_skipped", doc_id=doc_id, reason=reason), file=cli.err)
    print(cli.i18n("bookings.exported", count=len(chosen) - len(skipped), path=path),
          file=cli.out)
    return 0
