"""Every write the store acknowledged survives SIGKILL at a random instant (≥ 50 kills)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bench.crash_loop import crash_loop, http_crash_loop

KILLS = 50
HTTP_KILLS = 15


@pytest.mark.usefixtures("platform_mode")
def test_acknowledged_writes_survive_sigkill(tmp_path: Path) -> None:
    seed = int(os.environ.get("MISHU_CRASH_SEED", "7"))
    report = crash_loop(tmp_path / "data", kills=KILLS, seed=seed)
    print(f"crash loop seed={seed}: {report.kills} kills, {report.acknowledged} acknowledged")
    assert report.kills == KILLS
    assert report.acknowledged > KILLS  # the writer really wrote between kills
    assert report.corrupt_stores == 0, report.failures
    assert report.lost == 0, report.failures


def test_writes_acknowledged_by_mishu_serve_survive_sigkill(tmp_path: Path) -> None:
    seed = int(os.environ.get("MISHU_CRASH_SEED", "7"))
    report = http_crash_loop(tmp_path / "data", kills=HTTP_KILLS, seed=seed)
    print(f"HTTP crash loop seed={seed}: {report.kills} kills, {report.acknowledged} acknowledged")
    assert report.kills == HTTP_KILLS and report.acknowledged > HTTP_KILLS
    assert report.corrupt_stores == 0, report.failures
    assert report.lost == 0, report.failures
