"""How fresh a kiosk's data is: the discreet line under its answers.

A kiosk works offline and merges later, so a person at the door needs no warning; the secretary
walking past does: is this kiosk talking to the office, and if not, since when? The rule is a
pure function of the replicators' states and the last time any peer answered, read on the
kiosk's own clock and remembered across restarts in a ``_local`` record (never replicated).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from store import DocumentStore
from sync.pull import PeerStatus

REACHABLE = ("idle", "syncing")
LAST_SYNC = "kiosk_last_sync"


@dataclass(frozen=True)
class Freshness:
    key: str  # i18n key of the line
    reachable: int
    peers: int
    as_of: str = ""  # HH:MM (or MM-DD HH:MM on another day) of the last exchange with a peer


def freshness(peers: list[PeerStatus], last_sync: str | None, now: datetime,
              stale_after: timedelta) -> Freshness:
    """``last_sync`` is when a peer last answered (ISO minutes), ``None`` if one never did."""
    reachable = sum(1 for peer in peers if peer.state in REACHABLE)
    if reachable:
        return Freshness("kiosk.sync_live", reachable, len(peers))
    if last_sync is None:
        return Freshness("kiosk.sync_never", 0, len(peers))
    when = datetime.fromisoformat(last_sync)
    as_of = last_sync[11:16] if when.date() == now.date() else last_sync[5:16].replace("T", " ")
    stale = now - when > stale_after
    return Freshness("kiosk.sync_stale" if stale else "kiosk.sync_away", 0, len(peers), as_of)


def remember_sync(store: DocumentStore, peers: list[PeerStatus], now: datetime) -> str | None:
    """Note ``now`` when a peer is reachable (at most once a minute); the last sync time."""
    last = _noted_time(store.get_local(LAST_SYNC))
    if any(peer.state in REACHABLE for peer in peers):
        minute = now.isoformat(timespec="minutes")
        if minute != last:
            store.put_local(LAST_SYNC, {"at": minute})
        return minute
    return last


def _noted_time(noted: dict[str, object] | None) -> str | None:
    """The remembered time, or ``None`` if there is none or it is not one (a damaged record
    must not stop the kiosk)."""
    at = noted.get("at") if noted is not None else None
    if not isinstance(at, str):
        return None
    try:
        datetime.fromisoformat(at)
    except ValueError:
        return None
    return at
