"""Randomized partition scenarios: nodes keep editing while the network misbehaves.

Each scenario starts 3–5 real nodes (store + replication API on 127.0.0.1) and, for every
ordered pair, a pull replicator that reaches its peer only through a :class:`FaultyLink`.
Then, for a number of steps, it edits, creates and deletes documents on random nodes (often
the *same* document on two nodes at once), and flips random links between up, down and
flaky (delays, reordering across connections, responses cut mid-way). Finally every link is
healed and the scenario passes when all stores hold identical winners, identical conflict sets
and identical derived state (sign-ins, stock, asset holders, the clashes listed for attention,
the stock-take report: scans from every node, confirmed at most once per item; the dates of a
repeating booking after single dates were cancelled, moved or restored and the series cut).
Everything random derives from the printed seed.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

from store import ConflictError, DocumentStore, NotFound
from store.booking import Booking, Recurrence
from store.booking_calendar import BookingCalendar
from store.booking_exceptions import exception_id
from store.booking_series import SeriesDesk
from store.errors import StoreError, ValidationError
from store.rooms import Room, save_room
from store.stocktake import Stocktake
from store.stocktake_desk import confirm_stocktake, record_scan
from store.supplies import RECEIVED, TAKEN, Item, Loan, Return, format_time, movement
from store.supplies_desk import Actor
from store.supplies_index import SupplyIndex

from sync.http_api import make_app
from sync.pull import PullReplicator

from .faulty_link import FaultyLink, LinkState

SHARED_IDS = [f"meeting:{n}" for n in range(6)]
ASSET_IDS = [f"asset:{n}" for n in range(3)]
ITEM_IDS = [f"item:{n}" for n in range(3)]
NOW = datetime(2026, 11, 25, 14, 0)
STOCKTAKE = Stocktake("stocktake:2026-11-25-1", "2026-11-25T14:00", "秘书处")
COUNTED = [Item(item_id, f"物品{n}", code=f"I{n}") for n, item_id in enumerate(ITEM_IDS)]
SERIES_ID = "booking:" + "c" * 32
SERIES_DAYS = [date(2026, 11, 30) + timedelta(weeks=k) for k in range(8)]
Derivation = Callable[[DocumentStore], Any]


@dataclass
class ScenarioResult:
    seed: int
    nodes: int
    steps: int
    converged: bool
    documents: int
    conflicts: int
    seconds: float
    refused: int = 0
    cut: int = 0
    detail: str = ""


def revision_state(store: DocumentStore) -> dict[str, tuple[str, tuple[str, ...]]]:
    state = {}
    for row in store.changes(style="all_docs")[0]:
        winner = store.all_docs(keys=[row["id"]])[0]["value"]["rev"]
        state[row["id"]] = (winner, tuple(store.conflicts(row["id"])))
    return state


def signed_in(store: DocumentStore) -> dict[str, str]:
    """A derived view built from events: who signed in, at the earliest recorded time."""
    earliest: dict[str, str] = {}
    for doc_id in store.ids_of_type("signin"):
        times = [answer["ok"].get("at", "") for answer in store.open_revs(doc_id, None)
                 if "ok" in answer and not answer["ok"].get("_deleted")]
        if times:
            earliest[doc_id] = min(times)
    return earliest


def _supply_event(store: DocumentStore, index: SupplyIndex, rng: random.Random, node: str) -> None:
    """A take, a delivery, a loan or a return, recorded as the kiosk would (events only)."""
    choice = rng.random()
    if choice < 0.4:
        kind = TAKEN if choice < 0.3 else RECEIVED
        store.put(movement(rng.choice(ITEM_IDS), kind, rng.randint(1, 5), now=NOW, node=node,
                           member_id=str(rng.randint(1, 8))).to_doc())
        return
    asset_id = rng.choice(ASSET_IDS)
    active = index.open_loans(asset_id)
    if active and choice < 0.8:
        try:
            store.put(Return(active[0].loan_id, format_time(NOW), node=node).to_doc())
        except ConflictError:  # a peer's return was written by a replicator thread meanwhile
            pass
    elif not active:
        loan = Loan(f"loan:{rng.getrandbits(64):016x}", asset_id, str(rng.randint(1, 8)),
                    format_time(NOW), "2026-12-09T14:00", node)
        store.put(loan.to_doc())


def _count(store: DocumentStore, index: SupplyIndex, rng: random.Random, node: str) -> None:
    """A stock-take scan (sometimes of an unknown tag), now and then a confirm; refused once
    this node knows the count is closed, as the screen would refuse it."""
    actor = Actor(NOW, node, f"counter-{node}")
    try:
        if rng.random() < 0.1:
            confirm_stocktake(store, index, index.stocktake_report(STOCKTAKE.stocktake_id), actor)
        else:
            code = rng.choice([*(item.code for item in COUNTED), "GZ-UNKNOWN"])
            record_scan(store, index, STOCKTAKE, code, actor, rng.choice(["柜1", "柜2"]),
                        rng.randint(1, 3))
    except ValidationError:
        pass


def _edit(store: DocumentStore, doc_id: str, rng: random.Random, step: int) -> None:
    current = store.get_or_none(doc_id)
    body = {"title": rng.choice(["例会", "部长例会", "全体大会"]), "step": step,
            "room": rng.choice(["201", "302", "报告厅"])}
    try:
        if current is None:
            store.put({"_id": doc_id, **body})
        elif rng.random() < 0.15:
            store.delete(doc_id, current["_rev"])
        else:
            store.put({"_id": doc_id, "_rev": current["_rev"], **body})
    except (ConflictError, NotFound):
        pass  # a concurrent replication changed it meanwhile: a user would just retry


def _series_setup(stores: list[DocumentStore]) -> None:
    """The same room on every node (identical first revisions), the series on the first."""
    for store in stores:
        save_room(store, Room("room:r1", "第一会议室", 30))
    SeriesDesk(stores[0]).create(Booking(SERIES_ID, "room:r1", "2026-11-30T14:00",
                                         "2026-11-30T15:00", "周例会",
                                         recurrence=Recurrence("weekly", count=8)), NOW)


def _series_edit(store: DocumentStore, rng: random.Random) -> None:
    """One date cancelled, moved or restored, or the series cut from a date, as a user would."""
    desk, day = SeriesDesk(store), rng.choice(SERIES_DAYS)
    choice = rng.random()
    try:
        if choice < 0.35:
            desk.cancel_date(SERIES_ID, day)
        elif choice < 0.65:
            on, hour = day + timedelta(days=rng.randint(0, 1)), rng.choice([9, 10, 16])
            desk.move_date(SERIES_ID, day, Booking(SERIES_ID, "room:r1", f"{on}T{hour:02d}:00",
                                                   f"{on}T{hour + 1:02d}:00", "周例会"), NOW)
        elif choice < 0.85:  # undo of a single-date change: delete the exception document
            current = store.get_or_none(exception_id(SERIES_ID, day.isoformat()))
            if current is not None:
                store.delete(current["_id"], current["_rev"])
        else:
            desk.cancel_following(SERIES_ID, day)
    except StoreError:
        pass  # not replicated here yet, changed meanwhile, or a clash: a user would retry


def series_dates(store: DocumentStore) -> list[tuple[str, str, str]]:
    """The series as every node must show it: each meeting's original date, time and room."""
    calendar = BookingCalendar.from_store(store)
    return [(str(occ.recurrence_id), occ.start.isoformat(), occ.booking.room_id)
            for occ in calendar.occurrences_of(SERIES_ID)]


