"""会议室预订: the day grid of every room, one room's week, requests to confirm, and clashes.

The grid reads only the shown days from the shared :class:`BookingCalendar`, so it refreshes
on every store change (including a sync) without scanning the bookings. Every action works
on the booking under the grid cursor, or on the selected row of a focused side list. On a
date of a repeating booking, editing and cancelling first ask which dates: this one, this and
following, or the whole series. Cancel and confirm ask first and Ctrl+Z takes them back.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Static

from store.booking import Booking, format_time
from store.booking_calendar import BookingCalendar
from store.booking_desk import Saved
from store.booking_exceptions import exception_id
from store.booking_grid import day_grid, week_grid, week_start
from store.booking_recurrence import Occurrence
from store.booking_series import Scope, alone, dates_from, rest_of
from store.undo import snapshot

from ..plain_text import plain
from ..widgets.bookings.booking_form import BookingForm
from ..widgets.bookings.booking_grid import BookingGrid
from ..widgets.bookings.clash_dialog import ClashDialog
from ..widgets.bookings.clash_list import ClashList
from ..widgets.bookings.desk import booking_desk, hour_text
from ..widgets.bookings.find_room import FindRoomDialog, RoomChoice
from ..widgets.bookings.month_view import MonthView
from ..widgets.bookings.my_bookings import MyBookingsDialog
from ..widgets.bookings.pending_list import PendingList
from ..widgets.bookings.room_editor import export_calendar, room_dialog
from ..widgets.common.confirm_dialog import Choice, ConfirmDialog
from ..widgets.common.fields_dialog import FieldsDialog, MemberField
from .base import PaletteCommand
from .undoable import Undoable, UndoableScreen, UndoStep


class BookingsScreen(UndoableScreen):
    title_key = "nav.bookings"
    CSS_PATH = "../styles/bookings.tcss"
    # Below 40 rows the request and clash lists shrink so the grid keeps most rooms in view.
    VERTICAL_BREAKPOINTS = [(0, "-short"), (40, "-tall")]
    # The key bar shows what is done most (move, book, edit); the rest is in the palette.
    BINDINGS = [
        Binding("left_square_bracket", "shift_day(-1)", "bookings.prev_day"),
        Binding("right_square_bracket", "shift_day(1)", "bookings.next_day"),
        Binding("left_square_bracket", "shift_week(-1)", "bookings.prev_week"),
        Binding("right_square_bracket", "shift_week(1)", "bookings.next_week"),
        Binding("w", "toggle_week", "bookings.week", show=False),
        Binding("t", "today", "bookings.today", show=False),
        Binding("n", "new_booking", "bookings.new"),
        Binding("e", "edit_booking", "bookings.edit"),
        Binding("c", "confirm_booking", "bookings.confirm", show=False),
        Binding("x", "cancel_booking", "bookings.cancel_booking", show=False),
        Binding("f", "find_room", "bookings.find_room", show=False),
        Binding("r", "resolve_clash", "bookings.resolve", show=False),
        Binding("o", "edit_room", "bookings.edit_room", show=False),
        Binding("i", "export_calendar", "bookings.export_ics", show=False),
        Binding("y", "my_bookings", "bookings.my_bookings", show=False),
        Binding("m", "month", "bookings.month", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.day: date | None = None
        self.week_room: str | None = None  # the room whose week is shown; None: day grid

    @property
    def calendar(self) -> BookingCalendar:
        return self.ctx.index(BookingCalendar)

    @property
    def hours(self) -> range:
        settings = self.ctx.settings.booking
        return range(settings.day_start_hour, settings.day_end_hour)

    def compose_body(self) -> ComposeResult:
        with Vertical(id="bookings"):
            yield Static("", id="grid-heading")
            yield BookingGrid(id="booking-grid")
            with Horizontal(id="booking-panels"):
                yield PendingList(id="pending-list")
                yield ClashList(id="clash-list")
        self.fill_after_mount(self.refill)

    def on_mount(self) -> None:
        if self.day is None:
            self.day = self.ctx.clock().date()
        self._unsubscribe = self.ctx.store.subscribe(lambda _seq: self.app.call_later(self.refill))
        self.query_one(BookingGrid).focus()

    def on_unmount(self) -> None:
        self._unsubscribe()

    # -- showing ------------------------------------------------------------------------------

    def refill(self) -> None:
        if self.day is None:
            return
        t, calendar = self.t, self.calendar
        clashing = {occ.booking.booking_id for clash in calendar.clashes()
                    for occ in (clash.first, clash.second)}
        grid = self.query_one(BookingGrid)
        heading = self.query_one("#grid-heading", Static)
        room = calendar.rooms.get(self.week_room or "")
        if room is not None:
            rows = week_grid(calendar, room.room_id, self.day, self.hours, self.ctx.clock())
            labels = [grid.day_label(row.day, t(f"bookings.weekday.{row.day.weekday()}"))
                      for row in rows]
            heading.update(plain(t("bookings.week_heading",
                                   date=week_start(self.day).isoformat(), room=room.name)))
            grid.show(rows, labels, self.hours, t("bookings.day"), clashing)
        else:
            self.week_room = None
            rows = day_grid(calendar, self.day, self.hours, self.ctx.clock())
            heading.update(plain(t("bookings.day_heading", date=self.day.isoformat(),
                                   weekday=t(f"bookings.weekday.{self.day.weekday()}"))
                                 if rows else t("bookings.no_rooms")))
            grid.show(rows, [calendar.rooms[row.room_id].name for row in rows], self.hours,
                      t("bookings.room"), clashing)
        settings = self.ctx.settings.booking
        self.query_one(PendingList).reload(calendar, self.ctx.clock(),
                                           settings.confirm_within_hours,
                                           settings.a_class_notice_hours)
        self.query_one(ClashList).reload(calendar)
        self.refresh_bindings()  # [ and ] name a day or a week

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """``[``/``]`` move a day in the day grid and a week in a room's week: only the
        pair that fits the view is bound, so the key bar names what the keys do."""
        if action == "shift_day":
            return self.week_room is None
        if action == "shift_week":
            return self.week_room is not None
        return True

    def action_shift_day(self, days: int) -> None:
        assert self.day is not None
        self.day += timedelta(days=days)
        self.refill()

    def action_shift_week(self, weeks: int) -> None:
        self.action_shift_day(7 * weeks)

    def action_today(self) -> None:
        self.day = self.ctx.clock().date()
        self.refill()

    def action_toggle_week(self) -> None:
        grid = self.query_one(BookingGrid)
        position = grid.position()
        if position is None:
            return
        hour = position.hour if position.hour is not None else self.hours.start
        if self.week_room is not None:
            self.day = position.row.day
            room, self.week_room = self.week_room, None
            self.refill()
            grid.go_to(room, hour)
        else:
            self.week_room = position.row.room_id
            self.refill()
            grid.go_to(position.row.day.isoformat(), hour)

    # -- acting -------------------------------------------------------------------------------

    def _selected(self) -> tuple[Booking | None, Occurrence | None]:
        """The booking under the cursor of the focused list, else of the grid, and the date."""
        focused = self.focused
        booking_id: str | None = None
        occurrence: Occurrence | None = None
        if isinstance(focused, PendingList):
            booking_id = focused.selected_id()
        elif isinstance(focused, ClashList):
            clash = focused.selected()
            occurrence = clash.first if clash else None
        else:
            position = self.query_one(BookingGrid).position()
            occurrence = position.occurrence if position else None
        if occurrence is not None:
            booking_id = occurrence.booking.booking_id
        booking = self.calendar.bookings.get(booking_id or "")
        if booking is None:
            self.notify(self.t("bookings.no_booking"), severity="warning")
        return booking, occurrence

    def _blank_booking(self) -> Booking | None:
        position = self.query_one(BookingGrid).position()
        if position is None:
            self.notify(self.t("bookings.no_rooms"), severity="warning")
            return None
        hour = position.hour if position.hour is not None else self.hours.start
        start = datetime.combine(position.row.day, time(hour))
        return Booking("", position.row.room_id, format_time(start),
                       format_time(start + timedelta(hours=1)), "",
                       organiser="", attendees=1)

    def action_new_booking(self) -> None:
        booking = self._blank_booking()
        if booking is not None:
            self.app.push_screen(BookingForm(booking), self._after_form)

    def action_edit_booking(self) -> None:
        booking, occurrence = self._selected()
        if booking is None:
            return
        day = occurrence.recurrence_id if occurrence is not None else None
        if day is None:
            self._open_form(BookingForm(booking), (booking.booking_id,))
            return
        t, series_id = self.t, booking.booking_id
        assert occurrence is not None
        rest = rest_of(booking, day)
        forms = {
            Scope.THIS: (BookingForm(alone(occurrence), Scope.THIS, day, series_id),
                         (exception_id(series_id, day.isoformat()),)),
            Scope.FOLLOWING: (BookingForm(rest, Scope.FOLLOWING, day, series_id),
                              (series_id, rest.booking_id)),
            Scope.ALL: (BookingForm(booking), (series_id,)),
        }
        labels = self._scope_labels(series_id, day)

        def chosen(key: str | None) -> None:
            if key is not None:
                self._open_form(*forms[Scope(key)])

        self.app.push_screen(ConfirmDialog(
            t("bookings.scope.edit_title", title=booking.title),
            [Choice(scope, labels[scope], "primary") for scope in Scope]), chosen)

    def _scope_labels(self, series_id: str, day: date) -> dict[Scope, str]:
        desk = booking_desk(self.ctx)
        return {
            Scope.THIS: self.t("bookings.scope.this", date=day.isoformat()),
            Scope.FOLLOWING: self.t("bookings.scope.following", date=day.isoformat(),
                                    count=len(dates_from(desk, series_id, day))),
            Scope.ALL: self.t("bookings.scope.all",
                              count=len(self.calendar.occurrences_of(series_id))),
        }

    def _open_form(self, form: BookingForm, doc_ids: tuple[str, ...]) -> None:
        """Open the form; what it saves can be undone like any other overwrite here."""
        before = snapshot(self.ctx.store, doc_ids)

        def closed(saved: Saved | None) -> None:
            if saved is not None:
                self.remember(UndoStep(self.t("bookings.edited", title=form.booking.title),
                                       before))
            self._after_form(saved)

        self.app.push_screen(form, closed)

    @on(DataTable.CellSelected, "#booking-grid")
    def open_cell(self) -> None:
        position = self.query_one(BookingGrid).position()
        if position is not None and position.occurrence is not None:
            self.action_edit_booking()
        else:
            self.action_new_booking()

    def _after_form(self, saved: Saved | None) -> None:
        if saved is None:
            return
        booking = self.calendar.bookings.get(saved.booking_id)
        if booking is not None:
            self.notify(self.t("bookings.saved", title=booking.title, when=self._when(booking)))
        if saved.short_notice:
            self.notify(self.t("bookings.short_notice",
                               hours=self.ctx.settings.booking.a_class_notice_hours),
                        severity="warning", timeout=10)
        self.refill()

    def action_confirm_booking(self) -> None:
        booking, _occurrence = self._selected()
        if booking is None:
            return
        booking_id, t = booking.booking_id, self.t
        self.confirm_then(
            t("bookings.ask.confirm", title=booking.title, when=self._when(booking)),
            [Undoable(t("bookings.confirm"), (booking_id,),
                      lambda: booking_desk(self.ctx).confirm(booking_id, self.ctx.clock()),
                      t("bookings.confirmed", title=booking.title))])

    def action_cancel_booking(self) -> None:
        booking, occurrence = self._selected()
        if booking is None:
            return
        t, series_id, title = self.t, booking.booking_id, booking.title
        desk = booking_desk(self.ctx)
        whole = Undoable(t("bookings.cancel_booking"), (series_id,),
                         lambda: desk.cancel(series_id), t("bookings.cancelled", title=title))
        day = occurrence.recurrence_id if occurrence is not None else None
        if day is None:
            self.confirm_then(t("bookings.ask.cancel", title=title, when=self._when(booking)),
                              [whole])
            return
        labels = self._scope_labels(series_id, day)
        following = len(dates_from(desk, series_id, day))
        self.confirm_then(t("bookings.scope.cancel_title", title=title), [
            Undoable(labels[Scope.THIS], (exception_id(series_id, day.isoformat()),),
                     lambda: desk.cancel_date(series_id, day),
                     t("bookings.cancelled_date", title=title, date=day.isoformat())),
            Undoable(labels[Scope.FOLLOWING], (series_id,),
                     lambda: desk.cancel_following(series_id, day),
                     t("bookings.cancelled_following", title=title, date=day.isoformat(),
                       count=following)),
            replace(whole, label=labels[Scope.ALL]),
        ])

    def _when(self, booking: Booking) -> str:
        return f"{booking.start[:10]} {booking.start[11:]}–{booking.end[11:]}"

    def after_undoable(self) -> None:
        self.refill()

    def action_find_room(self) -> None:
        position = self.query_one(BookingGrid).position()
        hour = position.hour if position and position.hour is not None else self.hours.start
        day = position.row.day if position else (self.day or self.ctx.clock().date())
        self.app.push_screen(FindRoomDialog(day.isoformat(), hour_text(hour),
                                            hour_text(hour + 1)), self._after_find)

    def _after_find(self, choice: RoomChoice | None) -> None:
        if choice is None:
            return
        booking = Booking("", choice.room_id, choice.start, choice.end, "",
                          attendees=choice.attendees)
        self.app.push_screen(BookingForm(booking), self._after_form)

    @on(DataTable.RowSelected, "#clash-list")
    def action_resolve_clash(self) -> None:
        clashes = self.query_one(ClashList)
        clash = clashes.selected()
        if clash is None:
            self.notify(self.t("bookings.no_clash"))
            return
        self.app.push_screen(ClashDialog(clash.first.booking.booking_id,
                                         clash.second.booking.booking_id),
                             lambda _done: self.refill())

    @on(DataTable.RowSelected, "#pending-list")
    def edit_request(self) -> None:
        self.action_edit_booking()

    def action_edit_room(self) -> None:
        position = self.query_one(BookingGrid).position()
        room = self.calendar.rooms.get(position.row.room_id) if position else None
        self.app.push_screen(room_dialog(self.ctx, room), lambda _saved: self.refill())

    def action_new_room(self) -> None:
        self.app.push_screen(room_dialog(self.ctx, None), lambda _saved: self.refill())

    def action_month(self) -> None:
        def chosen(day: date | None) -> None:
            if day is not None:
                self.day, self.week_room = day, None
                self.refill()

        assert self.day is not None
        self.app.push_screen(MonthView(self.day), chosen)

    def action_my_bookings(self) -> None:
        chosen: list[str] = []

        def done(saved: bool | None) -> None:
            if saved and chosen:
                self.app.push_screen(MyBookingsDialog(chosen[0]))

        self.app.push_screen(FieldsDialog(
            self.t("bookings.my_bookings"),
            [MemberField("member", self.t("bookings.my.member"))],
            lambda values: chosen.append(values["member"])), done)

    def action_export_calendar(self) -> None:
        try:
            path, count = export_calendar(self.ctx)
        except OSError as error:
            self.notify(self.ctx.i18n.error(error), severity="error")
            return
        self.notify(self.t("bookings.exported", count=count, path=path))

    def _shift_commands(self) -> list[PaletteCommand]:
        if self.week_room is None:
            return [("bookings.prev_day", "bookings.day_help", lambda: self.action_shift_day(-1)),
                    ("bookings.next_day", "bookings.day_help", lambda: self.action_shift_day(1))]
        return [
            ("bookings.prev_week", "bookings.week_shift_help", lambda: self.action_shift_week(-1)),
            ("bookings.next_week", "bookings.week_shift_help", lambda: self.action_shift_week(1))]

    def palette_commands(self) -> list[PaletteCommand]:
        return [
            ("bookings.new", "bookings.new_help", self.action_new_booking),
            ("bookings.edit", "bookings.edit_help", self.action_edit_booking),
            ("bookings.confirm", "bookings.confirm_help", self.action_confirm_booking),
            ("bookings.cancel_booking", "bookings.cancel_help", self.action_cancel_booking),
            ("bookings.find_room", "bookings.find_help", self.action_find_room),
            ("bookings.week", "bookings.week_help", self.action_toggle_week),
            ("bookings.today", "bookings.today_help", self.action_today),
            *self._shift_commands(),
            ("bookings.resolve", "bookings.resolve_help", self.action_resolve_clash),
            ("bookings.edit_room", "bookings.edit_room_help", self.action_edit_room),
            ("bookings.new_room", "bookings.new_room_help", self.action_new_room),
            ("bookings.export_ics", "bookings.export_ics_help", self.action_export_calendar),
            ("bookings.my_bookings", "bookings.my_bookings_help", self.action_my_bookings),
            ("bookings.month", "bookings.month_help", self.action_month),
        ]
