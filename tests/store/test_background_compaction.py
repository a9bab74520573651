"""Compaction runs beside the writer: puts never wait for it, and a crash at any step loses nothing."""

from __future__ import annotations

import gc
import json
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from store import DocumentStore

ROOT = Path(__file__).resolve().parents[2]
WAIT = 60  # seconds; a deadline for a loaded machine, not a timing assertion


def journals(data_dir: Path) -> list[str]:
    return sorted(path.name for path in (data_dir / "db").glob("journal-*"))


def held_at_written() -> tuple[threading.Event, threading.Event, Callable[[str], None]]:
    """A compaction step hook that holds a background compaction once its snapshot is written:
    ``holding`` is set when it waits there, setting ``release`` lets it finish."""
    holding = threading.Event()
    release = threading.Event()

    def on_step(step: str) -> None:
        if step == "written" and threading.current_thread() is not threading.main_thread():
            holding.set()
            release.wait()

    return holding, release, on_step


def put_until(holding: threading.Event, store: DocumentStore, serial: int) -> int:
    """Put numbered sign-ins after ``serial`` until a compaction holds; the last number."""
    for serial in range(serial + 1, serial + 10_000):
        store.put({"_id": f"signin:{serial}", "pad": "x" * 200})
        if holding.is_set():
            return serial
    raise AssertionError("no compaction started")


def test_puts_complete_while_a_compaction_is_held(tmp_path: Path) -> None:
    holding, release, on_step = held_at_written()
    with DocumentStore.open(tmp_path, compact_min_bytes=4096, on_compaction_step=on_step) as store:
        try:
            held_at = put_until(holding, store, 0)
            for serial in range(held_at + 1, held_at + 201):  # several thresholds' worth
                store.put({"_id": f"signin:{serial}", "pad": "x" * 200})
            assert len(journals(tmp_path)) == 2  # the old generation waits for its snapshot
            assert (tmp_path / "db" / "snapshot.tmp").exists()
        finally:
            release.set()
        store.wait_for_compaction()
        assert len(journals(tmp_path)) == 1
    with DocumentStore.open(tmp_path) as store:
        assert store.doc_count == held_at + 200


@pytest.mark.usefixtures("platform_mode")
@pytest.mark.parametrize("step", ["switched", "written", "replaced", "done"])
def test_a_crash_at_each_step_of_a_compaction_loses_no_acknowledged_write(
        tmp_path: Path, step: str) -> None:
    child = subprocess.run(
        [sys.executable, "-m", "bench.compaction_crash_writer", str(tmp_path), "--step", step],
        cwd=ROOT, capture_output=True, text=True, timeout=WAIT, check=False,
    )
    assert child.returncode < 0, child.stderr  # killed, as planned
    acked = [json.loads(line) for line in child.stdout.splitlines() if line.endswith("}")]
    assert len(acked) > 5
    if step in ("written", "replaced"):
        assert len(journals(tmp_path)) == 2  # the crash really came mid-compaction
    for _ in range(2):  # as found after the crash, then once more after a full compaction
        with DocumentStore.open(tmp_path) as store:
            for ack in acked:
                assert store.get(ack["id"])["_rev"] == ack["rev"]
            store.compact()
        assert len(journals(tmp_path)) == 1


def test_the_collector_never_walks_the_loaded_store_or_the_frozen_copy(tmp_path: Path) -> None:
    """At 1M documents one young-generation pass over either costs ~0.1 s inside some put.

    Both are new containers holding every record: the tables just loaded, and the copy a
    compaction writes its snapshot from. They stay out of the collector (``gc.freeze``) until
    the snapshot is written or the store closes, when they become ordinary old objects again.
    """
    with DocumentStore.open(tmp_path) as store:
        store.bulk_put([{"_id": f"signin:{n}", "pad": "x" * 200} for n in range(2_000)])
    assert gc.get_freeze_count() == 0
    holding, release, on_step = held_at_written()
    with DocumentStore.open(tmp_path, compact_min_bytes=4096, compact_ratio=0.0,
                            on_compaction_step=on_step) as store:
        assert gc.get_freeze_count() >= 2_000
        try:
            serial = put_until(holding, store, 2_000)
            assert gc.get_freeze_count() >= serial  # the copy being written, every record
        finally:
            release.set()
        store.wait_for_compaction()
        assert gc.get_freeze_count() == 0
    assert gc.get_freeze_count() == 0
