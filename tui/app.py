"""The secretary's Textual app: one mode per area, a command palette, no traceback on screen.

Any exception that escapes a screen's handler is written to the log file with its traceback and
shown as a readable notification; the app keeps running, because a secretary mid-meeting must
never lose the screen to a stack trace. One that escapes elsewhere ends the app with code 1, logged
(:class:`~tui.error_shield.CrashGuard`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from functools import partial

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette
from textual.screen import Screen
from textual.theme import ThemeProvider

from store.supply_balances import carry_forward
from sync.hosting import SyncNode

from .bundle_actions import export_with_progress, import_with_progress
from .context import AppContext
from .error_shield import ActionShield, CrashGuard, ErrorShield
from .node_host import NodeHost
from .plain_text import PlainNotifications
from .i18n import Translator
from .screens.archive import ArchiveScreen
from .screens.base import AreaScreen
from .screens.bookings import BookingsScreen
from .screens.dashboard import DashboardScreen
from .screens.desk import DeskScreen
from .screens.directory import DirectoryScreen
from .screens.documents import DocumentsScreen
from .screens.empty_store import EmptyStoreScreen
from .screens.meetings import MeetingsScreen
from .screens.supplies import SuppliesScreen
from .widgets.common.translated_palette import TranslatedPalette

log = logging.getLogger(__name__)

AREAS: dict[str, type[AreaScreen]] = {
    "dashboard": DashboardScreen,
    "directory": DirectoryScreen,
    "bookings": BookingsScreen,
    "meetings": MeetingsScreen,
    "supplies": SuppliesScreen,
    "archive": ArchiveScreen,
    "documents": DocumentsScreen,
    "desk": DeskScreen,
}


# F1–F8 share one entry in the key bar ("F1…F8 Areas"); each is in the palette too.
AREA_KEYS = Binding.Group("nav.areas", compact=True)


class MishuApp(CrashGuard, PlainNotifications, ErrorShield, ActionShield, NodeHost, App[None]):
    CSS_PATH = "app.tcss"
    MODES = dict(AREAS)  # type: ignore[arg-type]
    DEFAULT_MODE = "dashboard"
    BINDINGS = [
        Binding("f1", "switch_mode('dashboard')", "nav.dashboard", group=AREA_KEYS),
        Binding("f2", "switch_mode('directory')", "nav.directory", group=AREA_KEYS),
        Binding("f3", "switch_mode('bookings')", "nav.bookings", group=AREA_KEYS),
        Binding("f4", "switch_mode('meetings')", "nav.meetings", group=AREA_KEYS),
        Binding("f5", "switch_mode('supplies')", "nav.supplies", group=AREA_KEYS),
        Binding("f6", "switch_mode('archive')", "nav.archive", group=AREA_KEYS),
        Binding("f7", "switch_mode('documents')", "nav.documents", group=AREA_KEYS),
        Binding("f8", "switch_mode('desk')", "nav.desk", group=AREA_KEYS),
        Binding("f9", "toggle_language", "nav.switch_language"),
        Binding("ctrl+q", "quit", "nav.quit", priority=True),
    ]

    def __init__(self, ctx: AppContext, sync_node: SyncNode | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.sync_node = sync_node
        self.title = ctx.i18n("app.title")

    def on_mount(self) -> None:
        if self.ctx.store.doc_count == 0:
            self.push_screen(EmptyStoreScreen())
        self._fold_closed_years()

    @work(thread=True, exit_on_error=False)
    def _fold_closed_years(self) -> None:
        """A secretary's full copy writes the yearly stock balances a supplies kiosk pulls in
        place of old movements (store.supply_balances); a walk over them, off the UI thread."""
        carry_forward(self.ctx.store, self.ctx.clock().date())

    def report_error(self, error: BaseException) -> None:
        """Log the traceback, show a readable sentence; the app carries on."""
        log.error("unhandled error in the UI", exc_info=error)
        self.notify(self.ctx.i18n.error(error), severity="error", timeout=10)


    async def action_toggle_language(self) -> None:
        language = "en" if self.ctx.i18n.language == "zh" else "zh"
        self.ctx.i18n = Translator(language)
        self.title = self.ctx.i18n("app.title")
        for screen in self._installed_screens_and_stack():
            await screen.recompose()
        if isinstance(self.screen, AreaScreen):
            self.sub_title = self.screen.t(self.screen.title_key)
        self.notify(self.ctx.i18n("app.language_switched"))

    def _installed_screens_and_stack(self) -> list[Screen[object]]:
        screens: list[Screen[object]] = []
        for stack in self._screen_stacks.values():
            for screen in stack:
                if screen not in screens and screen.is_mounted:
                    screens.append(screen)
        return screens

    def action_command_palette(self) -> None:
        """One palette per area: one may be open under a dialog a command opened, where
        ``CommandPalette.is_open`` (the top screen only) does not see it. Each area keeps its
        own screens, so the palette has no fixed id: one left open in another area made a
        second with Textual's ``--command-palette`` id fail (DuplicateIds)."""
        if self.use_command_palette and not any(isinstance(screen, CommandPalette)
                                                for screen in self.screen_stack):
            self.push_screen(self._palette(None, "palette.placeholder"))

    def search_themes(self) -> None:
        self.push_screen(self._palette([ThemeProvider], "palette.theme_placeholder"))

    def _palette(self, providers: list[type[ThemeProvider]] | None, placeholder_key: str,
                 **kwargs: str) -> TranslatedPalette:
        t = self.ctx.i18n
        return TranslatedPalette(t("palette.no_matches"), providers=providers,
                                 placeholder=t(placeholder_key), **kwargs)

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        t = self.ctx.i18n
        for mode in AREAS:
            yield SystemCommand(t(f"nav.{mode}"), t("palette.go_to"), self._switcher(mode))
        yield SystemCommand(
            t("nav.switch_language"), t("palette.language"), self.action_toggle_language
        )
        yield SystemCommand(t("cluster.invite_title"), t("cluster.invite_help"),
                            self.action_invite)
        yield SystemCommand(t("bundle.export_title"), t("bundle.export_help"),
                            partial(export_with_progress, self))
        yield SystemCommand(t("bundle.import_title"), t("bundle.import_help"),
                            partial(import_with_progress, self))
        listed = {*(f"nav.{mode}" for mode in AREAS), "nav.switch_language"}
        if isinstance(screen, AreaScreen):
            for title_key, help_key, callback in screen.palette_commands():
                listed.add(title_key)
                yield SystemCommand(t(title_key), t(help_key), callback)
        yield from self._bound_commands(screen, listed)
        yield SystemCommand(t("palette.theme"), t("palette.theme_help"), self.action_change_theme)
        yield SystemCommand(t("nav.quit"), t("palette.quit"), self.exit)

    def _bound_commands(self, screen: Screen[object], listed: set[str]) -> Iterable[SystemCommand]:
        """Every key of the screen and the app the palette does not list yet, by its key: the
        key bar shows only the most used, so the palette is where the rest is found."""
        t = self.ctx.i18n
        for namespace, binding, enabled, _tooltip in screen.active_bindings.values():
            if (namespace not in (screen, self) or not enabled or binding.system
                    or binding.description in listed or not t.has(binding.description)
                    or binding.action in ("command_palette", "quit")):
                continue
            listed.add(binding.description)
            yield SystemCommand(t(binding.description),
                                t("palette.key", keys=self.get_key_display(binding)),
                                partial(self.run_action, binding.action, namespace))

    def action_invite(self) -> None:
        """Invite a laptop into the cluster: offered on every screen, not only the dashboard.
        The dialog is imported here: it brings qrcode and Pillow, and the app should not
        carry them for an invitation most sessions never send."""
        from .widgets.dashboard.invite_dialog import InviteDialog

        self.push_screen(InviteDialog())

    def _switcher(self, mode: str):  # type: ignore[no-untyped-def]
        def switch() -> None:
            self.switch_mode(mode)

        return switch
