"""物资: stock with low-stock marks, the asset register, who holds what, overdue loans, stock-takes,
and asset reservations (each date with whether it was collected or released).

Everything shown is read from the :class:`~store.supplies_index.SupplyIndex`, which follows the
changes feed, so a take at the supply-room kiosk (or on another node) appears here as soon as
it is replicated. Every action appends an event through :mod:`store.supplies_desk`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import timedelta
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import DataTable, Input, Static, TabbedContent, TabPane
from textual.worker import Worker, WorkerState

from store.booking_recurrence import Occurrence
from store.errors import ValidationError
from store.reservation_pickup import ReservedDate, next_for_other, release_rule, with_pickup
from store.reservations import ReservationBook, ReservationDesk
from store.supplies import CONDITIONS, Asset, Item, check_take
from store.supplies_index import SupplyIndex
from store.supplies_desk import (Actor, close_loan, lend, receive, save_asset, save_item,
                                 write_off)

from ..plain_text import plain
from ..widgets.common.fields_dialog import (ChoiceField, Field, FieldsDialog, MemberField,
                                            whole_number)
from ..widgets.common.progress_dialog import Progress, ProgressDialog
from ..widgets.supplies.reservation_form import entered_reservation, reservation_fields
from ..widgets.supplies.reservation_table import ReservationTable, history_lines
from ..widgets.supplies.stocktake_panel import StocktakePanel
from ..widgets.supplies.tables import (AssetTable, OverdueTable, RecordTable, RowT, StockTable,
                                      condition_label)
from .stocktake_actions import StocktakeArea
from .base import PaletteCommand
from .undoable import Undoable

HISTORY_LINES = 6
RESERVATION_DAYS = 60  # how far ahead the Reservations tab lists
TABS = ("stock", "assets", "overdue", "reservations", "stocktake")


class SuppliesScreen(StocktakeArea):
    title_key = "nav.supplies"
    CSS_PATH = "../styles/supplies.tcss"
    # The key bar shows the daily round (new item, receive, lend, return, count); the rest is
    # in the palette.
    BINDINGS = [
        Binding("i", "new_item", "supplies.new_item"),
        Binding("a", "new_asset", "supplies.new_asset", show=False),
        Binding("e", "edit", "supplies.edit", show=False),
        Binding("r", "receive", "supplies.receive"),
        Binding("w", "write_off", "supplies.write_off", show=False),
        Binding("l", "lend", "supplies.lend"),
        Binding("g", "return_asset", "supplies.return"),
        Binding("y", "reserve", "reservations.reserve", show=False),
        Binding("x", "cancel_reservation", "reservations.cancel", show=False),
        Binding("h", "member_history", "supplies.member_history", show=False),
        Binding("s", "stocktake", "supplies.stocktake"),
        Binding("ctrl+t", "confirm_stocktake", "supplies.confirm_stocktake", show=False),
        Binding("ctrl+g", "cancel_stocktake", "supplies.cancel_stocktake", show=False),
        Binding("ctrl+n", "register_unknown", "supplies.register_unknown", show=False),
        Binding("p", "labels", "supplies.labels", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._unsubscribe: Callable[[], None] | None = None
        self._redraw_pending = False
        self._stale: set[str] = set()  # tabs to redraw when they come into view

    def actor(self) -> Actor:
        return Actor(self.ctx.clock(), self.ctx.settings.node_name)

    def compose_body(self) -> ComposeResult:
        t = self.t
        with TabbedContent(id="supplies-tabs", initial="stock"):
            with TabPane(t("supplies.tab.stock"), id="stock"):
                yield StockTable(id="stock-table")
            with TabPane(t("supplies.tab.assets"), id="assets"):
                yield AssetTable(id="asset-table")
            with TabPane(t("supplies.tab.overdue"), id="overdue"):
                yield OverdueTable(id="overdue-table")
            with TabPane(t("reservations.tab"), id="reservations"):
                yield ReservationTable(id="reservation-table")
            with TabPane(t("supplies.tab.stocktake"), id="stocktake"):
                yield StocktakePanel(t, id="stocktake-panel")
        yield Static("", id="supply-detail")
        self.fill_after_mount(self.refresh_all)

    def on_mount(self) -> None:
        self._unsubscribe = self.ctx.store.subscribe(self._store_changed)

    def _store_changed(self, _seq: int) -> None:
        if not self._redraw_pending:  # one redraw for a whole replicated batch
            self._redraw_pending = True
            self.app.call_later(self.refresh_shown)

    def on_unmount(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()

    # -- drawing ----------------------------------------------------------------------------

    def name_of(self, member_id: str) -> str:
        member = self.ctx.directory.by_id(member_id)
        return member.name if member is not None else member_id

    def describe_asset(self, asset_id: str) -> tuple[str, str]:
        asset = self.supplies.assets.get(asset_id)
        return (asset.tag, asset.name) if asset is not None else ("", asset_id)

    def refresh_all(self) -> None:
        self._redraw_pending = False
        if not self.is_mounted:
            return
        if not self.ctx.has_index(SupplyIndex):
            self.query_one("#supply-detail", Static).update(self.t("supplies.loading"))
            self._build_index()
            return
        for tab in TABS:
            self.refresh_tab(tab)
        self.refresh_detail()

    @work(thread=True, exclusive=True, group="supply-index")
    def _build_index(self) -> None:
        """The first build (about a second at 100k movements) runs here, off the event loop."""
        self.ctx.index(SupplyIndex)

    @on(Worker.StateChanged)
    def _index_built(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "supply-index" and event.state is WorkerState.SUCCESS:
            self.refresh_all()

    def refresh_shown(self) -> None:
        """After a change: redraw the tab in view now, the others when they come into view (a
        count of thousands of scans must not redraw four tables per scan)."""
        self._redraw_pending = False
        if not self.is_mounted:
            return
        shown = self.query_one(TabbedContent).active
        self._stale.update(tab for tab in TABS if tab != shown)
        self.refresh_tab(shown)
        self.refresh_detail()

    def refresh_tab(self, tab: str) -> None:
        self._stale.discard(tab)
        now, index = self.ctx.clock(), self.supplies
        if tab == "stock":
            self.query_one(StockTable).reload(index.stock_list(), self.t)
        elif tab == "assets":
            self.query_one(AssetTable).reload(index.asset_list(), self.t, self.name_of, now)
        elif tab == "overdue":
            self.query_one(OverdueTable).reload(index.overdue(now), self.describe_asset,
                                                self.name_of, now)
        elif tab == "reservations":
            self.query_one(ReservationTable).reload(
                self.with_pickup(self.reservations.days(now.date(), RESERVATION_DAYS)), self.t,
                self.describe_asset, self.name_of)
        else:
            self.refresh_stocktake()

    def item_name(self, item_id: str) -> str:
        item = self.supplies.items.get(item_id)
        return item.name if item is not None else item_id

    def refresh_detail(self) -> None:
        t = self.t
        detail = self.query_one("#supply-detail", Static)
        detail.display = self.query_one(TabbedContent).active != "stocktake"  # room to count
        record = self.selected()
        if isinstance(record, Item):
            lines = [t("supplies.movement_line", at=m.at.replace("T", " "),
                       kind=t(f"supplies.kind.{m.kind}"), delta=f"{m.delta:+d}", unit=record.unit,
                       who=self.name_of(m.member_id) if m.member_id else m.note)
                     for m in self.supplies.movements_of(record.item_id)[:HISTORY_LINES]]
            detail.update(plain("\n".join([t("supplies.history_of", name=record.name), *lines])))
        elif isinstance(record, Asset):
            today = self.ctx.clock().date()
            coming = [occ for occ in self.reservations.days(today, RESERVATION_DAYS)
                      if occ.booking.room_id == record.asset_id]
            detail.update(plain("\n".join([t("supplies.history_of",
                                             name=f"{record.tag} {record.name}"),
                                           *self.reservation_lines(coming[:2]),
                                           *self.loan_lines(record.asset_id)])))
        else:
            detail.update("")

    def loan_lines(self, owner_id: str) -> list[str]:
        t = self.t
        lines = []
        for loan, returned in self.supplies.loan_history(owner_id)[:HISTORY_LINES]:
            tag, name = self.describe_asset(loan.asset_id)
            back = (t("supplies.returned_at", at=returned.at.replace("T", " "))
                    if returned else t("supplies.due_at", due=loan.due.replace("T", " ")))
            lines.append(f"{loan.at.replace('T', ' ')}  {tag} {name} → "
                         f"{self.name_of(loan.member_id)}  {back}")
        return lines

    def selected(self) -> Item | Asset | None:
        tab = self.query_one(TabbedContent).active
        if tab == "stock":
            row = self.query_one(StockTable).selected()
            return row.item if row is not None else None
        if tab == "assets":
            asset_row = self.query_one(AssetTable).selected()
            return asset_row.asset if asset_row is not None else None
        if tab == "overdue":
            loan = self.query_one(OverdueTable).selected()
            return self.supplies.assets.get(loan.asset_id) if loan is not None else None
        if tab == "reservations":
            reserved = self.query_one(ReservationTable).selected()
            return self.supplies.assets.get(reserved.asset_id) if reserved is not None else None
        return None

    @on(DataTable.RowHighlighted)
    def _selection_moved(self) -> None:
        self.refresh_detail()

    @on(TabbedContent.TabActivated)
    def _tab_shown(self, event: TabbedContent.TabActivated) -> None:
        if event.pane.id in self._stale:
            self.refresh_tab(event.pane.id)
        self.refresh_detail()

    # -- records ----------------------------------------------------------------------------

    def ask(self, title_key: str, fields: list[Field], save: Callable[[dict[str, str]], None],
            then: Callable[[], None] | None = None, **params: str) -> None:
        def done(saved: bool | None) -> None:
            if saved:
                self.notify(self.t("common.saved"))
                self.refresh_all()
                if then is not None:
                    then()

        self.app.push_screen(FieldsDialog(self.t(title_key, **params), fields, save), done)

    def _field(self, name: str, value: str = "") -> Field:
        return Field(name, self.t(f"supplies.field.{name}"), value)

    def action_new_item(self) -> None:
        item = Item(Item.new_id(), "")
        self.edit_item(item, then=lambda: self.show_new("stock", StockTable,
                                                        lambda row: row.item.item_id ==
                                                        item.item_id))

    def show_new(self, tab: str, kind: type[RecordTable[RowT]],
                 match: Callable[[RowT], bool]) -> None:
        """After adding a record: its tab in view, the cursor on its row (not on row 1)."""
        self.query_one(TabbedContent).active = tab
        self.refresh_tab(tab)
        self.query_one(kind).cursor_to(match)

    def main_view(self) -> Widget | None:
        """The shown tab's table; in a stock-take, the field the scanner types into."""
        tab = self.query_one(TabbedContent).active
        if tab == "stocktake":
            return self.query_one("#count-input", Input)
        return next(iter(self.query(f"#{tab} DataTable")), None)

    def edit_item(self, item: Item, then: Callable[[], None] | None = None) -> None:
        def save(v: dict[str, str]) -> None:
            save_item(self.ctx.store, Item(item.item_id, v["name"], v["unit"] or "个",
                                           v["category"], v["location"],
                                           whole_number(v["reorder_level"] or "0"), item.code))

        fields = [self._field("name", item.name), self._field("unit", item.unit),
                  self._field("category", item.category), self._field("location", item.location),
                  self._field("reorder_level", str(item.reorder_level))]
        self.ask("supplies.item_form", fields, save, then)

    def action_new_asset(self) -> None:
        asset = Asset(Asset.new_id(), "", "")
        self.edit_asset(asset, then=lambda: self.show_new("assets", AssetTable,
                                                          lambda row: row.asset.asset_id ==
                                                          asset.asset_id))

    def edit_asset(self, asset: Asset, then: Callable[[], None] | None = None) -> None:
        def save(v: dict[str, str]) -> None:
            save_asset(self.ctx.store, Asset(
                asset.asset_id, v["tag"], v["name"], v["category"], v["serial"], v["purchased"],
                float(whole_number(v["value"] or "0")), v["location"], asset.condition, asset.code))

        fields = [self._field("tag", asset.tag), self._field("name", asset.name),
                  self._field("category", asset.category), self._field("serial", asset.serial),
                  self._field("purchased", asset.purchased),
                  self._field("value", f"{asset.value:.0f}"),
                  self._field("location", asset.location)]
        self.ask("supplies.asset_form", fields, save, then)

    def action_edit(self) -> None:
        record = self.selected()
        if isinstance(record, Item):
            self.edit_item(record)
        elif isinstance(record, Asset):
            self.edit_asset(record)

    def _selected_item(self) -> Item | None:
        record = self.selected()
        if not isinstance(record, Item):
            self.notify(self.t("supplies.pick_item"), severity="warning")
            return None
        return record

    def _selected_asset(self) -> Asset | None:
        record = self.selected()
        if not isinstance(record, Asset):
            self.notify(self.t("supplies.pick_asset"), severity="warning")
            return None
        return record

    def action_receive(self) -> None:
        item = self._selected_item()
        if item is not None:
            self.ask("supplies.receive_title", [self._field("quantity"), self._field("note")],
                     lambda v: receive(self.ctx.store, item, whole_number(v["quantity"], 1),
                                       self.actor(), v["note"]), name=item.name)

    def action_write_off(self) -> None:
        """Quantity and note first, then the confirmation naming the stock before and after."""
        item = self._selected_item()
        if item is None:
            return
        entered: dict[str, str] = {}

        def check(values: dict[str, str]) -> None:
            check_take(item, whole_number(values["quantity"], 1), self.supplies.level(item.item_id))
            entered.update(values)

        def confirm(accepted: bool | None) -> None:
            if not accepted:
                return
            quantity, level = int(entered["quantity"]), self.supplies.level(item.item_id)
            what = dict(quantity=quantity, unit=item.unit, name=item.name)
            self.confirm_then(
                self.t("supplies.ask_write_off", **what, before=level, after=level - quantity),
                [Undoable(self.t("supplies.write_off"), (),
                          lambda: write_off(self.ctx.store, self.supplies, item, quantity,
                                            self.actor(), entered["note"]),
                          self.t("supplies.written_off", **what),
                          made=lambda recorded: (recorded.movement_id,))])

        self.app.push_screen(FieldsDialog(self.t("supplies.write_off_title", name=item.name),
                                          [self._field("quantity"), self._field("note")], check),
                             confirm)

    def after_undoable(self) -> None:
        self.refresh_all()

    def member_id(self, text: str) -> str:
        member = self.ctx.directory.by_id(text)
        if member is None:
            raise ValidationError("supplies.error.unknown_member", "No member with ID {member_id}",
                                  member_id=text)
        return member.member_id

    def _member_field(self, value: str = "") -> MemberField:
        return MemberField("member", self.t("supplies.field.member"), value)

    def action_lend(self) -> None:
        asset = self._selected_asset()
        if asset is None:
            return
        days = str(self.ctx.settings.supplies.default_loan_days)

        def save(v: dict[str, str]) -> None:
            """Due back by the next reservation of someone else, if that comes first."""
            member_id, loan_days, now = (self.member_id(v["member"]),
                                         whole_number(v["days"], 1), self.ctx.clock())
            coming = next_for_other(self.reservations, asset.asset_id, member_id, now,
                                    now + timedelta(days=loan_days))
            lend(self.ctx.store, self.supplies, asset, member_id, loan_days, self.actor(),
                 coming.start if coming is not None else None)

        self.ask("supplies.lend_title", [self._member_field(), self._field("days", days)], save,
                 name=f"{asset.tag} {asset.name}")

    def action_return_asset(self) -> None:
        asset = self._selected_asset()
        if asset is None:
            return
        loans = self.supplies.open_loans(asset.asset_id)
        if not loans:
            self.notify(self.t("supplies.not_on_loan", name=asset.name), severity="warning")
            return

        def save(v: dict[str, str]) -> None:
            holder = [loan for loan in loans if loan.member_id == v["member"]]
            if not holder:
                raise ValidationError("supplies.error.not_holder", "{member_id} does not hold "
                                      "this asset.", member_id=v["member"])
            close_loan(self.ctx.store, holder[0], self.actor(), v["condition"])

        conditions = tuple((condition_label(self.t, c), c) for c in CONDITIONS)
        self.ask("supplies.return_title",
                 [self._member_field(loans[0].member_id),
                  ChoiceField("condition", self.t("supplies.field.condition"), "good",
                              conditions)],
                 save, name=f"{asset.tag} {asset.name}")

    def action_member_history(self) -> None:
        def show(v: dict[str, str]) -> None:
            member_id = self.member_id(v["member"])
            reserved = self.reservations.of_member(member_id)[:HISTORY_LINES]
            takes = [self.t("supplies.take_line", at=m.at.replace("T", " "),
                            name=self.item_name(m.item_id), quantity=-m.delta)
                     for m in self.supplies.movements_of(member_id)[:HISTORY_LINES]]
            self.query_one("#supply-detail", Static).update(plain("\n".join(
                [self.t("supplies.history_of", name=self.name_of(member_id)),
                 *self.loan_lines(member_id), *takes,
                 *self.reservation_lines(reserved)])))

        self.app.push_screen(FieldsDialog(self.t("supplies.member_history"),
                                          [self._member_field()], show))

    # -- reservations -----------------------------------------------------------------------

    @property
    def reservations(self) -> ReservationBook:
        return self.ctx.index(ReservationBook)

    def with_pickup(self, occurrences: Iterable[Occurrence]) -> list[ReservedDate]:
        return with_pickup(occurrences, self.supplies, self.ctx.clock(),
                           self.ctx.settings.supplies.reservation_collect_minutes)

    def reservation_lines(self, occurrences: Iterable[Occurrence]) -> list[str]:
        return history_lines(self.t, self.with_pickup(occurrences), self.supplies.assets)

    def reservation_desk(self) -> ReservationDesk:
        minutes = self.ctx.settings.supplies.reservation_collect_minutes
        return ReservationDesk(self.ctx.store, self.reservations, self.ctx.settings.node_name,
                               release_rule(self.supplies, minutes))

    def action_reserve(self) -> None:
        """Reserve the selected asset (on any tab that shows assets) for a future time."""
        asset = self._selected_asset()
        if asset is None:
            return
        made: list[str] = []

        def save(values: dict[str, str]) -> None:
            reservation = entered_reservation(values, asset.asset_id,
                                              self.member_id(values["member"]), self.t)
            made.append(self.reservation_desk().reserve(reservation, self.supplies.assets,
                                                        self.ctx.clock()).reservation_id)

        self.ask("reservations.reserve_title", reservation_fields(self.t, self.ctx.clock().date()),
                 save, then=lambda: self.show_new("reservations", ReservationTable,
                                                  lambda row: row.reservation_id in made),
                 name=f"{asset.tag} {asset.name}")

    def action_cancel_reservation(self) -> None:
        """Cancel the selected reservation (every date of a repeating one), asking first."""
        shown = self.query_one(TabbedContent).active == "reservations"
        reserved = self.query_one(ReservationTable).selected() if shown else None
        if reserved is None:
            self.notify(self.t("reservations.pick"), severity="warning")
            return
        reservation = self.reservations.reservations[reserved.reservation_id]
        tag, name = self.describe_asset(reserved.asset_id)
        what = {"asset": f"{tag} {name}", "who": self.name_of(reserved.member_id)}
        dates = len(self.reservations.occurrences_of(reservation.reservation_id))
        self.confirm_then(
            self.t("reservations.ask_cancel", **what, when=reserved.occurrence.when),
            [Undoable(self.t("reservations.cancel"), (reservation.reservation_id,),
                      lambda: self.reservation_desk().cancel(reservation.reservation_id),
                      self.t("reservations.cancelled", **what))],
            self.t("reservations.cancel_series", count=dates) if reservation.recurrence else "")

    # -- labels -----------------------------------------------------------------------------

    def action_labels(self) -> None:
        tab = self.query_one(TabbedContent).active
        kind = "items" if tab == "stock" else "assets"
        records: list[Asset | Item] = (
            [row.item for row in self.supplies.stock_list()] if kind == "items"
            else [row.asset for row in self.supplies.asset_list()])
        if not records:
            self.notify(self.t("supplies.error.nothing_to_label"), severity="warning")
            return
        self.app.push_screen(ProgressDialog(
            self.t("supplies.labels_rendering", count=len(records)),
            lambda progress: self.render_labels(kind, records, progress),
            lambda written: self.notify(self.t("supplies.labels_written", count=len(records),
                                               pages=written[1], path=written[0]))))

    def render_labels(self, kind: str, records: list[Asset | Item],
                      progress: Progress) -> tuple[Path, int]:
        from store.label_sheet import save_pages
        from store.labels import label_pages

        settings = self.ctx.settings.supplies
        pages = label_pages(records, settings.label_columns, settings.label_rows, progress)
        path = Path(self.ctx.settings.data_dir) / f"labels-{kind}.pdf"
        save_pages(pages, path)
        return path, len(pages)

    def palette_commands(self) -> list[PaletteCommand]:
        return [
            ("supplies.new_item", "supplies.new_item_help", self.action_new_item),
            ("supplies.new_asset", "supplies.new_asset_help", self.action_new_asset),
            ("supplies.edit", "supplies.edit_help", self.action_edit),
            ("supplies.receive", "supplies.receive_help", self.action_receive),
            ("supplies.write_off", "supplies.write_off_help", self.action_write_off),
            ("supplies.lend", "supplies.lend_help", self.action_lend),
            ("supplies.return", "supplies.return_help", self.action_return_asset),
            ("reservations.reserve", "reservations.reserve_help", self.action_reserve),
            ("reservations.cancel", "reservations.cancel_help", self.action_cancel_reservation),
            ("supplies.member_history", "supplies.member_history_help",
             self.action_member_history),
            ("supplies.stocktake", "supplies.stocktake_help", self.action_stocktake),
            ("supplies.confirm_stocktake", "supplies.confirm_stocktake_help",
             self.action_confirm_stocktake),
            ("supplies.cancel_stocktake", "supplies.cancel_stocktake_help",
             self.action_cancel_stocktake),
            ("supplies.register_unknown", "supplies.register_unknown_help",
             self.action_register_unknown),
            ("supplies.labels", "supplies.labels_help", self.action_labels),
        ]
