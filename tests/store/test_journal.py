"""Durability of the journaled storage: torn tails, damage, batches, compaction, full disks."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bench.disk_full import disk_full_scenario
from store import DocumentStore, StoreCorrupt, StoreWriteFailed
from store.journal import MISSING, JournalStorage

pytestmark = pytest.mark.usefixtures("platform_mode")  # every test on each OS's code path


def journal_file(data_dir: Path) -> Path:
    [path] = sorted((data_dir / "db").glob("journal-*"))
    return path


def write_some(data_dir: Path, count: int) -> None:
    with DocumentStore.open(data_dir) as store:
        for n in range(count):
            store.put({"_id": f"member:{n}", "n": n})


def test_torn_tail_is_cut_and_earlier_writes_survive(tmp_path: Path) -> None:
    write_some(tmp_path, 5)
    path = journal_file(tmp_path)
    with open(path, "ab") as handle:
        handle.write(b'0badc0de\tdocs\t"member:9"\t9\t1-abc')  # a write cut mid-line
    with DocumentStore.open(tmp_path) as store:
        assert store.doc_count == 5
        store.put({"_id": "member:5", "n": 5})
    with DocumentStore.open(tmp_path) as store:
        assert store.doc_count == 6


def test_damage_before_intact_records_is_refused(tmp_path: Path) -> None:
    write_some(tmp_path, 5)
    path = journal_file(tmp_path)
    data = bytearray(path.read_bytes())
    second_line = data.index(b"\n") + 1
    data[second_line + 12] ^= 0x01  # flip a bit inside an early record
    path.write_bytes(bytes(data))
    before = path.read_bytes()
    with pytest.raises(StoreCorrupt) as err:
        DocumentStore.open(tmp_path)
    assert "damaged" in str(err.value)
    assert path.read_bytes() == before  # refused, not "repaired" by truncation


def test_corrupt_snapshot_is_refused_not_emptied(tmp_path: Path) -> None:
    with DocumentStore.open(tmp_path) as store:
        store.put({"_id": "member:1", "name": "王五"})
        store.compact()
    snapshot = tmp_path / "db" / "snapshot"
    data = bytearray(snapshot.read_bytes())
    data[len(data) // 2] ^= 0x20
    snapshot.write_bytes(bytes(data))
    with pytest.raises(StoreCorrupt):
        DocumentStore.open(tmp_path)
    assert snapshot.read_bytes() == bytes(data)


def test_torn_batch_is_dropped_whole(tmp_path: Path) -> None:
    write_some(tmp_path, 2)
    with DocumentStore.open(tmp_path) as store:
        store.bulk_put([{"_id": f"item:{n}", "n": n} for n in range(10)])
    path = journal_file(tmp_path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 40])  # the batch's last line never reached the disk
    with DocumentStore.open(tmp_path) as store:
        assert store.doc_count == 2
        assert store.ids_of_type("item") == []


def test_compaction_folds_journal_into_snapshot(tmp_path: Path) -> None:
    with DocumentStore.open(tmp_path, compact_min_bytes=4096) as store:
        revs: dict[int, str] = {}
        for n in range(300):
            doc = {"_id": f"member:{n % 50}", "n": n}
            if n % 50 in revs:
                doc["_rev"] = revs[n % 50]
            revs[n % 50] = store.put(doc)
        seq = store.update_seq
    files = sorted(p.name for p in (tmp_path / "db").iterdir())
    assert "snapshot" in files and len([f for f in files if f.startswith("journal-")]) == 1
    with DocumentStore.open(tmp_path) as store:
        assert store.update_seq == seq and store.doc_count == 50
        assert store.get("member:49")["n"] == 299


def test_leftover_journal_from_an_interrupted_compaction_is_ignored(tmp_path: Path) -> None:
    with DocumentStore.open(tmp_path) as store:
        store.put({"_id": "member:1", "v": 1})
        store.compact()
        store.put({"_id": "member:2", "v": 2})
    old = tmp_path / "db" / "journal-0"
    old.write_text("garbage that a finished compaction already folded in\n")
    with DocumentStore.open(tmp_path) as store:
        assert store.doc_count == 2
    assert not old.exists()


class FailingStorage(JournalStorage):
    """Injects ENOSPC into the journal write, as a full disk would."""

    fail = False

    @staticmethod
    def _write_all(fd: int, data: bytes) -> None:
        if FailingStorage.fail:
            os.write(fd, data[: len(data) // 2])  # a partial write before the error
            raise OSError(28, os.strerror(28))
        JournalStorage._write_all(fd, data)


def test_injected_full_disk_fails_cleanly_and_recovers(tmp_path: Path) -> None:
    storage = FailingStorage(tmp_path / "db")
    table = storage.live_table("docs")
    table["a"] = {"v": 1}
    storage.append("docs", {"a": MISSING})
    FailingStorage.fail = True
    try:
        table["b"] = {"v": 2}
        with pytest.raises(StoreWriteFailed) as err:
            storage.append("docs", {"b": MISSING})
        assert "No space" in str(err.value)
        assert "b" not in table  # rolled back in memory
    finally:
        FailingStorage.fail = False
    table["c"] = {"v": 3}
    storage.append("docs", {"c": MISSING})
    storage.close()
    reopened = JournalStorage(tmp_path / "db")
    assert reopened.read()["docs"] == {"a": {"v": 1}, "c": {"v": 3}}
    reopened.close()


def test_real_full_disk_keeps_store_readable_and_writable_after_space_frees(tmp_path: Path) -> None:
    result = disk_full_scenario(tmp_path)
    if result is None:
        pytest.skip("mounting a size-limited tmpfs needs root; the injected-ENOSPC test covers it")
    assert result.failed_cleanly, "a write on a full disk must raise StoreWriteFailed"
    assert result.kept == result.acknowledged
    assert result.resumed
