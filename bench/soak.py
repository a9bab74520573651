"""``make soak``: two nodes replicating for 10 minutes under a steady write load.

Every few seconds it samples memory (RSS), open file descriptors and replication lag (how long
the newest write on A takes to show on B). Passes when memory and descriptors stay flat
(second half within 10 % / a few descriptors of the first half's peak), lag stays under 1 s,
and nothing was logged at ERROR.
"""

from __future__ import annotations

import asyncio
import logging
import os
import statistics
import tempfile
import time
from pathlib import Path

from store import DocumentStore

from .loopback_nodes import start_loopback_nodes

DURATION = 600.0
WRITES_PER_SECOND = 20


def rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


class ErrorCounter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


async def soak(duration: float, work: Path) -> int:
    errors = ErrorCounter()
    logging.getLogger().addHandler(errors)
    with DocumentStore.open(work / "a") as a, DocumentStore.open(work / "b") as b:
        nodes = await start_loopback_nodes([a, b])
        nodes[0].add_peer(f"http://127.0.0.1:{nodes[1].port}")
        nodes[1].add_peer(f"http://127.0.0.1:{nodes[0].port}")
        samples: list[tuple[float, float, int, float]] = []
        started = time.monotonic()
        written = 0
        try:
            while time.monotonic() - started < duration:
                for _ in range(WRITES_PER_SECOND // 4):
                    writer = a if written % 2 == 0 else b
                    writer.put({"_id": f"signin:soak-{written}", "n": written, "pad": "签到" * 40})
                    written += 1
                probe = f"signin:probe-{written}"
                sent = time.monotonic()
                a.put({"_id": probe})
                while not b.exists(probe):
                    await asyncio.sleep(0.002)
                lag = time.monotonic() - sent
                samples.append((time.monotonic() - started, rss_mb(), open_fds(), lag))
                await asyncio.sleep(0.25)
        finally:
            for node in nodes:
                await node.stop()
    half = len(samples) // 2
    first, second = samples[:half], samples[half:]
    rss_flat = max(s[1] for s in second) <= max(s[1] for s in first) * 1.10 + 5
    fds_flat = max(s[2] for s in second) <= max(s[2] for s in first) + 4
    lags = [s[3] for s in samples]
    lag_ok = max(lags) < 1.0
    print(f"soak {duration:.0f} s: {written} writes, RSS {first[0][1]:.0f}→{samples[-1][1]:.0f} MB"
          f" (flat: {rss_flat}), fds {first[0][2]}→{samples[-1][2]} (flat: {fds_flat}), lag p50 "
          f"{statistics.median(lags) * 1e3:.1f} ms max {max(lags) * 1e3:.1f} ms, "
          f"errors logged {errors.count}")
    return 0 if rss_flat and fds_flat and lag_ok and errors.count == 0 else 1


def main(argv: list[str]) -> int:
    duration = float(argv[0]) if argv else DURATION
    with tempfile.TemporaryDirectory() as tmp:
        return asyncio.run(soak(duration, Path(tmp)))
