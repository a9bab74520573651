"""What every area screen shares: access to the context, translation, status bar, footer.

A screen yields its own widgets from :meth:`compose_body`; the status bar and the footer are
added here so every area looks the same. Screens list their command-palette entries in
:meth:`palette_commands` (title i18n key, help i18n key, callback).

A screen fills the widgets it composes through :meth:`AreaScreen.fill_after_mount`, not
``call_after_refresh``: a language switch recomposes every screen, also those not on view,
and a fill scheduled from ``compose`` can then run before the new widgets are mounted (a table
without its columns, a container without its children).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Button, DataTable, Input
from textual.widgets.data_table import RowDoesNotExist

from ..error_shield import ErrorShield

from ..widgets.common.status_bar import StatusBar
from ..widgets.common.translated_footer import TranslatedFooter

if TYPE_CHECKING:
    from ..context import AppContext

PaletteCommand = tuple[str, str, Callable[[], Any]]
ResultT = TypeVar("ResultT")


# What a dialog focuses when it opens: its first field, else its first list or button. Never
# the scrolling container around the fields (Textual's "*" would pick it and swallow the keys).
FIRST_FIELD = "Input, TextArea, Select, OptionList, DataTable, Button"


class Dialog(ErrorShield, ModalScreen[ResultT]):
    """Base of every modal dialog: a failing handler is reported, the dialog stays usable.

    The first field has the focus as soon as the dialog is on screen, so the first keys typed
    land in it rather than being lost.
    """

    AUTO_FOCUS = FIRST_FIELD
    # The app's F9 is not active over a dialog; rebuilding the dialog in the other language
    # would lose what was typed, so F9 here says when the language can change
    BINDINGS = [Binding("f9", "language_after_dialog", show=False)]

    @property
    def ctx(self) -> AppContext:
        return self.app.ctx  # type: ignore[attr-defined,no-any-return]

    def action_language_after_dialog(self) -> None:
        self.notify(self.ctx.i18n("app.language_after_dialog"))


class FormDialog(Dialog[ResultT]):
    """A form: Enter in any one-line field or Ctrl+S saves, Escape cancels.

    Subclasses give ``action_save`` and ``action_cancel`` and end their layout with
    :meth:`compose_buttons`, whose Save button names its keys.
    """

    BINDINGS = [Binding("escape", "cancel", "common.cancel"),
                Binding("ctrl+s", "save", "common.save")]

    def compose_buttons(self) -> ComposeResult:
        t = self.ctx.i18n
        with Horizontal(classes="buttons"):
            yield Button(t("common.save_keys"), id="save", variant="primary")
            yield Button(t("common.cancel"), id="cancel")

    def set_focus(self, widget: Widget | None, scroll_visible: bool = True,
                  from_app_focus: bool = False) -> None:
        """The first focus does not scroll: the first field is in view at the top, and centring
        it while the form was still being laid out scrolled its label (姓名) out of sight."""
        first = self.focused is None
        super().set_focus(widget, scroll_visible and not first, from_app_focus)

    @on(Input.Submitted)
    def _enter_saves(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    def action_save(self) -> None:
        raise NotImplementedError

    def action_cancel(self) -> None:
        raise NotImplementedError


class AreaScreen(ErrorShield, Screen[None]):
    title_key = "app.title"
    # What had the focus when a dialog covered the screen; False: not covered by a dialog.
    _focus_under_dialog: Widget | None | bool = False

    @property
    def ctx(self) -> AppContext:
        return self.app.ctx  # type: ignore[attr-defined,no-any-return]

    def t(self, key: str, **params: Any) -> str:
        return self.ctx.i18n(key, **params)

    def compose(self) -> ComposeResult:
        self._fills: list[Callable[[], object]] = []
        yield from self.compose_body()
        yield StatusBar()
        yield TranslatedFooter()

    def fill_after_mount(self, fill: Callable[[], object]) -> None:
        """Call ``fill`` once the widgets being composed are all mounted, after the first
        mount and after every recompose (a language switch)."""
        self._fills.append(fill)

    def on_mount(self) -> None:
        # Every child is mounted by now; the fills run once this screen counts as mounted too
        self.call_later(self._run_fills)

    async def recompose(self) -> None:
        """Rebuild in the new language; the field or list that had the focus gets it back
        (before, nothing had it after F9 and the next keys were lost)."""
        focused = self.focused
        focused_id = focused.id if focused is not None and focused in self.walk_children() \
            else None
        await super().recompose()
        self._run_fills()
        again = next(iter(self.query(f"#{focused_id}")), None) if focused_id else None
        if again is None or not again.focusable:
            again = self.main_view()
        if again is not None:
            self.set_focus(again)  # this screen's focus, whether or not it is on view

    def _run_fills(self) -> None:
        for fill in self._fills:
            fill()

    def compose_body(self) -> ComposeResult:
        yield from ()

    def on_screen_suspend(self) -> None:
        covered = isinstance(self.app.screen, ModalScreen)
        self._focus_under_dialog = self.focused if covered else False

    def on_screen_resume(self) -> None:
        """Back from a dialog, the arrow keys move the rows again: the table or grid gets the
        focus, unless it has it already or the dialog's outcome put it elsewhere."""
        self.app.sub_title = self.t(self.title_key)
        before = self._focus_under_dialog
        if before is not False and not isinstance(before, DataTable):
            self.call_after_refresh(self._refocus, before)  # after the dialog's own callback

    def _refocus(self, before: Widget | None) -> None:
        main = self.main_view()
        if self.focused is before and main is not None:
            main.focus()

    def main_view(self) -> Widget | None:
        """The table or grid the arrow keys move, focused again when a dialog closes."""
        return next((table for table in self.query(DataTable) if table.focusable), None)

    def cursor_to(self, table: DataTable[Any], key: str) -> None:
        """Put ``table``'s cursor on the row of ``key`` (a record just added) and focus it."""
        try:
            row = table.get_row_index(key)
        except RowDoesNotExist:  # filtered out of view: the cursor stays
            return
        table.move_cursor(row=row)
        table.focus()

    def palette_commands(self) -> list[PaletteCommand]:
        return []

    def show_error(self, error: BaseException) -> None:
        """A readable notification for a refused action; details go to the log."""
        self.notify(self.ctx.i18n.error(error), severity="error", timeout=8)
