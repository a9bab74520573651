"""Hostile requests to every endpoint: never a 5xx, never a hang, store untouched by refusals.

The API is served as the loopback listener serves it (behind its password check), so hostile
``Authorization`` headers meet the check and every other case gets through to the handlers.
"""

from __future__ import annotations

import asyncio
import base64
import resource

import pytest
from aiohttp import web
from hypothesis import HealthCheck, given, settings

from bench.fuzz_requests import NON_ASCII_DIGITS, HostileRequest, hostile_requests, send
from store import DocumentStore
from sync.admin_listener import USER, basic_auth_middleware
from sync.http_api import ApiLimits, make_app

CASES = 300
PASSWORD = "fuzz-password"
AUTHORIZATION = b"Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode())


def journal_size(store: DocumentStore) -> int:
    return sum(path.stat().st_size for path in (store.data_dir / "db").iterdir())


async def serve(store: DocumentStore) -> tuple[web.AppRunner, int]:
    # longpoll waits are capped at 1 s here so a legitimate wait is not mistaken for a hang
    app = make_app(store, ApiLimits(max_longpoll_seconds=1.0),
                   middlewares=[basic_auth_middleware(PASSWORD)])
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    return runner, runner.addresses[0][1]


def test_hostile_requests(tmp_path) -> None:
    store = DocumentStore.open(tmp_path / "data")
    store.put({"_id": "member:1", "name": "张三"})
    store.put_local("checkpoint", {"seq": 1})

    async def scenario() -> tuple[int, list[str]]:
        runner, port = await serve(store)
        problems: list[str] = []
        cases = 0

        @settings(max_examples=CASES, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(request=hostile_requests)
        def one(request: HostileRequest) -> None:
            nonlocal cases
            cases += 1
            seq, size = store.update_seq, journal_size(store)
            try:
                status = asyncio.run_coroutine_threadsafe(
                    send("127.0.0.1", port, request, AUTHORIZATION), loop).result(timeout=15)
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
    assert problems == [], "\n".join(problems)
    assert growth_mb < 300


NAMED_CASES = [
    *((HostileRequest("GET", "/mishu/_changes", ((name, value),), None), 400)
      for name in ("since", "limit", "timeout", "heartbeat") for value in NON_ASCII_DIGITS),
    (HostileRequest("GET", "/mishu/_changes", (("since", "9" * 5000),), None), 400),
    (HostileRequest("GET", "/mishu/_all_docs", (("limit", "٣"),), None), 400),
    (HostileRequest("GET", "/mishu/_changes", (), None, raw_query=b"since=%FF%FE"), 400),
    (HostileRequest("GET", "/mishu/_changes", (), None, raw_query=b"since=%C2%B2"), 400),
    (HostileRequest("GET", "/mishu/_changes", (), None, raw_query=b"since=\xb2"), 400),
    (HostileRequest("GET", "/mishu/_all_docs", (), None, raw_query=b"keys=%FF"), 400),
    (HostileRequest("GET", "/mishu", (), None, headers=((b"Authorization", b"Basic \xff\xfe"),)),
     401),
    (HostileRequest("GET", "/mishu", (), None,
                    headers=((b"Authorization", "Basic 管理员".encode()),)), 401),
    (HostileRequest("GET", "/mishu", (), None, headers=((b"Authorization", b"\xed\xa0\x80"),)),
     401),
    (HostileRequest("GET", "/mishu", (), None, headers=((b"X-Anything", b"\xff"),)), 200),
    (HostileRequest("POST", "/mishu/_bulk_docs", (), b'{"docs": [{"_id": "member:\xff"}]}'), 400),
    (HostileRequest("POST", "/mishu/_revs_diff", (), '{"x:1": ["1-a"]}'.encode("utf-16")), 200),
    # bytes of a path that are not UTF-8 read as U+FFFD: an odd id, but a valid one
    *((HostileRequest("PUT", path, (), b'{"name": "x"}'), 201)
      for path in ("/mishu/member:%FF%FE", "/mishu/member:%ED%A0%80", "/mishu/_local/%ED%A0%80",
                   "/mishu/_local/%FF")),
    (HostileRequest("PUT", "/mishu/member:1", (), b'{"_id": "member:1", "n": "\\ud800"}'), 400),
]


@pytest.mark.parametrize(("request_case", "expected"), NAMED_CASES,
                         ids=[case.describe()[:60] for case, _ in NAMED_CASES])
def test_named_hostile_request_gets_a_clear_answer(tmp_path, request_case: HostileRequest,
                                                   expected: int) -> None:
    """The cases the issue names, each on its own so a failure says which one."""
    store = DocumentStore.open(tmp_path / "data")

    async def scenario() -> int:
        runner, port = await serve(store)
        try:
            return await send("127.0.0.1", port, request_case, AUTHORIZATION)
        finally:
            await runner.cleanup()

    try:
        status = asyncio.run(scenario())
    finally:
        store.close()
    assert status == expected
