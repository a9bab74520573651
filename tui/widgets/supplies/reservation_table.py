"""The supplies screen's Reservations tab: each reserved date with its pickup state; and the
same dates as lines of a history (an asset's, a member's)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

from rich.text import Text

from store.reservation_pickup import Pickup, ReservedDate
from store.supplies import Asset

from ...plain_text import cell
from .tables import NameOf, RecordTable, Translate

STATE_STYLE = {Pickup.WAITING: "bold yellow", Pickup.COLLECTED: "green",
               Pickup.RELEASED: "dim"}


class ReservationTable(RecordTable[ReservedDate]):
    COLUMNS = ("when", "tag", "name", "member", "state", "note")
    COLUMN_KEYS = "reservations.column"

    def reload(self, rows: Sequence[ReservedDate], t: Translate,
               describe: Callable[[str], tuple[str, str]], name_of: NameOf) -> None:
        def cells(row: ReservedDate) -> list[Text]:
            tag, name = describe(row.asset_id)
            return [cell(row.occurrence.when), cell(tag), cell(name), cell(name_of(row.member_id)),
                    cell(t(f"reservations.state.{row.state}"),
                         style=STATE_STYLE.get(row.state, "")),
                    cell(row.occurrence.booking.title)]

        self.show(rows, cells)


def history_lines(t: Translate, dates: Iterable[ReservedDate],
                  assets: Mapping[str, Asset]) -> list[str]:
    lines = []
    for reserved in dates:
        asset = assets.get(reserved.asset_id)
        lines.append(t("reservations.history_line", when=reserved.occurrence.when,
                       asset=f"{asset.tag} {asset.name}" if asset else reserved.asset_id,
                       state=t(f"reservations.state.{reserved.state}")))
    return lines
