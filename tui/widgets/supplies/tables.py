"""The supplies screen's tables: stock with low stock marked, the asset register, overdue loans,
and a stock-take's counted items. Each keeps the records of its rows for "the selected one"."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Generic, TypeVar

from rich.text import Text
from textual.widgets import DataTable

from store.stocktake_report import ItemCount
from store.supplies import CONDITIONS, Loan
from store.supplies_index import AssetRow, StockRow

from ...plain_text import cell

RowT = TypeVar("RowT")
Translate = Callable[..., str]
NameOf = Callable[[str], str]


class RecordTable(DataTable[Text], Generic[RowT]):
    """A row-cursor table whose columns are i18n keys; ``cells`` renders one record."""

    COLUMNS: tuple[str, ...] = ()
    COLUMN_KEYS = "supplies.column"  # the catalog table naming the columns

    def __init__(self, **kwargs: object) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)  # type: ignore[arg-type]
        self.records: list[RowT] = []
        self._rows: list[list[Text]] = []  # the cells shown, to update only what changed

    def on_mount(self) -> None:
        t = self.app.ctx.i18n  # type: ignore[attr-defined]
        for column in self.COLUMNS:
            self.add_column(t(f"{self.COLUMN_KEYS}.{column}"), key=column)

    def show(self, records: Sequence[RowT], cells: Callable[[RowT], list[Text]]) -> None:
        """Redraw with ``records``; with as many rows as before (a scan counted once more, a
        take), only the cells that changed are updated, so a long list stays quick."""
        rows = [cells(record) for record in records]
        self.records = list(records)
        if len(rows) == len(self._rows):
            for number, (old, new) in enumerate(zip(self._rows, rows)):
                for column, (was, now) in enumerate(zip(old, new)):
                    if was != now:
                        self.update_cell(str(number), self.COLUMNS[column], now,
                                         update_width=True)
            self._rows = rows
            return
        keep = self.cursor_row
        self._rows = rows
        self.clear()
        for number, row in enumerate(rows):
            self.add_row(*row, key=str(number))
        if rows:
            self.move_cursor(row=min(keep, len(rows) - 1))

    def cursor_to(self, match: Callable[[RowT], bool]) -> None:
        """Put the cursor on the first record that ``match``es (one just added) and focus."""
        found = next((number for number, row in enumerate(self.records) if match(row)), None)
        if found is not None:
            self.move_cursor(row=found)
            self.focus()

    def selected(self) -> RowT | None:
        if not self.records:
            return None
        return self.records[min(self.cursor_row, len(self.records) - 1)]


class StockTable(RecordTable[StockRow]):
    COLUMNS = ("name", "code", "category", "location", "stock", "reorder")

    def reload(self, rows: Sequence[StockRow], t: Translate) -> None:
        def cells(row: StockRow) -> list[Text]:
            stock = cell(f"{row.stock} {row.item.unit}")
            if row.low:
                stock.append(f"  {t('supplies.low')}")
                stock.stylize("bold red" if row.stock <= 0 else "bold yellow")
            return [cell(row.item.name), cell(row.item.code), cell(row.item.category),
                    cell(row.item.location), stock, cell(str(row.item.reorder_level))]

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
                    cell(condition_label(t, row.condition)), holder, due]

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


class CountTable(RecordTable[ItemCount]):
    """Every counted item of a stock-take: expected, counted, the difference and who counted."""

    COLUMNS = ("name", "code", "expected", "counted", "difference", "counted_by")

    def reload(self, counts: Sequence[ItemCount], describe: Callable[[str], tuple[str, str]]
               ) -> None:
        def cells(count: ItemCount) -> list[Text]:
            name, code = describe(count.item_id)
            delta = Text(f"{count.delta:+d}" if count.delta else "0",
                         style="bold red" if count.delta < 0 else "bold green" if count.delta
                         else "")
            return [cell(name), cell(code), cell(str(count.expected)), cell(str(count.counted)),
                    delta, cell("、".join(count.counted_by))]

        self.show(counts, cells)


def condition_label(t: Translate, condition: str) -> str:
    """A condition in the UI language; a code from a newer or foreign writer as it is."""
    return t(f"supplies.condition.{condition}") if condition in CONDITIONS else condition
