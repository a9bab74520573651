"""Book a room, or change (move) a booking. Nothing is written unless every rule passes.

A repeating booking is edited in a scope chosen first (:class:`store.booking_series.Scope`):
one date (no repeat fields), this and following (a new series from that date), or all. When
only some dates of a series clash, the form lists them and offers to book the rest.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Input, Label, Select, Static

from store.booking import CLASSES, FREQS, Booking, Recurrence
from store.booking_calendar import BookingCalendar
from store.booking_desk import Saved
from store.booking_rules import SeriesClash, check_date, parse_slot, whole_number
from store.booking_series import Scope
from store.errors import StoreError

from ...plain_text import cell, plain
from ...screens.base import FormDialog
from ..common.choice_select import choice_select
from ..common.confirm_dialog import Choice, ConfirmDialog
from ..common.member_picker import MemberPicker
from .desk import booking_desk

TEXT_FIELDS = ("title", "date", "start", "end", "attendees", "organiser")
REPEAT_FIELDS = ("until", "count", "exceptions")


class BookingForm(FormDialog[Saved | None]):
    """Dismisses with what was saved, or ``None`` when cancelled.

    ``booking`` with an id edits that booking; without one (or ``None``) the form books anew,
    prefilled from the grid cell or the free-room search. With a ``scope`` of
    :attr:`Scope.THIS` or :attr:`Scope.FOLLOWING`, ``booking`` holds that date's values (for
    FOLLOWING, under the id the rest of the series will get) and ``day`` the original date of
    the series ``series_id``.
    """

    DEFAULT_CLASSES = "form-dialog long-form booking-form"
    AUTO_FOCUS = "#field-title"  # the room and time come from the grid cell or the search

    def __init__(self, booking: Booking, scope: Scope = Scope.ALL, day: date | None = None,
                 series_id: str = "") -> None:
        super().__init__()
        self.booking = booking
        self.scope = scope
        self.day = day
        self.series_id = series_id

    @property
    def editing(self) -> bool:
        return bool(self.booking.booking_id)

    @property
    def one_date(self) -> bool:
        return self.scope is Scope.THIS

    def _initial(self) -> dict[str, str]:
        b = self.booking
        rule = b.recurrence
        return {
            "title": b.title, "date": b.start[:10], "start": b.start[11:16], "end": b.end[11:16],
            "attendees": str(b.attendees), "organiser": b.organiser,
            "until": (rule.until or "") if rule else "",
            "count": str(rule.count) if rule and rule.count is not None else "",
            "exceptions": ", ".join(rule.exceptions) if rule else "",
        }

    def compose(self) -> ComposeResult:
        t = self.ctx.i18n
        calendar = self.ctx.index(BookingCalendar)
        values = self._initial()
        with Vertical():
            title = t("bookings.edit" if self.editing else "bookings.new")
            if self.day is not None:
                title = t(f"bookings.scope.editing_{self.scope}", title=title,
                          date=self.day.isoformat())
            yield Static(title, classes="dialog-title")
            with VerticalScroll(classes="form-body"):
                yield Label(t("bookings.field.room"))
                yield choice_select([(cell(f"{room.name} ({room.capacity})"), room.room_id)
                                     for room in calendar.room_list()],
                                    self.booking.room_id, id="field-room", allow_blank=False)
                for name in TEXT_FIELDS:
                    yield Label(t(f"bookings.field.{name}"))
                    if name == "organiser":
                        yield MemberPicker(values[name], id=f"field-{name}")
                    else:
                        yield Input(value=values[name], id=f"field-{name}")
                yield Label(t("bookings.field.class"))
                yield Select([(klass, klass) for klass in CLASSES],
                             value=self.booking.meeting_class, allow_blank=False,
                             id="field-class")
                if not self.one_date:
                    yield Label(t("bookings.field.repeat"))
                    rule = self.booking.recurrence
                    yield Select([(t(f"bookings.repeat.{freq}"), freq)
                                  for freq in ("none", *FREQS)],
                                 value=rule.freq if rule else "none", allow_blank=False,
                                 id="field-repeat")
                    for name in REPEAT_FIELDS:
                        yield Label(t(f"bookings.field.{name}"))
                        yield Input(value=values[name], id=f"field-{name}")
            yield Static("", id="form-error", classes="field-error")
            yield from self.compose_buttons()

    def _value(self, name: str) -> str:
        return self.query_one(f"#field-{name}", Input).value.strip()

    def _number(self, name: str) -> int | None:
        return whole_number(self._value(name), self.ctx.i18n(f"bookings.field.{name}"))

    def _recurrence(self) -> Recurrence | None:
        if self.one_date:
            return None
        freq = self.query_one("#field-repeat", Select).value
        if freq == "none":
            return None
        skipped = [check_date(part).isoformat()
                   for part in self._value("exceptions").replace("，", ",").split(",")
                   if part.strip()]
        until = self._value("until")
        return Recurrence(str(freq), until=check_date(until).isoformat() if until else None,
                          count=self._number("count"), exceptions=tuple(skipped))

    def entered(self) -> Booking:
        start, end = parse_slot(self._value("date"), self._value("start"), self._value("end"))
        room = self.query_one("#field-room", Select)
        return replace(
            self.booking,
            room_id="" if room.is_blank() else str(room.value),
            start=start, end=end, title=self._value("title"),
            organiser=self.query_one("#field-organiser", MemberPicker).value(),
            attendees=self._number("attendees") or 0,
            meeting_class=str(self.query_one("#field-class", Select).value),
            recurrence=self._recurrence(),
        )

    def _write(self, booking: Booking) -> Saved:
        desk = booking_desk(self.ctx)
        now = self.ctx.clock()
        if self.day is not None and self.scope is Scope.THIS:
            return desk.move_date(self.series_id, self.day, booking, now)
        if self.day is not None and self.scope is Scope.FOLLOWING:
            return desk.edit_following(self.series_id, self.day, booking, now)
        return desk.update(booking, now) if self.editing else desk.create(booking, now)

    def _try(self, booking: Booking) -> None:
        try:
            saved = self._write(booking)
        except SeriesClash as clash:
            self._offer_skipping(booking, clash)
            return
        except StoreError as error:
            self._refused(error)
            return
        self.dismiss(saved)

    def _refused(self, error: StoreError) -> None:
        message = self.ctx.i18n.error(error)
        self.query_one("#form-error", Static).update(plain(message))
        self.notify(message, severity="error", timeout=8)

    def _offer_skipping(self, booking: Booking, clash: SeriesClash) -> None:
        """List the clashing dates; on yes, book the series with those dates skipped."""
        t = self.ctx.i18n
        rule = booking.recurrence
        assert rule is not None
        skipping = replace(booking, recurrence=replace(
            rule, exceptions=tuple(sorted({*rule.exceptions, *clash.days}))))

        def chosen(key: str | None) -> None:
            if key == "skip":
                self._try(skipping)

        self.app.push_screen(ConfirmDialog(
            t("bookings.skip.title", count=len(clash.days)),
            [Choice("skip", t("bookings.skip.yes", count=len(clash.days)))],
            t("bookings.skip.detail"), clash.days), chosen)

    def action_save(self) -> None:
        try:
            booking = self.entered()
        except StoreError as error:
            self._refused(error)
            return
        self._try(booking)

    def action_cancel(self) -> None:
        self.dismiss(None)
