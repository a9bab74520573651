"""物资: stock with low-stock marks, the asset register, who holds what, overdue loans, stock-takes.

Everything shown is read from the :class:`~store.supplies_index.SupplyIndex`, which follows the
changes feed, so a take at the supply-room kiosk (or on another node) appears here as soon as
it is replicated. Every action appends an event through :mod:`store.supplies_desk`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Input, Static, TabbedContent, TabPane

from store.errors import StoreError, ValidationError
from store.supplies import Asset, Item
from store.supplies_desk import (Actor, close_loan, confirm_stocktake, count_scan, lend, receive,
                                 save_asset, save_item, start_stocktake, stocktake_report,
                                 write_off)
from store.supplies_index import SupplyIndex

from ..widgets.common.fields_dialog import Field, FieldsDialog, MemberField, whole_number
from ..widgets.common.progress_dialog import Progress, ProgressDialog
from ..widgets.supplies.tables import AssetTable, DifferenceTable, OverdueTable, StockTable
from .base import AreaScreen, PaletteCommand

HISTORY_LINES = 6


def _count_line(text: str) -> tuple[str, int]:
    """A stock-take entry: a scanned code, or ``CODE 12`` typed for twelve of one item."""
    code, _, count = text.strip().rpartition(" ")
    if code and count.isdigit():
        return code.strip(), int(count)
    return text.strip(), 1


class SuppliesScreen(AreaScreen):
    title_key = "nav.supplies"
    CSS_PATH = "../styles/supplies.tcss"
    BINDINGS = [
        Binding("i", "new_item", "supplies.new_item"),
        Binding("a", "new_asset", "supplies.new_asset"),
        Binding("e", "edit", "supplies.edit", show=False),
        Binding("r", "receive", "supplies.receive"),
        Binding("w", "write_off", "supplies.write_off", show=False),
        Binding("l", "lend", "supplies.lend"),
        Binding("g", "return_asset", "supplies.return"),
        Binding("h", "member_history", "supplies.member_history"),
        Binding("s", "stocktake", "supplies.stocktake"),
        Binding("ctrl+t", "confirm_stocktake", "supplies.confirm_stocktake", show=False),
        Binding("p", "labels", "supplies.labels", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._unsubscribe: Callable[[], None] | None = None
        self._redraw_pending = False

    @property
    def supplies(self) -> SupplyIndex:
        return self.ctx.index(SupplyIndex)

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
            with TabPane(t("supplies.tab.stocktake"), id="stocktake"):
                yield Static("", id="stocktake-status")
                yield Input(placeholder=t("supplies.scan_label"), id="count-input")
                yield DifferenceTable(id="difference-table")
                yield Static("", id="stocktake-assets")
        yield Static("", id="supply-detail")
        self.call_after_refresh(self.refresh_all)

    def on_mount(self) -> None:
        self._unsubscribe = self.ctx.store.subscribe(self._store_changed)

    def _store_changed(self, _seq: int) -> None:
        if not self._redraw_pending:  # one redraw for a whole replicated batch
            self._redraw_pending = True
            self.app.call_later(self.refresh_all)

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
        now, index = self.ctx.clock(), self.supplies
        self.query_one(StockTable).reload(index.stock_list(), self.t)
        self.query_one(AssetTable).reload(index.asset_list(), self.t, self.name_of, now)
        self.query_one(OverdueTable).reload(index.overdue(now), self.describe_asset,
                                            self.name_of, now)
        self.refresh_stocktake()
        self.refresh_detail()

    def refresh_stocktake(self) -> None:
        t, index = self.t, self.supplies
        stocktake = index.open_stocktake()
        status = self.query_one("#stocktake-status", Static)
        assets = self.query_one("#stocktake-assets", Static)
        if stocktake is None:
            status.update(t("supplies.stocktake_none"))
            self.query_one(DifferenceTable).reload([], self.item_name)
            assets.update("")
            return
        report = stocktake_report(index, stocktake)
        status.update(t("supplies.stocktake_open", started=stocktake.started_at.replace("T", " "),
                        items=sum(stocktake.counts.values()), assets=len(stocktake.assets_seen)))
        self.query_one(DifferenceTable).reload(report.differences, self.item_name)
        missing = "、".join(self.describe_asset(a)[0] for a in report.missing) or "—"
        surplus = "、".join(self.describe_asset(a)[0] for a in report.surplus) or "—"
        assets.update(t("supplies.stocktake_assets", missing=missing, surplus=surplus))

    def item_name(self, item_id: str) -> str:
        item = self.supplies.items.get(item_id)
        return item.name if item is not None else item_id

    def refresh_detail(self) -> None:
        t = self.t
        detail = self.query_one("#supply-detail", Static)
        record = self.selected()
        if isinstance(record, Item):
            lines = [t("supplies.movement_line", at=m.at.replace("T", " "),
                       kind=t(f"supplies.kind.{m.kind}"), delta=f"{m.delta:+d}", unit=record.unit,
                       who=self.name_of(m.member_id) if m.member_id else m.note)
                     for m in self.supplies.movements_of(record.item_id)[:HISTORY_LINES]]
            detail.update("\n".join([t("supplies.history_of", name=record.name), *lines]))
        elif isinstance(record, Asset):
            detail.update("\n".join([t("supplies.history_of", name=f"{record.tag} {record.name}"),
                                     *self.loan_lines(record.asset_id)]))
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
        return None

    @on(DataTable.RowHighlighted)
    @on(TabbedContent.TabActivated)
    def _selection_moved(self) -> None:
        self.refresh_detail()

    # -- records ----------------------------------------------------------------------------

    def ask(self, title_key: str, fields: list[Field], save: Callable[[dict[str, str]], None],
            **params: str) -> None:
        def done(saved: bool | None) -> None:
            if saved:
                self.notify(self.t("common.saved"))
                self.refresh_all()

        self.app.push_screen(FieldsDialog(self.t(title_key, **params), fields, save), done)

    def _field(self, name: str, value: str = "") -> Field:
        return Field(name, self.t(f"supplies.field.{name}"), value)

    def action_new_item(self) -> None:
        self.edit_item(Item(Item.new_id(), ""))

    def edit_item(self, item: Item) -> None:
        def save(v: dict[str, str]) -> None:
            save_item(self.ctx.store, Item(item.item_id, v["name"], v["unit"] or "个",
                                           v["category"], v["location"],
                                           whole_number(v["reorder_level"] or "0"), item.code))

        fields = [self._field("name", item.name), self._field("unit", item.unit),
                  self._field("category", item.category), self._field("location", item.location),
                  self._field("reorder_level", str(item.reorder_level))]
        self.ask("supplies.item_form", fields, save)

    def action_new_asset(self) -> None:
        self.edit_asset(Asset(Asset.new_id(), "", ""))

    def edit_asset(self, asset: Asset) -> None:
        def save(v: dict[str, str]) -> None:
            save_asset(self.ctx.store, Asset(
                asset.asset_id, v["tag"], v["name"], v["category"], v["serial"], v["purchased"],
                float(whole_number(v["value"] or "0")), v["location"], asset.condition, asset.code))

        fields = [self._field("tag", asset.tag), self._field("name", asset.name),
                  self._field("category", asset.category), self._field("serial", asset.serial),
                  self._field("purchased", asset.purchased),
                  self._field("value", f"{asset.value:.0f}"),
                  self._field("location", asset.location)]
        self.ask("supplies.asset_form", fields, save)

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
        item = self._selected_item()
        if item is not None:
            self.ask("supplies.write_off_title", [self._field("quantity"), self._field("note")],
                     lambda v: write_off(self.ctx.store, self.supplies, item,
                                         whole_number(v["quantity"], 1), self.actor(), v["note"]),
                     name=item.name)

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
        self.ask("supplies.lend_title", [self._member_field(), self._field("days", days)],
                 lambda v: lend(self.ctx.store, self.supplies, asset, self.member_id(v["member"]),
                                whole_number(v["days"], 1), self.actor()),
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

        self.ask("supplies.return_title",
                 [self._member_field(loans[0].member_id), self._field("condition", "good")],
                 save, name=f"{asset.tag} {asset.name}")

    def action_member_history(self) -> None:
        def show(v: dict[str, str]) -> None:
            member_id = self.member_id(v["member"])
            takes = [self.t("supplies.take_line", at=m.at.replace("T", " "),
                            name=self.item_name(m.item_id), quantity=-m.delta)
                     for m in self.supplies.movements_of(member_id)[:HISTORY_LINES]]
            self.query_one("#supply-detail", Static).update("\n".join(
                [self.t("supplies.history_of", name=self.name_of(member_id)),
                 *self.loan_lines(member_id), *takes]))

        self.app.push_screen(FieldsDialog(self.t("supplies.member_history"),
                                          [self._member_field()], show))

    # -- stock-take -------------------------------------------------------------------------

    def action_stocktake(self) -> None:
        start_stocktake(self.ctx.store, self.supplies, self.actor())
        self.query_one(TabbedContent).active = "stocktake"
        self.query_one("#count-input", Input).focus()
        self.refresh_stocktake()

    @on(Input.Submitted, "#count-input")
    def count(self, event: Input.Submitted) -> None:
        event.input.value = ""
        stocktake = self.supplies.open_stocktake()
        if stocktake is None:
            stocktake = start_stocktake(self.ctx.store, self.supplies, self.actor())
        code, quantity = _count_line(event.value)
        if not code:
            return
        try:
            _, found = count_scan(self.ctx.store, self.supplies, stocktake, code, quantity)
        except StoreError as error:
            self.show_error(error)
            return
        self.notify(self.t("supplies.counted", name=found.name), timeout=2)
        self.refresh_stocktake()

    def action_confirm_stocktake(self) -> None:
        stocktake = self.supplies.open_stocktake()
        if stocktake is None:
            self.notify(self.t("supplies.stocktake_none"), severity="warning")
            return
        recorded = confirm_stocktake(self.ctx.store, self.supplies, stocktake, self.actor())
        self.notify(self.t("supplies.stocktake_confirmed", count=len(recorded)))
        self.refresh_all()

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
        from kiosk.label_sheet import save_pages
        from kiosk.labels import label_pages

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
            ("supplies.member_history", "supplies.member_history_help",
             self.action_member_history),
            ("supplies.stocktake", "supplies.stocktake_help", self.action_stocktake),
            ("supplies.confirm_stocktake", "supplies.confirm_stocktake_help",
             self.action_confirm_stocktake),
            ("supplies.labels", "supplies.labels_help", self.action_labels),
        ]
