"""After the admin PIN: choose which meeting this door kiosk signs people in to."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from store.meetings import Meeting
from tui.plain_text import cell
from tui.screens.base import Dialog


class MeetingPicker(Dialog[str | None]):
    """Dismisses with the chosen meeting's id, or ``None``."""

    DEFAULT_CLASSES = "pin-dialog"
    BINDINGS = [Binding("escape", "cancel", "common.cancel")]

    def __init__(self, meetings: list[Meeting]) -> None:
        super().__init__()
        self.meetings = meetings

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.ctx.i18n("kiosk.admin_switch"), classes="dialog-title")
            yield OptionList(
                *(Option(cell(f"{m.start[5:16].replace('T', ' ')}  {m.title}", width=60),
                       id=m.meeting_id)
                  for m in self.meetings),
                id="admin-actions",
            )

    @on(OptionList.OptionSelected)
    def choose(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
