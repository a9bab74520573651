"""Where the dashboard's needs-attention inbox gets its items, and how each kind is resolved.

Every area's derived view that can see a post-merge clash is an ``AttentionSource``; this is
the one list of them. A resolver opens the dialog that lets a person settle one item.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING

from store.archive_index import ArchiveIndex
from store.attention import AttentionItem, AttentionSource
from store.booking_calendar import BookingCalendar
from store.conflicts import ConflictInbox
from store.desk_index import DeskIndex
from store.docstore import doc_type
from store.documents_index import DocumentAttention, DocumentIndex
from store.kiosk_status import KioskStatusIndex
from store.material_collection import CollectionAttention, CollectionIndex
from store.meeting_booking import follow_meeting, owner_of
from store.meetings import MEETING, SIGNIN
from store.reservation_pickup import release_rule
from store.reservations import ReservationBook, ReservationDesk
from store.supplies_desk import Actor, recount
from store.survey import ANSWER
from store.supplies_index import SupplyIndex

from .widgets.bookings.clash_dialog import ClashDialog
from .widgets.archive.detail_view import ArchiveDetail
from .widgets.common.fields_dialog import Field, FieldsDialog, whole_number
from .widgets.dashboard.conflict_dialog import ConflictDialog
from .screens.undoable import Undoable, Undoing
from .widgets.documents.detail_view import DocumentDetail
from .widgets.desk.reminder_dialog import collection_reminder
from .widgets.desk.settle import resolve_desk_clash
from .widgets.supplies.double_loan_dialog import DoubleLoanDialog

if TYPE_CHECKING:
    from textual.app import App

    from .context import AppContext

Resolver = Callable[["App[None]", AttentionItem, Callable[[bool | None], None]], None]


@dataclass(frozen=True)
class ReservationClashes:
    """Assets reserved twice by two offline nodes, named as the supply index knows them; a
    pair of which one side was released (not collected) is no longer a clash."""

    book: ReservationBook
    supplies: SupplyIndex
    clock: Callable[[], datetime]
    collect_minutes: int

    def attention_items(self) -> list[AttentionItem]:
        released, now = release_rule(self.supplies, self.collect_minutes), self.clock()
        return self.book.attention_items(self.supplies.assets, lambda occ: released(occ, now))


def attention_sources(ctx: AppContext) -> list[AttentionSource]:
    return [ConflictInbox(ctx.store, settled_by_rule=(SIGNIN, ANSWER), part_of=owner_of),
            ctx.index(BookingCalendar),
            ctx.index(SupplyIndex), ctx.index(ArchiveIndex), ctx.index(KioskStatusIndex),
            ReservationClashes(ctx.index(ReservationBook), ctx.index(SupplyIndex), ctx.clock,
                               ctx.settings.supplies.reservation_collect_minutes),
            DocumentAttention(ctx.index(DocumentIndex), ctx.clock()),
            ctx.index(DeskIndex), CollectionAttention(ctx.index(CollectionIndex), ctx.clock())]


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


def _resolve_double_reservation(app: App[None], item: AttentionItem,
                                _done: Callable[[bool | None], None]) -> None:
    """Cancel one side, asking first; the screen beneath keeps the undo (Ctrl+Z)."""
    ctx: AppContext = app.ctx  # type: ignore[attr-defined]
    screen, t = app.screen, ctx.i18n
    book = ctx.index(ReservationBook)
    desk = ReservationDesk(ctx.store, book, ctx.settings.node_name)
    actions = []
    for side in (book.reservations[doc_id] for doc_id in item.doc_ids
                 if doc_id in book.reservations):
        member = ctx.directory.by_id(side.member_id)
        who = member.name if member is not None else side.member_id
        actions.append(Undoable(
            t("reservations.attention.cancel_side", who=who, node=side.created_on),
            (side.reservation_id,), partial(desk.cancel, side.reservation_id),
            t("reservations.cancelled", asset=item.params.get("asset", ""), who=who)))
    if isinstance(screen, Undoing) and actions:
        screen.confirm_then(t("reservations.attention.resolve_title", **item.params), actions)


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


def _open_document(app: App[None], item: AttentionItem,
                   done: Callable[[bool | None], None]) -> None:
    """Open the document: a clash is settled there (x), a late step taken there."""
    ctx: AppContext = app.ctx  # type: ignore[attr-defined]
    key = ctx.index(DocumentIndex).key_of(item.doc_ids[0]) if item.doc_ids else None
    if key is not None:
        app.push_screen(DocumentDetail(key), lambda _none: done(True))


def _remind_collection(app: App[None], item: AttentionItem,
                       done: Callable[[bool | None], None]) -> None:
    """The reminder naming the departments still missing, to send to their group chat."""
    ctx: AppContext = app.ctx  # type: ignore[attr-defined]
    index = ctx.index(CollectionIndex)
    collection = index.get(item.doc_ids[0])
    if collection is not None:
        app.push_screen(collection_reminder(ctx.i18n, collection, index.missing(collection)),
                        lambda _none: done(True))


RESOLVERS: dict[str, Resolver] = {
    "conflict": _resolve_conflict,
    "double_booking": _resolve_double_booking,
    "double_loan": _resolve_double_loan,
    "double_reservation": _resolve_double_reservation,
    "negative_stock": _resolve_negative_stock,
    "duplicate_number": _resolve_duplicate_number,
    "document_clash": _open_document,
    "document_overdue": _open_document,
    "document_due_today": _open_document,
    "desk_clash": resolve_desk_clash,
    "collection_missing": _remind_collection,
}
