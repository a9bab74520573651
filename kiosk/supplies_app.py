"""``mishu kiosk supplies``: the self-service terminal in the supply room.

A member scans their badge (or types their ID or name), then scans labels: a consumable asks
how many (Enter alone means one), an asset in the room is borrowed for the default loan period,
an asset this member holds is returned. An asset reserved for
someone else right now (and not released) is not lent: the member is told until when. The list on screen is the summary; Enter on an empty
line records it all, Esc drops it. Everything is written as events (:mod:`store.supplies`), so
two terminals that were apart merge, and an asset lent twice is listed for the secretary.
"""

from __future__ import annotations

import argparse
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.widgets import Static

from store.booking_recurrence import Occurrence
from store.errors import ValidationError
from store.members import Member
from store.reservation_pickup import held_for_other, next_for_other
from store.reservations import ReservationBook
from store.supplies import Asset, Item
from store.supplies_desk import Actor
from store.supplies_index import SupplyIndex
from sync.kiosk_selectors import supplies_selector
from tui.context import AppContext
from tui.plain_text import clip, plain

from .base import KioskApp, run_kiosk
from .member_chooser import MemberChooser, pick_list, who
from .scanner import Scan
from .supply_cart import Cart, CartLine, LineKind

if TYPE_CHECKING:
    from tui.cli import CliContext


