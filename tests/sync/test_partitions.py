"""20 seeded partition scenarios: after healing, every node agrees (issue: reliability)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bench.partitions import run_scenario

BASE_SEED = int(os.environ.get("MISHU_PARTITION_SEED", "1000"))


@pytest.mark.parametrize("offset", range(20))
async def test_nodes_converge_after_random_partitions(tmp_path: Path, offset: int) -> None:
    seed = BASE_SEED + offset
    result = await run_scenario(seed, tmp_path)
    print(f"seed={seed} nodes={result.nodes} docs={result.documents} "
          f"conflicts={result.conflicts} refused={result.refused} cut={result.cut} "
          f"{result.seconds:.1f}s")
    assert result.converged, f"seed {seed} did not converge: {result.detail} (replay with " \
                             f"MISHU_PARTITION_SEED={seed})"
