"""The fault-injecting proxy the partition scenarios rely on really does what it says."""

from __future__ import annotations

import random

import aiohttp
import pytest
from aiohttp import web

from bench.faulty_link import FaultyLink, LinkState


@pytest.fixture
async def echo_server():
    async def big(request: web.Request) -> web.Response:
        return web.Response(body=b"x" * 200_000)

    app = web.Application()
    app.router.add_get("/big", big)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    yield runner.addresses[0][1]
    await runner.cleanup()


async def fetch(port: int) -> int:
    timeout = aiohttp.ClientTimeout(total=5)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        async with session.get(f"http://127.0.0.1:{port}/big") as response:
            return len(await response.read())


async def test_up_forwards_down_refuses_and_flaky_cuts(echo_server: int) -> None:
    link = FaultyLink("127.0.0.1", echo_server, random.Random(1), cut_probability=1.0,
                      drop_probability=0.0)
    port = await link.start()
    try:
        assert await fetch(port) == 200_000
        link.set_state(LinkState.DOWN)
        with pytest.raises(aiohttp.ClientError):
            await fetch(port)
        assert link.stats.refused >= 1  # aiohttp retries an idempotent request once
        link.set_state(LinkState.FLAKY)
        with pytest.raises(aiohttp.ClientError):
            await fetch(port)  # every response is cut somewhere in its first 4 KiB
        assert link.stats.cut >= 1
        link.set_state(LinkState.UP)
        assert await fetch(port) == 200_000
    finally:
        await link.stop()
