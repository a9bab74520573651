"""The supplies screen's stock-take: start or join, scan, confirm, cancel, register a tag.

Kept apart from the rest of the supplies screen because it is a workflow of its own. Confirm
and cancel show what they will do and ask, like every other overwriting action; right after
either, Ctrl+Z (the screen's one undo slot) deletes the close and the adjustments just written,
which reopens the count with its scans.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.widgets import Input, TabbedContent

from store.errors import StoreError
from store.stocktake import OPEN, Stocktake
from store.stocktake_report import StocktakeReport
from store.stocktake_desk import (cancel_stocktake, confirm_stocktake, record_scan,
                                  start_stocktake)
from store.supplies import Asset
from store.supplies_desk import Actor, save_asset
from store.supplies_index import SupplyIndex

from ..widgets.common.fields_dialog import ChoiceField, Field, FieldsDialog
from ..widgets.supplies.stocktake_panel import StocktakePanel
from .undoable import Undoable, UndoableScreen


def count_line(text: str) -> tuple[str, int]:
    """A stock-take entry: a scanned code, or ``CODE 12`` typed for twelve of one item."""
    code, _, count = text.strip().rpartition(" ")
    if code and count.isdigit():
        return code.strip(), int(count)
    return text.strip(), 1


class StocktakeArea(UndoableScreen):
    """The stock-take half of :class:`~tui.screens.supplies.SuppliesScreen`."""

    def __init__(self) -> None:
        super().__init__()
        self._counter = ""  # who counts at this screen, as they said when starting or joining

    @property
    def supplies(self) -> SupplyIndex:
        return self.ctx.index(SupplyIndex)

    def shown_stocktake(self) -> Stocktake | None:
        """The open count, else the latest one (so a confirmed count shows its adjustments)."""
        index = self.supplies
        latest = max(index.stocktakes.values(), key=lambda s: (s.started_at, s.stocktake_id),
                     default=None)
        return index.open_stocktake() or latest

    def shown_report(self) -> StocktakeReport | None:
        shown = self.shown_stocktake()
        return self.supplies.stocktake_report(shown.stocktake_id) if shown else None

    def refresh_stocktake(self) -> None:
        index = self.supplies

        def item(item_id: str) -> tuple[str, str]:
            found = index.items.get(item_id)
            return (found.name, found.code) if found else (item_id, "")

        def asset(asset_id: str) -> tuple[str, str]:
            found = index.assets.get(asset_id)
            return (found.name, found.tag) if found else (asset_id, "")

        panel = self.query_one(StocktakePanel)
        panel.offer_shelves(self.shelves())
        panel.show(self.shown_report(), item, asset)

    def _actor(self) -> Actor:
        return Actor(self.ctx.clock(), self.ctx.settings.node_name, self._counter)

    # -- start, scan ------------------------------------------------------------------------

    def shelves(self) -> list[str]:
        """Every place the register names: counters pick theirs, so places compare exactly."""
        index = self.supplies
        return sorted({record.location for records in (index.items, index.assets)
                       for record in records.values() if record.location})

    def action_stocktake(self) -> None:
        current = self.supplies.open_stocktake()
        panel = self.query_one(StocktakePanel)
        places = tuple((place, place) for place in self.shelves())
        fields = [Field("by", self.t("supplies.field.by"), self._counter),
                  ChoiceField("shelf", self.t("supplies.field.shelf"), panel.shelf(),
                              (("—", ""), *places))]
        if current is None:
            fields.append(ChoiceField("scope", self.t("supplies.field.scope"), "",
                                      ((self.t("supplies.whole_room"), ""), *places)))

        def save(values: dict[str, str]) -> None:
            self._counter = values["by"]
            self.last_undo = None  # undoing an earlier close now would leave two counts open
            start_stocktake(self.ctx.store, self.supplies, self._actor(),
                            values.get("scope", ""))
            panel.choose_shelf(values["shelf"])

        def started(saved: bool | None) -> None:
            if saved:
                self.query_one(TabbedContent).active = "stocktake"
                self.query_one("#count-input", Input).focus()
                self.refresh_stocktake()

        title = (self.t("supplies.stocktake_join", number=current.key) if current
                 else self.t("supplies.stocktake_start"))
        self.app.push_screen(FieldsDialog(title, fields, save), started)

    @on(Input.Submitted, "#count-input")
    def count(self, event: Input.Submitted) -> None:
        event.input.value = ""
        code, quantity = count_line(event.value)
        if not code:
            return
        stocktake = self.supplies.open_stocktake()
        if stocktake is None:
            self.notify(self.t("supplies.stocktake_none"), severity="warning")
            return
        shelf = self.query_one(StocktakePanel).shelf()
        try:
            found = record_scan(self.ctx.store, self.supplies, stocktake, code, self._actor(),
                                shelf, quantity)
        except StoreError as error:
            self.show_error(error)
            return
        if found is None:
            self.notify(self.t("supplies.unknown_recorded", code=code), severity="warning")
        else:
            self.notify(self.t("supplies.counted", name=found.name, quantity=quantity),
                        timeout=2)
        self.refresh_stocktake()

    # -- confirm, cancel, undo --------------------------------------------------------------

    def _open_report(self) -> StocktakeReport | None:
        report = self.shown_report()
        if report is None or report.status != OPEN:
            self.notify(self.t("supplies.stocktake_none"), severity="warning")
            return None
        return report

    def action_confirm_stocktake(self) -> None:
        report = self._open_report()
        if report is None:
            return
        index, stocktake = self.supplies, report.stocktake
        lines = [Text(self.t("supplies.adjust_line", name=index.items[c.item_id].name,
                              code=index.items[c.item_id].code, expected=c.expected,
                              counted=c.counted, delta=f"{c.delta:+d}"))
                 for c in report.differences]
        title = self.t("supplies.confirm_title", number=stocktake.key,
                        count=len(report.differences), uncounted=len(report.uncounted))
        self.confirm_then(title, [Undoable(
            self.t("supplies.confirm_button"), (stocktake.close_id,),
            lambda: confirm_stocktake(self.ctx.store, index, report, self._actor()),
            self.t("supplies.stocktake_confirmed", number=stocktake.key,
                   count=len(report.differences)),
            made=lambda written: (movement.movement_id for movement in written))],
            lines=lines or [Text(self.t("supplies.adjust_none"))])

    def action_cancel_stocktake(self) -> None:
        report = self._open_report()
        if report is None:
            return
        stocktake = report.stocktake
        title = self.t("supplies.cancel_title", number=stocktake.key,
                        scans=sum(c.scans for c in report.counters))
        self.confirm_then(title, [Undoable(
            self.t("supplies.cancel_button"), (stocktake.close_id,),
            lambda: cancel_stocktake(self.ctx.store, self.supplies, stocktake, self._actor()),
            self.t("supplies.stocktake_cancelled", number=stocktake.key))],
            detail=self.t("supplies.cancel_detail"))

    # -- unknown tags -----------------------------------------------------------------------

    def action_register_unknown(self) -> None:
        report = self.shown_report()
        if report is None or not report.unknown:
            self.notify(self.t("supplies.no_unknown"), severity="warning")
            return
        codes = tuple((u.code, u.code) for u in report.unknown)
        fields = [ChoiceField("code", self.t("supplies.field.code"), codes[0][1], codes),
                  Field("name", self.t("supplies.field.name")),
                  Field("tag", self.t("supplies.field.tag_or_code")),
                  Field("location", self.t("supplies.field.found_on"),
                        report.unknown[0].locations[0] if report.unknown[0].locations else "")]

        def save(v: dict[str, str]) -> None:
            save_asset(self.ctx.store, Asset(Asset.new_id(), v["tag"] or v["code"], v["name"],
                                             location=v["location"], code=v["code"]))

        def saved(done: bool | None) -> None:
            if done:
                self.refresh_stocktake()

        self.app.push_screen(FieldsDialog(self.t("supplies.register_unknown"), fields, save),
                             saved)

