"""Records loaded from the snapshot stay on disk behind a stand-in, and read back whole.

At a million documents the whole records held in memory were ~210 MB of the store's ~400 MB;
a stand-in (seq, flags and where the line is) is about 64 bytes. These tests hold the
stand-ins to reading exactly what was written, through compactions running beside writes, and
to letting go of the snapshots they no longer name.
"""

from __future__ import annotations

import os
from pathlib import Path

from store import DocumentStore
from store.platform import Kind, Platform
from store.records import COLD

from .test_background_compaction import held_at_written, put_until


def doc(n: int, round_: int = 0) -> dict[str, object]:
    return {"_id": f"signin:m1:{n:05d}", "name": "张三丰\t[/]", "round": round_, "pad": "x" * 120}


def held(store: DocumentStore, doc_id: str) -> bytes:
    """The docs table's record for ``doc_id`` as it is in memory."""
    return store._storage.live_table("docs")[doc_id]


def snapshot_descriptors() -> list[str]:
    """Where this process's open descriptors on snapshot files lead (deleted ones marked)."""
    links = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if "/db/snapshot" in target:
            links.append(target)
    return links


def test_a_reopened_store_holds_stand_ins_and_reads_them_back_whole(tmp_path: Path) -> None:
    with DocumentStore.open(tmp_path) as store:
        revs = {n: store.put(doc(n)) for n in range(50)}
        store.delete("signin:m1:00007", revs[7])
        store.compact()
    with DocumentStore.open(tmp_path) as store:
        stand_in = held(store, "signin:m1:00003")
        assert stand_in.endswith(COLD) and len(stand_in) < 80 and b"pad" not in stand_in
        assert store.get("signin:m1:00003") == {**doc(3), "_rev": revs[3]}
        assert not store.exists("signin:m1:00007") and store.doc_count == 49
        assert [row["id"] for row in store.changes()[0]][-1] == "signin:m1:00007"
        rev = store.put({**doc(3, round_=1), "_rev": revs[3]})  # an edit of a stand-in
        assert store.get("signin:m1:00003")["round"] == 1
        assert store.revision_tree("signin:m1:00003")[rev].parent == revs[3]


def test_records_written_during_a_compaction_stay_whole_and_the_rest_move_to_it(
        tmp_path: Path) -> None:
    holding, release, on_step = held_at_written()
    with DocumentStore.open(tmp_path, compact_min_bytes=8192, on_compaction_step=on_step) as store:
        try:
            last = put_until(holding, store, 0)
            edited = {serial: store.put({"_id": f"signin:{serial}", "_rev": store.get(
                f"signin:{serial}")["_rev"], "edited": True}) for serial in (1, 2, last)}
        finally:
            release.set()
        store.wait_for_compaction()
        assert not held(store, "signin:1").endswith(COLD)  # replaced while it was written
        assert held(store, "signin:3").endswith(COLD)  # untouched: now on the new snapshot
        for serial in range(1, last + 1):
            got = store.get(f"signin:{serial}")
            assert got.get("edited", False) == (serial in edited), serial
    with DocumentStore.open(tmp_path) as store:
        assert store.get("signin:2")["_rev"] == edited[2]
        assert store.doc_count == last


def test_older_snapshots_are_let_go_a_compaction_later(tmp_path: Path) -> None:
    with DocumentStore.open(tmp_path) as store:
        for round_ in range(4):
            store.bulk_put([doc(n, round_) | ({"_rev": store.get(doc(n)["_id"])["_rev"]}
                                              if round_ else {}) for n in range(200)])
            store.compact()
            assert len(snapshot_descriptors()) <= 2  # the current one, one kept a compaction
        assert store.get("signin:m1:00199")["round"] == 3
    assert snapshot_descriptors() == []


def test_on_windows_every_record_stays_whole(tmp_path: Path) -> None:
    """Windows cannot rename a new snapshot over one a descriptor holds open."""
    windows = Platform(Kind.WINDOWS)
    with DocumentStore.open(tmp_path, platform=windows) as store:
        store.put(doc(1))
        store.compact()
    with DocumentStore.open(tmp_path, platform=windows) as store:
        assert b"pad" in held(store, "signin:m1:00001")
        assert store.get("signin:m1:00001")["name"] == "张三丰\t[/]"
