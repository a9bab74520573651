"""USB bundle benchmark: export and import of an office of 50 000 documents and 200 MB of scans.

Each side runs in a fresh process, so its time and peak memory are its own; the baseline is
copying the same data folder as files (what a careless USB "backup" would do), in the same run.
Run alone: ``python -m bench.bundle_bench [DOCS] [SCAN_MB]``.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from store import DocumentStore
from store.archive import ArchiveRecord, Attachment, register, save_record
from store.archive_blobs import BlobStore
from store.archive_numbering import NumberingScheme
from sync.pki import init_cluster

from .table import BenchRow

DOCS = 50_000
SCAN_MB = 200
SCAN_SIZE = 5 * 1024 * 1024
RSS_TARGET_MB = 300.0

_CHILD = """
import sys, time
from bench.peak_memory import peak_rss_mb
from pathlib import Path
from store import DocumentStore
from sync.bundle import export_bundle, import_bundle
from sync.pki import load_cluster
mode, data, founder, bundle = sys.argv[1:5]
cluster = load_cluster(Path(founder))
with DocumentStore.open(Path(data)) as store:
    started = time.perf_counter()
    if mode == "export":
        count = export_bundle(store, cluster, Path(bundle)).documents
    else:
        count = import_bundle(store, cluster, Path(bundle)).new
    seconds = time.perf_counter() - started
print(seconds, peak_rss_mb(), count)
"""


def fill_office(data: Path, docs: int, scan_mb: int) -> None:
    with DocumentStore.open(data) as store:
        batch = []
        for number in range(docs):
            batch.append({"_id": f"signin:bench:{number:06d}", "member_id": f"{number % 3000:05d}",
                          "meeting_id": f"meeting:{number // 300}", "at": "2026-11-25T09:30"})
            if len(batch) == 5_000:
                store.bulk_put(batch)
                batch = []
        store.bulk_put(batch)
        blobs = BlobStore.for_store(store)
        scheme = NumberingScheme("校学生会")
        for number in range(max(1, scan_mb * 1024 * 1024 // SCAN_SIZE)):
            data_bytes = hashlib.sha256(str(number).encode()).digest() * (SCAN_SIZE // 32)
            sha256 = hashlib.sha256(data_bytes).hexdigest()
            blobs.put_bytes(sha256, data_bytes)
            record = register(store, ArchiveRecord(ArchiveRecord.new_id(), "", "发文", 2026, 0,
                                                   f"扫描件 {number}"),
                              scheme, ["发文"], [], datetime(2026, 11, 25, 9, 0))
            attachment = Attachment(f"scan-{number}.png", sha256, len(data_bytes), "image/png")
            save_record(store, replace(record, attachments=(attachment,)))


def run_child(mode: str, data: Path, founder: Path, bundle: Path) -> tuple[float, float, int]:
    """Seconds, peak RSS in MB, and documents written (export) or revisions new (import)."""
    done = subprocess.run([sys.executable, "-c", _CHILD, mode, str(data), str(founder),
                           str(bundle)], check=True, capture_output=True, text=True)
    seconds, rss, count = done.stdout.split()
    return float(seconds), float(rss), int(count)


def benchmarks(docs: int = DOCS, scan_mb: int = SCAN_MB) -> list[BenchRow]:
    with tempfile.TemporaryDirectory() as tmp:
        founder = Path(tmp) / "founder"
        init_cluster(founder, "secretary-laptop")
        fill_office(founder, docs, scan_mb)
        bundle = Path(tmp) / "office.bundle"
        export_s, export_mb, exported = run_child("export", founder, founder, bundle)
        import_s, import_mb, imported = run_child("import", Path(tmp) / "laptop", founder, bundle)
        started = time.perf_counter()
        shutil.copytree(founder, Path(tmp) / "copied")
        copy_s = time.perf_counter() - started
        size = f"{docs // 1000}k docs + {scan_mb} MB scans"
        return [
            BenchRow(f"bundle export, {size} (time / peak RSS)",
                     f"{export_s:.1f} s / {export_mb:.0f} MB ({exported} docs)",
                     f"copying the folder {copy_s:.1f} s",
                     f"RSS < {RSS_TARGET_MB:.0f} MB", export_mb < RSS_TARGET_MB),
            BenchRow(f"bundle import, {size} (time / peak RSS)",
                     f"{import_s:.1f} s / {import_mb:.0f} MB ({imported} new revisions)",
                     f"copying the folder {copy_s:.1f} s",
                     f"RSS < {RSS_TARGET_MB:.0f} MB",
                     import_mb < RSS_TARGET_MB and imported >= docs),
        ]


if __name__ == "__main__":
    from .table import render

    args = [int(arg) for arg in sys.argv[1:3]]
    print(render(benchmarks(*args)))
