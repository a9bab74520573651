"""What each kiosk replicates: the Mango selectors of its filtered pull (see :mod:`sync.pull`).

A kiosk reads a few document types, so it pulls only those from its peers and a big office's
kiosk opens in a fraction of a second instead of loading years of archive records and scans.
Types are selected by id range (:func:`sync.selector.id_prefix`), so a deletion — which keeps
only its id — reaches the kiosk too (a member removed from the directory disappears from the
door). Both kiosks read the directory, their own status records and the cluster's membership
and revocation records (a revoked peer must be refused by a kiosk as well):

* **sign-in**: members, meetings, rooms, and the sign-ins, door scans, leaves of absence and
  replies of the meetings open today (or the one it was started for). The selector follows
  the meetings as they replicate in: a meeting added for today widens it at the next pass.
* **supplies**: items, assets, loans and returns, stocktakes, reservations (only a reserver
  may borrow a reserved asset), and of the stock movements only those since last New Year but
  one (:func:`store.supply_balances.kiosk_cutoff`) with the yearly balances that stand for the
  older ones: a supplies kiosk of a ten-year office carries two years of movements, not ten.
  Deleted movements (a cancelled stock-take's adjustments) still reach it, by their missing
  time.
* **survey**: surveys and who has answered them (never the answers: the kiosk only adds them).
* **room door**: rooms, bookings and their one-date exceptions, meetings (whose roster may
  check in), check-ins and door records.

A secretary node passes no selector and stays a full copy; a kiosk's own writes replicate out
as before, since every peer pulls from it unfiltered.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from store import DocumentStore
from store.booking import BOOKING
from store.booking_exceptions import BOOKING_EXCEPTION
from store.kiosk_status import KIOSK
from store.meeting_replies import REPLY
from store.meetings import ABSENCE, MEETING, SIGNIN, SIGNIN_SCAN, meeting_key
from store.members import MEMBER
from store.reservations import RESERVATION
from store.room_checkin import ROOM_CHECKIN, ROOM_DOOR
from store.rooms import ROOM
from store.survey import SURVEY, TAKEN
from store.stocktake import STOCKTAKE_TYPES
from store.supplies import MOVEMENT, SUPPLY_TYPES
from store.supply_balances import BALANCE, kiosk_cutoff

from .revocation import NODE, REVOKED
from .selector import Selector, id_prefix

COMMON_TYPES = (MEMBER, KIOSK, NODE, REVOKED)
SIGNIN_TYPES = (*COMMON_TYPES, MEETING, ROOM)
MEETING_FACTS = (SIGNIN, SIGNIN_SCAN, ABSENCE, REPLY)  # ids ``{type}:{meeting key}:…``
SUPPLIES_TYPES = (*COMMON_TYPES, *(kind for kind in SUPPLY_TYPES if kind != MOVEMENT),
                  *STOCKTAKE_TYPES, RESERVATION, BALANCE)
ROOM_DOOR_TYPES = (*COMMON_TYPES, ROOM, BOOKING, BOOKING_EXCEPTION, MEETING, ROOM_CHECKIN,
                   ROOM_DOOR)


def types_selector(types: Iterable[str], *more: Selector) -> Selector:
    """Documents of ``types`` (by id prefix ``type:``), and whatever ``more`` selects."""
    return {"$or": [*(id_prefix(f"{kind}:") for kind in types), *more]}


def supplies_selector(today: date) -> Selector:
    recent = {"$or": [{"at": {"$gte": kiosk_cutoff(today)}}, {"at": {"$exists": False}}]}
    return types_selector(SUPPLIES_TYPES, {"$and": [id_prefix(f"{MOVEMENT}:"), recent]})


def survey_selector() -> Selector:
    return types_selector((*COMMON_TYPES, SURVEY, TAKEN))


def room_door_selector() -> Selector:
    return types_selector(ROOM_DOOR_TYPES)


def signin_selector(store: DocumentStore, today: date, meeting_ids: Iterable[str] = ()
                    ) -> Selector:
    """The sign-in kiosk's documents, with the facts of today's meetings and ``meeting_ids``."""
    keys = {meeting_key(meeting_id) for meeting_id in meeting_ids}
    keys.update(store.without_writes(lambda: [  # another peer's replicator may be writing
        meeting_key(doc["_id"]) for doc in store.iter_docs(MEETING)
        if _held_on(doc, today.isoformat())]))
    return types_selector(SIGNIN_TYPES, *(id_prefix(f"{fact}:{key}:")
                                          for key in sorted(keys) for fact in MEETING_FACTS))


def _held_on(doc: dict[str, Any], day: str) -> bool:
    """A peer's meeting is read as written: a malformed one simply is not open today."""
    start = doc.get("start")
    return isinstance(start, str) and start[:10] == day and doc.get("cancelled") is not True
