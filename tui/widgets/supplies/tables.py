"""The supplies screen's tables: stock with low stock marked, the asset register, overdue loans,
and a stock-take's differences. Each keeps the records of its rows for "the selected one"."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Generic, TypeVar

from rich.text import Text
from textual.widgets import DataTable

from store.supplies import Loan, StockDifference
from store.supplies_index import AssetRow, StockRow

from ...plain_text import cell

RowT = TypeVar("RowT")
Translate = Callable[..., str]
NameOf = Callable[[str], str]


class RecordTable(DataTable[Text], Generic[RowT]):
    """A row-cursor table whose columns are i18n keys; ``cells`` renders one record."""

    COLUMNS: tuple[str, ...] = ()

    def __init__(self, **kwargs: object) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)  # type: ignore[arg-type]
        self.records: list[RowT] = []

    def on_mount(self) -> None:
        t = self.app.ctx.i18n  # type: ignore[attr-defined]
        for column in self.COLUMNS:
            self.add_column(t(f"supplies.column.{column}"), key=column)

    def show(self, records: Sequence[RowT], cells: Callable[[RowT], list[Text]]) -> None:
        keep = self.cursor_row
        self.records = list(records)
        self.clear()
        for number, record in enumerate(self.records):
            self.add_row(*cells(record), key=str(number))
        if self.records:
            self.move_cursor(row=min(keep, len(self.records) - 1))

    def selected(self) -> RowT | None:
        if not self.records:
            return None
        return self.records[min(self.cursor_row, len(self.records) - 1)]


class StockTable(RecordTable[StockRow]):
    COLUMNS = ("name", "category", "location", "stock", "reorder")

    def reload(self, rows: Sequence[StockRow], t: Translate) -> None:
        def cells(row: StockRow) -> list[Text]:
            stock = cell(f"{row.stock} {row.item.unit}")
            if row.low:
                stock.append(f"  {t('supplies.low')}")
                stock.stylize("bold red" if row.stock <= 0 else "bold yellow")
            return [cell(row.item.name), cell(row.item.category), cell(row.item.location), stock,
                    cell(str(row.item.reorder_level))]

        self.show(rows, cells)


class AssetTable(RecordTable[AssetRow]):
    COLUMNS = ("tag", "name", "location", "condition", "holder", "due")

    def reload(self, rows: Sequence[AssetRow], t: Translate, name_of: NameOf,
               now: datetime) -> None:
        def cells(row: AssetRow) -> list[Text]:
            holder = cell("、".join(name_of(loan.member_id) for loan in row.loans))
            due = cell(row.loans[0].due.replace("T", " ") if row.loans else "")
            if len(row.loans) > 1:
                holder.stylize("bold red")
            if row.loans and row.loans[0].overdue_days(now):
                due.stylize("bold red")
            return [cell(row.asset.tag), cell(row.asset.name), cell(row.asset.location),
                    cell(t(f"supplies.condition.{row.asset.condition}")), holder, due]

        self.show(rows, cells)


class OverdueTable(RecordTable[Loan]):
    COLUMNS = ("tag", "name", "holder", "due", "days_overdue")

    def reload(self, loans: Sequence[Loan], describe: Callable[[str], tuple[str, str]],
               name_of: NameOf, now: datetime) -> None:
        def cells(loan: Loan) -> list[Text]:
            tag, name = describe(loan.asset_id)
            return [cell(tag), cell(name), cell(name_of(loan.member_id)),
                    cell(loan.due.replace("T", " ")),
                    cell(str(loan.overdue_days(now)), style="bold red")]

        self.show(loans, cells)


class DifferenceTable(RecordTable[StockDifference]):
    COLUMNS = ("name", "expected", "counted", "difference")

    def reload(self, differences: Sequence[StockDifference], name_of: NameOf) -> None:
        def cells(difference: StockDifference) -> list[Text]:
            delta = cell(f"{difference.delta:+d}",
                         style="bold red" if difference.delta < 0 else "bold green")
            return [cell(name_of(difference.item_id)), cell(str(difference.expected)),
                    cell(str(difference.counted)), delta]

        self.show(differences, cells)
