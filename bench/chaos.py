"""``make chaos``: the long reliability run, summarised in one table.

200 SIGKILLs of a writer using the store API (at least a quarter of them must land while a
background compaction is under way, seen as two journal generations on disk) plus 100 of
`mishu serve` while a client writes through its HTTP `_bulk_docs`, 500 randomized partition
scenarios, a full disk, thousands of hostile requests, forged membership documents, a minute
of abusive clients while a peer replicates, 20 SIGTERMs of `mishu serve` with a longpoll held,
and long monkey walks through every screen on a hostile office. Prints kills, acknowledged
writes, lost (must be 0), corrupt stores (must be 0), scenarios, converged (must be all), fuzz
cases and 5xx answers (must be 0), forged membership documents rejected (must be all; see
:mod:`bench.forged_membership`), the honest peer's lag under abuse (nothing missing), the
slowest stop (< 2 s), and keys sent, screens and crashes (must be 0). Replay a walk with
``MISHU_MONKEY_SEED=<chaos seed> python -m bench monkey <walk>``.
"""

from __future__ import annotations

import asyncio
import random
import sys
import tempfile
import time
from pathlib import Path

from aiohttp import web
from hypothesis import HealthCheck, given, settings

from store import DocumentStore
from sync.http_api import ApiLimits, make_app

from .abuse import run_abuse
from .crash_loop import CrashReport, crash_loop, http_crash_loop
from .disk_full import disk_full_scenario
from .forged_membership import forged_membership
from .fuzz_requests import HostileRequest, hostile_requests, send
from .monkey import monkey_chaos
from .partitions import run_scenario
from .shutdown import stop_with_longpoll

KILLS = 200  # store-API kills; half as many again through mishu serve
SCENARIOS = 500
FUZZ_CASES = 3000
FORGERY_ROUNDS = 50  # eleven forged membership documents and one planted invite each
ABUSE_SECONDS = 60.0
SHUTDOWN_RUNS = 20
MONKEY_KEYS = 300  # per walk; 32 walks


async def _fuzz(store: DocumentStore, cases: int) -> tuple[int, int, list[str]]:
    runner = web.AppRunner(make_app(store, ApiLimits(max_longpoll_seconds=1.0)))
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    port = runner.addresses[0][1]
    loop = asyncio.get_running_loop()
    sent, errors, examples = 0, 0, []

    @settings(max_examples=cases, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(request=hostile_requests)
    def one(request: HostileRequest) -> None:
        nonlocal sent, errors
        sent += 1
        try:
            status = asyncio.run_coroutine_threadsafe(send("127.0.0.1", port, request),
                                                      loop).result(timeout=15)
        except Exception as exc:
            status = 599
            examples.append(f"{request.describe()}: {type(exc).__name__}")
        if status >= 500:
            errors += 1
            examples.append(f"{request.describe()}: {status}")

    await asyncio.to_thread(one)
    await runner.cleanup()
    return sent, errors, examples[:5]


def main(argv: list[str]) -> int:
    kills = int(argv[0]) if argv else KILLS
    scenarios = int(argv[1]) if len(argv) > 1 else SCENARIOS
    seed = int(time.time())
    print(f"chaos seed {seed}", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        direct = crash_loop(work / "crash", kills=kills, seed=seed)
        served = http_crash_loop(work / "crash-http", kills=max(1, kills // 2), seed=seed)
        crash = CrashReport(direct.kills + served.kills, direct.acknowledged + served.acknowledged,
                            direct.lost + served.lost, direct.corrupt_stores + served.corrupt_stores,
                            direct.failures + served.failures,
                            direct.during_compaction + served.during_compaction)
        print(f"crash loops: {crash.kills} kills, {crash.lost} lost", flush=True)
        rng = random.Random(seed)
        converged = 0
        failures = []
        for index in range(scenarios):
            scenario_seed = rng.randrange(1 << 30)
            scenario_dir = work / f"scenario-{index}"
            scenario_dir.mkdir()
            result = asyncio.run(run_scenario(scenario_seed, scenario_dir))
            converged += result.converged
            if not result.converged:
                failures.append(f"seed {scenario_seed}: {result.detail}")
            if index % 50 == 49:
                print(f"partitions: {index + 1}/{scenarios}", flush=True)
        disk = disk_full_scenario(work)
        with DocumentStore.open(work / "fuzz") as store:
            store.put({"_id": "member:1", "name": "张三"})
            fuzz_cases, fuzz_5xx, fuzz_examples = asyncio.run(_fuzz(store, FUZZ_CASES))
        forgery = forged_membership(work / "forgery", FORGERY_ROUNDS)
        abuse = asyncio.run(run_abuse(work / "abuse", ABUSE_SECONDS))
        shutdowns = [stop_with_longpoll(work / f"shutdown-{n}") for n in range(SHUTDOWN_RUNS)]
        monkey = monkey_chaos(seed, MONKEY_KEYS, work / "monkey-walks")
    slowest_stop = max(run.seconds for run in shutdowns)
    compaction_kills_wanted = direct.kills // 4  # the 50 of 200
    stopped_cleanly = all(run.exit_code == 0 for run in shutdowns)
    rows = [("kills", crash.kills), ("acknowledged writes", crash.acknowledged),
            ("lost (must be 0)", crash.lost), ("corrupt stores (must be 0)", crash.corrupt_stores),
            (f"store-API kills during a background compaction (must be >= {compaction_kills_wanted})",
             f"{direct.during_compaction}/{direct.kills}"),
            ("mishu serve kills during a background compaction", served.during_compaction),
            ("partition scenarios", scenarios), ("converged (must be all)", converged),
            ("fuzz cases", fuzz_cases), ("5xx (must be 0)", fuzz_5xx),
            ("forged membership documents rejected (count)",
             f"{forgery.rejected}/{forgery.sent}" + ("" if forgery.ok else " NOT ALL")),
            ("monkey keys sent", monkey.keys_sent), ("monkey screens", monkey.screens),
            ("monkey crashes (must be 0)", monkey.crashes),
            ("full disk: clean error, nothing lost, resumed",
             "not run (needs root to mount a tmpfs)" if disk is None else disk.ok),
            ("abusive clients: honest peer's lag", abuse.summary()),
            ("abusive clients: answers", ", ".join(f"{n} × {what}"
                                                   for what, n in sorted(abuse.answers.items()))),
            (f"shutdown with a longpoll held, worst of {SHUTDOWN_RUNS} (must be < 2 s)",
             f"{slowest_stop:.2f} s" + ("" if stopped_cleanly else ", not all exited cleanly"))]
    width = max(len(name) for name, _ in rows)
    print("\n".join(f"{name.ljust(width)} | {value}" for name, value in rows))
    for line in crash.failures[:5] + failures[:5] + fuzz_examples + monkey.failures[:5]:
        print("  " + line, file=sys.stderr)
    ok = (crash.lost == 0 and crash.corrupt_stores == 0 and converged == scenarios
          and direct.during_compaction >= compaction_kills_wanted
          and fuzz_5xx == 0 and (disk is None or disk.ok) and forgery.ok
          and abuse.missing == 0 and slowest_stop < 2.0 and stopped_cleanly
          and monkey.crashes == 0)
    return 0 if ok else 1