async def run_scenario(seed: int, workdir: Path, steps: int = 60,
                       derivations: dict[str, Derivation] | None = None,
                       heal_seconds: float = 30.0) -> ScenarioResult:
    rng = random.Random(seed)
    count = rng.randint(3, 5)
    started = time.perf_counter()
    stores = [DocumentStore.open(workdir / f"seed{seed}-node{i}") for i in range(count)]
    supplies = {id(store): SupplyIndex.for_store(store) for store in stores}
    for store in stores:
        store.attach_index(supplies[id(store)])
        store.bulk_put([STOCKTAKE.to_doc(), *(item.to_doc() for item in COUNTED)])  # alike
    derivations = {"signed_in": signed_in,
                   "stock": lambda store: sorted(supplies[id(store)].stock.items()),
                   "holders": lambda store: [supplies[id(store)].open_loans(asset_id)
                                             for asset_id in ASSET_IDS],
                   "attention": lambda store: supplies[id(store)].attention_items(),
                   "stocktake": lambda store: supplies[id(store)].stocktake_report(
                       STOCKTAKE.stocktake_id),
                   "series": series_dates,
                   **(derivations or {})}
    _series_setup(stores)
    runners: list[web.AppRunner] = []
    links: list[FaultyLink] = []
    stop = asyncio.Event()
    tasks: list[asyncio.Task[None]] = []
    replicators: list[PullReplicator] = []
    session = aiohttp.ClientSession()
    try:
        ports = []
        for store in stores:
            runner = web.AppRunner(make_app(store), access_log=None)
            await runner.setup()
            await web.TCPSite(runner, "127.0.0.1", 0).start()
            runners.append(runner)
            ports.append(runner.addresses[0][1])
        for i, store in enumerate(stores):
            for j in range(count):
                if i == j:
                    continue
                link = FaultyLink("127.0.0.1", ports[j], random.Random(rng.random()))
                await link.start()
                links.append(link)
                replicator = PullReplicator(store, f"http://127.0.0.1:{link.port}", session,
                                            batch_size=rng.choice([5, 50, 200]),
                                            longpoll_seconds=1.0, rng=random.Random(rng.random()))
                replicators.append(replicator)
                tasks.append(asyncio.create_task(replicator.run(stop, max_backoff=0.5)))
        for step in range(steps):
            action = rng.random()
            if action < 0.25:
                for link in rng.sample(links, max(1, len(links) // 3)):
                    link.set_state(rng.choice(list(LinkState)))
            elif action < 0.4:  # the same document edited on two nodes at once
                doc_id = rng.choice(SHARED_IDS)
                for store in rng.sample(stores, 2):
                    _edit(store, doc_id, rng, step)
            elif action < 0.58:
                member = rng.randint(1, 8)
                store = rng.choice(stores)
                doc_id = f"signin:m1:{member}"
                if not store.exists(doc_id):
                    store.put({"_id": doc_id, "member": str(member),
                               "at": f"2026-11-25T14:{rng.randint(0, 59):02d}"})
            elif action < 0.78:
                node = rng.randrange(count)
                _supply_event(stores[node], supplies[id(stores[node])], rng, f"node{node}")
            elif action < 0.86:
                node = rng.randrange(count)
                _count(stores[node], supplies[id(stores[node])], rng, f"node{node}")
            elif action < 0.93:
                _series_edit(rng.choice(stores), rng)
            else:
                _edit(rng.choice(stores), rng.choice(SHARED_IDS), rng, step)
            await asyncio.sleep(rng.uniform(0, 0.05))
        for link in links:
            link.set_state(LinkState.UP)
        converged, detail = await _wait_converged(stores, derivations, heal_seconds)
        if not converged:  # say which pulls were stuck, and why, so the seed can be diagnosed
            dead = [task for task in tasks if task.done()]
            states = "; ".join(f"{r.peer_url}: {r.status.state} {r.status.last_error}"
                               for r in replicators if r.status.state != "idle")
            detail += f" | {len(dead)} replicator tasks ended | not idle: {states or 'none'}"
        states = revision_state(stores[0])
        return ScenarioResult(seed, count, steps, converged, len(states),
                              sum(1 for _, conflicts in states.values() if conflicts),
                              time.perf_counter() - started,
                              refused=sum(link.stats.refused for link in links),
                              cut=sum(link.stats.cut for link in links), detail=detail)
    finally:
        stop.set()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await session.close()
        for link in links:
            await link.stop()
        for runner in runners:
            await runner.cleanup()
        for store in stores:
            store.close()


async def _wait_converged(stores: list[DocumentStore], derivations: dict[str, Derivation],
                          seconds: float) -> tuple[bool, str]:
    deadline = time.monotonic() + seconds
    while True:
        states = [revision_state(store) for store in stores]
        if all(state == states[0] for state in states):
            derived = {name: [derive(store) for store in stores]
                       for name, derive in derivations.items()}
            different = [name for name, values in derived.items()
                         if any(value != values[0] for value in values)]
            if not different:
                return True, ""
            if time.monotonic() > deadline:
                return False, f"derived state differs: {', '.join(different)}"
        elif time.monotonic() > deadline:
            return False, "revision states differ after healing"
        await asyncio.sleep(0.1)
