"""A full disk: writes must fail with a clear error, the store stay readable, writes resume.

Uses a real size-limited tmpfs (needs root to mount); returns None where that is impossible,
and the caller says so. The injected-ENOSPC test in tests/store/test_journal.py covers the
same path everywhere.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from store import DocumentStore, StoreWriteFailed


@dataclass(frozen=True)
class DiskFullResult:
    failed_cleanly: bool  # the write that hit ENOSPC raised StoreWriteFailed
    acknowledged: int
    kept: int  # acknowledged writes readable after reopening
    resumed: bool  # a write succeeded once space was freed

    @property
    def ok(self) -> bool:
        return self.failed_cleanly and self.kept == self.acknowledged and self.resumed


def disk_full_scenario(workdir: Path, size: str = "256k") -> DiskFullResult | None:
    mount = workdir / "tiny-disk"
    mount.mkdir()
    if os.geteuid() != 0 or subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount)],
            capture_output=True).returncode != 0:
        return None
    try:
        store = DocumentStore.open(mount / "data")
        store.put({"_id": "member:0", "pad": "x"})
        acknowledged = [0]
        fd = os.open(mount / "filler", os.O_WRONLY | os.O_CREAT)
        try:
            while True:
                os.write(fd, b"\0" * 4096)
        except OSError:
            pass
        finally:
            os.close(fd)
        failed_cleanly = False
        try:
            for n in range(1, 10_000):
                store.put({"_id": f"member:{n}", "pad": "x" * 500})
                acknowledged.append(n)
        except StoreWriteFailed:
            failed_cleanly = True
        (mount / "filler").unlink()
        store.put({"_id": "member:after", "pad": "y"})
        store.close()
        with DocumentStore.open(mount / "data") as again:
            kept = sum(1 for n in acknowledged if again.get_or_none(f"member:{n}") is not None)
            resumed = again.get_or_none("member:after") is not None
        return DiskFullResult(failed_cleanly, len(acknowledged), kept, resumed)
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)
