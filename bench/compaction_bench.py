"""Put latency across compactions: background compaction vs the old inline one, same run.

One store is filled to ``size`` documents and copied; each copy then takes durable puts until
at least two compactions have finished, once with the compaction in a background thread and
once inline (inside the write that crosses the threshold, as before). The threshold is forced
down (1 MiB or 2 % of the snapshot) so the run crosses two compactions in seconds rather than
hundreds of thousands of puts; each compaction still rewrites the whole snapshot.
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from store import DocumentStore

from .store_bench import fill_ours, percentile, sample_doc
from .table import BenchRow

SIZES = (200_000, 1_000_000)  # the today and its ten-years office
COMPACTIONS = 2
MAX_PUTS = 200_000
TARGET_MAX_SECONDS = 0.050


def time_puts(directory: Path, size: int, *, background: bool) -> tuple[list[float], int]:
    """Put latencies until ``COMPACTIONS`` compactions have finished, and how many did."""
    finished: list[str] = []
    samples: list[float] = []
    with DocumentStore.open(directory, compact_min_bytes=1024 * 1024, compact_ratio=0.02,
                            background_compaction=background,
                            on_compaction_step=lambda step: step == "done" and finished.append(step)
                            ) as store:
        for n in range(size, size + MAX_PUTS):
            doc = {"_id": f"signin:{n}", **sample_doc(n)}
            started = time.perf_counter()
            store.put(doc)
            samples.append(time.perf_counter() - started)
            if len(finished) >= COMPACTIONS:
                break
    return samples, len(finished)


def describe(samples: list[float], compactions: int) -> str:
    slow = sum(sample >= TARGET_MAX_SECONDS for sample in samples)
    return (f"{statistics.median(samples) * 1e3:.2f} / {percentile(samples, 0.99) * 1e3:.2f} / "
            f"{max(samples) * 1e3:.0f} ms over {len(samples)} puts, {compactions} compactions, "
            f"{slow} puts >= {TARGET_MAX_SECONDS * 1e3:.0f} ms")


def benchmarks(sizes: tuple[int, ...] = SIZES) -> list[BenchRow]:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            filled = Path(tmp) / f"filled-{size}"
            fill_ours(filled, size)
            results = {}
            for background in (True, False):
                copy = Path(tmp) / f"run-{size}-{background}"
                shutil.copytree(filled, copy)
                results[background] = time_puts(copy, size, background=background)
                shutil.rmtree(copy)
            ours, ours_count = results[True]
            inline, inline_count = results[False]
            rows.append(BenchRow(
                f"put p50 / p99 / max across compactions @ {size // 1000}k docs",
                describe(ours, ours_count), "inline compaction " + describe(inline, inline_count),
                f"max < {TARGET_MAX_SECONDS * 1e3:.0f} ms, >= {COMPACTIONS} compactions",
                max(ours) < TARGET_MAX_SECONDS and ours_count >= COMPACTIONS,
            ))
            shutil.rmtree(filled)
    return rows


if __name__ == "__main__":
    for row in benchmarks(tuple(int(arg) for arg in sys.argv[1:]) or SIZES):
        print(" | ".join(row.cells()))