class SuppliesKiosk(KioskApp):
    IDLE_KEY = "supplies.kiosk.idle"
    TITLE_KEY = "kiosk.title_supplies"

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx)
        self.supplies = ctx.index(SupplyIndex)
        self.reservations = ctx.index(ReservationBook)
        self.chooser = MemberChooser(self)
        self.member: Member | None = None
        self.cart: Cart | None = None
        self.pending: Item | None = None  # a consumable waiting for its quantity

    def compose_kiosk(self) -> ComposeResult:
        yield from super().compose_kiosk()
        yield pick_list()
        cart = Static("", id="kiosk-cart")
        cart.display = False
        yield cart

    def kiosk_ready(self) -> None:
        self.ctx.directory  # noqa: B018 - built now, not on the first scan
        super().kiosk_ready()
        self.set_header(self.ctx.i18n("supplies.kiosk.header"))

    # -- answering --------------------------------------------------------------------------

    def answer_scan(self, scan: Scan) -> None:
        t = self.ctx.i18n
        if self.pending is not None and self._take_quantity(scan.text):
            return
        self.chooser.drop()
        found = self.supplies.find_code(scan.text)
        if found is None:
            self._answer_person(scan)
        elif self.cart is None:
            self.show_refused(t("supplies.kiosk.badge_first"), found.name)
        else:
            self._add(found)
        self._show_cart()

    def _answer_person(self, scan: Scan) -> None:
        t = self.ctx.i18n
        if self.cart is not None and self.cart.lines:
            if self.chooser.find(scan.text) is None:
                self.show_refused(t("supplies.kiosk.unknown_code"), t("kiosk.ask_secretary"))
            else:
                self.show_refused(t("supplies.kiosk.finish_first"))
            return
        found = self.chooser.answer(scan)
        if found is not None:
            self.start(found[0])

    def start(self, member: Member) -> None:
        self.member, self.cart, self.pending = member, Cart(member.member_id), None
        self.result.show("idle", who(member), self.ctx.i18n("supplies.kiosk.scan_items"))
        self.set_header(self.ctx.i18n("supplies.kiosk.header_member", who=who(member)))
        self.showing_personal_data = True
        self.set_hint(self.ctx.i18n("supplies.kiosk.hint_cart"))

    def _add(self, record: Item | Asset) -> None:
        assert self.cart is not None
        self.pending = None
        if isinstance(record, Item):
            self.pending = record
            self.result.show("idle", record.name,
                             self.ctx.i18n("supplies.kiosk.how_many", unit=record.unit,
                                           stock=self.supplies.level(record.item_id)))
            self.set_hint(self.ctx.i18n("supplies.kiosk.hint_quantity"))
            return
        held = self._reserved_for_another(record)
        if held is not None:  # not an error of the member's: neutral, and the list is unchanged
            self.show_notice(self.ctx.i18n("reservations.kiosk.reserved_until",
                                           name=clip(record.name), tag=clip(record.tag),
                                           until=f"{held.end:%H:%M}"),
                             self.ctx.i18n("reservations.kiosk.not_recorded"))
            return
        try:
            line = self.cart.add_asset(self.supplies, record, self._reserved_later(record))
        except ValidationError as error:
            self.show_refused(self.ctx.i18n.error(error))
            return
        self.show_ok(self._line_text(line))

    def _reserved_for_another(self, asset: Asset) -> Occurrence | None:
        """The reservation under way that keeps an asset in the room from this member."""
        assert self.cart is not None
        if self.supplies.open_loans(asset.asset_id):
            return None  # on loan: returning it, or the loan rules answer
        return held_for_other(self.reservations, self.supplies.loan_history(asset.asset_id),
                              asset.asset_id, self.cart.member_id, self.ctx.clock(),
                              self.ctx.settings.supplies.reservation_collect_minutes)

    def _reserved_later(self, asset: Asset) -> datetime | None:
        """When someone else's reservation begins before a loan made now would be due."""
        assert self.cart is not None
        now = self.ctx.clock()
        until = now + timedelta(days=self.ctx.settings.supplies.default_loan_days)
        coming = next_for_other(self.reservations, asset.asset_id, self.cart.member_id, now,
                                until)
        return coming.start if coming is not None else None

    def _take_quantity(self, text: str) -> bool:
        """The answer to "how many?"; ``False`` when the line was a new scan instead."""
        if not text.isdigit():
            self._add_take(1)  # scanning on means "one of those"
            return False
        self._add_take(int(text))
        self._show_cart()
        return True

    def _add_take(self, quantity: int) -> None:
        assert self.cart is not None and self.pending is not None
        item, self.pending = self.pending, None
        self.set_hint(self.ctx.i18n("supplies.kiosk.hint_cart"))
        try:
            line = self.cart.add_take(self.supplies, item, quantity)
        except ValidationError as error:
            self.show_refused(self.ctx.i18n.error(error))
            return
        self.show_ok(self._line_text(line))

    def confirm(self) -> None:
        if self.chooser.offering:
            member = self.chooser.take_choice()
            if member is not None:
                self.start(member)
        elif self.pending is not None:
            self._add_take(1)
        elif self.cart is not None and self.cart.lines:
            self._record()
        self._show_cart()

    def _record(self) -> None:
        assert self.cart is not None and self.member is not None
        t = self.ctx.i18n
        receipt = self.cart.record(self.ctx.store, self.supplies,
                                   Actor(self.ctx.clock(), self.ctx.settings.node_name),
                                   self.ctx.settings.supplies.default_loan_days)
        done = [self._line_text(line) for line in receipt.recorded]
        if receipt.due:
            done.append(t("supplies.kiosk.due", due=receipt.due.replace("T", " ")))
        refused = [f"{line.record.name}: {t.error(error)}" for line, error in receipt.refused]
        person = who(self.member)
        self.member, self.cart = None, None
        self.set_header(t("supplies.kiosk.header"))
        if refused:
            self.show_refused(t("supplies.kiosk.partly"), "\n".join([person, *done, *refused]))
        else:
            self.show_ok(t("supplies.kiosk.done"), "\n".join([person, *done]))
        self.set_hint(t("kiosk.hint"))

    def _line_text(self, line: CartLine) -> str:
        t = self.ctx.i18n
        if line.kind is LineKind.TAKE:
            assert isinstance(line.record, Item)
            return t("supplies.kiosk.line_take", name=clip(line.record.name),
                     quantity=line.quantity, unit=line.record.unit)
        key = "supplies.kiosk.line_lend" if line.kind is LineKind.LEND else "supplies.kiosk.line_return"
        assert isinstance(line.record, Asset)
        text = t(key, name=clip(line.record.name), tag=clip(line.record.tag))
        if line.due_by is not None:
            text += t("reservations.kiosk.back_by", at=f"{line.due_by:%m-%d %H:%M}")
        return text

    def _show_cart(self) -> None:
        panel = self.kiosk_screen.query_one("#kiosk-cart", Static)
        lines = self.cart.lines if self.cart is not None else []
        panel.display = bool(lines)
        if lines:
            title = self.ctx.i18n("supplies.kiosk.cart_title")
            panel.update(plain("\n".join([title,
                                           *(f"• {self._line_text(line)}" for line in lines)])))

    def navigate(self, delta: int) -> None:
        self.chooser.navigate(delta)

    def cancel(self) -> None:
        started = self.member is not None
        self.forget_personal_state()
        if started:  # say so: walking away after Esc must not leave a doubt
            self.show_notice(self.ctx.i18n("supplies.kiosk.nothing_recorded"))
            self.set_hint(self.ctx.i18n("kiosk.hint"))
        else:
            self.show_idle()
            self.showing_personal_data = False

    def forget_personal_state(self) -> None:
        self.chooser.drop()
        self.member, self.cart, self.pending = None, None, None
        self.set_header(self.ctx.i18n("supplies.kiosk.header"))
        self._show_cart()


def run_supplies_kiosk(cli: CliContext, args: argparse.Namespace) -> int:
    return run_kiosk(cli, SuppliesKiosk,
                     lambda ctx: lambda: supplies_selector(ctx.clock().date()))
