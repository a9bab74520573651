"""The monkey test: random keys through every screen of the secretary app and both kiosks, at
80×24 and 120×40, in zh and en, on the hostile-data fixture. Nothing may be reported or crash,
a kiosk must still run, and the store must open afterwards.

A failure names its walk and seed; replay it with ``MISHU_MONKEY_SEED=<seed>`` (and
``MISHU_MONKEY_KEYS`` for a longer walk) and ``-k`` with the walk's id.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from bench.hostile_data import fill_hostile
from bench.monkey import SECRETARY, Walk, area_and_quota, run_walk, short_walks
from store import DocumentStore

from ..conftest import FIXED_NOW

SEED = int(os.environ.get("MISHU_MONKEY_SEED", "2026"))
KEYS = os.environ.get("MISHU_MONKEY_KEYS")
SECRETARY_KEYS, KIOSK_KEYS = 30, 12  # a short walk: the whole test stays under a minute
WALKS = short_walks(SEED, 0)


@pytest.fixture(scope="module")
def hostile_office(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("hostile") / "data"
    with DocumentStore.open(data) as store:
        fill_hostile(store, today=FIXED_NOW.date())
    return data


def walk_id(walk: Walk) -> str:
    return f"{walk.target}-{walk.size[0]}x{walk.size[1]}-{walk.language}"


@pytest.mark.parametrize("walk", WALKS, ids=[walk_id(w) for w in WALKS])
async def test_random_keys_break_nothing(walk: Walk, hostile_office: Path, tmp_path: Path
                                         ) -> None:
    keys = int(KEYS) if KEYS else SECRETARY_KEYS if walk.target == SECRETARY else KIOSK_KEYS
    walk = Walk(walk.target, walk.areas, walk.size, walk.language, walk.seed, keys)
    print(walk.describe())
    result = await run_walk(walk, hostile_office, tmp_path)
    print(f"keys sent {result.keys_sent}, screens {sorted(result.screens)}, "
          f"restarts {result.restarts}")
    assert not result.errors, f"{walk.describe()}:\n" + "\n".join(result.errors)
    assert result.still_running, f"{walk.describe()}: the kiosk stopped"
    assert result.store_opens, f"{walk.describe()}: the store does not open after the walk"


@pytest.mark.parametrize("areas", range(1, 12))
def test_every_area_gets_keys_and_the_walk_always_moves_on(areas: int) -> None:
    """Before: with eight areas and 30 keys the first quota (3) was already reached by the
    third key, so the walk switched areas forever without pressing one (a 300 s timeout)."""
    names = [f"area{number}" for number in range(areas)]
    for keys in range(1, 120):
        sent, visited = 0, set()
        while sent < keys:
            area, quota = area_and_quota(sent, names, keys)
            assert quota > sent, (areas, keys, sent)
            visited.add(area)
            sent = quota
        assert len(visited) == min(areas, keys)


async def test_the_door_walk_runs_when_the_hostile_data_deleted_the_demo_door(
        hostile_office: Path, tmp_path: Path) -> None:
    """Before: the hostile data deletes the first booking's room; when that was 报告厅 (booking
    ids are random) the door walk could not start (KeyError: 'room:hall')."""
    office = tmp_path / "office"
    shutil.copytree(hostile_office, office)
    with DocumentStore.open(office) as store:
        hall = store.get("room:hall")
        if hall is not None:
            store.delete("room:hall", hall["_rev"])
    walk = Walk("room", (), (80, 24), "zh", SEED, 3)
    result = await run_walk(walk, office, tmp_path / "walk")
    assert not result.errors and result.keys_sent == 3
