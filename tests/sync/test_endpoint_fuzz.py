"""Hostile requests to every endpoint: never a 5xx, never a hang, store untouched by refusals."""

from __future__ import annotations

import asyncio
import resource

import aiohttp
from aiohttp import web
from hypothesis import HealthCheck, given, settings

from bench.fuzz_requests import HostileRequest, hostile_requests
from store import DocumentStore
from sync.http_api import ApiLimits, make_app

CASES = 300


def journal_size(store: DocumentStore) -> int:
    return sum(path.stat().st_size for path in (store.data_dir / "db").iterdir())


async def send(session: aiohttp.ClientSession, base: str, request: HostileRequest) -> int:
    async with session.request(request.method, base + request.path, params=request.query,
                               data=request.body, timeout=aiohttp.ClientTimeout(total=10)
                               ) as response:
        await response.read()
        return response.status


def test_hostile_requests(tmp_path) -> None:
    store = DocumentStore.open(tmp_path / "data")
    store.put({"_id": "member:1", "name": "张三"})
    store.put_local("checkpoint", {"seq": 1})

    async def scenario() -> tuple[int, list[str]]:
        # longpoll waits are capped at 1 s here so a legitimate wait is not mistaken for a hang
        runner = web.AppRunner(make_app(store, ApiLimits(max_longpoll_seconds=1.0)))
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        base = f"http://127.0.0.1:{runner.addresses[0][1]}"
        problems: list[str] = []
        cases = 0
        async with aiohttp.ClientSession() as session:

            @settings(max_examples=CASES, deadline=None, database=None,
                      suppress_health_check=list(HealthCheck))
            @given(request=hostile_requests)
            def one(request: HostileRequest) -> None:
                nonlocal cases
                cases += 1
                seq, size = store.update_seq, journal_size(store)
                try:
                    status = asyncio.run_coroutine_threadsafe(
                        send(session, base, request), loop).result(timeout=15)
                except Exception as exc:  # a hang or a dropped connection is a failure too
                    problems.append(f"{request.describe()}: {type(exc).__name__}")
                    return
                if status >= 500:
                    problems.append(f"{request.describe()}: HTTP {status}")
                if status >= 400 and (store.update_seq != seq or journal_size(store) != size):
                    problems.append(f"{request.describe()}: refused but the store changed")

            loop = asyncio.get_running_loop()
            await asyncio.to_thread(one)
        await runner.cleanup()
        return cases, problems

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    cases, problems = asyncio.run(scenario())
    growth_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024
    store.close()
    print(f"{cases} hostile requests, {len(problems)} problems, peak RSS grew {growth_mb:.0f} MB")
    assert cases >= CASES
    assert problems == []
    assert growth_mb < 300
