"""Compaction runs beside the writer: puts never wait for it, and a crash at any step loses nothing."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from store import DocumentStore

ROOT = Path(__file__).resolve().parents[2]
WAIT = 60  # seconds; a deadline for a loaded machine, not a timing assertion


def journals(data_dir: Path) -> list[str]:
    return sorted(path.name for path in (data_dir / "db").glob("journal-*"))


def test_puts_complete_while_a_compaction_is_held(tmp_path: Path) -> None:
    holding = threading.Event()
    release = threading.Event()

    def on_step(step: str) -> None:
        if step == "written" and threading.current_thread() is not threading.main_thread():
            holding.set()
            release.wait()

    with DocumentStore.open(tmp_path, compact_min_bytes=4096, on_compaction_step=on_step) as store:
        try:
            serial = 0
            while not holding.is_set():
                serial += 1
                store.put({"_id": f"signin:{serial}", "pad": "x" * 200})
                assert serial < 10_000, "no compaction started"
            held_at = serial
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
