"""The admin's way out of a locked kiosk: a hidden PIN, then a short list of admin actions.

A wrong PIN only says so; repeated wrong PINs lock the dialog for a while (see
:mod:`kiosk.pin_guard`), and the dialog closes itself again when the kiosk goes idle. The PIN is
checked against the scrypt hash in ``[kiosk] admin_pin_hash``.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from tui.screens.base import Dialog

from ..pin_guard import PinGuard, PinVerdict

AdminAction = tuple[str, str]  # (action name, i18n key of its label)


class PinDialog(Dialog[str | None]):
    """Dismisses with the chosen admin action's name, or ``None``."""

    DEFAULT_CLASSES = "pin-dialog"
    BINDINGS = [Binding("escape", "cancel", "common.cancel")]

    def __init__(self, actions: list[AdminAction], guard: PinGuard) -> None:
        super().__init__()
        self.actions = actions
        self.guard = guard
        self.unlocked = False

    def compose(self) -> ComposeResult:
        t = self.ctx.i18n
        with Vertical():
            yield Static(t("kiosk.admin_title"), classes="dialog-title")
            yield Static(t("kiosk.pin_prompt"), id="pin-label")
            yield Input(password=True, id="pin-input", max_length=32)
            yield Static("", id="pin-message")
            options = OptionList(*(Option(t(label), id=name) for name, label in self.actions),
                                 id="admin-actions")
            options.display = False
            yield options

    @on(Input.Submitted, "#pin-input")
    def check_pin(self, event: Input.Submitted) -> None:
        t = self.ctx.i18n
        stored = self.ctx.settings.kiosk.admin_pin_hash
        field = self.query_one("#pin-input", Input)
        field.value = ""
        message = self.query_one("#pin-message", Static)
        if not stored:
            message.update(t("kiosk.pin_not_set"))
            return
        verdict = self.guard.check(event.value, stored)
        if verdict is not PinVerdict.RIGHT:
            seconds = self.guard.seconds_locked()
            message.update(t("kiosk.pin_locked", seconds=seconds) if seconds
                           else t("kiosk.pin_wrong"))
            self.app.bell()
            return
        self.unlocked = True
        field.display = False
        self.query_one("#pin-label", Static).display = False
        failures = self.guard.take_failures()
        choose = t("kiosk.admin_choose")
        message.update(f"{t('kiosk.pin_failures', count=failures)}\n{choose}" if failures
                       else choose)
        options = self.query_one("#admin-actions", OptionList)
        options.display = True
        options.highlighted = 0
        options.focus()

    @on(OptionList.OptionSelected, "#admin-actions")
    def choose(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
