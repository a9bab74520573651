"""Focus in every dialog: the first field takes the first keys, Enter saves, and when the dialog
closes the arrow keys move the table it came from again."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.screen import Screen
from textual.widgets import Button, DataTable, Input

from store import DocumentStore
from store.booking import Booking
from store.meetings import Meeting
from store.members import Member, save_member
from tui.app import MishuApp
from tui.context import AppContext
from tui.screens.base import Dialog
from tui.screens.directory import DirectoryScreen
from tui.screens.empty_store import EmptyStoreScreen
from tui.widgets.bookings.booking_form import BookingForm
from tui.widgets.bookings.find_room import FindRoomDialog
from tui.widgets.common.confirm_dialog import Choice, ConfirmDialog
from tui.widgets.common.fields_dialog import Field, FieldsDialog
from tui.widgets.directory.member_form import MemberForm
from tui.widgets.meetings.meeting_form import MeetingForm
from tui.widgets.meetings.reason_dialog import ReasonDialog
from tui.widgets.supplies.tables import StockTable

from ..kiosk.driving import wait_until
from .test_bookings import seed_rooms
from .test_supplies import open_supplies, seed

# Each dialog with a text field, and the id of the field that must have the focus on opening.
TYPED_INTO: dict[str, tuple[Callable[[], Dialog[object]], str]] = {
    "fields": (lambda: FieldsDialog("T", [Field("a", "A"), Field("b", "B")], lambda _v: None),
               "field-a"),
    "member": (MemberForm, "field-name"),
    "meeting": (lambda: MeetingForm(Meeting("meeting:x", "", "2026-11-26T10:00",
                                            "2026-11-26T11:00")), "field-title"),
    "booking": (lambda: BookingForm(Booking("", "room:r1", "2026-11-26T10:00",
                                            "2026-11-26T11:00", "")), "field-title"),
    "find_room": (lambda: FindRoomDialog("2026-11-26", "10:00", "11:00"), "find-date"),
    "reason": (lambda: ReasonDialog("T"), "reason"),
    "empty_store": (EmptyStoreScreen, "roster-path"),
}


@pytest.mark.parametrize("name", sorted(TYPED_INTO))
async def test_keys_typed_at_once_land_in_the_first_field(
    name: str, store: DocumentStore, make_ctx: Callable[..., AppContext]
) -> None:
    seed_rooms(store)
    make, field_id = TYPED_INTO[name]
    app = MishuApp(make_ctx())
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(make())
        await pilot.press("x", "y")
        field = app.screen.query_one(f"#{field_id}", Input)
        assert app.focused is field
        assert field.value.endswith("xy")


async def test_a_destructive_confirmation_opens_on_go_back(
    store: DocumentStore, make_ctx: Callable[..., AppContext]
) -> None:
    app = MishuApp(make_ctx())
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(ConfirmDialog("Delete?", [Choice("yes", "Delete")]))
        await pilot.pause()
        assert app.focused is app.screen.query_one("#back", Button)


async def test_enter_saves_a_form_and_the_save_button_names_ctrl_s(
    store: DocumentStore, make_ctx: Callable[..., AppContext]
) -> None:
    saved: list[dict[str, str]] = []
    app = MishuApp(make_ctx("zh"))
    async with app.run_test(size=(80, 24)) as pilot:
        results: list[bool | None] = []
        await app.push_screen(FieldsDialog("T", [Field("a", "A"), Field("b", "B")],
                                           saved.append), results.append)
        assert str(app.screen.query_one("#save", Button).label) == "保存（Ctrl+S）"
        await pilot.press("1", "tab", "2", "enter")
        await pilot.pause()
        assert saved == [{"a": "1", "b": "2"}] and results == [True]
        await app.push_screen(MemberForm())
        await pilot.press(*"王五", "tab", *"2026099", "enter")
        await wait_until(lambda: not isinstance(app.screen, MemberForm), pilot)
        assert store.get("member:2026099")["name"] == "王五"


async def test_a_new_member_gets_the_cursor_and_arrows_move_it(
    store: DocumentStore, make_ctx: Callable[..., AppContext]
) -> None:
    for number, name in enumerate(["张三", "李四", "赵六"], start=1):
        save_member(store, Member(f"202600{number}", name, "秘书处"))
    app = MishuApp(make_ctx())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f2")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DirectoryScreen)
        table = screen.query_one("#member-table", DataTable)
        await pilot.press("ctrl+n", *"钱七", "tab", *"2026004", "enter")
        await wait_until(lambda: app.screen is screen, pilot)
        await pilot.pause()
        assert app.focused is table
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        assert key == "member:2026004"
        row = table.cursor_row
        await pilot.press("up")
        assert table.cursor_row == row - 1


async def test_a_new_item_gets_the_cursor_so_a_delivery_goes_to_it(
    store: DocumentStore, make_ctx: Callable[..., AppContext]
) -> None:
    seed(store)
    app = MishuApp(make_ctx())
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_supplies(pilot, app)
        await pilot.press("a")  # from the assets tab
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("i", *"Tissues", "tab", "tab", *"纸张", "enter")  # sorted last
        await wait_until(lambda: app.screen is screen, pilot)
        await pilot.pause()
        table = screen.query_one(StockTable)
        assert app.focused is table
        row = table.selected()
        assert row is not None and row.item.name == "Tissues" and table.cursor_row > 0
        await pilot.press("up")
        assert table.selected() is not None and table.selected().item.name != "Tissues"


@pytest.mark.parametrize("area, key", [("f3", "n"), ("f4", "ctrl+n"), ("f5", "i"),
                                       ("f6", "ctrl+n"), ("f2", "ctrl+n")])
async def test_after_a_dialog_closes_the_arrows_move_the_table(
    area: str, key: str, store: DocumentStore, make_ctx: Callable[..., AppContext]
) -> None:
    seed(store)
    seed_rooms(store)
    app = MishuApp(make_ctx())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press(area)
        await pilot.pause()
        screen: Screen[object] = app.screen
        await pilot.press(key)
        await wait_until(lambda: isinstance(app.screen, Dialog), pilot)
        await pilot.press("escape")
        await wait_until(lambda: app.screen is screen, pilot)
        await pilot.pause()
        assert isinstance(app.focused, DataTable)
        table = app.focused
        if table.row_count > 1:
            before = table.cursor_coordinate
            await pilot.press("down")
            assert table.cursor_coordinate != before


@pytest.mark.parametrize("name", sorted(set(TYPED_INTO) - {"empty_store"}))
@pytest.mark.parametrize("language", ["zh", "en"])
async def test_a_dialog_at_80x24_shows_its_title_first_label_and_buttons(
    name: str, language: str, store: DocumentStore, make_ctx: Callable[..., AppContext]
) -> None:
    """Before: the member form at 80×24 filled the screen without a border, scrolled so its
    title and the 姓名 label were above the top row."""
    from textual.widgets import Label, Static

    from .screen_text import screen_text

    seed_rooms(store)
    make, _field_id = TYPED_INTO[name]
    app = MishuApp(make_ctx(language))
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(make())
        await pilot.pause()
        await pilot.pause()
        dialog = app.screen
        shown = screen_text(app)
        title = str(dialog.query(".dialog-title").first(Static).render()).strip()
        assert title and title.splitlines()[0] in shown, (title, shown)
        labels = list(dialog.query(Label))
        if labels:
            assert str(labels[0].render()).strip() in shown, shown
        buttons = [button for button in dialog.query(Button) if button.id in ("save", "cancel")]
        for button in buttons:
            assert str(button.label).strip() in shown, shown


async def test_find_room_at_80_columns_shows_the_whole_date(
    store: DocumentStore, make_ctx: Callable[..., AppContext]
) -> None:
    """Before: the date field was a fifth of 80 columns and showed ``6-12-03``."""
    seed_rooms(store)
    app = MishuApp(make_ctx("zh"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3")
        await pilot.pause()
        await pilot.press("f")
        await wait_until(lambda: isinstance(app.screen, FindRoomDialog), pilot)
        await pilot.pause()
        field = app.screen.query_one("#find-date", Input)
        assert field.content_region.width > len("2026-11-26")


@pytest.mark.parametrize("typed", ["", "/nonexistent/members.csv"])
async def test_first_start_keeps_the_dialog_open_on_a_path_that_is_no_file(
    typed: str, store: DocumentStore, make_ctx: Callable[..., AppContext]
) -> None:
    """Before: Enter on a wrong path closed the first-start dialog, then said the file was not
    found: the secretary had to find the import again to correct one letter."""
    app = MishuApp(make_ctx("zh"))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(lambda: isinstance(app.screen, EmptyStoreScreen), pilot)
        await pilot.press(*typed, "enter")
        await pilot.pause()
        assert isinstance(app.screen, EmptyStoreScreen)
        field = app.screen.query_one("#roster-path", Input)
        assert app.focused is field and field.has_class("-invalid")
        assert "找不到文件" in str(app.screen.query_one("#roster-error").render())
