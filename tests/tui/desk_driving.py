"""Driving the service desk's dialogs in Pilot tests: fill a form, pick a confirmation."""

from __future__ import annotations

from textual.widgets import Button

from tui.app import MishuApp
from tui.widgets.common.confirm_dialog import ConfirmDialog
from tui.widgets.common.fields_dialog import FieldsDialog
from tui.widgets.common.member_picker import MemberPicker

from ..kiosk.driving import wait_until


async def fill(pilot, app: MishuApp, **values: str) -> None:  # type: ignore[no-untyped-def]
    """Type ``values`` into the open form's fields (Selects get the value) and save."""
    await wait_until(lambda: isinstance(app.screen, FieldsDialog), pilot)
    for name, value in values.items():
        field = app.screen.query_one(f"#field-{name}")
        if isinstance(field, MemberPicker):
            field = field.input
        field.value = value  # type: ignore[attr-defined]
    await pilot.press("ctrl+s")
    await pilot.pause()


async def choose(pilot, app: MishuApp, number: int = 0) -> None:  # type: ignore[no-untyped-def]
    await wait_until(lambda: isinstance(app.screen, ConfirmDialog), pilot)
    app.screen.query_one(f"#choice-{number}", Button).press()
    await pilot.pause()


async def open_pane(pilot, app: MishuApp, pane_type: type, tab: str):  # type: ignore[no-untyped-def]
    """F8, the tab ``desk-<tab>``, and the focus on its table."""
    await pilot.press("f8")
    await pilot.pause()
    app.screen.query_one("#desk-tabs").active = f"desk-{tab}"  # type: ignore[attr-defined]
    await pilot.pause()
    pane = app.screen.query_one(pane_type)
    pane.table.focus()
    await pilot.pause()
    return pane
