"""``make bench``: every area's benchmarks in one table, each beside a same-run baseline.

``python -m bench`` runs all suites; ``python -m bench store sync`` runs the named ones;
``python -m bench chaos`` and ``python -m bench soak`` run the reliability harness;
``python -m bench monkey [WALK]`` replays the monkey's long walks alone.
"""

from __future__ import annotations

import importlib
import sys
import time
import traceback

from tui.cli import pypinyin_defaults

from .table import BenchRow, render

SUITES = {
    "store": "bench.store_bench:benchmarks",
    "compaction": "bench.compaction_bench:benchmarks",
    "sync": "bench.sync_bench:benchmarks",
    "hub": "bench.hub_bench:benchmarks",
    "booking": "bench.booking_bench:benchmarks",
    "meetings": "bench.meetings_bench:benchmarks",
    "supplies": "bench.supplies_bench:benchmarks",
    "stocktake": "bench.stocktake_bench:benchmarks",
    "dashboard": "bench.dashboard_bench:benchmarks",
    "archive": "bench.archive_bench:benchmarks",
    "directory": "bench.directory_bench:benchmarks",
    "kiosk": "bench.kiosk_bench:benchmarks",
    "documents": "bench.documents_bench:benchmarks",
    "desk": "bench.desk_bench:benchmarks",
    "bundle": "bench.bundle_bench:benchmarks",
}
HARNESS = {
    "chaos": "bench.chaos:main",
    "soak": "bench.soak:main",
    "monkey": "bench.monkey:main",
}


def _load(spec: str):  # type: ignore[no-untyped-def]
    module, function = spec.split(":")
    return getattr(importlib.import_module(module), function)


def run_suites(names: list[str]) -> list[BenchRow]:
    rows: list[BenchRow] = []
    for name in names:
        started = time.perf_counter()
        print(f"running {name} benchmarks…", file=sys.stderr, flush=True)
        try:
            rows.extend(_load(SUITES[name])())
        except Exception as error:
            traceback.print_exc()
            rows.append(BenchRow(f"{name}: failed to run", type(error).__name__, "-", "-", False))
        print(f"  {name}: {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
    return rows


def main(argv: list[str]) -> int:
    pypinyin_defaults()  # the product as mishu's entry point runs it (its phrases: ~0.3 s, 42 MB)
    if argv and argv[0] in HARNESS:
        return int(_load(HARNESS[argv[0]])(argv[1:]) or 0)
    unknown = [name for name in argv if name not in SUITES]
    if unknown:
        print(f"unknown suite(s): {', '.join(unknown)}; choose from {', '.join(SUITES)}",
              file=sys.stderr)
        return 2
    rows = run_suites(argv or list(SUITES))
    print(render(rows))
    return 0 if all(row.ok for row in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
