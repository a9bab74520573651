"""Where the dashboard's needs-attention inbox gets its items, and how each kind is resolved.

Every area's derived view that can see a post-merge clash is an ``AttentionSource``; this is
the one list of them. A resolver opens the dialog that lets a person settle one item.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from store.archive_index import ArchiveIndex
from store.attention import AttentionItem, AttentionSource
from store.booking import BookingCalendar
from store.conflicts import ConflictInbox
from store.docstore import doc_type
from store.kiosk_status import KioskStatusIndex
from store.meeting_booking import follow_meeting, owner_of
from store.meetings import MEETING, SIGNIN
from store.supplies_desk import Actor, recount
from store.survey import ANSWER
from store.supplies_index import SupplyIndex

from .widgets.bookings.clash_dialog import ClashDialog
from .widgets.archive.detail_view import ArchiveDetail
from .widgets.common.fields_dialog import Field, FieldsDialog, whole_number
from .widgets.dashboard.conflict_dialog import ConflictDialog
from .widgets.supplies.double_loan_dialog import DoubleLoanDialog

if TYPE_CHECKING:
    from textual.app import App

    from .context import AppContext

Resolver = Callable[["App[None]", AttentionItem, Callable[[bool | None], None]], None]


def attention_sources(ctx: AppContext) -> list[AttentionSource]:
    return [ConflictInbox(ctx.store, settled_by_rule=(SIGNIN, ANSWER), part_of=owner_of),
            ctx.index(BookingCalendar),
            ctx.index(SupplyIndex), ctx.index(ArchiveIndex), ctx.index(KioskStatusIndex)]


def gather_attention(ctx: AppContext) -> list[AttentionItem]:
    items: list[AttentionItem] = []
    for source in attention_sources(ctx):
        items.extend(source.attention_items())
    return items


def _resolve_conflict(app: App[None], item: AttentionItem,
                      done: Callable[[bool | None], None]) -> None:
    doc_id = item.doc_ids[0]
    if doc_type(doc_id) != MEETING:
        app.push_screen(ConflictDialog(doc_id), done)
        return

    def resolved(outcome: bool | None) -> None:
        if outcome:  # the meeting's booking follows the version kept
            ctx: AppContext = app.ctx  # type: ignore[attr-defined]
            follow_meeting(ctx.store, doc_id, ctx.clock())
        done(outcome)

    app.push_screen(ConflictDialog(doc_id), resolved)


def _resolve_double_booking(app: App[None], item: AttentionItem,
                            done: Callable[[bool | None], None]) -> None:
    app.push_screen(ClashDialog(*item.doc_ids), done)


def _resolve_double_loan(app: App[None], item: AttentionItem,
                         done: Callable[[bool | None], None]) -> None:
    app.push_screen(DoubleLoanDialog(item.doc_ids), done)


def _resolve_negative_stock(app: App[None], item: AttentionItem,
                            done: Callable[[bool | None], None]) -> None:
    """Count the shelf now; the count is recorded as an adjustment that replaces the sum."""
    ctx: AppContext = app.ctx  # type: ignore[attr-defined]
    index = ctx.index(SupplyIndex)
    stocked = index.items.get(item.doc_ids[0])
    if stocked is None:
        return

    def save(values: dict[str, str]) -> None:
        recount(ctx.store, index, stocked, whole_number(values["counted"]),
                Actor(ctx.clock(), ctx.settings.node_name))

    app.push_screen(FieldsDialog(ctx.i18n("supplies.recount_title", name=stocked.name),
                                 [Field("counted", ctx.i18n("supplies.column.counted"))], save),
                    done)


def _resolve_duplicate_number(app: App[None], item: AttentionItem,
                              done: Callable[[bool | None], None]) -> None:
    """Open the later of the records sharing the number; its renumber action (n) settles it."""
    ctx: AppContext = app.ctx  # type: ignore[attr-defined]
    app.push_screen(ArchiveDetail(item.doc_ids[-1], ctx.settings.archive.scheme()), done)


RESOLVERS: dict[str, Resolver] = {
    "conflict": _resolve_conflict,
    "double_booking": _resolve_double_booking,
    "double_loan": _resolve_double_loan,
    "negative_stock": _resolve_negative_stock,
    "duplicate_number": _resolve_duplicate_number,
}
