"""The needs-attention inbox: every clash two offline nodes left behind, one line each."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.widgets import DataTable

from store.attention import AttentionItem

from ...attention import RESOLVERS, gather_attention
from ...plain_text import cell
from ..common.fit_columns import FittedTable
from .filled_off_loop import FilledOffLoop

if TYPE_CHECKING:
    from ...context import AppContext


class AttentionInbox(FilledOffLoop, FittedTable):
    """Enter on a row opens the resolver for that kind of clash."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)  # type: ignore[arg-type]
        self.items: list[AttentionItem] = []

    def on_mount(self) -> None:
        t = self.app.ctx.i18n  # type: ignore[attr-defined]
        self.add_column(t("attention.kind"), key="kind")
        self.add_column(t("attention.what"), key="what")
        self.border_title = t("dashboard.loading")
        self.build_views_then_fill()

    def read_views(self, ctx: AppContext) -> list[AttentionItem]:
        return gather_attention(ctx)

    def show(self, read: list[AttentionItem]) -> None:
        t = self.app.ctx.i18n  # type: ignore[attr-defined]
        self.items = read
        self.show_rows([(item.key, [cell(t(f"attention.kinds.{item.kind}")),
                                    cell(t(item.message_key, **item.params), width=160)])
                        for item in self.items])
        self.border_title = t("attention.title", count=len(self.items))

    @on(DataTable.RowSelected)
    def resolve(self, event: DataTable.RowSelected) -> None:
        key = str(event.row_key.value)
        item = next((i for i in self.items if i.key == key), None)
        resolver = RESOLVERS.get(item.kind) if item else None
        if item is None or resolver is None:
            return
        resolver(self.app, item, lambda _resolved: self.reload())
