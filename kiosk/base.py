"""The locked-down kiosk framework both kiosks (sign-in, supplies) are built on.

What a kiosk gets from :class:`KioskApp`:

* **Locked.** Ctrl+C, Ctrl+Q, Ctrl+Z and Ctrl+P are swallowed by priority bindings, the command
  palette is off, and ``action_quit``/``action_suspend_process``/``action_command_palette`` do
  nothing, so no key a passer-by can press leaves the app. F12 opens the admin PIN dialog
  (:class:`kiosk.widgets.pin_dialog.PinDialog`); only after the right PIN does it offer "exit"
  and whatever :meth:`KioskApp.admin_actions` adds (handled in :meth:`run_admin_action`).
  ``pin_guard`` (a :class:`kiosk.pin_guard.PinGuard`) outlives each dialog, so closing and
  reopening it does not reset the lock after repeated wrong PINs.
* **Scanner input anywhere.** No widget takes focus; every key reaches :class:`KioskScreen`,
  which feeds a :class:`kiosk.scanner.KeyBuffer`. Enter (or Tab, or LF) ends the line, and a
  code read at scanner speed also ends when the reader goes quiet
  (``settings.kiosk.scanner_gap_ms``), for readers that send no suffix: repeats within
  ``settings.kiosk.repeat_scan_seconds`` are dropped, anything else goes to :meth:`answer_scan`
  with ``burst=True`` when it came at scanner speed. Enter on an empty line calls
  :meth:`confirm`; ↑/↓ call :meth:`navigate`; Esc calls :meth:`cancel`.
* **An answer at a glance.** :meth:`show_ok` / :meth:`show_refused` / :meth:`show_notice` fill
  the big green/red/blue
  :class:`kiosk.widgets.result_panel.ResultPanel` and ring the terminal bell.
* **Start-up.** :meth:`kiosk_ready` runs once the widgets exist (extend it, call ``super()``);
  it writes this kiosk's ``kiosk:<node>`` status record (:mod:`store.kiosk_status`), and a kiosk
  still on the factory PIN shows a warning band until one is set with ``mishu kiosk pin``.
* **Idle reset.** ``settings.kiosk.idle_reset_seconds`` after the last key or answer, any
  personal data on screen is cleared (result, typed text, dialogs) and
  :meth:`forget_personal_state` lets the subclass drop its own state.

A subclass sets ``IDLE_KEY`` (the i18n key of the idle prompt), implements :meth:`answer_scan`,
may extend :meth:`compose_kiosk` with its own widgets (call ``super()``), and refreshes
:meth:`set_header` as its figures change. Use ``self.ctx`` (a :class:`tui.context.AppContext`)
for the store, settings, language and clock, so ``tui`` widgets work unchanged in a kiosk.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Static

from store import StoreError
from store.kiosk_status import KioskStatus, save_kiosk_status
from tui.context import AppContext
from tui.error_shield import ActionShield, CrashGuard, ErrorShield
from tui.node_host import NodeHost
from tui.node_setup import attach_node
from tui.plain_text import PlainNotifications, plain

from store.kiosk_pin import is_default_pin
from .pin_guard import PinGuard
from .scanner import Debouncer, KeyBuffer, Scan, ScannerClock
from .widgets.pin_dialog import AdminAction, PinDialog
from .widgets.result_panel import ResultPanel
from .widgets.sync_line import SyncLine

if TYPE_CHECKING:
    from sync.selector import Selector
    from tui.cli import CliContext

log = logging.getLogger(__name__)

EXIT = "exit"
END_KEYS = ("enter", "tab", "ctrl+j")  # what scanners may send after a code (CR, Tab, LF)


class KioskScreen(ErrorShield, Screen[None]):
    """The kiosk's only screen: lays out the app's widgets and hands it every key; whatever
    fails in a handler is reported by the app and the screen stays locked."""

    def compose(self) -> ComposeResult:
        yield from self.app.compose_kiosk()  # type: ignore[attr-defined]

    def on_mount(self) -> None:
        self.app.kiosk_ready()  # type: ignore[attr-defined]

    async def on_key(self, event: events.Key) -> None:
        event.stop()
        event.prevent_default()
        await self.app.handle_key(event)  # type: ignore[attr-defined]


class KioskApp(CrashGuard, PlainNotifications, ErrorShield, ActionShield, NodeHost, App[None]):
    CSS_PATH = str(Path(__file__).with_name("kiosk.tcss"))
    ENABLE_COMMAND_PALETTE = False
    IDLE_KEY: ClassVar[str] = "kiosk.idle"
    TITLE_KEY: ClassVar[str] = "app.title"  # the terminal window's title; each kiosk names itself
    BINDINGS: ClassVar[list[Binding]] = [  # type: ignore[assignment]
        Binding("ctrl+c", "locked", show=False, priority=True),
        Binding("ctrl+q", "locked", show=False, priority=True),
        Binding("ctrl+z", "locked", show=False, priority=True),
        Binding("ctrl+p", "locked", show=False, priority=True),
        Binding("f12", "admin", show=False, priority=True),
    ]

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.title = ctx.i18n(self.TITLE_KEY)
        kiosk = ctx.settings.kiosk
        self.keys = KeyBuffer(burst_gap=kiosk.scanner_gap_ms / 1000)
        self.scanner_clock = ScannerClock()
        self._burst_timer: Timer | None = None
        self._keys_fed = 0
        self.debouncer = Debouncer(ctx.settings.kiosk.repeat_scan_seconds)
        self.last_activity = time.monotonic()
        self.showing_personal_data = False
        self.scans_handled = 0
        self.pin_guard = PinGuard()
        self.default_pin = is_default_pin(ctx.settings.kiosk.admin_pin_hash)
        self._unsubscribe: Callable[[], None] | None = None

    # -- hooks for subclasses ---------------------------------------------------------------

    def compose_kiosk(self) -> ComposeResult:
        band = Static(self.ctx.i18n("kiosk.default_pin_band"), id="default-pin-band")
        band.display = self.default_pin
        yield band
        yield Static("", id="kiosk-header")
        yield SyncLine(id="kiosk-sync")
        yield ResultPanel(id="result")
        yield Static("", id="kiosk-entry")
        yield Static("", id="kiosk-hint")

    def answer_scan(self, scan: Scan) -> None:
        """A finished line of input (badge, ID or name); answer with show_ok/show_refused."""
        raise NotImplementedError

    def confirm(self) -> None:
        """Enter on an empty line: accept whatever the screen is offering."""

    def navigate(self, delta: int) -> None:
        """↑ (-1) or ↓ (+1): move through a pick list."""

    def cancel(self) -> None:
        """Esc: drop an offer or a pick list."""

    def forget_personal_state(self) -> None:
        """Forget any personal state the subclass holds."""

    def admin_actions(self) -> list[AdminAction]:
        return [(EXIT, "kiosk.admin_exit"), ("cancel", "common.cancel")]

    def run_admin_action(self, action: str) -> None:
        if action == EXIT:
            log.info("kiosk closed by the admin")
            self.exit()

    def follow_store(self, refresh: Callable[[], None]) -> None:
        """Call ``refresh`` on the UI thread after every store change (a scan here, a document
        replicated in) until the kiosk closes."""
        self._unsubscribe = self.ctx.store.subscribe(lambda _seq: self.call_later(refresh))

    def on_unmount(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()

    # -- locking ----------------------------------------------------------------------------

    def get_default_screen(self) -> Screen[None]:
        return KioskScreen()

    def action_locked(self) -> None:
        self.touch()

    async def action_quit(self) -> None:
        self.touch()

    def action_suspend_process(self) -> None:
        self.touch()

    def action_command_palette(self) -> None:
        self.touch()

    def action_help_quit(self) -> None:
        self.touch()

    def report_error(self, error: BaseException) -> None:
        """A kiosk must never die on a bad scan: log it and show a neutral refusal (the person
        at the door needs no error names), still locked."""
        log.error("kiosk error", exc_info=error)
        self.show_refused(self.ctx.i18n("kiosk.error"), self.ctx.i18n("kiosk.try_again"))

    def guarded(self, tick: Callable[[], None]) -> Callable[[], None]:
        """A timer callback that reports its failure like a handler does: Textual hands a
        failing timer to the app's exception handler, which would end the kiosk."""
        def run() -> None:
            try:
                tick()
            except Exception as error:
                self.report_error(error)

        return run

    def action_admin(self) -> None:
        self.touch()
        if isinstance(self.screen, PinDialog):
            return
        self.push_screen(PinDialog(self.admin_actions(), self.pin_guard), self._admin_chosen)

    def _admin_chosen(self, action: str | None) -> None:
        self.touch()
        if action is not None:
            self.run_admin_action(action)

    # -- input ------------------------------------------------------------------------------

    def touch(self) -> None:
        self.last_activity = time.monotonic()

    async def handle_key(self, event: events.Key) -> None:
        now = self.scanner_clock.stamp(event)
        self.last_activity = time.monotonic()
        try:
            if event.key in END_KEYS:
                scan = self.keys.submit(now)
                if scan is None:
                    if event.key == "enter":
                        self.confirm()
                else:
                    self._take(scan, now)
            elif event.is_printable and event.character:
                ended = self.keys.ended_by_next_key(now)  # queued: the last scan is over
                if ended is not None:
                    self._take(ended, now)
                self.keys.feed(event.character, now)
                self._await_end_of_burst()
                return  # shown once the keys pause, so a scanned token never appears
            elif event.key == "backspace":
                self.keys.backspace()
            elif event.key == "escape":
                self.keys.clear()
                self.cancel()
            elif event.key in ("up", "down"):
                self.navigate(-1 if event.key == "up" else 1)
        except Exception as error:
            self.report_error(error)
        self._show_entry()

    def _take(self, scan: Scan, at: float) -> None:
        if self.debouncer.accept(scan.text, at):
            self.scans_handled += 1
            self.answer_scan(scan)

    def _await_end_of_burst(self) -> None:
        """Look again once the keys have paused (a reader with no suffix just stops).

        The timer only queues the look behind the screen's pending keys, so a burst still
        waiting in the queue of a busy kiosk is never cut in two.
        """
        if self._burst_timer is not None:
            self._burst_timer.stop()
        self._keys_fed += 1
        fed = self._keys_fed
        self._burst_timer = self.set_timer(
            self.keys.burst_gap, lambda: self.kiosk_screen.call_later(self._end_of_burst, fed))

    def _end_of_burst(self, fed: int) -> None:
        last = self.keys.quiet_since()
        if last is None or fed != self._keys_fed:
            return  # answered by Enter, or more keys came and their own look is queued
        quiet_at = last + self.keys.burst_gap
        now = self.scanner_clock.now()
        if now is not None and now < quiet_at:  # a hand-moved clock has not got there yet
            self._await_end_of_burst()
            return
        try:
            scan = self.keys.end_of_burst(quiet_at if now is None else now)
            if scan is not None:
                self.last_activity = time.monotonic()
                self._take(scan, last)
        except Exception as error:
            self.report_error(error)
        self._show_entry()

    def _show_entry(self) -> None:
        text = self.keys.text
        entry = self.kiosk_screen.query_one("#kiosk-entry", Static)
        entry.update(plain(f"› {text}" if text else ""))

    # -- output -----------------------------------------------------------------------------

    @property
    def kiosk_screen(self) -> Screen[object]:
        """The kiosk's own screen, even while the PIN dialog is on top of it."""
        return self.screen_stack[0]

    @property
    def result(self) -> ResultPanel:
        return self.kiosk_screen.query_one(ResultPanel)

    def set_header(self, text: str) -> None:
        self.kiosk_screen.query_one("#kiosk-header", Static).update(plain(text))

    def set_hint(self, text: str) -> None:
        self.kiosk_screen.query_one("#kiosk-hint", Static).update(plain(text))

    def show_ok(self, headline: str, detail: str = "") -> None:
        self._answer("ok", headline, detail)

    def show_refused(self, headline: str, detail: str = "") -> None:
        self._answer("refused", headline, detail)

    def show_notice(self, headline: str, detail: str = "") -> None:
        """Neither yes nor no: nothing new happened and nothing is wrong (already signed in)."""
        self._answer("notice", headline, detail)

    def _answer(self, outcome: str, headline: str, detail: str) -> None:
        self.result.show(outcome, headline, detail)
        self.showing_personal_data = True
        self.touch()
        self.bell()

    def show_idle(self) -> None:
        self.result.show("idle", self.ctx.i18n(self.IDLE_KEY), "")
        self.set_hint(self.ctx.i18n("kiosk.hint"))

    # -- idle reset -------------------------------------------------------------------------

    def kiosk_ready(self) -> None:
        """The kiosk's widgets exist: show the idle prompt and start the idle clock."""
        self._report_status()
        self.show_idle()
        idle = self.ctx.settings.kiosk.idle_reset_seconds
        self.set_interval(max(0.05, min(1.0, idle / 4)), self.guarded(self._check_idle))

    def _report_status(self) -> None:
        """Tell the office (by a replicated record) that this kiosk runs, and on which PIN."""
        if self.default_pin:
            log.warning("kiosk started with the default admin PIN; set one with mishu kiosk pin")
        status = KioskStatus(self.ctx.settings.node_name, self.default_pin,
                             self.ctx.clock().isoformat(timespec="minutes"))
        try:
            save_kiosk_status(self.ctx.store, status)
        except StoreError as error:
            log.warning("could not record the kiosk's status: %s", error)

    def _check_idle(self) -> None:
        idle = self.ctx.settings.kiosk.idle_reset_seconds
        busy = self.showing_personal_data or self.keys.text or len(self.screen_stack) > 1
        if busy and time.monotonic() - self.last_activity >= idle:
            self.reset_to_idle()

    def reset_to_idle(self) -> None:
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.keys.clear()
        self.debouncer.forget()
        self.showing_personal_data = False
        self.forget_personal_state()
        self.show_idle()
        self._show_entry()


def run_kiosk(cli: CliContext, make: Callable[[AppContext], KioskApp],
              selector: Callable[[AppContext], Callable[[], Selector]] | None = None) -> int:
    """Open the store, build the kiosk with ``make`` (which may refuse with a ``StoreError``
    before anything is shown), run it beside this machine's sync node, and close both.

    ``selector`` gives the kiosk's filter for its pull (:mod:`sync.kiosk_selectors`), so it
    carries only the documents it reads."""
    with cli.open_store() as store:
        ctx = AppContext(settings=cli.settings, store=store, i18n=cli.i18n)
        try:
            kiosk = make(ctx)
            kiosk.sync_node = attach_node(ctx, selector=selector(ctx) if selector else None)
            kiosk.run()
        finally:
            ctx.close()
    return kiosk.return_code or 0
