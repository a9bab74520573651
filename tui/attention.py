"""Where the dashboard's needs-attention inbox gets its items, and how each kind is resolved.

Every area's derived view that can see a post-merge clash is an ``AttentionSource``; this is
the one list of them. A resolver opens the dialog that lets a person settle one item.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from store.attention import AttentionItem, AttentionSource
from store.booking import BookingCalendar
from store.conflicts import ConflictInbox
from store.meetings import SIGNIN

from .widgets.bookings.clash_dialog import ClashDialog
from .widgets.dashboard.conflict_dialog import ConflictDialog

if TYPE_CHECKING:
    from textual.app import App

    from .context import AppContext

Resolver = Callable[["App[None]", AttentionItem, Callable[[bool | None], None]], None]


def attention_sources(ctx: AppContext) -> list[AttentionSource]:
    return [ConflictInbox(ctx.store, settled_by_rule=(SIGNIN,)), ctx.index(BookingCalendar)]


def gather_attention(ctx: AppContext) -> list[AttentionItem]:
    items: list[AttentionItem] = []
    for source in attention_sources(ctx):
        items.extend(source.attention_items())
    return items


def _resolve_conflict(app: App[None], item: AttentionItem,
                      done: Callable[[bool | None], None]) -> None:
    app.push_screen(ConflictDialog(item.doc_ids[0]), done)


def _resolve_double_booking(app: App[None], item: AttentionItem,
                            done: Callable[[bool | None], None]) -> None:
    app.push_screen(ClashDialog(*item.doc_ids), done)


RESOLVERS: dict[str, Resolver] = {
    "conflict": _resolve_conflict,
    "double_booking": _resolve_double_booking,
}
