"""Accepting a 物资 request: the reservation, loan or take it becomes, filled in from the request.

The form starts from what the request's words suggest
(:func:`store.desk_handoff.suggested_handout`): the asset or item it names, the number it gives, the time it is needed and who filed it; the
secretary corrects what is wrong and saves, and the supply room's own rules (a clash with
another reservation, stock that is not there) refuse what cannot be done, with the form kept.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from store.desk_handoff import (
    LEND,
    RESERVE,
    TAKE,
    SupplyHandout,
    accept_into_supplies,
    suggested_handout,
)
from store.desk_requests import RequestState
from store.reservation_pickup import release_rule
from store.reservations import ReservationBook, ReservationDesk
from store.supplies_index import SupplyIndex

from ..common.fields_dialog import ChoiceField, Field, FieldsDialog, MemberField, whole_number

if TYPE_CHECKING:
    from ...context import AppContext


def reservation_desk(ctx: AppContext) -> ReservationDesk:
    """Reservations as the supply room makes them: a date not collected in time is free."""
    return ReservationDesk(ctx.store, ctx.index(ReservationBook), ctx.settings.node_name,
                           release_rule(ctx.index(SupplyIndex),
                                        ctx.settings.supplies.reservation_collect_minutes))


def supply_handoff_dialog(ctx: AppContext, state: RequestState) -> FieldsDialog:
    t, supplies = ctx.i18n, ctx.index(SupplyIndex)
    suggested = suggested_handout(state.request, supplies)
    things = tuple((f"{asset.tag} {asset.name}", asset.asset_id)
                   for asset in sorted(supplies.assets.values(), key=lambda a: a.tag))
    things += tuple((t("desk.handoff.item", name=item.name, stock=supplies.level(item.item_id)),
                     item.item_id)
                    for item in sorted(supplies.items.values(), key=lambda i: i.name))
    fields = [Field("who", t("desk.requests.field.who")),
              ChoiceField("action", t("desk.handoff.field.action"), suggested.action,
                          tuple((t(f"desk.handoff.action.{action}"), action)
                                for action in (RESERVE, LEND, TAKE))),
              ChoiceField("thing", t("desk.handoff.field.thing"), suggested.thing_id,
                          (("—", ""), *things)),
              MemberField("member", t("desk.handoff.field.member"), suggested.member_id),
              Field("quantity", t("desk.handoff.field.quantity"), str(suggested.quantity)),
              Field("start", t("desk.handoff.field.start"), suggested.start.replace("T", " ")),
              Field("end", t("desk.handoff.field.end"), suggested.end.replace("T", " ")),
              Field("days", t("desk.handoff.field.days"), str(suggested.days))]

    def save(values: dict[str, str]) -> None:
        handout = SupplyHandout(values["action"], values["thing"], values["member"],
                                whole_number(values["quantity"], 1), values["start"],
                                values["end"], whole_number(values["days"], 1))
        accept_into_supplies(ctx.store, state, values["who"], handout, ctx.clock(), supplies,
                             reservation_desk(ctx), ctx.settings.node_name)

    return FieldsDialog(t("desk.requests.ask_accept", title=state.request.title), fields, save,
                        t("desk.handoff.note"))

