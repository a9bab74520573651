"""Settling a service-desk clash: two nodes decided one stage differently; a person picks.

The choice is written as a settle fact naming the event whose outcome stands, so it replicates
like every other decision and the inbox item goes away on every node; a leave's meeting absence
follows the outcome chosen.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from store.attention import AttentionItem
from store.desk_approvals import follow_leave
from store.desk_events import DeskEvent, save_event, settle_event
from store.desk_index import DeskIndex

from ..common.confirm_dialog import Choice, ConfirmDialog

if TYPE_CHECKING:
    from textual.app import App

    from ...context import AppContext


def resolve_desk_clash(app: App[None], item: AttentionItem,
                       done: Callable[[bool | None], None]) -> None:
    ctx: AppContext = app.ctx  # type: ignore[attr-defined]
    events: list[DeskEvent] = []
    for doc_id in item.doc_ids:
        doc = ctx.store.get_or_none(doc_id)
        if doc is not None:
            events.append(DeskEvent.from_doc(doc))
    if not events:
        return
    t = ctx.i18n
    choices = [Choice(event.event_id, t("desk.attention.settle_pick",
                                        step=t(f"desk.steps.{event.step}"), person=event.person,
                                        at=event.at.replace("T", " ")), "primary")
               for event in events]

    def chosen(key: str | None) -> None:
        event = next((e for e in events if e.event_id == key), None)
        if event is None:
            done(None)
            return
        save_event(ctx.store, settle_event(event, ctx.settings.node_name, ctx.clock(),
                                           ctx.settings.node_name))
        desk = ctx.index(DeskIndex)
        leave = desk.leaves.get(event.subject)
        if leave is not None:  # the meeting's absence follows the outcome chosen
            follow_leave(ctx.store, leave, desk.stages(leave.leave_id)[event.stage], ctx.clock())
        app.notify(t("desk.attention.settled"))
        done(True)

    title = t(item.message_key, **item.params)
    app.push_screen(ConfirmDialog(title, choices, t("desk.attention.settle")), chosen)
