"""Sign-in kiosk latency: scanner Enter → green result on screen, with 2 000 members in 200k docs.

Measured inside ``App.run_test()`` with a Pilot, as the door kiosk runs: each badge token is
typed key by key, then the time from Enter until the result panel shows the member's name is
taken (the sign-in document is written, fsynced, and the header count refreshed in that time).
The baseline is the same kiosk finding the member the obvious way, by reading every member
document in the store for each scan, measured in the same run on the same store.
A second pair of rows queues 100 scans at once (keys sent without waiting) and checks that
every one becomes a sign-in. A third queues 100 scans from a reader that sends no Enter: 5 ms
between keys and 300 ms between badges by the keys' own timestamps, all handed over at once, as
a kiosk that was busy finds them; none may be lost or glued to the next.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from textual import events

from kiosk.signin_app import SigninKiosk
from store import DocumentStore
from store.meetings import Meeting, SignIn
from store.members import Member
from tui.context import AppContext
from tui.i18n import Translator
from tui.settings import Settings

from .table import BenchRow

MEMBERS = 2_000
TOTAL_DOCS = 200_000
OLD_MEETINGS = 400
SCANS = 500
BASELINE_SCANS = SCANS
QUEUED = 100
TARGET_MS = 200.0


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def fill(store: DocumentStore) -> list[Member]:
    members = [Member(f"2026{n:05d}", f"成员{n}", f"部门{n % 9}", qr_token=f"M{n * 104729:016X}")
               for n in range(MEMBERS)]
    roster = tuple(m.member_id for m in members)
    docs: list[dict[str, object]] = [{"_id": m.doc_id, **m.to_fields()} for m in members]
    for number in range(5):
        docs.append(Meeting(f"meeting:bench{number}", f"全体大会{number}", "2026-11-25T09:00",
                            "2026-11-25T11:00", "A", roster=roster).to_doc())
    for number in range(OLD_MEETINGS):
        docs.append(Meeting(f"meeting:old{number}", "例会", "2026-10-01T09:00", "2026-10-01T10:00",
                            roster=roster[:300]).to_doc())
    filler = TOTAL_DOCS - len(docs)
    for n in range(filler // 2):  # half: old sign-ins, half: other areas' facts
        docs.append(SignIn(f"meeting:old{n % OLD_MEETINGS}", roster[n % 300 + n // 120_000],
                           "2026-10-01T08:55", "door").to_doc())
    for n in range(TOTAL_DOCS - len(docs)):
        docs.append({"_id": f"stockmove:{n:08x}", "item": f"item:{n % 500}", "qty": -1,
                     "at": "2026-10-01T08:55", "by": roster[n % MEMBERS]})
    for start in range(0, len(docs), 5_000):
        store.bulk_put(docs[start:start + 5_000])
    return members


class ScanAllMembersKiosk(SigninKiosk):
    """The baseline: no directory index, every member document read on every scan."""

    def find_member(self, text: str) -> tuple[Member, str] | None:
        for doc in self.ctx.store.iter_docs("member"):
            if doc.get("qr_token") == text:
                return Member.from_doc(doc), "badge"
        return None


def send_keys(app: SigninKiosk, keys: list[str], times: list[float] | None = None) -> None:
    """Keys as a USB scanner delivers them: straight into the driver's queue, no pauses
    (stamped with ``times`` when given, as a reader's keys that arrived while the kiosk was busy)."""
    driver = app._driver
    assert driver is not None
    for number, key in enumerate(keys):
        event = events.Key(key, key if len(key) == 1 else "\r")
        if times is not None:
            event.time = times[number]
        event.set_sender(app)
        driver.send_message(event)


async def until(condition: Callable[[], bool], seconds: float = 30.0) -> bool:
    deadline = time.perf_counter() + seconds
    while not condition():
        if time.perf_counter() > deadline:
            return False
        await asyncio.sleep(0)
    return True


async def timed_scans(app: SigninKiosk, members: list[Member]) -> list[float]:
    """Enter → the member's name in the result panel, per scan, in milliseconds."""
    samples = []
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for member in members:
            send_keys(app, list(member.qr_token))
            await until(lambda: app.keys.text == member.qr_token)
            started = time.perf_counter()
            send_keys(app, ["enter"])
            await until(lambda: member.name in app.result.detail)
            samples.append((time.perf_counter() - started) * 1000)
    return samples


async def queued_scans(app: SigninKiosk, members: list[Member], meeting_id: str) -> tuple[int, float]:
    """Every scan queued at once; how many became sign-ins, and how long that took."""
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        started = time.perf_counter()
        send_keys(app, [key for member in members for key in (*member.qr_token, "enter")])
        await until(lambda: app.attendance.count(meeting_id)[0] >= len(members), 60.0)
        return app.attendance.count(meeting_id)[0], time.perf_counter() - started


async def queued_reader_scans(app: SigninKiosk, members: list[Member],
                              meeting_id: str) -> tuple[int, int, float]:
    """Bursts with no Enter, all queued: (sign-ins, scans answered, seconds)."""
    keys = [key for member in members for key in member.qr_token]
    start, times = time.monotonic(), []
    for number, member in enumerate(members):
        times.extend(start + number * 0.3 + key * 0.005 for key in range(len(member.qr_token)))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        started = time.perf_counter()
        send_keys(app, keys, times)
        await until(lambda: app.attendance.count(meeting_id)[0] >= len(members), 60.0)
        return (app.attendance.count(meeting_id)[0], app.scans_handled,
                time.perf_counter() - started)


def make_app(kind: type[SigninKiosk], store: DocumentStore, meeting: str) -> SigninKiosk:
    ctx = AppContext(settings=Settings(), store=store, i18n=Translator("zh"),
                     clock=lambda: datetime(2026, 11, 25, 9, 1))
    return kind(ctx, meeting)


def benchmarks() -> list[BenchRow]:
    with tempfile.TemporaryDirectory() as tmp:
        with DocumentStore.open(Path(tmp) / "data") as store:
            members = fill(store)
            ours = asyncio.run(timed_scans(make_app(SigninKiosk, store, "bench0"),
                                           members[:SCANS]))
            baseline = asyncio.run(timed_scans(make_app(ScanAllMembersKiosk, store, "bench1"),
                                               members[:BASELINE_SCANS]))
            queued = members[SCANS:SCANS + QUEUED]
            done, seconds = asyncio.run(queued_scans(make_app(SigninKiosk, store, "bench2"),
                                                     queued, "meeting:bench2"))
            base_done, base_seconds = asyncio.run(queued_scans(
                make_app(ScanAllMembersKiosk, store, "bench3"), queued, "meeting:bench3"))
            readers = members[SCANS + QUEUED:SCANS + 2 * QUEUED]
            read, answered, read_seconds = asyncio.run(queued_reader_scans(
                make_app(SigninKiosk, store, "bench4"), readers, "meeting:bench4"))
    p99, base_p99 = percentile(ours, 0.99), percentile(baseline, 0.99)
    return [
        BenchRow(f"kiosk scan → green, p99 ({SCANS} scans, {MEMBERS} members, 200k docs)",
                 f"{p99:.1f} ms (median {percentile(ours, 0.5):.1f})",
                 f"{base_p99:.1f} ms scanning members ({BASELINE_SCANS} scans)",
                 f"< {TARGET_MS:.0f} ms", p99 < TARGET_MS),
        BenchRow(f"{QUEUED} queued scans, none lost", f"{done}/{QUEUED} in {seconds:.2f} s",
                 f"{base_done}/{QUEUED} in {base_seconds:.2f} s", f"{QUEUED}/{QUEUED}",
                 done == QUEUED),
        BenchRow(f"{QUEUED} queued scans without Enter, none lost or glued",
                 f"{read}/{QUEUED} signed in, {answered} answers in {read_seconds:.2f} s",
                 f"{done}/{QUEUED} with Enter", f"{QUEUED}/{QUEUED}, {QUEUED} answers",
                 read == answered == QUEUED),
    ]


if __name__ == "__main__":
    from .table import render

    print(render(benchmarks()))
