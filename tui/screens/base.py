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

from textual.app import ComposeResult
from textual.screen import ModalScreen, Screen

from ..error_shield import ErrorShield

from ..widgets.common.status_bar import StatusBar
from ..widgets.common.translated_footer import TranslatedFooter

if TYPE_CHECKING:
    from ..context import AppContext

PaletteCommand = tuple[str, str, Callable[[], Any]]
ResultT = TypeVar("ResultT")


class Dialog(ErrorShield, ModalScreen[ResultT]):
    """Base of every modal dialog: a failing handler is reported, the dialog stays usable."""

    @property
    def ctx(self) -> AppContext:
        return self.app.ctx  # type: ignore[attr-defined,no-any-return]


class AreaScreen(ErrorShield, Screen[None]):
    title_key = "app.title"

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
        await super().recompose()
        self._run_fills()

    def _run_fills(self) -> None:
        for fill in self._fills:
            fill()

    def compose_body(self) -> ComposeResult:
        yield from ()

    def on_screen_resume(self) -> None:
        self.app.sub_title = self.t(self.title_key)

    def palette_commands(self) -> list[PaletteCommand]:
        return []

    def show_error(self, error: BaseException) -> None:
        """A readable notification for a refused action; details go to the log."""
        self.notify(self.ctx.i18n.error(error), severity="error", timeout=8)
