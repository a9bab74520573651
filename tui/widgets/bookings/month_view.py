"""Month view: a calendar page with each day's number of bookings; Enter opens that day.

Dismisses with the chosen day (the bookings screen then shows its grid), or ``None``.
``[``/``]`` turn the page.
"""

from __future__ import annotations

from datetime import date, timedelta

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from store.booking_calendar import BookingCalendar
from store.booking_month import day_counts, month_weeks

from ...screens.base import Dialog


class MonthView(Dialog[date | None]):
    DEFAULT_CLASSES = "form-dialog month-view"
    CSS_PATH = "../../styles/month.tcss"
    BINDINGS = [("escape", "close", "common.close"),
                ("left_square_bracket", "turn(-1)", "bookings.prev_month"),
                ("right_square_bracket", "turn(1)", "bookings.next_month")]

    def __init__(self, day: date) -> None:
        super().__init__()
        self.day = day
        self.weeks: list[list[date]] = []

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("", id="month-heading", classes="dialog-title")
            yield DataTable(id="month-table", cursor_type="cell")

    def on_mount(self) -> None:
        table = self.query_one("#month-table", DataTable)
        for weekday in range(7):
            table.add_column(self.ctx.i18n(f"bookings.weekday.{weekday}"), key=str(weekday))
        self.fill()
        table.focus()

    def fill(self) -> None:
        t = self.ctx.i18n
        table = self.query_one("#month-table", DataTable)
        table.clear()
        self.weeks = month_weeks(self.day.year, self.day.month)
        counts = day_counts(self.ctx.index(BookingCalendar), self.weeks)
        for week in self.weeks:
            cells = []
            for day in week:
                cell = Text(f"{day.day:>2}", style="" if day.month == self.day.month else "dim")
                if counts[day]:
                    cell.append(f" {t('bookings.month_count', count=counts[day])}", style="bold")
                cells.append(cell)
            table.add_row(*cells, height=2)
        self.query_one("#month-heading", Static).update(
            t("bookings.month_heading", month=f"{self.day:%Y-%m}"))
        row = next(n for n, week in enumerate(self.weeks) if self.day in week)
        table.move_cursor(row=row, column=self.day.weekday())

    def action_turn(self, months: int) -> None:
        first = self.day.replace(day=1)
        moved = first + timedelta(days=32) if months > 0 else first - timedelta(days=1)
        self.day = moved.replace(day=1)
        self.fill()

    @on(DataTable.CellSelected, "#month-table")
    def open_day(self, event: DataTable.CellSelected) -> None:
        self.dismiss(self.weeks[event.coordinate.row][event.coordinate.column])

    def action_close(self) -> None:
        self.dismiss(None)
